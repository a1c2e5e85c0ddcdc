"""Readers' own words find the page: everyday searches typed into the site's search box in Chromium,
online and in the offline download, with the right page in the first three results."""

from __future__ import annotations

import re

import pytest
from ruamel.yaml import YAML

from conftest import ROOT

pytestmark = pytest.mark.browser

QUERIES = YAML(typ="safe").load((ROOT / "tests" / "search_queries.yml").read_text())
TARGET = 0.9
"""At least nine in ten everyday searches find their page in the first three results."""


def test_the_query_set_is_varied_and_points_at_real_pages():
    assert len(QUERIES) >= 40
    assert len({q["query"] for q in QUERIES}) == len(QUERIES)
    assert sum(1 for q in QUERIES if len(q["query"].split()) >= 4) >= 5  # questions and phrases
    for item in QUERIES:
        for page in item["pages"]:
            assert (ROOT / "docs" / f"{page.rstrip('/')}.md").exists(), page


RESULTS = """() => [...document.querySelectorAll('.md-search-result__list > li')]
    .map(li => li.querySelector('a') && li.querySelector('a').href)"""


def page_path(href: str, base: str) -> str:
    """'procedures/x/' for a result link, online (directory addresses) or offline (x.html)."""
    path = re.split(r"[?#]", href.removeprefix(base))[0]
    path = re.sub(r"(^|/)index\.html$", r"\1", path)
    return re.sub(r"\.html$", "/", path)


def search(page, query: str, base: str) -> list[str]:
    """The result pages for `query`, typed into Material's search box as a reader would."""
    box = page.locator("input.md-search__input")
    box.fill("")
    page.keyboard.press("End")  # Material searches on key events
    page.wait_for_function("() => !document.querySelector('.md-search-result__list > li')")
    box.fill(query)
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('.md-search-result__list > li')", timeout=15_000)
    # The box went from empty to the whole query in one step, so the first results are the query's.
    # Should the worker answer again (the End key), the results must settle: two reads 30 ms apart agree.
    reads = [page.evaluate(RESULTS)]
    for _ in range(100):
        page.wait_for_timeout(30)
        reads.append(page.evaluate(RESULTS))
        if reads[-1] == reads[-2]:
            break
    return [page_path(href, base) for href in reads[-1] or []]


def hit_rate(page, base: str) -> tuple[float, list[str]]:
    page.locator("label.md-header__button[for=__search]").first.click()
    misses = []
    for item in QUERIES:
        top = search(page, item["query"], base)[:3]
        if not set(top) & set(item["pages"]):
            misses.append(f"{item['query']!r}: wanted {item['pages']}, got {top}")
    return 1 - len(misses) / len(QUERIES), misses


def report(kind: str, rate: float, misses: list[str]) -> None:
    reports = ROOT / "build" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    text = f"{kind}: {rate:.0%} of {len(QUERIES)} everyday searches find their page in the top 3\n"
    (reports / f"search-{kind}.txt").write_text(text + "".join(f"  miss {m}\n" for m in misses))
    print(text)


def test_everyday_words_find_their_page_online(site_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_server)
    rate, misses = hit_rate(page, site_server)
    context.close()
    report("online", rate, misses)
    assert rate >= TARGET, "\n".join(misses)


def test_everyday_words_find_their_page_offline(offline_bundle, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    remote = []
    context.on("request", lambda r: remote.append(r.url) if r.url.startswith(("http:", "https:")) else None)
    page = context.new_page()
    page.goto((offline_bundle / "index.html").as_uri())
    rate, misses = hit_rate(page, offline_bundle.as_uri() + "/")
    context.close()
    report("offline", rate, misses)
    assert rate >= TARGET, "\n".join(misses)
    assert remote == []


def test_a_common_word_does_not_drown_a_rare_one(site_server, browser):
    """'pain pump': the pain-pump page first, not the sixty pages that say 'pain'."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_server)
    page.locator("label.md-header__button[for=__search]").first.click()
    assert search(page, "pain pump", site_server)[0] == "procedures/intrathecal-drug-delivery/"
    assert search(page, "shingles pain", site_server)[0] == "conditions/post-herpetic-neuralgia/"
    context.close()


def test_the_index_is_fetched_when_the_reader_opens_search_not_as_a_page_loads(site_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    fetched = []
    context.on("request", lambda r: fetched.append(r.url) if "search_index" in r.url else None)
    page = context.new_page()
    page.goto(site_server + "procedures/")
    page.wait_for_load_state("networkidle")
    assert fetched == []
    with page.expect_request(lambda r: "search_index" in r.url, timeout=15_000):
        page.locator("label.md-header__button[for=__search]").first.click()
    page.locator("input.md-search__input").fill("epidural")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert len(fetched) == 1  # once, however much the reader then types
    context.close()
