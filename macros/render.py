"""Pure functions that turn validated data into HTML.

Every function takes model objects (and a `link` function that returns the
relative address of another page) and returns markupsafe.Markup. Every data
value passes through markupsafe's escaping, so text in the data is always
shown as text, never run as HTML.

Tables follow one pattern: a real <table> with a <caption>, <th scope="col">
column headers and <th scope="row"> row headers, and no class on the table
element (the theme styles and wraps plain tables). Tables whose rows are
things (not questions) carry data-sortable so tablesort makes their headers
sortable, by mouse or keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .data.handbook import Handbook
from .data.models import (
    BODY_REGION_LABELS,
    CATEGORY_LABELS,
    EVIDENCE_LABELS,
    EVIDENCE_MEANINGS,
    PURPOSE_LABELS,
    ROLE_LABELS,
    ROLE_MEANINGS,
    ComparisonOption,
    Condition,
    ConservativeCare,
    Procedure,
    Reference,
)


def html(template: str, *values) -> Markup:
    """`template` with each {} filled by a value, escaped unless it is already Markup.

    The same result as Markup(template).format(*values), in a fraction of the time: every
    value goes through markupsafe's escape, and only the template is trusted as HTML.
    """
    return Markup(template.format(*map(escape, values)))


Link = Callable[[str, str], str]
"""link(kind, id) -> relative address of that page from the current page."""

EVIDENCE_RANK = {"high": 5, "moderate": 4, "low": 3, "very-low": 2, "insufficient": 1}
ROLE_RANK = {"first-line": 5, "second-line": 4, "selected-cases": 3, "diagnostic": 2, "not-recommended": 1}
NOT_APPLICABLE = Markup('<span aria-hidden="true">–</span><span class="visually-hidden">Not applicable</span>')


@dataclass(frozen=True)
class Cell:
    """One table cell: its content and, optionally, the value tablesort sorts by."""

    content: Markup
    sort_key: str | None = None

    def td(self) -> Markup:
        if self.sort_key is None:
            return html("<td>{}</td>", self.content)
        return html('<td data-sort="{}">{}</td>', self.sort_key, self.content)


EMPTY_CELL = Cell(Markup(""))


@dataclass(frozen=True)
class Row:
    """A row: its header cell and its data cells."""

    header: Markup
    cells: Sequence[Cell]
    attributes: Markup = Markup("")


def render_table(
    caption: str | Markup,
    column_headers: Sequence[str | Markup],
    rows: Iterable[Row],
    sortable: bool = False,
    searchable: bool = True,
) -> Markup:
    """A plain, accessible HTML table. Returned on lines of its own with no blank line inside.

    `searchable=False` leaves the table out of the search index (Material's data-search-exclude):
    for tables that repeat what each entry's own page already says, so a search finds the page,
    not every table that mentions it, and every reader downloads a smaller index.
    """
    head = Markup("").join(html('<th scope="col">{}</th>', h) for h in column_headers)
    body = Markup("\n").join(
        # Cells are parted by a space so the search index does not run their words together.
        html('<tr{}><th scope="row">{}</th> {}</tr>',
            row.attributes, row.header, Markup(" ").join(cell.td() for cell in row.cells)
        )
        for row in rows
    )
    attributes = [name for name, wanted in (("data-sortable", sortable), ("data-search-exclude", not searchable))
                  if wanted]
    opening = Markup("<table" + "".join(f" {name}" for name in attributes) + ">")
    return html("\n{}\n<caption>{}</caption>\n<thead><tr>{}</tr></thead>\n<tbody>\n{}\n</tbody>\n</table>\n",
        opening, caption, head, body
    )


def render_list(items: Sequence[str]) -> Markup:
    if len(items) == 1:
        return escape(items[0])
    return html("<ul>{}</ul>", Markup("").join(html("<li>{}</li>", i) for i in items))


def render_link(href: str, text: str) -> Markup:
    return html('<a href="{}">{}</a>', href, text)


def render_evidence(strength: str, summary: str | None = None) -> Markup:
    badge = html('<span class="evidence evidence--{}" title="{}">{}</span>',
        strength, EVIDENCE_MEANINGS[strength], EVIDENCE_LABELS[strength]
    )
    if summary:
        return html("{}<br>{}", badge, summary)
    return badge


def evidence_cell(strength: str, summary: str | None = None) -> Cell:
    return Cell(render_evidence(strength, summary), str(EVIDENCE_RANK[strength]))


ROLE_SYMBOLS = {"first-line": "●", "second-line": "◆", "selected-cases": "▲", "diagnostic": "◎",
                "not-recommended": "✕"}
"""Each role has a colour, a symbol and its word: never colour alone."""


def render_role(role: str) -> Markup:
    return html('<span class="role role--{}" title="{}">'
                '<span class="role__symbol" aria-hidden="true">{}</span> {}</span>',
                role, ROLE_MEANINGS[role], ROLE_SYMBOLS[role], ROLE_LABELS[role])


def role_cell(role: str) -> Cell:
    return Cell(render_role(role), str(ROLE_RANK[role]))


def render_role_legend() -> Markup:
    items = Markup("").join(html("<li>{} {}</li>", render_role(role), ROLE_MEANINGS[role])
                            for role in sorted(ROLE_LABELS, key=lambda r: -ROLE_RANK[r]))
    return html('<ul class="role-legend" aria-label="Key to the roles">{}</ul>\n', items)


def option_name(option: ComparisonOption) -> str:
    short = getattr(option, "short_name", None)
    return f"{option.name} ({short})" if short else option.name


# --------------------------------------------------------------------------
# Procedures
# --------------------------------------------------------------------------

COMPARISON_QUESTIONS: list[tuple[str, Callable[[ComparisonOption], Markup]]] = [
    ("What is done", lambda o: escape(o.summary)),
    ("Diagnosis or treatment",
     lambda o: escape(PURPOSE_LABELS[o.purpose]) if isinstance(o, Procedure) else escape("Treatment")),
    ("Image guidance", lambda o: escape(o.imaging) if isinstance(o, Procedure) else NOT_APPLICABLE),
    ("Numbing or sedation", lambda o: escape(o.anesthesia) if isinstance(o, Procedure) else NOT_APPLICABLE),
    ("How long it takes", lambda o: escape(o.time_taken)),
    ("Where it is done", lambda o: escape(o.setting)),
    ("When relief starts", lambda o: escape(o.onset)),
    ("How long relief lasts", lambda o: escape(o.relief_duration)),
    ("Recovery", lambda o: escape(o.recovery)),
    ("Common side effects", lambda o: render_list(o.common_risks)),
    ("Rare but serious risks", lambda o: render_list(o.serious_risks)),
    ("Strength of evidence", lambda o: render_evidence(o.evidence.strength, o.evidence.summary)),
]


def render_comparison_table(
    procedures: Sequence[tuple[str, Procedure]],
    care: ConservativeCare,
    link: Link,
    caption: str,
) -> Markup:
    """Questions as rows, options as columns; conservative care is always the first option."""
    headers: list[Markup] = [escape("Question"), escape(care.name)]
    headers += [render_link(link("procedures", pid), option_name(p)) for pid, p in procedures]
    options: list[ComparisonOption] = [care, *(p for _, p in procedures)]
    rows = [
        Row(escape(question), [Cell(answer(option)) for option in options])
        for question, answer in COMPARISON_QUESTIONS
    ]
    table = render_table(caption, headers, rows, searchable=False)
    # Mark each procedure column with its id, for the interactive comparison.
    for pid, _ in procedures:
        table = table.replace(
            html('<th scope="col"><a href="{}">', link("procedures", pid)),
            html('<th scope="col" data-option="{}"><a href="{}">', pid, link("procedures", pid)), 1)
    return table


def render_comparison_picker(handbook: Handbook) -> Markup:
    """Controls to compare two to four procedures, or those used for one condition.

    They build a table from the all-procedures comparison on the same page. They are on the page
    from the start, disabled until handbook.js enables them (revealing them later would push the
    page down as it loads); without JavaScript they stay disabled, a note says so (handbook.js puts
    a hint of the same length in its place), and the plain tables remain.
    """
    boxes = Markup("").join(
        html('<label><input type="checkbox" name="compare" value="{}" disabled> {}</label>', pid, p.name)
        for pid, p in handbook.procedures.items()
    )
    conditions = Markup("").join(
        html('<option value="{}" data-procedures="{}">{}</option>',
            cid, " ".join(pid for pid, _ in sorted(handbook.links_for_condition(cid),
                                                   key=lambda item: -ROLE_RANK[item[1].role])), c.name)
        for cid, c in sorted(handbook.conditions.items(), key=lambda item: item[1].name)
        if handbook.links_for_condition(cid)
    )
    return html(
        '\n<div class="comparison-picker">'
        '<p class="comparison-picker__hint">Choosing needs JavaScript, which is off here: '
        'the full table below compares every procedure.</p>'
        '<p><label for="compare-condition">Start from a condition</label> '
        '<select id="compare-condition" disabled><option value="">Choose a condition</option>{}</select></p>'
        '<fieldset><legend>Or choose two to four procedures</legend><div class="comparison-picker__options">{}</div>'
        '</fieldset>'
        '<p class="comparison-picker__status" role="status" aria-live="polite"></p>'
        '<div class="comparison-picker__result"></div></div>\n',
    conditions, boxes)


def render_care_approaches(handbook: Handbook) -> Markup:
    """Conventional and interventional care side by side, with a generated evidence row."""
    approaches = handbook.care_approaches
    rows = [Row(escape(r.question), [Cell(escape(r.conventional)), Cell(escape(r.interventional))])
            for r in approaches.rows]
    counts = {}
    for procedure in handbook.procedures.values():
        counts[procedure.evidence.strength] = counts.get(procedure.evidence.strength, 0) + 1
    spread = [html("<li>{}: {} procedure{}</li>", EVIDENCE_LABELS[s], n, "" if n == 1 else "s")
              for s, n in sorted(counts.items(), key=lambda item: -EVIDENCE_RANK[item[0]])]
    care = handbook.conservative_care
    rows.append(Row(escape("Strength of evidence (from this handbook's data)"), [
        Cell(render_evidence(care.evidence.strength, care.evidence.summary)),
        Cell(html("Varies by procedure:<ul>{}</ul>", Markup("").join(spread))),
    ]))
    return render_table(approaches.caption, ["Question", "Conventional care", "Interventional care"], rows)


def other_names(entry: Procedure | Condition) -> list[str]:
    """Its other names, clinical ones first, then the everyday words readers use."""
    return [*entry.also_called, *entry.lay_names]


def search_names(entry: Procedure | Condition) -> list[str]:
    """What search finds the entry's page by, besides its title: its abbreviation and other names."""
    short = getattr(entry, "short_name", None)
    return [*([short] if short else []), *other_names(entry)]


def render_procedure_card(procedure_id: str, procedure: Procedure, handbook: Handbook, link: Link) -> Markup:
    """The at-a-glance table at the top of a procedure page."""
    used_for = [
        html("{} ({})",
            render_link(link("conditions", use.condition), handbook.conditions[use.condition].name),
            ROLE_LABELS[use.role].lower(),
        )
        for use in procedure.conditions
    ]
    rows = [
        ("What it is", escape(procedure.summary)),
        ("Also called", escape(", ".join(other_names(procedure)))) if other_names(procedure) else None,
        ("Type", escape(f"{CATEGORY_LABELS[procedure.category].rstrip('s')} · {PURPOSE_LABELS[procedure.purpose]}")),
        ("Used for", html("<ul>{}</ul>", Markup("").join(html("<li>{}</li>", u) for u in used_for))),
        ("Target", escape(procedure.target)),
        ("Image guidance", escape(procedure.imaging)),
        ("Numbing or sedation", escape(procedure.anesthesia)),
        ("How long it takes", escape(procedure.time_taken)),
        ("Where it is done", escape(procedure.setting)),
        ("When relief starts", escape(procedure.onset)),
        ("How long relief lasts", escape(procedure.relief_duration)),
        ("Recovery", escape(procedure.recovery)),
        ("Strength of evidence", render_evidence(procedure.evidence.strength, procedure.evidence.summary)),
    ]
    return _card(f"At a glance: {procedure.name}", [r for r in rows if r])


def render_condition_card(condition_id: str, condition: Condition, handbook: Handbook, link: Link) -> Markup:
    """The at-a-glance table at the top of a condition page."""
    options = [
        html("{} ({})",
            render_link(link("procedures", pid), handbook.procedures[pid].name), ROLE_LABELS[use.role].lower()
        )
        for pid, use in handbook.links_for_condition(condition_id)
    ]
    rows = [
        ("What it is", escape(condition.summary)),
        ("Also called", escape(", ".join(other_names(condition)))) if other_names(condition) else None,
        ("Where it is felt", escape(", ".join(BODY_REGION_LABELS[r] for r in condition.body_regions))),
        ("When it is chronic", escape(condition.chronic_when)),
        ("Main symptoms", render_list(condition.symptoms)),
        ("Prevention", render_list(condition.prevention)) if condition.prevention else None,
        ("Try first", render_list(condition.first_line_care)),
        ("Interventional options", render_list_markup(options) if options else escape("None listed in this handbook")),
        ("Get urgent help if", render_list(condition.red_flags)),
    ]
    return _card(f"At a glance: {condition.name}", [r for r in rows if r])


def render_list_markup(items: Sequence[Markup]) -> Markup:
    return html("<ul>{}</ul>", Markup("").join(html("<li>{}</li>", i) for i in items))


def _card(caption: str, rows: list[tuple[str, Markup]]) -> Markup:
    table = render_table(caption, [escape("Question"), escape("Answer")],
                         [Row(escape(label), [Cell(value)]) for label, value in rows])
    return html('\n<div class="at-a-glance">{}</div>\n', table)


def render_conditions_for_procedure(procedure: Procedure, handbook: Handbook, link: Link) -> Markup:
    """Who the procedure may help: one row per linked condition."""
    rows = [
        Row(
            render_link(link("conditions", use.condition), handbook.conditions[use.condition].name),
            [role_cell(use.role), evidence_cell(use.evidence), Cell(escape(use.note) if use.note else NOT_APPLICABLE)],
        )
        for use in procedure.conditions
    ]
    return render_table(f"Conditions {procedure.name.lower()} is used for",
                        ["Condition", "Role", "Strength of evidence", "Note"], rows, sortable=True)


def render_options_for_condition(condition_id: str, handbook: Handbook, link: Link) -> Markup:
    """The interventional options for a condition, from every procedure that lists it."""
    condition = handbook.conditions[condition_id]
    rows = [
        Row(
            render_link(link("procedures", pid), handbook.procedures[pid].name),
            [role_cell(use.role), evidence_cell(use.evidence), Cell(escape(use.note) if use.note else NOT_APPLICABLE)],
        )
        for pid, use in handbook.links_for_condition(condition_id)
    ]
    if not rows:
        return html("<p>No interventional procedure in this handbook lists {} yet.</p>", condition.name)
    return render_table(f"Interventional options for {condition.name.lower()}",
                        ["Procedure", "Role", "Strength of evidence", "Note"], rows, sortable=True)


def render_condition_procedure_matrix(handbook: Handbook, link: Link) -> Markup:
    """Conditions as rows, procedures as columns, the role in each cell."""
    procedures = list(handbook.procedures.items())
    headers: list[Markup] = [escape("Condition")]
    headers += [render_link(link("procedures", pid), p.short_name or p.name) for pid, p in procedures]
    rows = []
    for cid, condition in handbook.conditions.items():
        roles = {pid: use for pid, use in handbook.links_for_condition(cid)}
        # An empty cell stays empty (the stylesheet shows a dash): the table grows as conditions
        # times procedures, so each empty cell should cost a few bytes, not a hidden sentence.
        cells = [role_cell(roles[pid].role) if pid in roles else EMPTY_CELL for pid, _ in procedures]
        regions = " ".join(condition.body_regions)
        rows.append(Row(render_link(link("conditions", cid), condition.name), cells,
                        html(' data-regions="{}"', regions)))
    options = Markup("").join(
        html('<option value="{}">{}</option>', region, label)
        for region, label in BODY_REGION_LABELS.items()
    )
    # The filter is hidden until handbook.js wires it up; without JavaScript the full table shows.
    region_filter = html(
        '\n<p class="region-filter" hidden><label for="region-filter">Show conditions felt in</label> '
        '<select id="region-filter" data-filters-table="condition-matrix">'
        '<option value="">All body regions</option>{}</select></p>\n',
    options)
    table = render_table("Which procedures are used for which conditions, and their role",
                         headers, rows, sortable=True, searchable=False)
    return region_filter + render_role_legend() + html('<div id="condition-matrix">{}{}</div>\n',
                                                       table, render_matrix_list(handbook, link))


def render_matrix_list(handbook: Handbook, link: Link) -> Markup:
    """The matrix condition by condition, for phones (the stylesheet shows it instead of the table)."""
    items = []
    for cid, condition in handbook.conditions.items():
        uses = sorted(handbook.links_for_condition(cid), key=lambda item: -ROLE_RANK[item[1].role])
        entries = Markup("").join(
            html("<li>{} {}</li>", render_role(use.role),
                 render_link(link("procedures", pid), handbook.procedures[pid].name))
            for pid, use in uses) or html("<li>{}</li>", "No procedure in this handbook lists it yet.")
        items.append(html('<li data-regions="{}"><p class="matrix-list__name">{}</p><ul>{}</ul></li>',
                          " ".join(condition.body_regions),
                          render_link(link("conditions", cid), condition.name), entries))
    return html('<ul class="matrix-list" aria-label="Procedures used for each condition" data-search-exclude>{}</ul>\n',
                Markup("").join(items))


def render_procedure_list(procedures: Sequence[tuple[str, Procedure]], link: Link, caption: str) -> Markup:
    """A sortable list of procedures: name, type, purpose, evidence."""
    rows = [
        Row(render_link(link("procedures", pid), p.name),
            [Cell(escape(CATEGORY_LABELS[p.category])), Cell(escape(PURPOSE_LABELS[p.purpose])),
             Cell(escape(p.summary)), evidence_cell(p.evidence.strength)])
        for pid, p in procedures
    ]
    return render_table(caption, ["Procedure", "Group", "Purpose", "What is done", "Strength of evidence"],
                        rows, sortable=True)


def render_condition_list(conditions: Sequence[tuple[str, Condition]], link: Link, caption: str) -> Markup:
    """A sortable list of conditions: name, body region, summary."""
    rows = [
        Row(render_link(link("conditions", cid), c.name),
            [Cell(escape(", ".join(BODY_REGION_LABELS[r] for r in c.body_regions))), Cell(escape(c.summary))])
        for cid, c in conditions
    ]
    return render_table(caption, ["Condition", "Where it is felt", "What it is"], rows, sortable=True)


# --------------------------------------------------------------------------
# References and citations
# --------------------------------------------------------------------------


def render_reference(reference: Reference) -> Markup:
    parts = [escape(reference.authors.rstrip(".") + ". ") if reference.authors else Markup("")]
    parts.append(html("<cite>{}</cite>. {}. {}.", reference.title.rstrip("."), reference.published_in.rstrip("."),
                      reference.year))
    if reference.doi:
        parts.append(html(' DOI: <a href="https://doi.org/{0}">{0}</a>.', reference.doi))
    if reference.pmid:
        parts.append(html(' PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/{0}/">{0}</a>.', reference.pmid))
    if reference.url:
        parts.append(html(' <a href="{0}">{0}</a>', reference.url))
    return Markup("").join(parts)


def render_reference_list(references: Sequence[Reference]) -> Markup:
    """A numbered list; item n has the anchor ref-<id> that citations point to.

    Left out of the search index: a search for a word should find the pages that explain it,
    not every page whose reference titles contain it.
    """
    items = Markup("\n").join(
        html('<li id="ref-{}">{}</li>', r.id, render_reference(r)) for r in references
    )
    return html('\n<ol class="references" data-search-exclude>\n{}\n</ol>\n', items)


def render_citation(numbers: Sequence[tuple[int, str]]) -> Markup:
    """Inline citation such as [1, 3], each number linking to its reference."""
    links = Markup(", ").join(
        html('<a href="#ref-{}">{}</a>', ref_id, number) for number, ref_id in numbers
    )
    return html('<sup class="citation">[{}]</sup>', links)


def render_review_record(last_reviewed, next_review_due, source_count: int) -> Markup:
    return html(
        '<p>Last reviewed <time datetime="{0}">{1}</time>. Next review due '
        '<time datetime="{2}">{3}</time>. Checked against the {4} source{5} listed on this page.</p>',
    last_reviewed.isoformat(), _long_date(last_reviewed), next_review_due.isoformat(),
             _long_date(next_review_due), source_count, "" if source_count == 1 else "s")


def _long_date(value) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"


def render_glossary(entries) -> Markup:
    """The glossary as a definition list, sorted by term."""
    items = []
    for entry in sorted(entries, key=lambda e: e.term.lower()):
        term = html("{} ({})", entry.term, entry.abbreviation) if entry.abbreviation else escape(entry.term)
        items.append(html('<dt id="{}">{}</dt><dd>{}</dd>', _slug(entry.term), term, entry.definition))
    return html('\n<dl class="glossary">\n{}\n</dl>\n', Markup("\n").join(items))


def _slug(text: str) -> str:
    import re

    return "term-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def abbreviation_glossary(entries) -> dict[str, str]:
    """Tooltip text for each glossary term and abbreviation, for the abbr extension's glossary."""
    tips: dict[str, str] = {}
    for entry in entries:
        if entry.abbreviation:
            tips[entry.abbreviation] = entry.term
        tip = " ".join(entry.definition.split())
        for variant in (entry.term, entry.term[0].lower() + entry.term[1:]):
            tips[variant] = tip
    return tips


# --------------------------------------------------------------------------
# Data reference (generated from the models, so it cannot drift from the code)
# --------------------------------------------------------------------------


def describe_type(annotation) -> str:
    """An editor's description of what a field accepts."""
    import typing
    from datetime import date as date_type

    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return describe_type(args[0])
    if origin is typing.Literal:
        return "one of: " + ", ".join(f"{a}" for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        kinds = [describe_type(a) for a in args if a is not type(None)]
        return " or ".join(kinds) + (" (optional)" if type(None) in args else "")
    if origin is list:
        return f"list of {describe_type(args[0])}"
    if origin is dict:
        return "mapping"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"group: {annotation.__name__}"
    if annotation is date_type:
        return "date (YYYY-MM-DD)"
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "whole number"
    if annotation is str:
        return "text"
    return getattr(annotation, "__name__", str(annotation))


def render_model_reference(model) -> Markup:
    """One table per model: field, required or not, what it accepts, what it is for."""
    rows = []
    for name, info in model.model_fields.items():
        rows.append(Row(html("<code>{}</code>", name), [
            Cell(escape("Required" if info.is_required() else "Optional")),
            Cell(escape(describe_type(info.annotation))),
            Cell(escape(info.description or "")),
        ]))
    doc = (model.__doc__ or "").strip().splitlines()[0]
    return render_table(html("<code>{}</code>: {}", model.__name__, doc),
                        ["Field", "Required", "Accepts", "What it is for"], rows)


def structured_data(handbook: Handbook, src_path: str, description: str | None, title: str | None,
                    url: str | None) -> dict:
    """schema.org MedicalWebPage for a page, about its procedure or condition when it has one."""
    data: dict = {"@context": "https://schema.org", "@type": "MedicalWebPage", "inLanguage": "en"}
    if title:
        data["name"] = title
    if description:
        data["description"] = description
    if url:
        data["url"] = url
    review = handbook.review_for_page(src_path)
    if review:
        data["lastReviewed"] = review.last_reviewed.isoformat()
    kind, name, entry = handbook.entry_for_page(src_path) or (None, None, None)
    if kind == "procedures":
        data["about"] = {"@type": "MedicalProcedure", "name": entry.name,
                         "alternateName": other_names(entry) or None,
                         "howPerformed": entry.summary,
                         "bodyLocation": entry.target}
        data["audience"] = {"@type": "MedicalAudience", "audienceType": "Patient"}
    elif kind == "conditions":
        data["about"] = {"@type": "MedicalCondition", "name": entry.name,
                         "alternateName": other_names(entry) or None,
                         "signOrSymptom": [{"@type": "MedicalSignOrSymptom", "name": s} for s in entry.symptoms],
                         "possibleTreatment": [
                             {"@type": "MedicalProcedure", "name": handbook.procedures[pid].name}
                             for pid, _ in handbook.links_for_condition(name)]}
    if "about" in data:
        data["about"] = {k: v for k, v in data["about"].items() if v}
    return data
