"""Whatever text is in the data, readers see it as text: the renderers escape it."""

from __future__ import annotations

import unicodedata
from datetime import date
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from macros import render
from macros.data import Handbook
from macros.data.models import (
    CareApproaches,
    Condition,
    ConservativeCare,
    GlossaryEntry,
    Procedure,
    Reference,
)

text = st.text(min_size=1).map(str.strip).filter(bool)


def make_handbook(value: str) -> Handbook:
    evidence = {"strength": "low", "summary": value}
    review = {"last_reviewed": date(2026, 1, 1), "next_review_due": date(2027, 1, 1)}
    common = dict(name=value, summary=value, time_taken=value, setting=value, onset=value,
                  relief_duration=value, recovery=value, common_risks=[value], serious_risks=[value],
                  evidence=evidence, references=["r-one", "r-two"])
    procedure = Procedure(**common, short_name=value, category="injection", purpose="therapeutic",
                          target=value, imaging=value, anesthesia=value, contraindications=[value],
                          conditions=[{"condition": "c", "role": "first-line", "evidence": "low", "note": value}],
                          review=review)
    condition = Condition(name=value, body_regions=["back"], summary=value, chronic_when=value,
                          symptoms=[value], first_line_care=[value], prevention=[value], red_flags=[value],
                          references=["r-one", "r-two"], review=review)
    refs = {i: Reference(id=i, title=value, authors=value, published_in=value, year=2020, url="https://example.org/a")
            for i in ("r-one", "r-two")}
    return Handbook(
        references=refs, procedures={"p": procedure}, conditions={"c": condition},
        conservative_care=ConservativeCare(**common),
        care_approaches=CareApproaches(caption=value, rows=[{"question": value, "conventional": value,
                                                             "interventional": value}],
                                       references=["r-one", "r-two"]),
        glossary=(GlossaryEntry(term=value, definition=value),), pages={},
    )


def link(kind: str, entry_id: str) -> str:
    return f"../{kind}/{entry_id}/"


def all_renderings(handbook: Handbook) -> list[str]:
    procedure = handbook.procedures["p"]
    return [
        render.render_procedure_card("p", procedure, handbook, link),
        render.render_condition_card("c", handbook.conditions["c"], handbook, link),
        render.render_comparison_table([("p", procedure)], handbook.conservative_care, link, "Caption"),
        render.render_condition_procedure_matrix(handbook, link),
        render.render_options_for_condition("c", handbook, link),
        render.render_conditions_for_procedure(procedure, handbook, link),
        render.render_procedure_list([("p", procedure)], link, "Caption"),
        render.render_condition_list([("c", handbook.conditions["c"])], link, "Caption"),
        render.render_reference_list(list(handbook.references.values())),
        render.render_glossary(handbook.glossary),
        render.render_care_approaches(handbook),
    ]


class Structure(HTMLParser):
    """The elements and attribute names of a piece of HTML, and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.text = ""
        self.feed(str(html))
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(name for name, _ in attrs)))

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag, ()))

    def handle_data(self, data):
        self.text += data


BASELINE = [Structure(html).tags for html in all_renderings(make_handbook("Plain value"))]


@settings(max_examples=80, deadline=None)
@given(st.one_of(text, st.sampled_from(["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
                                        "Tom & Jerry", "</td></tr></table>", "<b>bold</b>", "<"])))
def test_any_text_in_the_data_comes_out_as_text_never_as_html(value):
    def one_line_break(text: str) -> str:
        # Data text is stored in NFC (macros/data/models.py), and HTML reads CR LF and CR as one line break.
        return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")

    for html, expected_tags in zip(all_renderings(make_handbook(value)), BASELINE, strict=True):
        parsed = Structure(html)
        assert parsed.tags == expected_tags, html
        assert one_line_break(value) in one_line_break(parsed.text) or "\x00" in value


def test_tables_are_plain_accessible_tables():
    for html in all_renderings(make_handbook("Value")):
        if "<table" not in html:
            continue
        assert "<caption>" in html
        assert '<th scope="col">' in html and '<th scope="row">' in html
        assert "<table class" not in html
        assert "\n\n" not in html.strip(), "a blank line inside a table ends Markdown's raw HTML block"


def test_the_comparison_always_starts_with_conservative_care():
    handbook = make_handbook("Value")
    html = render.render_comparison_table([("p", handbook.procedures["p"])], handbook.conservative_care,
                                             link, "Caption")
    headers = html.split("<thead>")[1].split("</thead>")[0]
    assert headers.index("Question") < headers.index("Value") < headers.index("../procedures/p/")


def test_a_citation_links_each_number_to_its_reference():
    html = render.render_citation([(1, "nice-ng59"), (3, "x")])
    assert html == '<sup class="citation">[<a href="#ref-nice-ng59">1</a>, <a href="#ref-x">3</a>]</sup>'


def _card_rows(condition: Condition, handbook: Handbook) -> dict[str, str]:
    """The condition card as {row label: answer text}."""
    html = str(render.render_condition_card("c", condition, handbook, link))
    rows = {}
    for row in html.split("<tr>")[1:]:
        label = Structure(row.split("</th>")[0]).text.strip()
        rows[label] = Structure(row.split("</th>", 1)[1]).text.strip() if "</th>" in row else ""
    return rows


def test_the_condition_card_shows_prevention_before_try_first_when_given():
    handbook = make_handbook("Value")
    condition = handbook.conditions["c"].model_copy(
        update={"prevention": ["Shingles vaccine", "Stay active"], "first_line_care": ["Rest"]})
    rows = _card_rows(condition, handbook)
    assert "Shingles vaccine" in rows["Prevention"] and "Stay active" in rows["Prevention"]
    assert rows["Try first"] == "Rest"
    labels = list(rows)
    assert labels.index("Prevention") == labels.index("Try first") - 1


def test_the_condition_card_has_no_prevention_row_when_the_field_is_empty():
    handbook = make_handbook("Value")
    condition = handbook.conditions["c"].model_copy(update={"prevention": []})
    assert "Prevention" not in _card_rows(condition, handbook)
    assert Condition.model_fields["prevention"].default_factory() == []
