"""A mistake stops the build with a clear message, no traceback, and the old site intact."""

from __future__ import annotations

import pytest
from conftest import FIXTURE, build_site, copy_project


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("bad") / "project", FIXTURE)
    result = build_site(project)
    assert result.returncode == 0, result.output
    return project


def snapshot(site):
    return {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def project(built_project):
    """The built project; each test's edit is undone afterwards."""
    saved = {p: p.read_bytes() for p in (built_project / "data").rglob("*.yml")}
    saved |= {p: p.read_bytes() for p in (built_project / "docs").rglob("*.md")}
    before = snapshot(built_project / "site")
    yield built_project
    for path in [*(built_project / "data").rglob("*.yml"), *(built_project / "docs").rglob("*.md")]:
        if path not in saved:
            path.unlink()
    for path, content in saved.items():
        path.write_bytes(content)
    assert snapshot(built_project / "site") == before, "the previous site/ was changed by a failed build"


def append(path, text):
    path.write_text(path.read_text() + text)


CASES = {
    "broken data": (
        lambda p: (p / "data/procedures/alpha-block.yml").write_text(
            (p / "data/procedures/alpha-block.yml").read_text().replace("category: nerve-block", "category: nerv")),
        "data/procedures/alpha-block.yml:3  procedures.alpha-block.category: 'nerv' is not an allowed value",
    ),
    "unknown macro": (
        lambda p: append(p / "docs/procedures/beta-ablation.md", "\n{{ comparison_tabel() }}\n"),
        "docs/procedures/beta-ablation.md:20  'comparison_tabel' is undefined  Tip: check the spelling",
    ),
    "macro citing a reference the page does not list": (
        lambda p: append(p / "docs/conditions/gamma-pain.md", "\nClaim {{ cite('ref-nine') }}.\n"),
        "docs/conditions/gamma-pain.md:18  cite('ref-nine') names a reference this page does not list",
    ),
    "broken internal link": (
        lambda p: append(p / "docs/conditions/delta-pain.md", "\nSee [the missing page](missing-page.md).\n"),
        "contains a link 'missing-page.md', but the target 'conditions/missing-page.md' is not found",
    ),
    "a page too long for its two-sided leaflet": (
        lambda p: append(p / "docs/procedures/alpha-block.md",
                         "\n## Before\n\n" + "- Bring a list of every medicine you take, with the doses.\n" * 150),
        "docs/procedures/alpha-block.md:20  its leaflet runs to",
    ),
    "broken anchor": (
        lambda p: append(p / "docs/conditions/delta-pain.md", "\nSee [risks](gamma-pain.md#no-such-section).\n"),
        "does not contain an anchor '#no-such-section'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_mistake_fails_the_build_clearly_and_keeps_the_old_site(project, case):
    make_mistake, expected = CASES[case]
    make_mistake(project)
    result = build_site(project)
    assert result.returncode != 0
    assert expected in result.output, result.output
    assert "Traceback" not in result.output, result.output
    assert "was left as it was" in result.output
