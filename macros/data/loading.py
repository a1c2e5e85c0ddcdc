"""Load the handbook data and page front matter, validate it, report every problem.

The data lives in `data/`:

    data/references/*.yml     lists of references (any number of files)
    data/procedures/<id>.yml  one procedure; <id> is also its page, docs/procedures/<id>.md
    data/conditions/<id>.yml  one condition; its page is docs/conditions/<id>.md
    data/conservative-care.yml  the "conservative care / no procedure" option
    data/care-approaches.yml  conventional and interventional care side by side
    data/glossary.yml         terms, abbreviations and their definitions

Nothing here stops at the first problem: every problem is collected with its
file and line and reported together in one DataError.
"""

from __future__ import annotations

import os
import re
import typing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml import resolver as ruamel_resolver
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent

from ..problems import DataError, Problem, clip
from .handbook import Handbook
from .models import (
    ID_PATTERN,
    CareApproaches,
    ConservativeCare,
    Condition,
    GlossaryEntry,
    PageMeta,
    Procedure,
    Reference,
    Review,
)

LINK_TIP = "replace the link by the real file (git rm the link, then add the file itself)"
DATA_LAYOUT_TIP = (
    "data/ holds references/*.yml, procedures/<id>.yml, conditions/<id>.yml, "
    "conservative-care.yml, care-approaches.yml and glossary.yml; see CONTRIBUTING.md"
)


class _DatesAsText(RoundTripConstructor):
    """Keep dates as text so pydantic can report an impossible date with its line."""


    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python refuses to read integers of more than 4,300 digits
            raise ConstructorError(None, None, "this number is far too long", node.start_mark) from None


_DatesAsText.add_constructor(
    "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
)
_DatesAsText.add_constructor("tag:yaml.org,2002:int", _DatesAsText.construct_yaml_int)


class _NoAliases(Composer):
    """Refuse YAML anchors (&name) and aliases (*name): the handbook needs none, and a few
    nested aliases make a small file expand into billions of values (an "alias bomb")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ComposerError(None, None, ANCHOR_MESSAGE, event.start_mark)
        return super().compose_node(parent, index)


ANCHOR_MESSAGE = "YAML anchors and aliases (&name, *name) are not used in handbook data"
MAX_DEPTH = 12
"""Deepest nesting of lists and groups a data file may have (the handbook needs 4)."""
MAX_FILE_BYTES = 1_000_000
"""Largest data file or page (the biggest today is about 20 kB)."""
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Characters that reorder how text is displayed ("Trojan Source"); left-to-right and
right-to-left marks (U+200E, U+200F) only hint direction and stay allowed."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DatesAsText
    yaml.Composer = _NoAliases
    yaml.max_depth = MAX_DEPTH
    return yaml


_TAG = re.compile(r"(?:^|[\s\[{,])![!<\w]", re.M)
# What the quick reader leaves to ruamel.yaml, which checks it with line numbers: anything that
# may be an anchor or alias, and nested brackets (libyaml has no depth limit).
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s,\[\]{}]", re.M)
_NESTED_FLOW = re.compile(r"[\[{][^\]}]*[\[{]")
_COMMENT_LINES = re.compile(r"^[ \t]*#.*$", re.M)


class _NeedsLines(Exception):
    """The quick reading met a problem: read everything again, with line numbers."""


class _QuickLoader(getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)):
    """libyaml (about 20 times faster than ruamel.yaml's round-trip reader) with the same
    YAML 1.2 rules as ruamel.yaml, and dates kept as text. It knows no line numbers, so
    the first problem it meets (a duplicate key included) sends the whole load back to
    ruamel.yaml, which reports every problem with its line."""

    yaml_implicit_resolvers: dict = {}

    def construct_mapping(self, node, deep=False):
        keys = [key.value for key, _ in node.value if isinstance(key, pyyaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            raise _NeedsLines
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node).replace("_", "")
        sign, digits = (-1, text[1:]) if text[0] == "-" else (1, text.lstrip("+"))
        base = {"0b": 2, "0o": 8, "0x": 16}.get(digits[:2], 10)
        return sign * int(digits[2:] if base != 10 else digits, base)


for _versions, _tag, _pattern, _first in ruamel_resolver.implicit_resolvers:
    if (1, 2) in _versions:
        _QuickLoader.add_implicit_resolver(_tag, _pattern, _first)
_QuickLoader.add_constructor("tag:yaml.org,2002:int", _QuickLoader.construct_yaml_int)
_QuickLoader.add_constructor("tag:yaml.org,2002:timestamp", _QuickLoader.construct_yaml_str)


# --------------------------------------------------------------------------
# Turning pydantic errors into editor-friendly problems
# --------------------------------------------------------------------------


def _line_of(node: Any, loc: tuple) -> int:
    """1-based line of the deepest part of `loc` that exists in the YAML tree."""
    line = getattr(getattr(node, "lc", None), "line", 0) + 1
    for part in loc:
        if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        elif isinstance(part, str) and part not in getattr(node, "keys", lambda: ())():
            # A union branch or validator name in pydantic's loc: skip it.
            continue
    return line


def _id_line(path: Path, ref_id: str) -> int:
    """Line of '- id: <ref_id>' in a file, for the quick reader that keeps no line numbers."""
    pattern = re.compile(rf"^-\s+id:\s*['\"]?{re.escape(ref_id)}['\"]?\s*$")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def _item_line(node: Any, index: int) -> int:
    """1-based line of a list item (0 from the quick reader, whose lines are never shown)."""
    return node.lc.item(index)[0] + 1 if hasattr(node, "lc") else 0


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    for part in loc:
        if model is None:
            return None
        if isinstance(part, str) and part in model.model_fields:
            model = _inner_model(model.model_fields[part].annotation)
    return model


PATTERN_TIPS = {
    "doi": "write the DOI alone, e.g. 10.1136/bmj.l6273 (no https://doi.org/ in front)",
    "pmid": "write the PubMed id as digits in quotes, e.g. '25668411'",
    "url": "write the full address starting with https://",
}


class _ShortRepr:
    """A value whose repr is cut short (a message never prints a whole huge value)."""

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        return clip(repr(self.value), 80)

    __str__ = __repr__


def _describe(error: dict, model: type[BaseModel]) -> tuple[str, str]:
    """(message, tip) in an editor's words for one pydantic error."""
    kind = error["type"]
    loc = tuple(error["loc"])
    name = next((p for p in reversed(loc) if isinstance(p, str) and p in _all_fields()), "value")
    value = _ShortRepr(error.get("input"))
    ctx = error.get("ctx", {})
    if kind == "missing":
        return f"'{name}' is missing", f"add a line '{name}: ...'; the Data reference page says what it holds"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else "see the Data reference page"
        return (
            f"'{loc[-1]}' is not a known field",
            f"check its spelling or remove it; fields allowed here: {allowed}",
        )
    if kind in ("literal_error", "enum"):
        return f"{value!r} is not an allowed value for '{name}'", f"use one of: {ctx.get('expected')}"
    if kind.startswith("date"):
        return f"{value!r} is not a real date", "write dates as YYYY-MM-DD, e.g. 2026-11-22"
    if kind == "string_type" and isinstance(value.value, dict):
        return (
            f"'{name}' should be text, but a colon followed by a space made it read as 'name: value'",
            "put the whole text in quotes, or write it without ': ' (for example 'aged over 50, ...')",
        )
    if kind == "string_type":
        return (
            f"'{name}' should be text, not {type(value.value).__name__} {value!r}",
            "write it as text; put it in quotes if it looks like a number, date or yes/no",
        )
    if kind == "string_too_short":
        return f"'{name}' is empty", "write a value, or remove the line if the field is optional"
    if kind == "string_pattern_mismatch":
        if name in PATTERN_TIPS:
            return f"{value!r} is not a valid {name}", PATTERN_TIPS[name]
        return f"{value!r} is not a valid id", "ids use lower-case letters, digits and hyphens, e.g. nice-ng59"
    if kind == "list_type":
        return f"'{name}' should be a list", "write each item on its own line, starting with '- '"
    if kind == "too_short":
        return (
            f"'{name}' needs at least {ctx.get('min_length')} item(s)",
            "add items, each on its own line starting with '- '",
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{name}' should be a group of fields", "indent its fields under it, one 'field: value' per line"
    if kind.startswith("int") or kind == "greater_than_equal" or kind == "less_than_equal":
        return f"'{name}' should be a whole number such as a year, not {value!r}", "write digits only, e.g. 2021"
    if kind.startswith("bool"):
        return f"'{name}' should be true or false, not {value!r}", "write true or false"
    if kind == "value_error":
        return clip(str(ctx.get("error", error["msg"]))), "correct the value as described"
    return clip(error["msg"]), "see the Data reference page for what this field takes"


def _all_fields() -> set[str]:
    names: set[str] = set()
    for model in (CareApproaches, Procedure, Condition, Reference, ConservativeCare, GlossaryEntry, PageMeta, Review):
        names.update(model.model_fields)
    names.update({"strength", "summary", "condition", "role", "evidence", "note", "question",
                  "conventional", "interventional"})
    return names


def _display_path(prefix: str, loc: tuple) -> str:
    text = prefix
    for index, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _all_fields() or index == len(loc) - 1:
            text += f".{part}" if text else part
    return text


# --------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------


@dataclass
class _Collector:
    root: Path
    quick: bool = False
    """Read with the quick reader and stop at the first problem (raising _NeedsLines)."""
    problems: list[Problem] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def add(self, path: Path, line: int, where: str, message: str, tip: str) -> None:
        if self.quick:
            raise _NeedsLines
        self.problems.append(Problem(self.rel(path), line, clip(where, 120), clip(message), clip(tip, 600)))

    def read_yaml(self, path: Path, text: str | None = None, first_line: int = 1) -> Any:
        """Parse YAML; on a syntax error record a problem and return None."""
        if text is None:
            if path.is_symlink():
                return None  # reported by refuse_links; never read what it points to
            if not self.small_enough(path):
                return None
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as error:
                self.add(path, 1, "", f"the file is not UTF-8 text ({error.reason})", "save it as UTF-8")
                return None
            except OSError as error:
                self.add(path, 1, "", f"the file cannot be read ({error.strerror})", DATA_LAYOUT_TIP)
                return None
        self.refuse_bidi(path, text, first_line)
        if self.quick:
            # ruamel.yaml keeps explicit tags (!!str ...), and it refuses some tabs that libyaml
            # lets pass: let it decide.
            if "\t" in text or _TAG.search(text) or _MAYBE_ANCHOR.search(text) or \
                    _NESTED_FLOW.search(_COMMENT_LINES.sub("", text)):
                raise _NeedsLines
            try:
                node = pyyaml.load(text, Loader=_QuickLoader)  # noqa: S506 - a safe loader
            except (pyyaml.YAMLError, ValueError, TypeError):
                raise _NeedsLines from None
            if node is None:
                raise _NeedsLines
            return node
        try:
            node = _yaml().load(text)
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = (mark.line + first_line) if mark else first_line
            detail = clip(" ".join(str(error.problem or error).split()), 200)
            tip = "check indentation, colons and quotes on this line and the one above"
            if "duplicate key" in detail:
                tip = "a field is written twice in the same place: keep one"
            elif detail == ANCHOR_MESSAGE:
                self.add(path, line, "", detail, "write the value out in full where it is needed")
                return None
            elif "maximum depth" in detail:
                self.add(path, line, "", f"lists and groups are nested more than {MAX_DEPTH} deep here",
                         "check the brackets and indentation; handbook data nests at most a few levels")
                return None
            self.add(path, line, "", f"YAML syntax error: {detail}", tip)
            return None
        if node is None:
            self.add(path, first_line, "", "the file is empty", DATA_LAYOUT_TIP)
        return node

    def small_enough(self, path: Path) -> bool:
        try:
            size = path.stat().st_size
        except OSError:
            return True  # reading it reports the problem
        if size > MAX_FILE_BYTES:
            self.add(path, 1, "", f"the file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are allowed",
                     "split it into smaller files, or check that it is the file you meant to add")
            return False
        return True

    def refuse_bidi(self, path: Path, text: str, first_line: int = 1) -> None:
        for match in BIDI_CONTROLS.finditer(text):
            line = text.count("\n", 0, match.start()) + first_line
            self.add(path, line, "", f"an invisible character that reorders text (U+{ord(match.group()):04X}) "
                     "is written here", "delete it (it can make text display differently from how it reads)")

    def refuse_links(self, folder: Path) -> None:
        """Every symbolic link under `folder` is a problem: the build must never follow one
        (a link to /proc/self/environ or ~/.ssh would publish the build machine)."""
        if folder.is_symlink():
            self.add(folder, 1, "", "this folder is a symbolic link", LINK_TIP)
            return
        for current, folders, files in os.walk(folder):
            for name in sorted(folders + files):
                path = Path(current) / name
                if path.is_symlink():
                    self.add(path, 1, "", "this is a symbolic link; the handbook does not follow links", LINK_TIP)

    def validate(self, model: type[BaseModel], node: Any, path: Path, prefix: str, line_offset: int = 0,
                 item_line: int | None = None):
        """Validate one entry; `item_line` is where it starts when it is an item of a list."""
        try:
            return model.model_validate(node)
        except ValidationError as errors:
            for error in errors.errors():
                loc = tuple(error["loc"])
                message, tip = _describe(error, model)
                line = _line_of(node, loc) if hasattr(node, "lc") or item_line is None else item_line
                self.add(path, line + line_offset, _display_path(prefix, loc), message, tip)
            return None


def read_front_matter(collector: _Collector, path: Path) -> tuple[Any, str, bool]:
    """(front matter node or None, body, whether the page has a front matter block)."""
    if path.is_symlink() or not collector.small_enough(path):
        return None, "", True
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        collector.add(path, 1, "", f"the file is not UTF-8 text ({error.reason})", "save it as UTF-8")
        return None, "", True
    match = re.match(r"\A---[ \t]*\n(.*?)^---[ \t]*$\n?", text, re.S | re.M)
    if not match:
        collector.refuse_bidi(path, text)
        return None, text, False
    collector.refuse_bidi(path, text[match.end(1):], first_line=1 + text.count("\n", 0, match.end(1)))
    node = collector.read_yaml(path, match.group(1) or "{}", first_line=2)
    if node is not None and not isinstance(node, dict):
        collector.add(path, 2, "", "the front matter should be 'field: value' lines", "see CONTRIBUTING.md")
        node = None
    return node, text[match.end():], True


def _load_entries(col: _Collector, folder: Path, model: type[BaseModel], kind: str) -> dict:
    entries = {}
    for path in sorted(folder.glob("*")):
        if path.suffix not in (".yml", ".yaml") or path.is_dir():
            col.add(path, 1, "", "not a .yml file", f"{kind} are written as data/{kind}/<id>.yml")
            continue
        entry_id = path.stem
        if not re.match(ID_PATTERN, entry_id):
            col.add(path, 1, "", f"'{entry_id}' is not a valid id for a file name",
                    "rename the file using lower-case letters, digits and hyphens")
            continue
        node = col.read_yaml(path)
        if node is None:
            continue
        entry = col.validate(model, node, path, f"{kind}.{entry_id}")
        if entry is not None:
            entries[entry_id] = (entry, path, node)
    return entries


def load_handbook(project_dir: Path | str, docs_dir: Path | str | None = None) -> Handbook:
    """Read and validate everything under data/ and every page's front matter.

    Raises DataError listing every problem found.
    """
    root = Path(project_dir).resolve()
    docs = Path(docs_dir).resolve() if docs_dir else root / "docs"
    try:
        return _load(_Collector(root, quick=True), docs)
    except _NeedsLines:
        return _load(_Collector(root), docs)


def _load(col: _Collector, docs: Path) -> Handbook:
    data = col.root / "data"
    for folder in (docs, data, col.root / "overrides"):
        col.refuse_links(folder)
    _check_static_files(col, docs)

    # References: any number of files, each a list.
    references: dict[str, tuple[Reference, Path, Any]] = {}
    reference_lines: dict[str, int] = {}
    # Ids that exist even if their entry has problems: a broken entry is reported
    # once, not again by every entry that points to it.
    known_refs: set[str] = set()
    ref_files = sorted((data / "references").glob("*.yml"))
    if not ref_files:
        col.add(data / "references", 1, "", "no reference files found", DATA_LAYOUT_TIP)
    for path in ref_files:
        if path.is_dir():
            col.add(path, 1, "", "this is a folder, not a references file", "move its files into data/references/")
            continue
        node = col.read_yaml(path)
        if node is None:
            continue
        if not isinstance(node, list):
            col.add(path, 1, "", "a references file should be a list", "start each reference with '- id: ...'")
            continue
        for index, item in enumerate(node):
            ref_id = item.get("id") if isinstance(item, dict) else None
            known_refs.add(str(ref_id))
            label = f"references.{ref_id}" if isinstance(ref_id, str) else f"references[{index}]"
            line = _item_line(node, index)
            ref = col.validate(Reference, item, path, label, item_line=line)
            if ref is None:
                continue
            if ref.id in references:
                first = references[ref.id][1]
                col.add(path, line, label, f"the reference id '{ref.id}' is used twice (also in {col.rel(first)})",
                        "give each reference its own id, or delete the copy")
                continue
            references[ref.id] = (ref, path, item)
            reference_lines[ref.id] = line or _id_line(path, ref.id)

    procedures = _load_entries(col, data / "procedures", Procedure, "procedures")
    conditions = _load_entries(col, data / "conditions", Condition, "conditions")

    care_path = data / "conservative-care.yml"
    care = None
    if care_path.exists():
        node = col.read_yaml(care_path)
        if node is not None:
            care = col.validate(ConservativeCare, node, care_path, "conservative_care")
            if care is not None:
                _check_refs(col, care_path, node, "conservative_care", care.references, known_refs)
    else:
        col.add(care_path, 1, "", "the conservative care file is missing", DATA_LAYOUT_TIP)

    approaches_path = data / "care-approaches.yml"
    approaches = None
    if approaches_path.exists():
        node = col.read_yaml(approaches_path)
        if node is not None:
            approaches = col.validate(CareApproaches, node, approaches_path, "care_approaches")
            if approaches is not None:
                _check_refs(col, approaches_path, node, "care_approaches", approaches.references, known_refs)
    else:
        col.add(approaches_path, 1, "", "the care approaches file is missing", DATA_LAYOUT_TIP)

    glossary: list[GlossaryEntry] = []
    glossary_path = data / "glossary.yml"
    if glossary_path.exists():
        node = col.read_yaml(glossary_path)
        if node is not None and not isinstance(node, list):
            col.add(glossary_path, 1, "", "the glossary should be a list", "start each entry with '- term: ...'")
        elif node is not None:
            seen: dict[str, int] = {}
            for index, item in enumerate(node):
                line = _item_line(node, index)
                entry = col.validate(GlossaryEntry, item, glossary_path, f"glossary[{index}]", item_line=line)
                if entry is None:
                    continue
                for word in filter(None, (entry.term, entry.abbreviation)):
                    if word.lower() in seen:
                        col.add(glossary_path, line, f"glossary[{index}]",
                                f"'{word}' is already defined at line {seen[word.lower()]}", "keep one entry")
                    seen[word.lower()] = line
                glossary.append(entry)

    known = set(data.glob("*.yml")) | {data / "references", data / "procedures", data / "conditions"}
    for path in sorted(data.glob("*")):
        if path not in known and path.name not in ("README.md", "schema") and not path.name.startswith("."):
            col.add(path, 1, "", "this file is not part of the handbook data", DATA_LAYOUT_TIP)
    for path in sorted(data.glob("*.yml")):
        if path.is_dir():
            col.add(path, 1, "", "this is a folder with a .yml name", DATA_LAYOUT_TIP)
        elif path.name not in ("conservative-care.yml", "care-approaches.yml", "glossary.yml"):
            col.add(path, 1, "", f"'{path.name}' is not a known data file", DATA_LAYOUT_TIP)

    # Cross-references between entries.
    for kind, entries in (("procedures", procedures), ("conditions", conditions)):
        for entry_id, (entry, path, node) in entries.items():
            _check_refs(col, path, node, f"{kind}.{entry_id}", entry.references, known_refs)
    known_conditions = {p.stem for p in (data / "conditions").glob("*.yml")}
    for proc_id, (proc, path, node) in procedures.items():
        for index, link in enumerate(proc.conditions):
            if link.condition not in known_conditions:
                col.add(path, _line_of(node, ("conditions", index, "condition")),
                        f"procedures.{proc_id}.conditions[{index}].condition",
                        f"there is no condition with id '{link.condition}'",
                        _suggest(link.condition, conditions, "data/conditions/"))

    pages = _check_pages(col, docs, data, procedures, conditions, known_refs)

    if col.problems:
        raise DataError(col.problems)
    assert care is not None and approaches is not None
    sources = {f"{kind}/{entry_id}": col.rel(path)
               for kind, entries in (("procedures", procedures), ("conditions", conditions))
               for entry_id, (_, path, _) in entries.items()}
    sources.update({f"references/{ref_id}": f"{col.rel(path)}:{reference_lines[ref_id]}"
                    for ref_id, (_, path, _) in references.items()})
    return Handbook(
        references=MappingProxyType({k: v[0] for k, v in references.items()}),
        procedures=MappingProxyType({k: v[0] for k, v in procedures.items()}),
        conditions=MappingProxyType({k: v[0] for k, v in conditions.items()}),
        conservative_care=care,
        care_approaches=approaches,
        glossary=tuple(glossary),
        pages=MappingProxyType(pages),
        sources=MappingProxyType(sources),
    )


STATIC_PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".xml", ".xsl", ".svgz", ".swf", ".pdf"}
"""Files MkDocs would copy into the site as they are, unchecked: pages are written in Markdown instead."""


def _check_static_files(col: _Collector, docs: Path) -> None:
    """Every SVG under docs/ follows the safe SVG subset; no HTML or other active file is copied as is."""
    from .. import html_policy

    for path in sorted(docs.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.suffix.lower() in STATIC_PAGE_SUFFIXES:
            col.add(path, 1, "", f"{path.suffix} files would be published unchecked",
                    "write the page in Markdown (.md), or ask a maintainer to add the file to the theme")
        elif path.suffix.lower() == ".svg" and col.small_enough(path):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                col.add(path, 1, "", "the file is not UTF-8 text", "save it as UTF-8")
                continue
            for offence in html_policy.check_svg(text)[:10]:
                col.add(path, offence.line, "", offence.message, html_policy.SVG_TIP)


def _suggest(wrong: str, known, where: str) -> str:
    import difflib

    close = difflib.get_close_matches(wrong, list(known), n=1)
    if close:
        return f"did you mean '{close[0]}'? Ids are the file names in {where}"
    return f"use the id of an existing entry (its file name in {where}) or add that entry"


def _check_refs(col, path, node, label, ref_ids, known: set[str]) -> None:
    for index, ref_id in enumerate(ref_ids):
        if ref_id not in known:
            col.add(path, _line_of(node, ("references", index)), f"{label}.references[{index}]",
                    f"there is no reference with id '{ref_id}'",
                    _suggest(ref_id, known, "data/references/*.yml (the 'id:' lines)"))


def _check_pages(col: _Collector, docs: Path, data: Path, procedures: dict, conditions: dict,
                 known_refs: set[str]) -> dict[str, PageMeta]:
    """Every entry has a page, every page an entry; every front matter is valid."""
    pages: dict[str, PageMeta] = {}
    data_files = {kind: {p.stem for p in (data / kind).glob("*.yml")} for kind in ("procedures", "conditions")}
    for kind, entries in (("procedures", procedures), ("conditions", conditions)):
        folder = docs / kind
        page_ids = {p.stem for p in folder.glob("*.md") if p.name != "index.md"}
        for entry_id, (_, path, _) in entries.items():
            if entry_id not in page_ids:
                col.add(path, 1, f"{kind}.{entry_id}", f"there is no page docs/{kind}/{entry_id}.md for this entry",
                        f"create the page (make new-{kind[:-1]} does it) or rename this file to match its page")
        for page_id in sorted(page_ids - data_files[kind]):
            col.add(folder / f"{page_id}.md", 1, "", f"this page has no data entry data/{kind}/{page_id}.yml",
                    f"add the data entry (make new-{kind[:-1]} creates both) or move the page elsewhere")

    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        node, _, has_block = read_front_matter(col, path)
        if not has_block:
            col.add(path, 1, "", "the page has no front matter",
                    "start the page with lines '---', 'description: ...', '---'")
        if node is None:
            continue
        meta = col.validate(PageMeta, node, path, "front matter", line_offset=1)
        if meta is None:
            continue
        for index, ref_id in enumerate(meta.references):
            if ref_id not in known_refs:
                col.add(path, _line_of(node, ("references", index)) + 1, f"front matter.references[{index}]",
                        f"there is no reference with id '{ref_id}'",
                        _suggest(ref_id, known_refs, "data/references/*.yml (the 'id:' lines)"))
        kind, _, name = rel.removesuffix(".md").partition("/")
        has_entry = kind in data_files and name in data_files[kind]
        if has_entry and (meta.review is not None or meta.references):
            col.add(path, _line_of(node, ("review" if meta.review else "references",)) + 1, "front matter.review",
                    "this page's review record and references are kept in its data file",
                    f"remove them here and update data/{kind}/{name}.yml instead")
        elif not has_entry and meta.review is None:
            col.add(path, 2, "front matter", "'review' is missing",
                    "add 'review:' with 'last_reviewed:' and 'next_review_due:' dates (YYYY-MM-DD)")
        pages[rel] = meta
    return pages
