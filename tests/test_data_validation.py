"""An editor's data mistakes are each reported with file, line, field and a tip."""

from __future__ import annotations

import re

import pytest

from macros.loading import DataError, load_handbook


def problems_for(project) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_handbook(project)
    return [str(p) for p in caught.value.problems]


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_the_fixture_is_valid(mini_project):
    handbook = load_handbook(mini_project)
    assert set(handbook.procedures) == {"alpha-block", "beta-ablation"}
    assert set(handbook.conditions) == {"gamma-pain", "delta-pain"}


def test_an_unknown_field_names_its_line_and_the_allowed_fields(mini_project):
    path = mini_project / "data/procedures/alpha-block.yml"
    edit(path, "imaging: Fluoroscopy", "imagin: Fluoroscopy")
    problems = problems_for(mini_project)
    line = line_of(path, "imagin:")
    assert any(p.startswith(f"data/procedures/alpha-block.yml:{line}  procedures.alpha-block.imagin: "
                            "'imagin' is not a known field") and "imaging" in p for p in problems), problems
    assert any("'imaging' is missing" in p for p in problems)


def test_a_wrong_type_names_its_line(mini_project):
    path = mini_project / "data/procedures/alpha-block.yml"
    edit(path, "common_risks:\n  - Alpha block soreness", "common_risks: Alpha block soreness")
    (problem,) = problems_for(mini_project)
    assert problem.startswith(f"data/procedures/alpha-block.yml:{line_of(path, 'common_risks:')}  ")
    assert "'common_risks' should be a list" in problem and "Tip: " in problem


def test_a_value_outside_the_allowed_list_shows_the_allowed_values(mini_project):
    path = mini_project / "data/procedures/alpha-block.yml"
    edit(path, "role: diagnostic", "role: diagnostik")
    (problem,) = problems_for(mini_project)
    assert f"alpha-block.yml:{line_of(path, 'diagnostik')}  procedures.alpha-block.conditions[1].role" in problem
    assert "'first-line'" in problem


@pytest.mark.parametrize("bad_date", ["2026-02-30", "2026-13-01", "next year"])
def test_an_impossible_date_is_reported_as_not_a_real_date(mini_project, bad_date):
    path = mini_project / "data/conditions/gamma-pain.yml"
    edit(path, "last_reviewed: 2026-02-01", f"last_reviewed: {bad_date}")
    (problem,) = problems_for(mini_project)
    assert f"gamma-pain.yml:{line_of(path, bad_date)}  conditions.gamma-pain.review.last_reviewed" in problem
    assert "is not a real date" in problem and "YYYY-MM-DD" in problem


def test_a_review_due_before_it_was_reviewed_is_an_error(mini_project):
    edit(mini_project / "data/conditions/gamma-pain.yml", "next_review_due: 2027-02-01", "next_review_due: 2025-02-01")
    (problem,) = problems_for(mini_project)
    assert "next_review_due (2025-02-01) must be after last_reviewed (2026-02-01)" in problem


def test_a_dangling_condition_id_is_reported_with_a_suggestion(mini_project):
    path = mini_project / "data/procedures/beta-ablation.yml"
    edit(path, "condition: gamma-pain", "condition: gama-pain")
    (problem,) = problems_for(mini_project)
    assert f"beta-ablation.yml:{line_of(path, 'gama-pain')}  " in problem
    assert "no condition with id 'gama-pain'" in problem and "did you mean 'gamma-pain'" in problem


def test_a_dangling_reference_id_is_reported(mini_project):
    path = mini_project / "data/conditions/delta-pain.yml"
    edit(path, "  - ref-two", "  - ref-three")
    (problem,) = problems_for(mini_project)
    assert f"delta-pain.yml:{line_of(path, 'ref-three')}  conditions.delta-pain.references[1]" in problem


def test_a_duplicate_reference_id_is_reported_at_the_copy(mini_project):
    path = mini_project / "data/references/refs.yml"
    text = path.read_text()
    path.write_text(text + "\n- id: ref-one\n  title: Copy\n  published_in: X\n  year: 2020\n  url: https://example.org/x\n")
    (problem,) = problems_for(mini_project)
    assert "the reference id 'ref-one' is used twice" in problem
    assert problem.startswith(f"data/references/refs.yml:{len(text.splitlines()) + 2}  ")


def test_a_duplicate_key_is_a_syntax_problem_with_its_line(mini_project):
    path = mini_project / "data/procedures/alpha-block.yml"
    edit(path, "setting: Day clinic", "setting: Day clinic\nsetting: Hospital")
    (problem,) = problems_for(mini_project)
    assert f"alpha-block.yml:{line_of(path, 'setting: Hospital')}  YAML syntax error" in problem
    assert "written twice" in problem


def test_a_yaml_syntax_error_names_its_line(mini_project):
    path = mini_project / "data/conditions/gamma-pain.yml"
    edit(path, "summary: Gamma pain summary.", "summary: [unclosed")
    (problem,) = problems_for(mini_project)
    assert re.match(r"data/conditions/gamma-pain\.yml:\d+  YAML syntax error", problem)


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


def test_front_matter_mistakes_are_reported_with_their_line(mini_project):
    path = mini_project / "docs/index.md"
    edit(path, "description: Test home page.", "descripton: Test home page.")
    problems = problems_for(mini_project)
    assert any(p.startswith("docs/index.md:2  front matter.descripton: 'descripton' is not a known field")
               for p in problems), problems


def test_an_empty_data_file_is_reported(mini_project):
    (mini_project / "data/conditions/gamma-pain.yml").write_text("")
    problems = problems_for(mini_project)
    assert any(p.startswith("data/conditions/gamma-pain.yml:1  the file is empty") for p in problems), problems


def test_every_problem_is_reported_not_only_the_first(mini_project):
    edit(mini_project / "data/procedures/alpha-block.yml", "category: nerve-block", "category: nerve")
    edit(mini_project / "data/conditions/gamma-pain.yml", "body_regions: [back]", "body_regions: [bak]")
    edit(mini_project / "data/references/refs.yml", "year: 2021", "year: twenty")
    problems = problems_for(mini_project)
    assert len(problems) == 3
    assert [p.split(":")[0] for p in problems] == [
        "data/conditions/gamma-pain.yml", "data/procedures/alpha-block.yml", "data/references/refs.yml"]
