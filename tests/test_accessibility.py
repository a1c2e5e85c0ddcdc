"""Every built page passes axe-core in Chromium, and the keyboard reaches everything visibly."""

from __future__ import annotations

import pytest

from conftest import visit_pages

pytestmark = pytest.mark.browser

DARK_MODE_SAMPLE = ["", "procedures/", "procedures/epidural-steroid-injection/", "conditions/sciatica/",
                    "compare/", "compare/conditions-and-procedures/", "about/glossary/"]


def violations(visits: dict) -> list[str]:
    return [f"/{url}: {finding}" for url, found in visits["pages"].items() for finding in found["axe"]]


# Each screen size is one group, so one worker visits its pages once for every test that reads them.
@pytest.mark.xdist_group("desktop")
def test_every_page_has_no_axe_violations_on_a_desktop(desktop_visits):
    assert len(desktop_visits["pages"]) >= 60
    assert not violations(desktop_visits), "\n".join(violations(desktop_visits))
    # No page may load anything from another host: every request was recorded while we were there.
    assert desktop_visits["elsewhere"] == [], f"requests to other hosts: {desktop_visits['elsewhere'][:10]}"


@pytest.mark.xdist_group("phone")
def test_every_page_has_no_axe_violations_on_a_phone(phone_visits):
    assert len(phone_visits["pages"]) >= 60
    assert not violations(phone_visits), "\n".join(violations(phone_visits))
    assert phone_visits["elsewhere"] == [], f"requests to other hosts: {phone_visits['elsewhere'][:10]}"


def test_a_sample_of_each_kind_of_page_has_no_axe_violations_in_dark_mode(browser, site_server):
    """Dark mode changes colours only (the same templates, the same layout): a sample of each kind of page."""
    dark = visit_pages(browser, site_server, DARK_MODE_SAMPLE, "desktop", scheme="dark")
    assert {visit["scheme"] for visit in dark["pages"].values()} == {"slate"}  # the pages did follow the reader
    assert not violations(dark), "\n".join(violations(dark))


# Every control a reader could use on a page, to compare with what the Tab key reaches.
INTERACTIVE = "a[href], button, input, select, textarea, summary, [tabindex]"


# Run in the page before the first Tab: each element the keyboard reaches is marked and its focus
# indicator measured, so the test presses Tab without a round trip to the page after every key.
RECORD_FOCUS = """selector => {
    window.focusRecords = [];
    let first = null, wrapped = false;
    document.addEventListener('focusin', () => {
        let el = document.activeElement;
        if (!el || el === document.body || wrapped) return;
        // Once the first control comes round again, the page has been passed through: stop
        // (what follows may be measured while the browser, not the page, has the focus).
        if (el === first) { wrapped = true; return; }
        first = first || el;
        el.dataset.keyboardReached = "yes";
        // A visually hidden radio (colour-scheme toggle) shows its focus on its label.
        if (el.matches('input.md-option') && el.nextElementSibling) el = el.nextElementSibling;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        const shadow = style.boxShadow && style.boxShadow !== 'none';
        window.focusRecords.push({visible: rect.width > 0 && rect.height > 0, indicated: outlined || shadow,
                                  id: el.outerHTML.slice(0, 80)});
    });
    return document.querySelectorAll(selector).length;
}"""


def test_every_interactive_element_is_reachable_and_visibly_focused(site_server, browser):
    page = browser.new_page()
    for url in ["", "procedures/epidural-steroid-injection/", "compare/", "compare/conditions-and-procedures/"]:
        page.goto(site_server + url)
        # Enough presses to pass every control once (focus then leaves the page or wraps round).
        for _ in range(page.evaluate(RECORD_FOCUS, INTERACTIVE) + 5):
            page.keyboard.press("Tab")
        records = page.evaluate("() => window.focusRecords")
        unfocusable = [f"{url}: {state['id']}" for state in records if not (state["visible"] and state["indicated"])]
        assert not unfocusable, "focus not visible on:\n" + "\n".join(sorted(set(unfocusable))[:30])
        # Every control shown on the page was reached. Radios in a group are one stop (arrows move
        # within it); what a closed block (such as "For clinicians") holds is reached once it is opened.
        missed = page.evaluate("""selector => [...document.querySelectorAll(selector)].filter(el => {
            const closed = el.parentElement && el.parentElement.closest('details:not([open])');
            return !el.dataset.keyboardReached && el.getAttribute('tabindex') !== '-1' && !el.disabled
                && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
                && !(closed && !closed.querySelector(':scope > summary').contains(el))
                && !(el.type === 'radio' && el.name
                     && document.querySelector(`input[name="${el.name}"][data-keyboard-reached]`));
        }).map(el => el.outerHTML.slice(0, 100))""", INTERACTIVE)
        assert not missed, f"{url}: the keyboard does not reach:\n" + "\n".join(missed[:30])
        assert page.evaluate("() => document.querySelectorAll('[data-keyboard-reached]').length") > 20, url
    page.close()
