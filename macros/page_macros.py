"""The macros a page can call between {{ and }}.

Pages opt in with `render_macros: true` in their front matter, and may only call these,
with literal arguments. Each is a method of PageMacros; MACROS lists them, in the order
CONTRIBUTING.md's table shows them (`python -m macros macro-table` prints that table, and a
test checks the two agree). Editors read the first line of each docstring there.
"""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from . import render
from .data import Handbook
from .data.models import CATEGORY_LABELS, ID_PATTERN
from .data.registry import DOCUMENTED_MODELS
from .page import PageContext
from .render import html
from .settings import OFFLINE_ZIP, PDF, Settings, leaflet_file


class PageMacros:
    """The macros, bound to the page being rendered."""

    def __init__(self, page: PageContext, handbook: Handbook, config, settings: Settings):
        self.page = page
        self.handbook = handbook
        self.config = config
        self.settings = settings

    @property
    def offline(self) -> bool:
        """Whether this is the offline copy (built with Material's offline plugin)."""
        return any(name.endswith("offline") for name in self.config["plugins"])

    def leaflet_anchor(self, kind: str, entry_id: str, text: str) -> Markup:
        """A link to an entry's leaflet PDF, relative to the page, with what a reader needs to know first:
        its size in the online site after make build; in the offline copy it is already on the computer."""
        target = leaflet_file(kind, entry_id)
        built = self.settings.downloads / Path(target).relative_to("downloads") if self.settings.downloads else None
        if self.offline:
            details = "PDF"
        elif built is not None and built.is_file():
            details = f"PDF, {max(1, round(built.stat().st_size / 1000))} kB"
        else:
            details = "PDF, made by make build"
        return html('<a href="{}">{} ({})</a>',
                    get_relative_url(target, self.page.page.url), text, details)

    def with_leaflet_link(self, markdown: str) -> str:
        """An entry page's Markdown with "Print a leaflet" under its title (other pages unchanged)."""
        found = self.handbook.entry_for_page(self.page.src_path)
        if found is None:
            return markdown
        kind, entry_id, _ = found
        link = html('\n\n<p class="leaflet-link">{}</p>\n\n', self.leaflet_anchor(kind, entry_id, "Print a leaflet"))
        title = re.search(r"^# .*$", markdown, re.M)
        at = title.end() if title else 0
        return markdown[:at] + str(link) + markdown[at:]

    def at_a_glance(self, entry_id: str | None = None) -> Markup:
        """The at-a-glance table of this procedure or condition page (or of the one named)."""
        folder = self.page.src_path.partition("/")[0]
        kind = "conditions" if folder == "conditions" else "procedures"
        entry_id, entry = self.page.entry(kind, entry_id)
        if kind == "procedures":
            return render.render_procedure_card(entry_id, entry, self.handbook, self.page.link)
        return render.render_condition_card(entry_id, entry, self.handbook, self.page.link)

    def comparison_table(self, procedures: list[str] | None = None, category: str | None = None,
                         caption: str | None = None) -> Markup:
        """Compare procedures question by question, beside conservative care.

        `procedures`: a list of ids (default: all); `category`: only that group,
        e.g. "injection"; `caption`: the table's title.
        """
        self._known_category("comparison_table", category)
        ids = procedures if procedures is not None else list(self.handbook.procedures)
        chosen = [self.page.entry("procedures", pid) for pid in ids]
        if category:
            chosen = [(pid, p) for pid, p in chosen if p.category == category]
        if not chosen:
            raise PluginError(f"{self.page.where()}: comparison_table has no procedures to compare.")
        title = caption or (
            f"{CATEGORY_LABELS[category]} compared with conservative care" if category
            else "Procedures compared with conservative care"
        )
        return render.render_comparison_table(chosen, self.handbook.conservative_care, self.page.link, title)

    def comparison_picker(self) -> Markup:
        """Let the reader pick two to four procedures, or a condition, and compare them side by side.

        Needs comparison_table() (all procedures) on the same page; works offline and by keyboard.
        """
        return render.render_comparison_picker(self.handbook)

    def care_approaches_table(self) -> Markup:
        """Conventional and interventional pain care side by side (data/care-approaches.yml)."""
        return render.render_care_approaches(self.handbook)

    def condition_procedure_matrix(self) -> Markup:
        """Every condition (rows) against every procedure (columns), with the procedure's role."""
        return render.render_condition_procedure_matrix(self.handbook, self.page.link)

    def options_for_condition(self, condition_id: str | None = None) -> Markup:
        """The interventional options for this condition page (or the condition named)."""
        condition_id, _ = self.page.entry("conditions", condition_id)
        return render.render_options_for_condition(condition_id, self.handbook, self.page.link)

    def conditions_for_procedure(self, procedure_id: str | None = None) -> Markup:
        """The conditions this procedure page's procedure (or the one named) is used for."""
        _, procedure = self.page.entry("procedures", procedure_id)
        return render.render_conditions_for_procedure(procedure, self.handbook, self.page.link)

    def _known_category(self, macro: str, category: str | None) -> None:
        if category is not None and category not in CATEGORY_LABELS:
            raise PluginError(f"{self.page.where()}: {macro} category '{category}' is unknown. "
                              f"Tip: use one of {', '.join(CATEGORY_LABELS)}.")

    def procedure_list(self, category: str | None = None) -> Markup:
        """A sortable table of all procedures, or of one group such as "injection"."""
        self._known_category("procedure_list", category)
        chosen = [(pid, p) for pid, p in self.handbook.procedures.items() if category in (None, p.category)]
        caption = f"{CATEGORY_LABELS[category]} in this handbook" if category else "Procedures in this handbook"
        return render.render_procedure_list(chosen, self.page.link, caption)

    def condition_list(self) -> Markup:
        """A sortable table of all conditions."""
        return render.render_condition_list(list(self.handbook.conditions.items()), self.page.link,
                                               "Conditions in this handbook")

    def cite(self, *reference_ids: str) -> Markup:
        """An inline citation such as [2], linking to the page's reference list.

        Each id must be one of the page's references (its data entry's
        `references`, or `references` in the front matter of other pages).
        """
        if not reference_ids:
            raise PluginError(f"{self.page.where()}: cite() names no reference. "
                              'Tip: write the reference id in quotes, e.g. cite("nice-ng59").')
        own = self.page.page_references()
        numbers = []
        for ref_id in reference_ids:
            if ref_id not in own:
                raise PluginError(
                    f"{self.page.where()}: cite('{ref_id}') names a reference this page does not list. "
                    f"Tip: add '{ref_id}' to the page's references (listed: {', '.join(own) or 'none'})."
                )
            numbers.append((own.index(ref_id) + 1, ref_id))
        return render.render_citation(numbers)

    def reference_list(self) -> Markup:
        """The numbered list of this page's references."""
        return render.render_reference_list([self.handbook.references[r] for r in self.page.page_references()])

    def download_link(self, kind: str) -> Markup:
        """The link to a download ("offline" zip or "pdf"), with its size and date when built by make build."""
        if kind not in ("offline", "pdf"):
            raise PluginError(f"{self.page.where()}: download_link('{kind}') is unknown. Tip: use 'offline' or 'pdf'.")
        if self.offline:
            return Markup("<p><strong>You are reading the offline copy.</strong> "
                          "Download a fresh copy from the handbook's website from time to time.</p>")
        target = OFFLINE_ZIP if kind == "offline" else PDF
        label = "Download the offline handbook (zip file" if kind == "offline" else "Download the handbook as a PDF ("
        built = self.settings.downloads / Path(target).name if self.settings.downloads else None
        details = ""
        if built is not None and built.is_file():
            stat = built.stat()
            when = datetime.fromtimestamp(stat.st_mtime, tz=UTC).date()
            details = f"{', ' if kind == 'offline' else ''}{stat.st_size / 1_000_000:.1f} MB, made {when:%-d %B %Y}"
        elif kind == "pdf":
            details = "made by make build"
        href = get_relative_url(target, self.page.page.url)
        return html('<p><a href="{}" download>{}{})</a></p>', href, label, details)

    def leaflet_list(self) -> Markup:
        """A link to every procedure's and condition's printable leaflet, with its size."""
        groups = []
        for kind, heading in (("procedures", "Procedures"), ("conditions", "Conditions")):
            entries = sorted(getattr(self.handbook, kind).items(), key=lambda item: item[1].name.lower())
            links = Markup("").join(html("<li>{}</li>", self.leaflet_anchor(kind, entry_id, entry.name))
                                    for entry_id, entry in entries)
            groups.append(html("<h3>{}</h3>\n<ul>{}</ul>", heading, links))
        return Markup("\n").join(groups)

    def data_reference(self) -> Markup:
        """Every data field, its allowed values and its meaning, generated from macros/data/models.py."""
        parts = [render.render_model_reference(model) for model in DOCUMENTED_MODELS]
        return Markup("\n").join(parts)

    def figure(self, name: str, caption: str) -> Markup:
        """An accessible figure: docs/assets/figures/NAME.svg inlined (so it follows dark mode), with a caption.

        The SVG must have role="img", a <title> and a <desc>, and aria-labelledby naming both.
        """
        if len(name) > 100 or not re.fullmatch(ID_PATTERN, name):  # a name, never a path to a file elsewhere
            raise PluginError(f"{self.page.where()}: figure({name[:80]!r}) is not a figure's name. Tip: use the "
                              "file name of an SVG in docs/assets/figures/, without .svg (letters, digits, hyphens).")
        path = Path(self.config["docs_dir"]) / "assets" / "figures" / f"{name}.svg"
        if not path.is_file():
            raise PluginError(f"{self.page.where()}: figure('{name}') has no file docs/assets/figures/{name}.svg. "
                              "Tip: check the name; figures are SVG files in docs/assets/figures/.")
        # Every SVG under docs/ was checked when the data was loaded: UTF-8, an <svg> element, and
        # nothing but the safe subset (macros/data/loading.py, macros/html_policy.py).
        svg = path.read_text(encoding="utf-8")
        svg = svg[svg.index("<svg"):]  # drop any XML declaration or comment before the element
        missing = [part for part in ('role="img"', "<title", "<desc", "aria-labelledby") if part not in svg]
        if missing:
            raise PluginError(f"{self.page.where()}: docs/assets/figures/{name}.svg lacks {', '.join(missing)}. "
                              "Tip: every figure needs role=\"img\", a <title>, a <desc> and aria-labelledby.")
        return html('\n<figure class="handbook-figure">\n{}\n<figcaption>{}</figcaption>\n</figure>\n',
            Markup(" ".join(svg.split())), caption)

    def site_file_link(self, path: str, text: str) -> Markup:
        """A link to a file the build adds to the site (such as data/handbook.json), relative to this page."""
        return html('<a href="{}">{}</a>', get_relative_url(path, self.page.page.url), text)

    def glossary(self) -> Markup:
        """Every glossary term with its definition."""
        return render.render_glossary(self.handbook.glossary)


MACROS = [
    PageMacros.at_a_glance,
    PageMacros.conditions_for_procedure,
    PageMacros.options_for_condition,
    PageMacros.comparison_table,
    PageMacros.comparison_picker,
    PageMacros.condition_procedure_matrix,
    PageMacros.procedure_list,
    PageMacros.condition_list,
    PageMacros.care_approaches_table,
    PageMacros.cite,
    PageMacros.reference_list,
    PageMacros.figure,
    PageMacros.glossary,
    PageMacros.data_reference,
    PageMacros.download_link,
    PageMacros.leaflet_list,
    PageMacros.site_file_link,
]
"""Every macro a page can call; nothing else is registered."""

MACRO_NAMES = frozenset(function.__name__ for function in MACROS)


def macro_table() -> str:
    """The Markdown table of every macro, its arguments and what it shows, for CONTRIBUTING.md."""
    rows = ["| Macro | What it shows |", "| --- | --- |"]
    for function in MACROS:
        parameters = list(inspect.signature(function).parameters.values())[1:]  # without self
        arguments = ", ".join(
            f"*{p.name}" if p.kind is p.VAR_POSITIONAL
            else p.name if p.default is p.empty else f"{p.name}={p.default!r}"
            for p in parameters)
        summary = inspect.getdoc(function).splitlines()[0].rstrip(".")
        rows.append(f"| `{function.__name__}({arguments})` | {summary} |")
    return "\n".join(rows) + "\n"
