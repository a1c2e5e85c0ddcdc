"""`python -m macros lint`: what an editor and a pull request see."""

from __future__ import annotations

import sys

from conftest import run


def test_lint_passes_on_good_data(mini_project):
    result = run([sys.executable, "-m", "macros", "lint", "--project", str(mini_project)], cwd=mini_project)
    assert result.returncode == 0, result.output
    assert "Data OK: 2 procedures, 2 conditions" in result.output


def test_lint_reports_problems_and_github_annotations(mini_project):
    path = mini_project / "data/procedures/alpha-block.yml"
    path.write_text(path.read_text().replace("purpose: diagnostic-and-therapeutic", "purpose: curing"))
    result = run([sys.executable, "-m", "macros", "lint", "--project", str(mini_project), "--github"],
                 cwd=mini_project)
    assert result.returncode == 1
    assert "data/procedures/alpha-block.yml:4  procedures.alpha-block.purpose: 'curing' is not an allowed value" \
        in result.output
    assert "::error file=data/procedures/alpha-block.yml,line=4,title=Handbook data::" in result.output
    assert "Traceback" not in result.output
