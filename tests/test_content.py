"""Every procedure and condition has a complete page, generated from its data, with its sources cited."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from macros.data import load_handbook

HANDBOOK = load_handbook(ROOT)

PROCEDURE_SECTIONS = [
    "What it is", "Who it may help", "How it works", "Before", "During", "After and recovery",
    "How well it works", "Risks and side effects", "Who should not have it", "Alternatives",
    "Questions to ask your doctor", "When to get urgent help", "For clinicians", "References",
]
CONDITION_SECTIONS = [
    "What it is", "Symptoms", "Causes", "How it is diagnosed", "Self-care and conservative treatment first",
    "Interventional options", "When to see a doctor", "Questions to ask", "For clinicians", "References",
]


class Page(HTMLParser):
    """Headings, links and citations of a page's article."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.article = html.split("<article", 1)[1].split("</article>", 1)[0]
        self.headings: list[str] = []
        self.links: list[str] = []
        self._heading = None
        self.feed(self.article)

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3"):
            self._heading = ""
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data

    def handle_endtag(self, tag):
        if tag in ("h2", "h3") and self._heading is not None:
            self.headings.append(self._heading.replace("¶", "").strip())
            self._heading = None


def page(site, kind, entry_id) -> Page:
    return Page((site / kind / entry_id / "index.html").read_text())


def linked_ids(links: list[str], kind: str) -> set[str]:
    return {m.group(1) for link in links if (m := re.search(rf"\.\./{kind}/([\w-]+)/$", link))}


def entry_page(site, kind: str, entry_id: str, name: str, sections: list[str]):
    """The built page of an entry, checked for its at-a-glance card and its sections in order."""
    html = page(site, kind, entry_id)
    assert f"<caption>At a glance: {name}" in html.article.replace("&amp;", "&")
    positions = [html.headings.index(section) for section in sections]
    assert positions == sorted(positions), f"sections out of order: {html.headings}"
    return html


@pytest.mark.parametrize("procedure_id", list(HANDBOOK.procedures))
def test_a_procedure_page_is_complete_and_cites_its_references(built_real, procedure_id):
    procedure = HANDBOOK.procedures[procedure_id]
    html = entry_page(built_real, "procedures", procedure_id, procedure.name, PROCEDURE_SECTIONS)
    assert 'class="admonition danger"' in html.article, "no 'get urgent help' box"
    for ref_id in procedure.references:
        assert f'<li id="ref-{ref_id}">' in html.article
        assert f'href="#ref-{ref_id}"' in html.article, f"{ref_id} is listed but never cited"
    assert linked_ids(html.links, "conditions") >= {link.condition for link in procedure.conditions}


@pytest.mark.parametrize("condition_id", list(HANDBOOK.conditions))
def test_a_condition_page_is_complete_and_cites_its_references(built_real, condition_id):
    condition = HANDBOOK.conditions[condition_id]
    html = entry_page(built_real, "conditions", condition_id, condition.name, CONDITION_SECTIONS)
    for ref_id in condition.references:
        assert f'href="#ref-{ref_id}"' in html.article, f"{ref_id} is listed but never cited"


def options_table(article: str, caption_start: str) -> str:
    match = re.search(rf"<table[^>]*>\s*<caption>{caption_start}.*?</table>", article, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("condition_id", list(HANDBOOK.conditions))
def test_a_condition_links_to_exactly_the_procedures_that_list_it(built_real, condition_id):
    expected = {pid for pid, _ in HANDBOOK.links_for_condition(condition_id)}
    table = options_table(page(built_real, "conditions", condition_id).article, "Interventional options")
    shown = set(re.findall(r'href="\.\./\.\./procedures/([\w-]+)/"', table))
    assert shown == expected


@pytest.mark.parametrize("procedure_id", list(HANDBOOK.procedures))
def test_a_procedure_links_back_to_exactly_its_conditions(built_real, procedure_id):
    expected = {link.condition for link in HANDBOOK.procedures[procedure_id].conditions}
    table = options_table(page(built_real, "procedures", procedure_id).article, "Conditions ")
    shown = set(re.findall(r'href="\.\./\.\./conditions/([\w-]+)/"', table))
    assert shown == expected


def test_every_procedure_and_condition_appears_in_the_matrix_and_comparison(built_real):
    matrix = (built_real / "compare" / "conditions-and-procedures" / "index.html").read_text()
    compare = (built_real / "compare" / "index.html").read_text()
    for procedure_id in HANDBOOK.procedures:
        assert f"procedures/{procedure_id}/" in matrix and f"procedures/{procedure_id}/" in compare
    for condition_id in HANDBOOK.conditions:
        assert f"conditions/{condition_id}/" in matrix


def test_the_home_page_offers_the_three_ways_in(built_real):
    home = (built_real / "index.html").read_text()
    for start in ("I have a condition", "My doctor suggested a procedure", "I want to understand the field"):
        assert start in home


def test_every_page_is_in_the_navigation(built_real):
    for kind in ("procedures", "conditions"):
        for entry_id in getattr(HANDBOOK, kind):
            page = (built_real / kind / entry_id / "index.html").read_text()
            nav = re.split(r"</nav>\s*</div>", page.split('<nav class="md-nav md-nav--primary', 1)[1], maxsplit=1)[0]
            assert re.search(r'class="md-nav__link md-nav__link--active"', nav), f"{kind}/{entry_id}"


def test_the_procedures_index_compares_every_group_with_conservative_care(built_real):
    from macros.data.models import CATEGORY_LABELS

    html = (built_real / "procedures" / "index.html").read_text()
    for category, label in CATEGORY_LABELS.items():
        table = options_table(html, f"{label} compared with conservative care")
        expected = {pid for pid, p in HANDBOOK.procedures.items() if p.category == category}
        assert set(re.findall(r'data-option="([\w-]+)"', table)) == expected, category
        assert HANDBOOK.conservative_care.name in table


def test_figures_are_accessible_svg_drawn_for_light_and_dark(built_real):
    for page in ("procedures/index.html", "learn/what-is-interventional-pain-management/index.html",
                 "learn/when-to-consider/index.html"):
        html = (built_real / page).read_text()
        figures = re.findall(r'<figure class="handbook-figure">(.*?)</figure>', html, re.S)
        assert figures, page
        for figure in figures:
            svg = re.search(r"<svg[^>]*>", figure).group(0)
            assert 'role="img"' in svg and "aria-labelledby" in svg
            assert "<title" in figure and "<desc" in figure and "<figcaption>" in figure
            assert "currentColor" in figure  # follows the page's text colour in dark mode
            assert not re.search(r'(?:fill|stroke)="#(?:000|fff)', figure, re.I)
        assert "Text description of the figure" in html
