"""Hostile input: content changes must not run code or publish the build machine.

Each case is tested at the cheapest layer that proves it: data and front matter
in process against load_handbook (milliseconds), page HTML and macros with one
build of the small fixture project, and only the lock, the swap, the zip and the
PDF with the full tools/build_site.py.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import FIXTURE, WEB_ADDRESSES, pdf_link_addresses
from macros.data import DataError, load_handbook

GAMMA = "data/conditions/gamma-pain.yml"
ALPHA = "data/procedures/alpha-block.yml"
GLOSSARY = "data/glossary.yml"
HOME = "docs/index.md"
TODAY = date.today()


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the fixture's data/ and docs/ (enough for load_handbook)."""
    shutil.copytree(FIXTURE, tmp_path / "project")
    return tmp_path / "project"


def replace(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(project: Path, limit_seconds: float = 10.0) -> str:
    """The DataError load_handbook raises, as text; it must come quickly (an alias bomb once took minutes)."""
    start = time.perf_counter()
    with pytest.raises(DataError) as caught:
        load_handbook(project)
    assert time.perf_counter() - start < limit_seconds, "the check took too long"
    return str(caught.value)


# --------------------------------------------------------------------------
# Symbolic links: never followed, always reported
# --------------------------------------------------------------------------

@pytest.mark.parametrize("link, target", [
    ("docs/assets/x.txt", "/proc/self/environ"),
    ("docs/about.md", "/etc/passwd"),
    ("docs/config.txt", "../.git/config"),
    ("data/references/more.yml", "/etc/passwd"),
    ("data/conditions/epsilon-pain.yml", "gamma-pain.yml"),
    ("overrides/partials/footer.html", "/etc/hostname"),
    ("docs/private", "/root"),
])
def test_a_symbolic_link_is_reported_with_its_file(content, link, target):
    path = content / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    text = problems(content)
    assert f"{link}:1  this is a symbolic link" in text, text
    assert "Tip: replace the link by the real file" in text
    assert "root:" not in text and "PATH=" not in text


# --------------------------------------------------------------------------
# YAML: no anchors or aliases, bounded depth and size, bounded messages
# --------------------------------------------------------------------------

ALIAS_BOMB = "\n".join(
    ["a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
) + "\n"


def test_a_yaml_alias_bomb_fails_fast_with_file_and_line(content):
    assert len(ALIAS_BOMB) < 3_000
    (content / GAMMA).write_text(ALIAS_BOMB + (content / GAMMA).read_text())
    text = problems(content, limit_seconds=1.0)
    assert f"{GAMMA}:1  YAML anchors and aliases (&name, *name) are not used in handbook data" in text, text


def test_a_single_anchor_and_alias_are_refused_too(content):
    replace(content, GAMMA, "symptoms:\n  - Gamma pain symptom",
            "symptoms: &same\n  - Gamma pain symptom\nfirst_line_care_copy: *same")
    assert f"{GAMMA}:5  YAML anchors and aliases" in problems(content)


def test_an_alias_in_a_page_front_matter_is_refused(content):
    replace(content, HOME, "description: Test home page.", "description: &d Test home page.\ntitle: *d")
    assert "docs/index.md:2  YAML anchors and aliases" in problems(content)


def test_thousands_of_nested_brackets_are_one_clear_problem(content):
    replace(content, GAMMA, "summary: Gamma pain summary.", "summary: " + "[" * 3000 + "]" * 3000)
    text = problems(content)
    assert f"{GAMMA}:3  lists and groups are nested more than 12 deep here" in text, text
    assert len(text) < 2_000


def test_deep_block_nesting_is_refused(content):
    nested = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(40)) + "  " * 40 + "end: 1\n"
    (content / "data/care-approaches.yml").write_text(nested)
    assert "data/care-approaches.yml:12  lists and groups are nested more than 12 deep" in problems(content)


def test_an_oversized_data_file_is_refused_without_reading_it(content):
    (content / GLOSSARY).write_text("- term: x\n  definition: " + "y" * 1_100_000 + "\n")
    text = problems(content)
    assert f"{GLOSSARY}:1  the file is 1,100,025 bytes; at most 1,000,000 are allowed" in text, text


def test_no_message_repeats_a_huge_value(content):
    replace(content, GAMMA, "name: Gamma pain", "name: [" + ", ".join(["12345"] * 20_000) + "]")
    replace(content, ALPHA, "recovery: One day", "recovery: " + "9" * 50_000)
    text = problems(content)
    assert "gamma-pain.yml:1" in text and "alpha-block.yml:" in text, text
    assert max(len(line) for line in text.splitlines()) < 1_000, text[:3000]


# --------------------------------------------------------------------------
# Review dates, Unicode
# --------------------------------------------------------------------------

@pytest.mark.parametrize("last, due, message", [
    ((TODAY + timedelta(days=1)).isoformat(), (TODAY + timedelta(days=300)).isoformat(),
     f"last_reviewed ({(TODAY + timedelta(days=1)).isoformat()}) is in the future"),
    ("0001-01-01", "0002-01-01", "last_reviewed (0001-01-01) is before 2000"),
    ("2026-01-10", "9999-12-31", "next_review_due (9999-12-31) is more than three years after"),
    ("2026-01-10", "2029-01-12", "next_review_due (2029-01-12) is more than three years after"),
])
def test_an_implausible_review_date_is_refused(content, last, due, message):
    replace(content, ALPHA, "last_reviewed: 2026-01-10", f"last_reviewed: {last}")
    replace(content, ALPHA, "next_review_due: 2027-01-10", f"next_review_due: {due}")
    assert message in problems(content)


def test_a_review_exactly_three_years_ahead_is_fine(content):
    replace(content, ALPHA, "next_review_due: 2027-01-10", "next_review_due: 2029-01-10")
    load_handbook(content)


def test_a_page_review_in_the_future_is_refused(content):
    last, due = (TODAY + timedelta(days=30)).isoformat(), (TODAY + timedelta(days=395)).isoformat()
    replace(content, "docs/procedures/index.md", "last_reviewed: 2026-03-01", f"last_reviewed: {last}")
    replace(content, "docs/procedures/index.md", "next_review_due: 2027-03-01", f"next_review_due: {due}")
    assert f"docs/procedures/index.md:3  front matter.review: last_reviewed ({last}) is in the future" in (
        problems(content))


def test_the_same_term_in_nfc_and_nfd_is_one_term(content):
    nfc, nfd = "Caf\u00e9 block", "Cafe\u0301 block"
    with (content / GLOSSARY).open("a", encoding="utf-8") as handle:
        handle.write(f"- term: {nfc}\n  definition: One.\n- term: {nfd}\n  definition: Two.\n")
    assert f"data/glossary.yml:8  glossary[3]: '{nfc}' is already defined at line 6" in problems(content)


def test_text_is_stored_in_nfc(content):
    replace(content, GAMMA, "name: Gamma pain", "name: Gamma pe\u0301in")
    assert load_handbook(content).conditions["gamma-pain"].name == "Gamma p\u00e9in"


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2069"])
def test_a_bidi_control_in_data_is_refused(content, char):
    replace(content, GAMMA, "  - Gamma pain symptom", f"  - Gamma {char}niap symptom")
    text = problems(content)
    assert f"{GAMMA}:6  an invisible character that reorders text (U+{ord(char):04X})" in text, text


def test_a_bidi_control_in_a_page_body_is_refused(content):
    page = content / "docs/procedures/index.md"
    page.write_text(page.read_text() + "\nAccess level: \u202euser\u2066 admin\n")
    lines = page.read_text().splitlines()
    assert f"docs/procedures/index.md:{len(lines)}  an invisible character" in problems(content)


def test_a_bidi_control_in_front_matter_is_refused(content):
    replace(content, HOME, "description: Test home page.", "description: Test \u202ehome page.")
    assert "docs/index.md:2  an invisible character that reorders text (U+202E)" in problems(content)


def test_right_to_left_text_and_marks_are_fine(content):
    replace(content, GAMMA, "summary: Gamma pain summary.", "summary: \u0623\u0644\u0645 \u200fmixed\u200e text.")
    load_handbook(content)


# --------------------------------------------------------------------------
# Macros: only the handbook's own, with written-out arguments
# --------------------------------------------------------------------------

MACROS = {"cite", "at_a_glance", "comparison_table", "figure", "reference_list"}

SSTI = {
    "os through a global's function": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "config": "{{ config }}",
    "environment": "{{ environment }}",
    "self": "{{ self.__init__ }}",
    "lipsum globals": "{{ lipsum.__globals__ }}",
    "namespace": "{{ namespace.__init__.__globals__ }}",
    "class of a literal": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "item access on a literal": "{{ ''['__class__'] }}",
    "attr filter": "{{ ''|attr('__class__') }}",
    "filter after a macro": "{{ cite('a')|safe }}",
    "format filter": "{{ '%s'|format(1) }}",
    "test": "{{ 1 is divisibleby 1 }}",
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import 'mkdocs.yml' as m %}",
    "from import": "{% from 'x' import y %}",
    "extends": "{% extends '/etc/passwd' %}",
    "set": "{% set x = cycler %}",
    "if": "{% if true %}x{% endif %}",
    "for": "{% for x in range(9) %}x{% endfor %}",
    "macro definition": "{% macro m() %}x{% endmacro %}",
    "call block": "{% call cite('a') %}x{% endcall %}",
    "filter block": "{% filter upper %}x{% endfilter %}",
    "with": "{% with a = 1 %}x{% endwith %}",
    "arithmetic": "{{ 7*7 }}",
    "attribute of a macro": "{{ cite.__globals__ }}",
    "macro in an argument": "{{ cite(cite) }}",
    "attribute in an argument": "{{ cite(''.__class__) }}",
    "expression in an argument": "{{ comparison_table(caption='a' ~ 'b') }}",
    "star arguments": "{{ cite(*['a']) }}",
    "keyword star arguments": "{{ cite(**{'a': 1}) }}",
    "mkdocs-macros' own macro": "{{ macros_info() }}",
    "a variable from extra": "{{ extra.generator }}",
    "page object": "{{ page.file.abs_src_path }}",
}


@pytest.mark.parametrize("payload", SSTI.values(), ids=SSTI.keys())
def test_every_template_escape_is_refused_with_its_line(payload):
    import jinja2

    from macros.page_template import first_refused

    tree = jinja2.Environment().parse(f"Line one\n\nText {payload} more\n")
    refused = first_refused(tree, MACROS)
    assert refused is not None, payload
    line, message, tip = refused
    assert line == 3 and message and tip


@pytest.mark.parametrize("allowed", [
    '{{ cite("a", "b") }}', "{{ at_a_glance() }}", '{{ comparison_table(procedures=["x", "y"], caption="C") }}',
    '{{ figure("care-pathway", "A caption") }}', "{# a note #}", "{% raw %}{{ config }}{% endraw %}", "{{ 'text' }}",
    '{{- cite("a") -}}', "{{ comparison_table(procedures=none) }}",
])
def test_macro_calls_with_written_out_arguments_are_allowed(allowed):
    import jinja2

    from macros.page_template import first_refused

    assert first_refused(jinja2.Environment().parse(allowed), MACROS) is None


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> Path:
    """One runnable copy of the fixture project; tests restore what they change."""
    from conftest import copy_project

    return copy_project(tmp_path_factory.mktemp("hostile") / "project", FIXTURE)


@pytest.fixture
def page_edit(mini):
    """Append text to a page of `mini` (or change mkdocs.yml); undone afterwards."""
    saved: dict[Path, bytes] = {}

    def apply(file: str, text: str, old: str | None = None) -> Path:
        path = mini / file
        saved.setdefault(path, path.read_bytes())
        current = path.read_text(encoding="utf-8")
        path.write_text(current.replace(old, text, 1) if old else current + text, encoding="utf-8")
        return path

    yield apply
    for path, content in saved.items():
        path.write_bytes(content)


def build_mini(project: Path, site: Path):
    from conftest import mkdocs_build

    return mkdocs_build(project, site)


def test_a_command_in_a_page_never_runs_and_the_build_names_the_line(mini, page_edit, tmp_path):
    witness = tmp_path / "ran"
    page = page_edit("docs/procedures/alpha-block.md",
                     f"\nText {{{{ cycler.__init__.__globals__.os.popen('touch {witness}').read() }}}}\n")
    result = build_mini(mini, tmp_path / "site")
    assert result.returncode != 0
    line = len(page.read_text().splitlines())
    assert (f"docs/procedures/alpha-block.md:{line}  'cycler' is undefined  "
            "Tip: check the spelling; the macros a page can use are") in result.output
    assert "Traceback" not in result.output
    assert not witness.exists()


def test_mkdocs_macros_settings_that_would_render_more_are_refused(mini, page_edit, tmp_path):
    page_edit("mkdocs.yml", "render_by_default: true\n    include_dir: /etc", old="render_by_default: false")
    result = build_mini(mini, tmp_path / "site")
    assert result.returncode != 0
    assert "the macros plugin has settings that would let pages run more than the handbook's macros" in (
        result.output), result.output
    assert "render_by_default: True" in result.output and "include_dir: '/etc'" in result.output


# --------------------------------------------------------------------------
# HTML policy: pages and SVG figures
# --------------------------------------------------------------------------

REFUSED_HTML = {
    "script": ("<script>alert(1)</script>", "the HTML element <script> is not allowed"),
    "script in capitals": ("<SCRIPT SRC=x.js></SCRIPT>", "the HTML element <script> is not allowed"),
    "iframe": ('<iframe src="file:///etc/passwd"></iframe>', "the HTML element <iframe> is not allowed"),
    "object": ('<object data="x.swf"></object>', "<object> is not allowed"),
    "embed": ('<embed src="x.swf">', "<embed> is not allowed"),
    "style element": ("<style>body{}</style>", "<style> is not allowed"),
    "form": ('<form action="https://evil.example"><button>Go</button></form>', "<form> is not allowed"),
    "base": ('<base href="https://evil.example/">', "<base> is not allowed"),
    "meta refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "<meta> is not allowed"),
    "event handler": ('<p onclick="alert(1)">x</p>', "the event handler attribute onclick= on <p>"),
    "event handler in capitals": ('<img src="a.png" alt="" OnError="alert(1)">', "onerror= on <img>"),
    "javascript: link": ('<a href="javascript:alert(1)">x</a>', "the address 'javascript:alert(1)'"),
    "JavaScript with entities and tabs": ('<a href="Java&#x09;Scr&#105;pt:alert(1)">x</a>', "on <a> is not allowed"),
    "data: image": ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="">', "the address 'data:image"),
    "file: link": ('<a href="file:///etc/passwd">x</a>', "the address 'file:///etc/passwd'"),
    "vbscript": ('<a href=" vbscript:msgbox(1)">x</a>', "on <a> is not allowed"),
    "srcset": ('<img src="a.png" srcset="javascript:alert(1) 2x" alt="">', "on <img> is not allowed"),
    "image from another site": ('<img src="https://evil.example/pixel.png" alt="">', "is on another site"),
    "image from another site, no scheme": ('<img src="//evil.example/pixel.png" alt="">', "is on another site"),
    "style with url()": ('<span style="background:url(https://evil.example/t.png)">x</span>', "the style on <span>"),
    "style with url() written with CSS escapes": ('<span style="background:u\\72 l(https://e.example/t)">x</span>',
                                                "the style on <span>"),
    "an id of the theme": ('<div id="__config">{"search": "x"}</div>', 'id=\'__config\' on <div> belongs to the theme'),
    "a label for the theme's search": ('<label for="__search">x</label>', "belongs to the theme"),
    "a component of the theme": ('<div data-md-component="search">x</div>', "data-md-component="),
    "style with expression()": ('<span style="width: expression(alert(1))">x</span>', "the style on <span>"),
    "unknown attribute": ('<div formaction="x">y</div>', "the attribute formaction= on <div>"),
    "svg with onload": ('<svg onload="alert(1)"></svg>', "onload= on <svg>"),
    "svg script": ("<svg><script>alert(1)</script></svg>", "<script> is not allowed"),
    "svg foreignObject": ("<svg><foreignObject><p>x</p></foreignObject></svg>", "<foreignobject> is not allowed"),
    "svg use": ('<svg><use href="data:image/svg+xml,x"></use></svg>', "<use> is not allowed"),
    "svg link": ('<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>', "'javascript:alert(1)'"),
    "svg animate": ('<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', "<animate>"),
}


@pytest.mark.parametrize("snippet, message", REFUSED_HTML.values(), ids=REFUSED_HTML.keys())
def test_the_html_policy_refuses(snippet, message):
    from macros.html_policy import check_page_html

    offences = check_page_html(f"<p>Before</p>\n{snippet}\n<p>After</p>")
    assert any(message in offence.message for offence in offences), (snippet, offences)
    assert all(offence.line == 2 for offence in offences)


@pytest.mark.parametrize("snippet", [
    '<div class="grid cards"><p>x</p></div>', '<a href="../procedures/">x</a>',
    '<a href="https://www.nice.org.uk/guidance/ng59">x</a>', '<a href="mailto:editors@example.org">x</a>',
    '<a href="#section">x</a>', '<td style="text-align: left">x</td>', '<abbr title="Magnetic">MRI</abbr>',
    '<details class="note" open><summary>More</summary><p>x</p></details>', '<img src="a.png" alt="A">',
    '<input type="radio" name="t" id="t1" checked><label for="t1">Tab</label>', "<kbd>Ctrl</kbd>",
    '<rect style="fill: var(--md-accent-fg-color, #ff6e42)" x="1"/>', '<path marker-end="url(#arrow)" d="M0 0"/>',
])
def test_the_html_policy_allows_what_pages_use(snippet):
    from macros.html_policy import check_page_html

    assert check_page_html(snippet) == []


def test_every_existing_figure_is_a_safe_svg():
    from conftest import ROOT
    from macros.html_policy import check_svg

    figures = sorted((ROOT / "docs" / "assets" / "figures").glob("*.svg"))
    assert figures
    for figure in figures:
        assert check_svg(figure.read_text()) == [], figure


HOSTILE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="t d" onload="alert(1)">
<title id="t">T</title><desc id="d">D</desc>
<script>fetch('/proc/self/environ')</script>
<a href="javascript:alert(2)"><text x="1" y="1">click</text></a>
<image href="file:///etc/passwd"/>
<style>@import url(https://evil.example/x.css);</style>
</svg>
"""


def test_a_hostile_svg_under_docs_is_refused_with_its_lines(content):
    (content / "docs/assets/figures").mkdir(parents=True)
    (content / "docs/assets/figures/evil.svg").write_text(HOSTILE_SVG)
    text = problems(content)
    for fragment in ("evil.svg:1  the event handler attribute onload= on <svg>",
                     "evil.svg:3  the HTML element <script> is not allowed",
                     "evil.svg:4  the HTML element <a> is not allowed",
                     "evil.svg:5  the HTML element <image> is not allowed",
                     "evil.svg:6  the HTML element <style> is not allowed"):
        assert fragment in text, text


def test_an_svg_with_a_doctype_entity_is_refused(content):
    (content / "docs/x.svg").write_text('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "b">]>\n<svg></svg>\n')
    assert "docs/x.svg:2  a <!DOCTYPE> or <!ENTITY> declaration is not allowed" in problems(content)


@pytest.mark.parametrize("name", ["docs/evil.html", "docs/assets/page.HTM", "docs/feed.xml"])
def test_a_static_html_file_in_docs_is_refused(content, name):
    (content / name).parent.mkdir(parents=True, exist_ok=True)
    (content / name).write_text("<script>alert(1)</script>")
    assert f"{name}:1  " in problems(content) and "files would be published unchecked" in problems(content)


def test_the_markdown_lint_allows_the_same_elements_as_the_build():
    import json

    from conftest import ROOT
    from macros.html_policy import TEXT_ELEMENTS

    rule = json.loads((ROOT / ".pymarkdown.json").read_text())["plugins"]["no-inline-html"]
    assert rule["enabled"] is True
    assert set(rule["allowed_elements"].split(",")) == TEXT_ELEMENTS


def test_a_page_with_hostile_html_stops_the_build_naming_each_line(mini, page_edit, tmp_path):
    lines = ["<script>alert(1)</script>", '<iframe src="file:///etc/passwd"></iframe>',
             '<p onclick="alert(2)">Click</p>', "[x](javascript:alert(3))", "[y](JaVa&#x53;cript:alert(4))",
             "[z]( java\tscript:alert(5))", "[w](file:///etc/passwd)", '<a href="file:///etc/passwd">f</a>',
             "![i](data:image/png;base64,AAAA)"]
    page = page_edit("docs/procedures/alpha-block.md", "".join(f"\n{line}\n" for line in lines))
    first = len(page.read_text().splitlines()) - 2 * len(lines) + 2
    result = build_mini(mini, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.output
    for index, what in enumerate(["<script>", "<iframe>", "onclick=", "'javascript:alert(3)'", "'JaVaScript:alert(4)'",
                                  "script:alert(5)'", "'file:///etc/passwd' on <a>", "'file:///etc/passwd' on <a>",
                                  "'data:image/png;base64,AAAA' on <img>"]):
        line = first + 2 * index
        found = [text for text in result.output.splitlines() if f"docs/procedures/alpha-block.md:{line}  " in text]
        assert found and what in found[0], (line, what, result.output)
    assert not (tmp_path / "site" / "procedures").exists()


def test_a_hostile_figure_is_never_inlined(mini, page_edit, tmp_path):
    (mini / "docs/assets/figures/evil.svg").write_text(HOSTILE_SVG)
    try:
        page_edit("docs/procedures/alpha-block.md", '\n{{ figure("evil", "A figure") }}\n')
        result = build_mini(mini, tmp_path / "site")
    finally:
        (mini / "docs/assets/figures/evil.svg").unlink()
    assert result.returncode != 0
    assert "docs/assets/figures/evil.svg:1  the event handler attribute onload= on <svg>" in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------
# Content-Security-Policy: in every page, and nothing breaks it
# --------------------------------------------------------------------------

def _policy(page_html: str) -> str:
    import re

    head = page_html[page_html.index("<head>") + len("<head>"):].lstrip()
    match = re.match(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
    assert match, head[:200]
    return match.group(1)


def test_every_built_page_starts_its_head_with_a_strict_policy(built_real, offline_bundle):
    import re

    for site in (built_real, offline_bundle):
        pages = sorted(site.rglob("*.html"))
        assert len(pages) > 60
        for page in pages:
            raw = page.read_bytes()
            policy = _policy(raw.decode("utf-8"))
            directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
            assert directives["default-src"] == "'none'"
            assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
            assert directives["form-action"] == "'none'"
            assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
            assert not re.search(r"https?:|\*", policy), page
            assert 0 < raw.find(b"<meta charset") < 1024, page  # the encoding must still be found early


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
  `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
"""


def _use_the_page(page, name: str) -> None:
    """What a reader does on each page: switch theme, use the page's own controls, and on the home page
    search (the same search code runs on every page, and building its index is the slow part)."""
    if name == "home":
        opener = page.locator('label.md-header__button[for="__search"]')
        if opener.is_visible():  # on a phone, search opens from an icon first
            opener.click()
        page.locator("input.md-search__input").click()
        page.keyboard.type("epidural")
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        page.keyboard.press("Escape")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    if name == "compare":
        boxes = page.locator(".comparison-picker input[name=compare]")
        for index in range(2):
            boxes.nth(index).check()
        assert page.locator(".comparison-picker__result table thead th").count() == 4
    elif name == "matrix":
        page.select_option("#region-filter", "head-and-face")
    elif name == "procedures":
        header = page.locator("article table[data-sortable] thead th").first
        header.focus()
        page.keyboard.press("Enter")
        assert header.get_attribute("aria-sort") in ("ascending", "descending")


PAGES = {  # name: (online address, offline file)
    "home": ("", "index.html"), "compare": ("compare/", "compare/index.html"),
    "matrix": ("compare/conditions-and-procedures/", "compare/conditions-and-procedures.html"),
    "procedures": ("procedures/", "procedures/index.html"),
    "figure": ("learn/when-to-consider/", "learn/when-to-consider.html"),
    "procedure": ("procedures/spinal-cord-stimulation/", "procedures/spinal-cord-stimulation.html"),
    "glossary": ("about/glossary/", "about/glossary.html"),
}




@pytest.mark.browser
@pytest.mark.parametrize("where, viewport", [("online", {"width": 390, "height": 844}),
                                             ("offline", {"width": 1280, "height": 900})])
def test_pages_work_with_no_policy_violation(where, viewport, browser, request):
    if where == "online":
        base = request.getfixturevalue("site_server")
        address = {name: base + online for name, (online, _) in PAGES.items()}
    else:
        bundle = request.getfixturevalue("offline_bundle")
        address = {name: (bundle / offline).as_uri() for name, (_, offline) in PAGES.items()}
    context = browser.new_context(viewport=viewport)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    try:
        for name, url in address.items():
            page.goto(url)
            _use_the_page(page, name)
            page.wait_for_timeout(100)
            assert page.evaluate("window.__violations") == [], (name, url)
        assert [m for m in messages if "Content Security Policy" in m] == []
        # The listener does hear a violation: an inline script added now is refused and recorded.
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.append(s); }")
        page.wait_for_timeout(100)
        assert page.evaluate("window.__ran") is None
        assert page.evaluate("window.__violations")
    finally:
        context.close()


# --------------------------------------------------------------------------
# The build machine: one build at a time, the old site never lost
# --------------------------------------------------------------------------

def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    return folder


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


def test_the_new_site_replaces_the_old_one(tmp_path):
    from tools.site_swap import put_in_place

    site = _site(tmp_path / "site", "old")
    put_in_place(_site(tmp_path / "stage" / "site", "new"), site)
    assert (site / "index.html").read_text() == "new" and _leftovers(tmp_path) == []


def test_a_failed_swap_puts_the_old_site_back(tmp_path, monkeypatch):
    from tools import site_swap

    site = _site(tmp_path / "site", "old")
    real_rename, calls = os.rename, []

    def rename(source, target):
        calls.append(target)
        if len(calls) == 3:  # the new site into place: fails as a kill or a full disk would
            raise SystemExit(143)
        real_rename(source, target)

    monkeypatch.setattr(site_swap.os, "rename", rename)
    with pytest.raises(SystemExit):
        site_swap.put_in_place(_site(tmp_path / "stage" / "site", "new"), site)
    monkeypatch.undo()
    assert (site / "index.html").read_text() == "old" and _leftovers(tmp_path) == []


def test_a_kill_between_the_two_renames_is_repaired_by_the_next_build(tmp_path):
    from tools.site_swap import recover

    _site(tmp_path / ".site.old-1-1", "old")  # what a SIGKILL after the first rename leaves
    _site(tmp_path / ".site.new-1-1", "new")
    recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "old" and _leftovers(tmp_path) == []


def test_of_two_left_old_sites_the_newest_comes_back_whatever_the_process_numbers(tmp_path):
    from tools.site_swap import recover

    _site(tmp_path / ".site.old-900-100", "older")  # a copy an undeletable earlier failure left
    _site(tmp_path / ".site.old-12-200", "newer")   # a later build, by a lower process number
    recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "newer" and _leftovers(tmp_path) == []


def test_a_leftover_that_cannot_be_removed_never_blocks_a_swap(tmp_path, monkeypatch):
    from tools import site_swap

    site = _site(tmp_path / "site", "old")
    stale = _site(tmp_path / ".site.old-1-1", "stale")
    monkeypatch.setattr(site_swap.shutil, "rmtree", lambda *args, **kwargs: None)  # nothing can be removed
    site_swap.recover(site)
    site_swap.put_in_place(_site(tmp_path / "stage" / "site", "new"), site)
    assert (site / "index.html").read_text() == "new" and stale.exists()


def test_a_site_dir_on_another_filesystem_is_copied_into_place(tmp_path):
    from tools.site_swap import put_in_place

    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second filesystem at /dev/shm")
    target = shm / f"handbook-test-{os.getpid()}"
    try:
        site = _site(target / "site", "old")
        built = _site(tmp_path / "stage" / "site", "new")
        put_in_place(built, site)
        assert (site / "index.html").read_text() == "new" and _leftovers(target) == []
    finally:
        shutil.rmtree(target, ignore_errors=True)


def _mount_tmpfs(folder: Path, options: str) -> None:
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")


@pytest.fixture
def small_disk(tmp_path):
    """A 64 kB tmpfs (needs root); unmounted afterwards."""
    import subprocess

    folder = tmp_path / "disk"
    _mount_tmpfs(folder, "size=64k")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


def test_a_read_only_disk_is_one_clear_sentence_and_the_old_site_stays(tmp_path):
    import subprocess

    from tools.site_swap import explain, put_in_place

    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "size=1m")
    try:
        site = _site(disk / "site", "old")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with pytest.raises(OSError) as caught:
            put_in_place(_site(tmp_path / "stage" / "site", "new"), site)
        assert (site / "index.html").read_text() == "old" and _leftovers(disk) == []
        assert "Read-only file system. Tip: that disk is read-only: choose another folder" in explain(caught.value)
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_full_disk_is_one_clear_sentence_and_the_old_site_stays(tmp_path, small_disk):
    from tools.site_swap import explain, put_in_place

    site = _site(small_disk / "site", "old")
    built = _site(tmp_path / "stage" / "site", "new")
    (built / "big.bin").write_bytes(os.urandom(200_000))
    with pytest.raises(OSError) as caught:
        put_in_place(built, site)
    assert (site / "index.html").read_text() == "old" and _leftovers(small_disk) == []
    text = explain(caught.value)
    assert "No space left on device. Tip: free some disk space" in text and "\n" not in text


@pytest.mark.parametrize("number, tip", [(30, "read-only"), (13, "permissions"), (28, "free some disk space")])
def test_system_errors_are_explained_in_one_line(number, tip):
    from tools.site_swap import explain

    text = explain(OSError(number, os.strerror(number), "/srv/site"))
    assert text.startswith("the build could not write a file (/srv/site): ") and tip in text and "\n" not in text


def _mkdocs_failing_with(monkeypatch, last_line: str) -> None:
    import subprocess

    from tools import build_site

    done = subprocess.CompletedProcess([], 1, "", f"Traceback (most recent call last):\n  ...\n{last_line}\n")
    monkeypatch.setattr(build_site.subprocess, "run", lambda *args, **kwargs: done)


def test_mkdocs_tracebacks_about_the_disk_become_an_error(monkeypatch):
    from tools.build_site import run_mkdocs

    _mkdocs_failing_with(monkeypatch, "OSError: [Errno 30] Read-only file system: '/srv/x'")
    with pytest.raises(OSError) as raised:
        run_mkdocs("mkdocs.yml", Path("/srv/x"))
    assert (raised.value.errno, raised.value.filename) == (30, "/srv/x")


def test_other_system_errors_in_mkdocs_are_shown_as_mkdocs_reported_them(monkeypatch, capsys):
    """A file a plugin could not read is not a full disk: MkDocs' own report is shown."""
    from tools.build_site import run_mkdocs

    _mkdocs_failing_with(monkeypatch, "FileNotFoundError: [Errno 2] No such file or directory: 'docs/x.md'")
    assert run_mkdocs("mkdocs.yml", Path("/srv/x")) is False
    assert "FileNotFoundError: [Errno 2] No such file or directory: 'docs/x.md'" in capsys.readouterr().err


def test_a_second_build_waits_for_the_lock(tmp_path, capsys):
    import subprocess
    import sys
    import threading

    from conftest import ROOT
    from tools.site_swap import build_lock

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path;"
        "from tools.site_swap import build_lock\nwith build_lock(Path(sys.argv[2])):\n"
        "    print('held', flush=True); sys.stdin.readline()"), str(ROOT), str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    got_it = threading.Event()

    def second_build():
        with build_lock(tmp_path):
            got_it.set()

    try:
        assert holder.stdout.readline().strip() == "held"
        waiting = threading.Thread(target=second_build)
        waiting.start()
        assert not got_it.wait(0.5)  # it waits while the first holds the lock ...
        holder.stdin.write("done\n")
        holder.stdin.flush()
        assert got_it.wait(30)  # ... and goes on as soon as the first lets go
        waiting.join(10)
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert "Another build of this handbook is running; waiting" in capsys.readouterr().err


# --------------------------------------------------------------------------
# End to end (few): the real build script
# --------------------------------------------------------------------------

CANARY = f"canary-{os.getpid()}-{time.time_ns()}"
"""A value only the build's environment holds: it must appear in no built file."""
INERT = "Shown as typed: {{ config }} {{ cycler.__init__.__globals__.os.popen('id').read() }}"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """The fixture project after one full build (site/ with zip and PDF), with template text on a
    page that does not render macros, and a canary in the build's environment."""
    import sys

    from conftest import copy_project, run

    project = copy_project(tmp_path_factory.mktemp("e2e") / "project", FIXTURE)
    page = project / "docs" / "procedures" / "index.md"
    page.write_text(page.read_text() + f"\n{INERT}\n")
    result = run([sys.executable, "-m", "tools.build_site"], cwd=project,
                 env={"HANDBOOK_CANARY": CANARY})
    assert result.returncode == 0, result.output
    return project


def test_nothing_of_the_build_machine_is_in_any_built_file_the_zip_or_the_pdf(built_once):
    import html
    import socket
    import zipfile

    from pypdf import PdfReader

    site = built_once / "site"
    secrets = [CANARY, str(built_once), "root:x:0:0", "uid=0("]
    if len(socket.gethostname()) >= 6:  # a short name such as "vm" turns up by chance
        secrets.append(socket.gethostname())
    compressed = (".zip", ".pdf", ".gz", ".png")  # their contents are read below
    texts = {p: p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*")
             if p.is_file() and not p.name.endswith(compressed)}
    with zipfile.ZipFile(site / "downloads" / "ipm-handbook-offline.zip") as archive:
        texts.update({name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()})
    pdf = PdfReader(site / "downloads" / "ipm-handbook.pdf")
    texts["pdf text"] = "".join(page.extract_text() for page in pdf.pages)
    # The addresses the PDF and the leaflets link to: none may be a file of the build machine.
    links = pdf_link_addresses(site / "downloads" / "ipm-handbook.pdf", *(site / "downloads").rglob("leaflets/*.pdf"))
    assert links and not [link for link in links if not link.startswith(WEB_ADDRESSES)], links
    texts["pdf links"] = " ".join(links)
    assert len(texts) > 50
    for name, text in texts.items():
        for secret in secrets:
            assert secret not in text, (secret, name)
    shown = html.unescape((site / "procedures" / "index.html").read_text())
    assert "Shown as typed: {{ config }} {{ cycler." in shown and "popen('id').read() }}" in shown


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_waits_for_a_running_one_and_a_killed_build_keeps_the_old_site(built_once):
    """Two `make build` at once: the second waits for the first. The first is killed (SIGTERM): it says
    so, exits 143 and leaves the old site as it was; the waiting one then builds, and no stage is left."""
    import signal
    import subprocess
    import sys

    before = _snapshot(built_once / "site")
    command = [sys.executable, "-m", "tools.build_site"]
    env = dict(os.environ)
    first = subprocess.Popen(command, cwd=built_once, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    deadline = time.monotonic() + 120
    while not list((built_once / "build").glob("stage-*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the first build makes its stage only once it holds the lock
    assert first.poll() is None, first.communicate()[0]
    second = subprocess.Popen(command, cwd=built_once, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        waiting = second.stdout.readline()  # its first word: it waits for the running build
        assert "waiting for it to finish" in waiting, waiting
        first.send_signal(signal.SIGTERM)
        first_output = first.communicate(timeout=60)[0]
        assert first.returncode == 143, first_output
        assert "Build interrupted." in first_output and "was left as it was" in first_output
        assert "Traceback" not in first_output
        assert _snapshot(built_once / "site") == before  # the second has a whole build to do before its swap
    finally:
        second_output = second.communicate(timeout=300)[0]
    assert second.returncode == 0 and "Traceback" not in second_output, second_output
    assert (built_once / "site" / "downloads" / "ipm-handbook.pdf").is_file()
    assert [p.name for p in (built_once / "build").iterdir()] == [".lock"]


def test_a_stale_stage_that_cannot_be_deleted_does_not_block_the_build(tmp_path, monkeypatch):
    import subprocess

    from tools import build_site
    from tools.site_swap import put_in_place

    stale = tmp_path / "build" / "stage" / "previous-site" / "assets"
    stale.mkdir(parents=True)
    (stale / "old.css").write_text("old")
    if subprocess.run(["chattr", "+i", str(stale / "old.css")], capture_output=True, check=False).returncode:
        pytest.skip("chattr +i (an undeletable file) is not available here")

    def build_in(stage, site_dir, kept):
        assert stage.parent == tmp_path / "build" and stage.name != "stage"  # a fresh stage, never the stale one
        (stage / "site").mkdir()
        (stage / "site" / "index.html").write_text("new site")
        put_in_place(stage / "site", site_dir)
        return 0

    monkeypatch.setattr(build_site, "ROOT", tmp_path)
    monkeypatch.setattr(build_site, "_build_in", build_in)
    try:
        assert build_site.build(tmp_path / "site") == 0
    finally:
        subprocess.run(["chattr", "-i", str(stale / "old.css")], check=False)
    assert (tmp_path / "site" / "index.html").read_text() == "new site"


def test_a_stop_that_a_library_turns_into_its_own_error_is_still_a_clean_stop(tmp_path, monkeypatch, capsys):
    """SIGTERM can arrive while Playwright starts its driver; Playwright then raises its own error
    instead of ours. The build must still say it was interrupted, exit 143 and keep the old site."""
    import signal

    from tools import build_site

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old site")
    (tmp_path / "build").mkdir()

    def stopped_inside_a_library(stage, site_dir, kept):
        try:
            build_site._terminated(signal.SIGTERM, None)
        except build_site.Terminated:
            raise AttributeError("'PipeTransport' object has no attribute '_output'") from None

    monkeypatch.setattr(build_site, "ROOT", tmp_path)
    monkeypatch.setattr(build_site, "_build_in", stopped_inside_a_library)
    monkeypatch.setattr(build_site, "_stop_requested", [])
    previous = signal.getsignal(signal.SIGTERM)
    try:
        assert build_site.build(site) == 143
    finally:
        signal.signal(signal.SIGTERM, previous)
    error = capsys.readouterr().err
    assert "Build interrupted." in error and "was left as it was" in error and "Traceback" not in error
    assert (site / "index.html").read_text() == "old site"
    assert [p.name for p in (tmp_path / "build").iterdir()] == [".lock"]


def test_a_chromium_that_cannot_start_stops_the_build_in_one_line(built_once):
    import sys

    from conftest import run

    before = _snapshot(built_once / "site")
    result = run([sys.executable, "-m", "tools.build_site"], cwd=built_once,
                 env={"CHROMIUM_PATH": "/bin/true"})
    assert result.returncode != 0 and "Traceback" not in result.output
    line = next(text for text in result.output.splitlines() if "could not start" in text)
    assert line.startswith("Chromium at /bin/true could not start: ") and line.endswith("was left as it was.")
    assert _snapshot(built_once / "site") == before


def test_a_symlink_to_the_environment_stops_the_build_and_reaches_no_file(built_once):
    from conftest import build_site

    before = _snapshot(built_once / "site")
    link = built_once / "docs" / "assets" / "x.txt"
    link.symlink_to("/proc/self/environ")
    try:
        result = build_site(built_once)
    finally:
        link.unlink()
    assert result.returncode != 0
    assert "docs/assets/x.txt:1  this is a symbolic link; the handbook does not follow links" in result.output
    assert "Traceback" not in result.output and "was left as it was" in result.output
    assert _snapshot(built_once / "site") == before


def test_a_zip_never_holds_what_a_link_points_to(tmp_path):
    import zipfile

    from tools.build_site import zip_folder

    folder = _site(tmp_path / "offline", "page")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    zip_folder(folder, tmp_path / "out.zip")
    assert zipfile.ZipFile(tmp_path / "out.zip").namelist() == ["ipm-handbook/index.html"]


def _print_pdf(site: Path, output: Path, env: dict | None = None):
    """tools/build_pdf.py run as a command (Playwright cannot start twice in one process)."""
    import sys

    from conftest import ROOT, run

    return run([sys.executable, "-m", "tools.build_pdf", str(site), str(output)], cwd=ROOT, env=env)


def test_the_pdf_refuses_a_frame_of_a_machine_file_and_says_why(tmp_path):
    from conftest import chromium_or_skip

    chromium_or_skip()
    site = _site(tmp_path / "offline", '<!doctype html><html><head><title>T</title></head><body>'
                 '<article class="md-content__inner md-typeset"><h1>Home</h1>'
                 '<iframe src="file:///etc/passwd"></iframe><img src="file:///etc/hostname" alt="x">'
                 '</article></body></html>')
    output = tmp_path / "out" / "handbook.pdf"
    result = _print_pdf(site, output)
    assert result.returncode != 0 and "Traceback" not in result.output
    assert "The PDF was not made: a page asked for something outside the site, which was refused" in result.output
    assert "file:///etc/passwd" in result.output
    assert not output.exists()


def test_a_chromium_that_cannot_start_is_one_clear_line(tmp_path):
    site = _site(tmp_path / "offline", "<!doctype html><title>T</title><article "
                 'class="md-content__inner md-typeset"><h1>Home</h1></article>')
    result = _print_pdf(site, tmp_path / "handbook.pdf", env={"CHROMIUM_PATH": "/bin/true"})
    assert result.returncode != 0 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Chromium at /bin/true could not start: "), result.output


def test_a_docs_dir_outside_the_project_is_refused(mini, page_edit, tmp_path):
    page_edit("mkdocs.yml", "docs_dir: /etc", old="docs_dir: docs")
    result = build_mini(mini, tmp_path / "site")
    assert result.returncode != 0 and "docs_dir (/etc) is outside the project" in result.output, result.output
    assert not (tmp_path / "site" / "passwd").exists()


def test_template_text_in_titles_is_shown_as_typed(mini, page_edit, tmp_path):
    import html

    page_edit("docs/procedures/index.md", "description: Test index of procedures.\ntitle: 'T {{ 7*7 }} {{ config }}'",
              old="description: Test index of procedures.")
    page_edit("docs/procedures/alpha-block.md", "description: A.\ntitle: 'A {{ 7*7 }}'",
              old="description: Test page for Alpha block.")
    result = build_mini(mini, tmp_path / "site")
    assert result.returncode == 0, result.output
    index = html.unescape((tmp_path / "site" / "procedures" / "index.html").read_text())
    alpha = html.unescape((tmp_path / "site" / "procedures" / "alpha-block" / "index.html").read_text())
    assert "<title>T {{ 7*7 }} {{ config }}" in index and "<title>A {{ 7*7 }}" in alpha
    assert "site_name" not in index and "T 49" not in index and "A 49" not in alpha
