"""Every built page passes axe-core in Chromium, and the keyboard reaches everything visibly."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def server(built_real):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_real))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def page_urls(site):
    for path in sorted(site.rglob("index.html")):
        if "assets" in path.parts:
            continue
        yield "/" + path.parent.relative_to(site).as_posix().removeprefix(".") + ("/" if path.parent != site else "")


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    # resultTypes: only violations are collected in full, which makes axe several times faster.
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", AXE_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), e.g. "
            f"{v['nodes'][0]['target']}" for v in result["violations"]]


DARK_MODE_SAMPLE = ["/", "/procedures/", "/procedures/epidural-steroid-injection/", "/conditions/sciatica/",
                    "/compare/", "/compare/conditions-and-procedures/", "/about/glossary/"]


VIEWPORTS = {
    # Tall enough that the sidebar is not cut off: axe counts a link half-hidden at the
    # bottom of a scrolled sidebar as a too-small touch target.
    "desktop": {"width": 1280, "height": 2400},
    # Most readers: a phone (the layout changes below 600 pixels: cards as lists, the matrix as a list).
    "phone": {"width": 390, "height": 844},
}


@pytest.mark.parametrize("scheme,viewport", [("light", "desktop"), ("light", "phone"), ("dark", "desktop"),
                                             ("dark", "phone")])
def test_every_page_has_no_axe_violations(built_real, server, browser, scheme, viewport):
    """Every page in light mode, at desktop and phone width; a sample of each kind of page in dark mode."""
    # bypass_csp: axe-core is added as an inline script, which the pages' Content-Security-Policy refuses.
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORTS[viewport], bypass_csp=True)
    # No page may load anything from another host: record every request while we are here.
    elsewhere = []
    context.on("request", lambda r: elsewhere.append(r.url)
               if r.url.startswith(("http:", "https:", "//")) and not r.url.startswith(server) else None)
    page = context.new_page()
    problems = []
    for url in (page_urls(built_real) if scheme == "light" else DARK_MODE_SAMPLE):
        page.goto(server + url.replace("//", "/"))
        problems += [f"{url}: {v}" for v in axe_violations(page)]
    context.close()
    assert not problems, "\n".join(problems)
    assert elsewhere == [], f"requests to other hosts: {elsewhere[:10]}"


# Every control a reader could use on a page, to compare with what the Tab key reaches.
INTERACTIVE = "a[href], button, input, select, textarea, summary, [tabindex]"


def test_every_interactive_element_is_reachable_and_visibly_focused(server, browser):
    page = browser.new_page()
    for url in ["/", "/procedures/epidural-steroid-injection/", "/compare/", "/compare/conditions-and-procedures/"]:
        page.goto(server + url)
        unfocusable = []
        for _ in range(2000):
            page.keyboard.press("Tab")
            state = page.evaluate("""() => {
                let el = document.activeElement;
                if (!el || el === document.body) return null;
                el.dataset.keyboardReached = "yes";
                // A visually hidden radio (colour-scheme toggle) shows its focus on its label.
                if (el.matches('input.md-option') && el.nextElementSibling) el = el.nextElementSibling;
                const style = getComputedStyle(el);
                const rect = el.getBoundingClientRect();
                const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                const shadow = style.boxShadow && style.boxShadow !== 'none';
                return {visible: rect.width > 0 && rect.height > 0, indicated: outlined || shadow,
                        id: el.outerHTML.slice(0, 80)};
            }""")
            if state is None:
                break
            if not (state["visible"] and state["indicated"]):
                unfocusable.append(f"{url}: {state['id']}")
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
