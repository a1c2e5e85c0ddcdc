"""An editor's data mistakes are each reported with file, line, field and a tip.

The corpus in test_hardening.py holds one case per kind of mistake; these are the
rules it does not show: identifiers, entries and pages that pair up, every problem at once.
"""

from __future__ import annotations

import pytest

from macros.data import DataError, load_handbook


def problems_for(project) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_handbook(project)
    return [str(p) for p in caught.value.problems]


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_the_fixture_is_valid(mini_project):
    handbook = load_handbook(mini_project)
    assert set(handbook.procedures) == {"alpha-block", "beta-ablation"}
    assert set(handbook.conditions) == {"gamma-pain", "delta-pain"}


def test_a_reference_without_any_identifier_is_an_error(mini_project):
    edit(mini_project / "data/references/refs.yml", "  doi: 10.1000/test.one\n", "")
    (problem,) = problems_for(mini_project)
    assert "references.ref-one" in problem and "at least one of doi, pmid or url" in problem


@pytest.mark.parametrize("field, value, message", [
    ("doi", "https://doi.org/10.1000/x", "not a valid doi"),
    ("pmid", "'PMID123'", "not a valid pmid"),
    ("url", "http://example.org", "not a valid url"),
])
def test_malformed_identifiers_are_errors(mini_project, field, value, message):
    path = mini_project / "data/references/refs.yml"
    edit(path, "  year: 2020\n", f"  year: 2020\n  {field}: {value}\n" if field != "doi" else "  year: 2020\n")
    if field == "doi":
        edit(path, "doi: 10.1000/test.one", f"doi: {value}")
    (problem,) = problems_for(mini_project)
    assert message in problem, problem


def test_an_entry_without_a_page_and_a_page_without_an_entry_are_errors(mini_project):
    (mini_project / "docs/procedures/beta-ablation.md").rename(mini_project / "docs/procedures/beta.md")
    problems = problems_for(mini_project)
    assert any(p.startswith("data/procedures/beta-ablation.yml:1") and "no page docs/procedures/beta-ablation.md" in p
               for p in problems), problems
    assert any(p.startswith("docs/procedures/beta.md:1") and "no data entry" in p for p in problems), problems


def test_every_problem_is_reported_not_only_the_first(mini_project):
    edit(mini_project / "data/procedures/alpha-block.yml", "category: nerve-block", "category: nerve")
    edit(mini_project / "data/conditions/gamma-pain.yml", "body_regions: [back]", "body_regions: [bak]")
    edit(mini_project / "data/references/refs.yml", "year: 2021", "year: twenty")
    problems = problems_for(mini_project)
    assert len(problems) == 3
    assert [p.split(":")[0] for p in problems] == [
        "data/conditions/gamma-pain.yml", "data/procedures/alpha-block.yml", "data/references/refs.yml"]


def test_a_wrong_value_in_a_nested_record_names_its_own_field(mini_project):
    """Every model's fields are known to the messages, nested ones (checked: date, read) included."""
    edit(mini_project / "data/references/refs.yml", "  year: 2020\n",
         "  year: 2020\n  checked: {date: 2024-01-05, read: skim}\n")
    (problem,) = problems_for(mini_project)
    assert "'skim' is not an allowed value for 'read'" in problem, problem


def test_hidden_files_in_data_folders_are_left_alone(mini_project):
    """A .gitkeep, or the swap file an editor keeps while a file is open, is not data and no problem."""
    (mini_project / "data" / "references" / ".gitkeep").write_text("")
    (mini_project / "data" / "procedures" / ".alpha-block.yml.swp").write_bytes(b"\x00swap")
    load_handbook(mini_project)
