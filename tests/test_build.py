"""The real handbook builds strictly, and a fact edited in the data appears everywhere it is shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import FIXTURE, ROOT, copy_project, mkdocs_build
from macros.data import load_handbook


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_the_real_handbook_builds_with_every_page_and_the_offline_zip(built_real):
    handbook = load_handbook(ROOT)
    for kind in ("procedures", "conditions"):
        for entry_id in getattr(handbook, kind):
            page = built_real / kind / entry_id / "index.html"
            assert page.exists(), page
    assert (built_real / "downloads" / "ipm-handbook-offline.zip").stat().st_size > 100_000


def test_no_page_shows_a_macro_error_or_unrendered_macro(built_real):
    for page in html_pages(built_real):
        html = page.read_text()
        assert "{{" not in html.split("<article", 1)[-1].split("</article>")[0], page
        assert "Macro Rendering Error" not in html and "Traceback" not in html, page


def test_every_page_has_the_disclaimer_and_content_pages_their_review_record(built_real):
    for page in html_pages(built_real):
        if page.name == "404.html":
            continue
        html = page.read_text()
        assert "not medical advice" in html and "local emergency number" in html, page
        assert 'class="review-record"' in html and "Next review due" in html, page


def test_generated_tables_are_accessible_html(built_real):
    html = (built_real / "compare" / "index.html").read_text()
    tables = re.findall(r"<table[^>]*>.*?</table>", html, re.S)
    assert tables
    for table in tables:
        assert re.match(r"<table( data-sortable)?>", table), table[:80]
        assert "<caption>" in table and 'scope="col"' in table and 'scope="row"' in table


def test_a_value_edited_in_the_data_shows_up_in_every_table_that_lists_it(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    path = project / "data/procedures/alpha-block.yml"
    path.write_text(path.read_text().replace("imaging: Fluoroscopy", "imaging: Ultrasound & X-ray <guided>"))
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.output
    shown = "Ultrasound &amp; X-ray &lt;guided&gt;"
    card = (project / "site/procedures/alpha-block/index.html").read_text()
    home = (project / "site/index.html").read_text()  # holds the comparison table
    assert card.count(shown) == 1
    assert home.count(shown) == 1
    assert "Fluoroscopy</td>" not in card


def test_a_role_edited_in_a_procedure_changes_the_condition_page_and_the_matrix(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    path = project / "data/procedures/beta-ablation.yml"
    path.write_text(path.read_text().replace("role: second-line", "role: selected-cases"))
    assert mkdocs_build(project, project / "site").returncode == 0
    condition = (project / "site/conditions/gamma-pain/index.html").read_text()
    matrix = (project / "site/index.html").read_text()
    for html in (condition, matrix):
        row = re.search(r'<tr[^>]*><th scope="row"><a href="[^"]*gamma-pain/">Gamma pain</a></th>.*?</tr>|'
                        r'<tr><th scope="row"><a href="[^"]*beta-ablation/">Beta ablation</a></th>.*?</tr>', html)
        assert row and "Selected cases" in row.group(0), html


def test_no_built_file_loads_anything_from_another_host(built_real, offline_bundle):
    offline = offline_bundle
    external = re.compile(r"""(?:src|href|srcset|poster|data)\s*=\s*["']?(?:https?:)?//""", re.I)
    for site in (built_real, offline):
        for path in [*site.rglob("*.html"), *site.rglob("*.css"), *site.rglob("*.js")]:
            text = path.read_text(errors="replace")
            if path.suffix == ".html":
                # Links a reader may follow (<a href>) are fine; resources are not.
                text = re.sub(r"<a\s[^>]*>", "", text)
                text = re.sub(r'<link rel="(?:canonical|alternate|sitemap)"[^>]*>', "", text)
            assert not external.search(text), f"{path}: {external.search(text).group(0)}"
            if path.suffix == ".css":
                assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), path
            if path.suffix == ".html":
                assert "fonts.googleapis" not in text and "unpkg.com" not in text, path


def test_pages_offer_edit_this_page_when_the_repository_is_known(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    env = {"REPO_URL": "https://github.com/example-org/handbook", "EDIT_URI": "edit/main/docs/"}
    result = mkdocs_build(project, project / "site", env=env)
    assert result.returncode == 0, result.output
    html = (project / "site/procedures/alpha-block/index.html").read_text()
    assert 'href="https://github.com/example-org/handbook/edit/main/docs/procedures/alpha-block.md"' in html


def test_the_online_build_has_search_dark_mode_and_no_web_fonts(built_real):
    html = (built_real / "index.html").read_text()
    assert 'data-md-component="search"' in html
    assert 'data-md-color-scheme="slate"' in html  # the dark-mode toggle
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    assert (built_real / "search" / "search_index.json").exists()


def test_search_finds_the_pages_that_explain_a_topic_not_reference_lists_or_repeated_tables(built_real):
    handbook = load_handbook(ROOT)
    index = json.loads((built_real / "search" / "search_index.json").read_text())["docs"]
    text = {entry["location"]: entry["text"] for entry in index}
    everything = "\n".join(text.values())
    # Reference lists are on the pages but not in the index (a list item reads "DOI: 10....").
    for reference in handbook.references.values():
        if reference.doi:
            assert f"DOI: {reference.doi}" not in everything, reference.id
    # The comparison tables and the matrix repeat what each entry's page says: left out.
    assert "compared with conservative care" not in everything
    assert "Which procedures are used for which conditions" not in everything
    # What each page itself explains stays searchable, its at-a-glance card included.
    for kind, entries in (("procedures", handbook.procedures), ("conditions", handbook.conditions)):
        for entry_id, entry in entries.items():
            assert entry.summary.split(".")[0] in text[f"{kind}/{entry_id}/"], entry_id
    assert any(location.startswith("procedures/epidural-steroid-injection/#")
               and "interlaminar" in body.lower() for location, body in text.items())
