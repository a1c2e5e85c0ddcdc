"""The CI and deploy workflows pass actionlint and zizmor with no findings."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import ROOT, run

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_actionlint_finds_nothing():
    result = run(["node", "tools/actionlint.mjs", *map(str, WORKFLOWS)], cwd=ROOT)
    assert result.returncode == 0, result.output
    assert "0 problem(s)" in result.output


def test_zizmor_finds_nothing():
    zizmor = Path(sys.executable).parent / "zizmor"
    result = run([str(zizmor), "--offline", "--no-progress", ".github/workflows"], cwd=ROOT)
    assert result.returncode == 0, result.output
    assert "No findings" in result.output


def test_every_action_is_pinned_to_a_full_commit_sha():
    for workflow in WORKFLOWS:
        for use in re.findall(r"uses:\s*(\S+)", workflow.read_text()):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use), f"{workflow.name}: {use}"


def test_checkouts_do_not_keep_credentials():
    for workflow in WORKFLOWS:
        text = workflow.read_text()
        assert text.count("actions/checkout@") == text.count("persist-credentials: false"), workflow.name
