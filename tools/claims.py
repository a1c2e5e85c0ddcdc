"""Find the statements in handbook pages that carry a number or a risk, and what they cite.

A page is read as Markdown, not built: front matter, headings, code, tables of
generated data and macro-only lines are skipped. What is left is cut into
*statements*: a sentence of a paragraph, or a whole list item. A statement's
citations are the ids in its `{{ cite("...") }}` calls.

Rules, kept simple so an editor can predict them:

- A citation covers its own sentence and the uncited sentences just before it
  in the same paragraph (one citation closing a run of sentences from one
  source). A sentence after the paragraph's last citation is uncited.
- A list item counts as cited when it carries a citation, or when the sentence
  that introduces its list (the paragraph just above, ending in a colon) cites:
  that is how criteria and symptom lists are written.
- Numbers that are not facts are not counted: part of a name (ICD-11, NG193,
  L5, 5th, type 1, step 2, grade 3), a pain scale ("0 to 10", "100-point
  scale"), and how long something takes in seconds, minutes or hours.
  Questions (a sentence ending in "?") state no fact.
- "For clinicians" blocks are checked like any other text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CITE = re.compile(r"\{\{\s*cite\(([^)]*)\)\s*\}\}")
MACRO = re.compile(r"\{\{.*?\}\}")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+\.)\s+")
HEADING = re.compile(r"^\s*#{1,6}\s")
ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s")
FENCE = re.compile(r"^\s*(```|~~~)")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')]?\s+(?=[A-Z\"(*])")

# A number a reader would take as a fact: digits standing on their own (not part
# of a name such as ICD-11, NG193, L5 or 5th), a percentage, or a frequency
# written in words ("one in ten").
NOT_A_FACT = re.compile(
    r"\b(?:type|types|step|steps|grade|grades|level|levels|stage|phase|part|version)\s+\d+(?:\s*(?:or|and|to|-|–)\s*\d+)?"
    r"|\b0\s*(?:to|-|–)\s*10{1,2}\b|\b10{1,2}-point\b"
    r"|\b\d+(?:\.\d+)?(?:\s*(?:to|-|–|or)\s*\d+(?:\.\d+)?)?[\s-]*(?:seconds?|minutes?|hours?)\b",
    re.I,
)
NUMBER = re.compile(r"(?<![\w/.\-–])\d+(?:[.,]\d+)*(?![\w])")
WORD_FREQUENCY = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out of)\s+"
    r"(?:ten|twenty|a hundred|a thousand|\d)",
    re.I,
)
RISK_WORDS = re.compile(
    r"\b(?:risks?|rare(?:ly)?|uncommon|common(?:ly)?|complications?|side effects?|"
    r"harms?|death|died|paraly\w*|infections?|bleeding|stroke|nerve (?:damage|injury))\b",
    re.I,
)


@dataclass
class Statement:
    """A sentence or list item of a page, with where it starts and what it cites."""

    file: str
    line: int
    text: str
    cites: set[str] = field(default_factory=set)
    covered_by_lead: bool = False

    @property
    def plain(self) -> str:
        """The text a reader sees, without macro calls or link targets."""
        return LINK_TARGET.sub("]", MACRO.sub("", self.text))

    def numbers(self) -> list[str]:
        plain = self.plain
        if plain.rstrip(" *_").endswith("?"):
            return []
        plain = NOT_A_FACT.sub(" ", plain)
        return [m.group(0) for m in NUMBER.finditer(plain)] + [
            m.group(0) for m in WORD_FREQUENCY.finditer(plain)
        ]

    def has_risk_words(self) -> bool:
        return bool(RISK_WORDS.search(self.plain))

    def is_cited(self) -> bool:
        return bool(self.cites) or self.covered_by_lead


def cited_ids(text: str) -> set[str]:
    return {ref for call in CITE.findall(text) for ref in re.findall(r"[\"']([^\"']+)[\"']", call)}


def _blocks(lines: list[str]):
    """(kind, first line number, text) for each paragraph and list item of the page body."""
    block: list[str] = []
    start = 0
    kind = "paragraph"
    in_fence = False
    body_from = _after_front_matter(lines)

    def flush():
        nonlocal block
        if block:
            yield kind, start, "\n".join(part.strip() for part in block)
        block = []

    for number, raw in enumerate(lines, start=1):
        if number <= body_from:
            continue
        if FENCE.match(raw):
            in_fence = not in_fence
            yield from flush()
            continue
        stripped = raw.strip()
        skip = (in_fence or not stripped or HEADING.match(raw) or ADMONITION.match(raw)
                or stripped.startswith(("|", "*[", "<!--", "<"))
                or MACRO.sub("", stripped).strip() == "")
        if skip:
            yield from flush()
            if stripped and not in_fence:
                yield "other", number, stripped
            continue
        if LIST_ITEM.match(raw):
            yield from flush()
            kind, start = "item", number
            block = [LIST_ITEM.sub("", raw)]
            continue
        if not block:
            kind, start = "paragraph", number
        block.append(raw)
    yield from flush()


def _after_front_matter(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for number, line in enumerate(lines[1:], start=2):
            if line.strip() == "---":
                return number
    return 0


def statements(path: Path, root: Path) -> list[Statement]:
    """Every statement of a Markdown page, in page order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    name = path.relative_to(root).as_posix()
    found: list[Statement] = []
    lead_cited = False
    previous_kind = None
    for kind, line, text in _blocks(lines):
        if kind == "other":
            previous_kind = kind
            lead_cited = False
            continue
        if kind == "paragraph":
            sentences = _sentences(text)
            carried: set[str] = set()
            run: list[Statement] = []
            for sentence, offset in reversed(sentences):
                carried = cited_ids(sentence) or carried
                run.append(Statement(name, line + text.count("\n", 0, offset), sentence, carried))
            found.extend(reversed(run))
            sentences = [sentence for sentence, _ in sentences]
            last = sentences[-1] if sentences else ""
            lead_cited = MACRO.sub("", last).rstrip().endswith(":") and bool(cited_ids(text))
        else:
            found.append(Statement(name, line, " ".join(text.split()), cited_ids(text),
                                   covered_by_lead=lead_cited and previous_kind in ("paragraph", "item")))
        previous_kind = kind
    return found


def _sentences(text: str) -> list[tuple[str, int]]:
    """Each sentence of a paragraph, with where it starts (a citation is written before the full stop)."""
    found, start = [], 0
    for end in SENTENCE_END.finditer(text):
        found.append((text[start:end.start()], start))
        start = end.end()
    found.append((text[start:], start))
    return [(" ".join(sentence.split()), offset) for sentence, offset in found if sentence.strip()]


def uncited_numbers(pages: list[Path], root: Path) -> list[Statement]:
    """Statements that state a number but cite nothing."""
    return [s for page in pages for s in statements(page, root) if s.numbers() and not s.is_cited()]


def claim_references(pages: list[Path], root: Path) -> dict[str, list[Statement]]:
    """Reference id -> the statements that cite it for a number or a risk."""
    needs: dict[str, list[Statement]] = {}
    for page in pages:
        for statement in statements(page, root):
            if statement.numbers() or statement.has_risk_words():
                for ref in statement.cites:
                    needs.setdefault(ref, []).append(statement)
    return needs
