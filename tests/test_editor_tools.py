"""What an editor uses: scaffolding, schema for their editor, annotations, the review report."""

from __future__ import annotations

import sys

import pytest

from conftest import FIXTURE, ROOT, copy_project, run
from macros.data.schema import FILES, SCHEMAS, schema_comment, schema_text


def scaffold(project, kind, name):
    return run([sys.executable, "-m", "tools.new_entry", kind, name, "--project", str(project)], cwd=project)


def test_new_procedure_creates_its_data_file_and_page_and_adds_it_to_the_nav(tmp_path):
    project = copy_project(tmp_path / "project")
    result = scaffold(project, "procedure", "Genicular nerve block")
    assert result.returncode == 0, result.output
    data = project / "data/procedures/genicular-nerve-block.yml"
    page = project / "docs/procedures/genicular-nerve-block.md"
    assert data.read_text().startswith("# yaml-language-server: $schema=../schema/procedure.schema.json")
    assert "name: Genicular nerve block" in data.read_text()
    assert "# Genicular nerve block" in page.read_text() and "{{ at_a_glance() }}" in page.read_text()
    assert "- procedures/genicular-nerve-block.md" in (project / "mkdocs.yml").read_text()
    # Until the TODOs are replaced, the check says exactly what is left to do.
    lint = run([sys.executable, "-m", "macros", "lint", "--project", str(project)], cwd=project)
    assert lint.returncode == 1
    assert "data/procedures/genicular-nerve-block.yml:" in lint.output and "not a valid id" in lint.output


def test_new_condition_refuses_to_overwrite(tmp_path):
    project = copy_project(tmp_path / "project")
    before = (project / "data/conditions/sciatica.yml").read_text()
    result = scaffold(project, "condition", "Sciatica")
    assert result.returncode != 0
    assert "already exists" in result.output and "Traceback" not in result.output
    assert (project / "data/conditions/sciatica.yml").read_text() == before


def test_the_committed_json_schemas_match_the_models():
    for name in SCHEMAS:
        path = ROOT / "data" / "schema" / f"{name}.schema.json"
        assert path.read_text() == schema_text(name), f"{path} is stale: run python -m macros schema"


def test_every_data_file_names_its_schema_for_editor_completion():
    data = ROOT / "data"
    for pattern in FILES.values():
        for path in data.glob(pattern):
            assert path.read_text().splitlines()[0] == schema_comment(data, path), path


def test_the_schema_rejects_an_unknown_field_as_the_build_does():
    schema = SCHEMAS["procedure"].json_schema()
    assert schema["additionalProperties"] is False
    assert "imaging" in schema["required"]


@pytest.fixture
def broken_project(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    page = project / "docs/conditions/delta-pain.md"
    page.write_text(page.read_text() + "\nSee [the missing page](missing.md).\n")
    return project


def test_page_problems_become_github_annotations_on_file_and_line(broken_project):
    result = run([sys.executable, "-m", "tools.build_site"], cwd=broken_project,
                 env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    lines = (broken_project / "docs/conditions/delta-pain.md").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if "missing.md" in text)
    assert f"::error file=docs/conditions/delta-pain.md,line={line},title=Handbook build::" in result.output


def test_data_problems_become_github_annotations(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    path = project / "data/conditions/gamma-pain.yml"
    path.write_text(path.read_text().replace("body_regions: [back]", "body_regions: [bak]"))
    result = run([sys.executable, "-m", "tools.build_site"], cwd=project, env={"GITHUB_ACTIONS": "true"})
    assert "::error file=data/conditions/gamma-pain.yml,line=2,title=Handbook build::" in result.output


def test_the_review_report_lists_pages_by_due_date_and_flags_overdue(mini_project):
    result = run([sys.executable, "-m", "macros", "review-report", "--project", str(mini_project),
                  "--today", "2027-01-20"], cwd=mini_project)
    assert result.returncode == 1
    rows = [line for line in result.output.splitlines() if line[:4].isdigit()]
    assert rows == sorted(rows)
    assert rows[0].startswith("2027-01-10   OVERDUE") and "data/procedures/" in rows[0]
    assert "2 overdue" in result.output


def test_contributing_lists_exactly_the_macros_pages_can_call():
    from macros.page_macros import MACROS, macro_table

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert macro_table() in guide, "CONTRIBUTING.md's macro table is out of date: paste `python -m macros macro-table`"
    assert len(MACROS) == len(set(MACROS)) >= 16


def test_every_kind_of_build_problem_is_read_back_with_its_file_and_line(tmp_path):
    from macros.problems import Problem
    from tools.build_site import output_problems

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("Intro\n\nSee [this](gone.md).\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n")
    output = "\n".join([
        "ERROR   -  docs/procedures/x.md:12  'cite' is undefined  Tip: check the spelling",
        "WARNING -  Doc file 'page.md' contains a link 'gone.md', but the target 'gone.md' is not found.",
        "Error: Config value 'theme': Unrecognised theme name: 'materail'.",
    ])
    assert output_problems(output, tmp_path) == [
        Problem("docs/procedures/x.md", 12, "", "'cite' is undefined", "check the spelling"),
        Problem("docs/page.md", 3, "", "the link 'gone.md', but the target 'gone.md' is not found",
                "correct the address, or the page it names"),
        Problem("mkdocs.yml", 2, "theme", "Unrecognised theme name: 'materail'.",
                "see the comments in mkdocs.yml and the MkDocs and Material documentation for this setting"),
    ]
    problem = Problem("data/x.yml", 4, "procedures.x.name", "'name' is missing", "add it")
    assert Problem.parse(str(problem)) == Problem("data/x.yml", 4, "", "procedures.x.name: 'name' is missing", "add it")


def test_a_setting_of_the_offline_build_is_blamed_on_the_file_that_writes_it(tmp_path):
    from tools.build_site import config_problems

    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n")
    (tmp_path / "mkdocs.offline.yml").write_text("INHERIT: mkdocs.yml\nplugins:\n  - offlline\n")
    output = ("ERROR   -  Config value 'plugins': The \"offlline\" plugin is not installed\n"
              "ERROR   -  Config value 'theme': Unrecognised theme name: 'materail'.")
    assert [(p.file, p.line, p.path) for p in config_problems(output, tmp_path, "mkdocs.offline.yml")] == [
        ("mkdocs.offline.yml", 3, "plugins"), ("mkdocs.yml", 2, "theme")]


def test_a_setting_is_found_by_whole_names_inside_its_own_block(tmp_path):
    """Not by a word of a comment, a type name in the message, or a longer name in another setting."""
    from tools.build_site import config_problems

    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Interventional handbook  # strict: see below\nstrict: true\ntheme:\n  features:\n"
        "    - toc.follow\nextra_css: x.css\nmarkdown_extensions:\n  - admonition\n  - toc:\n"
        "      permalink: true\nplugins:\n  - search:\n      lang: 12\n")
    output = "\n".join([
        "ERROR   -  Config value 'extra_css': Expected type: <class 'list'> but received: <class 'str'>",
        "ERROR   -  Config value 'markdown_extensions': Failed to load extension 'toc'.",
        "ERROR   -  Config value 'plugins': Plugin 'search' option 'lang': Expected type: <class 'int'>",
    ])
    assert [(p.line, p.path) for p in config_problems(output, tmp_path)] == [
        (6, "extra_css"), (9, "markdown_extensions"), (13, "plugins")]


def test_the_review_report_lists_references_never_checked_with_their_file(mini_project):
    refs = mini_project / "data/references/refs.yml"
    refs.write_text(refs.read_text().replace(
        "  doi: 10.1000/test.one\n", "  doi: 10.1000/test.one\n  checked: {date: 2026-01-05, read: abstract}\n"))
    result = run([sys.executable, "-m", "macros", "review-report", "--project", str(mini_project),
                  "--today", "2026-02-01"], cwd=mini_project)
    assert "References never checked (1 of 2)" in result.output, result.output
    listed = [line.split() for line in result.output.splitlines() if line.startswith("  data/references/")]
    assert listed == [["data/references/refs.yml:8", "ref-two"]]
    assert "1 references never checked." in result.output
