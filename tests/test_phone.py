"""Readers on phones: at 390 by 844 pixels no page scrolls sideways, each entry's summary has room,
the matrix reads as a picture with a legend (and as a list), and glossary terms open on tap."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from macros.data import load_handbook
from macros.render import ROLE_LABELS, ROLE_SYMBOLS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HANDBOOK = load_handbook(ROOT)
SCREENSHOTS = {"home": "", "procedure": "procedures/epidural-steroid-injection/",
               "condition": "conditions/sciatica/", "compare": "compare/",
               "matrix": "compare/conditions-and-procedures/"}


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.xdist_group("phone")
def test_no_page_is_wider_than_a_phone_and_every_summary_has_room(phone_visits):
    too_wide, cramped = [], []
    for url, visit in phone_visits["pages"].items():
        if visit["width"] > PHONE["width"]:
            too_wide.append(f"{url}: {visit['width']}px")
        kind = url.split("/")[0]
        if kind in ("procedures", "conditions") and url.count("/") == 2:
            box = visit["summary"]
            if box is None or box["width"] < 280 or box["y"] > PHONE["height"]:
                cramped.append(f"{url}: summary {box}")
    assert not too_wide, "pages scroll sideways:\n" + "\n".join(too_wide)
    assert not cramped, "\n".join(cramped)


def test_phone_screenshots_are_saved(site_server, phone):
    folder = ROOT / "build" / "reports" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for name, url in SCREENSHOTS.items():
        phone.goto(site_server + url)
        phone.screenshot(path=str(folder / f"phone-{name}.png"))
        assert (folder / f"phone-{name}.png").stat().st_size > 10_000


def test_the_matrix_has_a_legend_symbols_and_a_list_per_condition_on_phones(site_server, phone):
    phone.goto(site_server + SCREENSHOTS["matrix"])
    legend = phone.locator(".role-legend li")
    assert legend.count() == len(ROLE_LABELS)
    for role, label in ROLE_LABELS.items():
        assert phone.locator(f".role-legend .role--{role}").inner_text().strip() == f"{ROLE_SYMBOLS[role]} {label}"
    assert phone.locator("#condition-matrix .table-scroll").is_hidden()
    conditions = phone.locator(".matrix-list > li")
    assert conditions.count() == len(HANDBOOK.conditions) and conditions.first.is_visible()
    first_links = HANDBOOK.links_for_condition(next(iter(HANDBOOK.conditions)))
    assert conditions.first.locator(".role").count() == len(first_links)
    # The body-region filter narrows the list too.
    phone.select_option("#region-filter", "head-and-face")
    shown = phone.locator(".matrix-list > li:visible").count()
    expected = sum("head-and-face" in c.body_regions for c in HANDBOOK.conditions.values())
    assert shown == expected


def test_the_matrix_table_keeps_its_sticky_header_and_sorting_on_a_wide_screen(site_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_server + SCREENSHOTS["matrix"])
    region = page.locator("#condition-matrix .table-scroll")
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label") == "Which procedures are used for which conditions, and their role"
    header = "document.querySelector('#condition-matrix thead th')"
    assert page.evaluate(f"() => getComputedStyle({header}).position") == "sticky"
    region.evaluate("el => el.scrollTop = 400")
    header = page.locator("#condition-matrix thead th").first.bounding_box()
    assert header["y"] >= region.bounding_box()["y"] - 1  # still in view
    first_header = page.locator("#condition-matrix thead th").nth(1)
    first_header.focus()
    page.keyboard.press("Enter")
    assert first_header.get_attribute("aria-sort") in ("ascending", "descending")
    assert page.locator("#condition-matrix .matrix-list").is_hidden()
    page.close()


def test_glossary_terms_open_on_tap_and_by_keyboard(site_server, phone):
    phone.goto(site_server + "procedures/epidural-steroid-injection/")
    term = phone.locator("article .glossary-term").first
    definition = phone.locator("#" + term.get_attribute("aria-controls"))
    assert definition.is_hidden()
    term.tap()
    assert definition.is_visible() and term.get_attribute("aria-expanded") == "true"
    assert len(definition.inner_text()) > 20
    term.tap()
    assert definition.is_hidden()
    term.focus()
    phone.keyboard.press("Enter")
    assert definition.is_visible()
    phone.keyboard.press("Escape")
    assert definition.is_hidden()


def test_headings_are_never_wrapped_in_glossary_markup(built_real):
    for path in built_real.rglob("*.html"):
        for heading in re.findall(r"<h[1-6]\b.*?</h[1-6]>", path.read_text(), re.S):
            assert "<abbr" not in heading, f"{path}: {heading[:120]}"


def test_every_wide_table_is_a_labelled_focusable_region_in_the_html(built_real):
    html = (built_real / "compare" / "index.html").read_text()
    tables = re.findall(r"(<div[^>]*>)?\s*<table\b", html)
    assert tables
    for opening in tables:
        assert re.match(r'<div class="table-scroll" role="region" tabindex="0" aria-label="[^"]+">', opening), opening
