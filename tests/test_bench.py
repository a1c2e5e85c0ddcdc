"""`make bench` measures what it says: a scaled copy is a valid, bigger handbook, and the
profile it reads gives our layer's share of a real build."""

from __future__ import annotations

from conftest import FIXTURE, ROOT, copy_project
from macros.data import load_handbook
from tools import bench


def test_a_scaled_handbook_has_that_many_valid_entries_pages_and_navigation_lines(tmp_path):
    project = bench.copy_project(tmp_path / "x3")
    bench.scale_project(project, 3)
    original, scaled = load_handbook(ROOT), load_handbook(project)
    assert len(scaled.procedures) == 3 * len(original.procedures)
    assert len(scaled.conditions) == 3 * len(original.conditions)
    nav = (project / "mkdocs.yml").read_text()
    for kind, entries in (("procedures", scaled.procedures), ("conditions", scaled.conditions)):
        for entry_id in entries:
            assert f"- {kind}/{entry_id}.md\n" in nav, entry_id
    # Copies link to copies, so every condition table grows with the handbook.
    copy = scaled.procedures["epidural-steroid-injection-copy-2"]
    assert all(link.condition.endswith("-copy-2") for link in copy.conditions)


def test_the_profile_gives_our_layer_a_real_share_of_the_build(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    total, ours, jinja = bench.profiled_share(project, ["-m", "mkdocs", "build", "-q", "-d", "profile-site"])
    assert total > 0.5
    assert 0.005 < ours < 0.5 and 0 <= jinja < ours
    assert (project / "profile-site" / "index.html").is_file()
