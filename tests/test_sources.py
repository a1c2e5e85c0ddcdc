"""Numbers and risks in patient text are cited, and the sources cited for them have been checked.

Read from the Markdown and data, not the built site: cheaper, and the offender
is reported as file:line with the sentence. How a page is cut into statements
(sentences and list items), which numbers count and which do not, is stated in
tools/claims.py.

The rules:

1. Every statement in docs/procedures, docs/conditions and docs/learn that
   states a number (digits, a percentage, "1 in 100", "one in ten") carries a
   citation.
2. A reference cited by a statement that states a number or names a risk
   (risk, rare, common, complication, side effect, harm, death, paralysis,
   infection, bleeding, stroke, nerve damage) has a `checked:` record.
3. A procedure, condition or the conservative-care option whose evidence
   summary or risk lists state a number has every one of its references
   checked: those lists cite no single source, so all of them stand behind it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from macros.data import load_handbook
from tools.claims import claim_references, statements, uncited_numbers

HANDBOOK = load_handbook(ROOT)
PAGES = sorted(page for folder in ("procedures", "conditions", "learn")
               for page in (ROOT / "docs" / folder).glob("*.md"))
DIGIT = re.compile(r"\d")


def test_every_number_in_patient_text_is_cited():
    offenders = uncited_numbers(PAGES, ROOT)
    report = "\n".join(f"{s.file}:{s.line}  {s.plain.strip()}" for s in offenders)
    if offenders:
        pytest.fail(f"{len(offenders)} statements give a number without a citation:\n{report}", pytrace=False)


def test_references_cited_for_numbers_and_risks_were_checked():
    needs = claim_references(PAGES, ROOT)
    unchecked = {ref: found for ref, found in needs.items() if HANDBOOK.references[ref].checked is None}
    report = "\n".join(f"{HANDBOOK.sources['references/' + ref]}  {ref}  (cited at {found[0].file}:{found[0].line})"
                       for ref, found in sorted(unchecked.items()))
    if unchecked:
        pytest.fail(f"{len(unchecked)} references back a number or a risk but were never checked; read the "
                    f"source, then add 'checked: {{date: YYYY-MM-DD, read: abstract}}':\n{report}", pytrace=False)


def test_references_behind_numbers_in_data_were_checked():
    entries = [("data/conservative-care.yml", HANDBOOK.conservative_care)]
    entries += [(HANDBOOK.sources[f"procedures/{pid}"], p) for pid, p in HANDBOOK.procedures.items()]
    unchecked = []
    for where, entry in entries:
        texts = [entry.evidence.summary, *entry.common_risks, *entry.serious_risks]
        if any(DIGIT.search(text) for text in texts):
            unchecked += [f"{where}: {ref}" for ref in entry.references
                          if HANDBOOK.references[ref].checked is None]
    if unchecked:
        pytest.fail("these references stand behind a number in an evidence summary or risk list but were "
                    "never checked:\n" + "\n".join(unchecked), pytrace=False)


# The rules themselves, on small made-up pages.

def write_page(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def test_a_number_needs_a_citation_in_its_own_sentence_or_a_later_one_of_its_paragraph(tmp_path):
    page = write_page(tmp_path, (
        "---\ndescription: x\n---\n\n# Title 2\n\n"
        "About 3 in 100 people faint. It passes {{ cite(\"a-2020\") }}.\n"
        "Relief lasts 6 months.\n\n"
        "- 40% improve\n- no number here\n\n"
        "Signs to look for {{ cite(\"b-2021\") }}:\n\n- fever over 38 degrees\n\n"
        "It takes 15 to 30 minutes. Ask: is it grade 2? It is type 1 in ICD-11.\n"
    ))
    offenders = uncited_numbers([page], tmp_path)
    assert [(s.line, s.plain.strip()) for s in offenders] == [(8, "Relief lasts 6 months."), (10, "40% improve")]


def test_citations_for_numbers_and_risks_are_collected(tmp_path):
    page = write_page(tmp_path, (
        "Infection is rare {{ cite(\"a-2020\") }}. Most people go home {{ cite(\"b-2021\") }}.\n\n"
        "??? info \"For clinicians\"\n\n    Mean 2.5 points {{ cite(\"c-2022\", \"d-2023\") }}.\n"
    ))
    assert sorted(claim_references([page], tmp_path)) == ["a-2020", "c-2022", "d-2023"]
    assert [s.line for s in statements(page, tmp_path)] == [1, 1, 5]
