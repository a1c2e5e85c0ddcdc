"""The handbook also builds under ProperDocs, the maintained fork of MkDocs."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import FIXTURE, copy_project, mkdocs_build, run

PROPERDOCS = str(Path(sys.executable).parent / "properdocs")


def test_properdocs_builds_the_same_pages_strictly(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    assert mkdocs_build(project, project / "mkdocs-site").returncode == 0
    result = run([PROPERDOCS, "build", "--strict", "-f", "mkdocs.yml", "-d", str(project / "properdocs-site")],
                 cwd=project)
    assert result.returncode == 0, result.output
    pages = lambda site: sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))  # noqa: E731
    assert pages(project / "properdocs-site") == pages(project / "mkdocs-site")
    html = (project / "properdocs-site/procedures/alpha-block/index.html").read_text()
    assert "<caption>At a glance: Alpha block</caption>" in html and "Review record" in html


def test_properdocs_reports_data_problems_the_same_way(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    path = project / "data/procedures/alpha-block.yml"
    path.write_text(path.read_text().replace("category: nerve-block", "category: nerv"))
    result = run([PROPERDOCS, "build", "--strict", "-f", "mkdocs.yml"], cwd=project)
    assert result.returncode != 0
    assert "data/procedures/alpha-block.yml:3  procedures.alpha-block.category" in result.output
    assert "Traceback" not in result.output
