"""The offline download works from file:// in a real browser, with no network at all."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.network_requests = []
    context.on("request", lambda request: page.network_requests.append(request.url))
    yield page
    context.close()


def test_offline_bundle_opens_follows_links_and_searches_without_network(offline_bundle, page):
    page.goto((offline_bundle / "index.html").as_uri())
    assert "Interventional Pain Management Handbook" in page.title()

    page.get_by_role("link", name="Browse procedures").click()
    page.wait_for_url("**/procedures/index.html")
    assert page.locator("article h1").inner_text().rstrip("¶") == "Procedures"
    page.locator("article table a").first.click()
    page.wait_for_url("**/procedures/*.html")
    assert page.locator("article table caption").first.inner_text().startswith("At a glance:")

    page.locator("input.md-search__input").click()
    page.keyboard.type("epidural")  # Material searches on key events, as a reader types
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() > 0
    assert "epidural" in page.locator(".md-search-result").inner_text().lower()

    remote = [url for url in page.network_requests if url.startswith(("http:", "https:"))]
    assert remote == []


def test_sortable_tables_sort_by_keyboard(offline_bundle, page):
    page.goto((offline_bundle / "procedures" / "index.html").as_uri())
    header = page.locator("article table[data-sortable] thead th").first
    first_before = page.locator("article table[data-sortable] tbody tr th").first.inner_text()
    header.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") in ("ascending", "descending")
    names = page.locator("article table[data-sortable] tbody tr th").all_inner_texts()
    assert names == sorted(names, reverse=header.get_attribute("aria-sort") == "descending")
    assert first_before in names
