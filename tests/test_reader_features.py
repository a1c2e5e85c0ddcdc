"""What readers use beyond reading: the offline copy page by page, comparisons, filters, metadata."""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURE, ROOT, copy_project, mkdocs_build
from macros.data import load_handbook

HANDBOOK = load_handbook(ROOT)


def test_every_offline_page_has_its_title_its_images_and_its_card(offline_bundle):
    """Read from the files: every page of the unzipped download, with every image it shows."""
    # 404.html is only ever served by a web server, for a missing address; it is not a page to open.
    pages = sorted(p for p in offline_bundle.rglob("*.html") if "assets" not in p.parts and p.name != "404.html")
    assert len(pages) >= len(HANDBOOK.procedures) + len(HANDBOOK.conditions) + 10
    for path in pages:
        text = path.read_text(encoding="utf-8")
        article = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S).group(1)
        assert len(re.findall(r"<h1\b", article)) == 1, path
        for source in re.findall(r'<img [^>]*src="([^"]+)"', text):
            assert (path.parent / source).resolve().is_file(), f"{path}: {source}"
        rel = path.relative_to(offline_bundle).as_posix()
        if rel.startswith(("procedures/", "conditions/")) and not rel.endswith("index.html"):
            assert "<caption>At a glance" in article, path


OFFLINE_SAMPLE = ["index.html", "learn/safety.html", "procedures/index.html", "procedures/cryoneurolysis.html",
                  "conditions/sciatica.html", "compare/index.html", "compare/conditions-and-procedures.html",
                  "about/glossary.html", "about/downloads.html"]


@pytest.mark.browser
def test_offline_pages_of_each_kind_open_with_their_images_and_no_network(offline_bundle, browser):
    context = browser.new_context()
    remote, failed = [], []
    context.on("request", lambda r: remote.append(r.url) if r.url.startswith(("http:", "https:")) else None)
    # A missing file fails with net::ERR_FILE_NOT_FOUND; ERR_ABORTED is only a load (the favicon, say)
    # cut short by going on to the next page.
    context.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}") if r.failure != "net::ERR_ABORTED"
               else None)
    page = context.new_page()
    for name in OFFLINE_SAMPLE:
        page.goto((offline_bundle / name).as_uri())
        assert page.locator("article h1").count() == 1, name
        broken = page.evaluate("() => [...document.images].filter(i => !i.complete || !i.naturalWidth).length")
        assert broken == 0, name
    context.close()
    assert remote == [] and failed == []


@pytest.fixture
def compare_page(browser, built_real):
    page = browser.new_page()
    page.goto((built_real / "compare" / "index.html").as_uri())
    yield page
    page.close()


@pytest.mark.browser
def test_a_reader_can_compare_chosen_procedures_with_the_keyboard(compare_page):
    page = compare_page
    boxes = page.locator(".comparison-picker input[name=compare]")
    for index in range(2):
        boxes.nth(index).focus()
        page.keyboard.press("Space")
    table = page.locator(".comparison-picker__result table")
    headers = table.locator("thead th").all_inner_texts()
    assert len(headers) == 4 and headers[1] == HANDBOOK.conservative_care.name
    chosen = list(HANDBOOK.procedures.values())[:2]
    assert [h.strip() for h in headers[2:]] == [f"{p.name} ({p.short_name})" if p.short_name else p.name
                                                for p in chosen]
    rows = table.locator("tbody tr").count()
    assert rows == page.locator("#all-procedures tbody tr").count()
    for index in range(2, 4):
        boxes.nth(index).focus()
        page.keyboard.press("Space")
    assert boxes.nth(4).is_disabled()  # four at most


@pytest.mark.browser
def test_a_reader_can_start_from_a_condition(compare_page):
    condition_id = max(HANDBOOK.conditions, key=lambda c: len(HANDBOOK.links_for_condition(c)))
    compare_page.select_option("#compare-condition", condition_id)
    headers = compare_page.locator(".comparison-picker__result thead th").all_inner_texts()
    expected = {HANDBOOK.procedures[pid].name for pid, _ in HANDBOOK.links_for_condition(condition_id)}
    assert len(headers) - 2 == min(4, len(expected))
    assert all(any(h.startswith(name) for name in expected) for h in headers[2:])


@pytest.mark.browser
def test_without_javascript_the_plain_tables_remain(browser, built_real):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((built_real / "compare" / "index.html").as_uri())
    assert page.locator(".comparison-picker select").is_disabled()
    assert all(box.is_disabled() for box in page.locator(".comparison-picker input").all())
    assert "needs JavaScript" in page.locator(".comparison-picker__hint").inner_text()
    assert page.locator("#all-procedures table").is_visible()
    context.close()


@pytest.mark.browser
def test_the_matrix_filters_by_body_region(browser, built_real):
    page = browser.new_page()
    page.goto((built_real / "compare" / "conditions-and-procedures" / "index.html").as_uri())
    page.select_option("#region-filter", "head-and-face")
    visible = [row for row in page.locator("#condition-matrix tbody tr").all() if row.is_visible()]
    expected = {c.name for c in HANDBOOK.conditions.values() if "head-and-face" in c.body_regions}
    assert {row.locator("th").inner_text() for row in visible} == expected
    page.close()


@pytest.mark.browser
def test_the_matrix_shows_a_dash_where_a_procedure_is_not_used(browser, built_real):
    page = browser.new_page()
    page.goto((built_real / "compare" / "conditions-and-procedures" / "index.html").as_uri())
    empty = page.locator("#condition-matrix tbody td:empty")
    assert empty.count() > 0
    shown = empty.first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "–" in shown
    # Sorting by a procedure's column groups the conditions it is used for by role, the
    # empty cells (not used) together at one end.
    header = page.locator("#condition-matrix thead th").nth(1)
    column = "[...document.querySelectorAll('#condition-matrix tbody tr')].map(r => +(r.cells[1].dataset.sort || 0))"
    for _ in range(2):
        header.press("Enter")
        ranks = page.evaluate(column)
        assert ranks in (sorted(ranks), sorted(ranks, reverse=True)), ranks
        assert 0 in ranks and max(ranks) > 0
    page.close()


def structured(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_pages_describe_themselves_with_schema_org_data(built_real):
    for kind, entries, about in (("procedures", HANDBOOK.procedures, "MedicalProcedure"),
                                 ("conditions", HANDBOOK.conditions, "MedicalCondition")):
        for entry_id, entry in entries.items():
            html = (built_real / kind / entry_id / "index.html").read_text()
            data = structured(html)
            assert data["@type"] == "MedicalWebPage" and data["about"]["@type"] == about
            assert data["about"]["name"] == entry.name
            assert data["lastReviewed"] == entry.review.last_reviewed.isoformat()
            assert '<meta name="description" content="' in html
    assert structured((built_real / "index.html").read_text())["@type"] == "MedicalWebPage"


def test_the_404_page_points_somewhere_useful(built_real):
    html = (built_real / "404.html").read_text()
    assert "Page not found" in html and "procedures/" in html and "conditions/" in html


def test_the_sitemap_lists_every_page_when_the_site_address_is_known(tmp_path):
    project = copy_project(tmp_path / "project", FIXTURE)
    result = mkdocs_build(project, project / "site", env={"SITE_URL": "https://handbook.example.org/"})
    assert result.returncode == 0, result.output
    sitemap = (project / "site" / "sitemap.xml").read_text()
    assert "<loc>https://handbook.example.org/procedures/alpha-block/</loc>" in sitemap


def test_the_data_is_published_as_json_with_its_schema(built_real):
    data = json.loads((built_real / "data" / "handbook.json").read_text())
    assert set(data["procedures"]) == set(HANDBOOK.procedures)
    schema = json.loads((built_real / "data" / "schema" / "procedure.schema.json").read_text())
    assert set(schema["required"]) <= set(next(iter(data["procedures"].values())))
