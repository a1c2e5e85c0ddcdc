"""The handbook's macros: what a page can call between {{ and }}.

Pages opt in with `render_macros: true` in their front matter. The data is
read and validated once per build, here in define_env; a problem stops the
build with a list of every problem (file, line, what, how to fix).

Macros (the CONTRIBUTING guide lists them from these docstrings):
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from . import rendering
from .rendering import html
from .loading import DataError, Handbook, load_handbook
from .models import CATEGORY_LABELS

OFFLINE_ZIP = "downloads/ipm-handbook-offline.zip"
PDF = "downloads/ipm-handbook.pdf"
LEAFLETS = "downloads/leaflets"
"""Where tools/build_site.py puts the offline download, the PDF and the leaflets inside the site."""


def leaflet_file(kind: str, entry_id: str) -> str:
    """Where the leaflet of a procedure or condition is in the site: downloads/leaflets/procedure-<id>.pdf."""
    return f"{LEAFLETS}/{kind.removesuffix('s')}-{entry_id}.pdf"

__all__ = ["define_env", "on_pre_page_macros", "on_post_build", "render_macro_calls", "DataError", "load_handbook"]


class PageContext:
    """What the macros need to know about the page being rendered."""

    def __init__(self, env, handbook: Handbook):
        self.env = env
        self.handbook = handbook

    @property
    def page(self):
        return self.env.page

    @property
    def src_path(self) -> str:
        return self.page.file.src_uri

    def where(self) -> str:
        return f"docs/{self.src_path}"

    def link(self, kind: str, entry_id: str) -> str:
        """Relative address of docs/<kind>/<entry_id>.md from the current page."""
        files = self.env.variables["files"]
        target = files.get_file_from_path(f"{kind}/{entry_id}.md")
        if target is None:
            raise PluginError(f"{self.where()}: no page {kind}/{entry_id}.md to link to")
        return target.url_relative_to(self.page.file)

    def entry(self, kind: str, entry_id: str | None):
        """The data entry named, or the one this page belongs to."""
        entries = getattr(self.handbook, kind)
        if entry_id is None:
            folder, _, name = self.src_path.removesuffix(".md").partition("/")
            if folder != kind or name not in entries:
                raise PluginError(
                    f"{self.where()}: this macro needs a {kind[:-1]} id here, because this page "
                    f"is not a {kind[:-1]} page. Tip: write it as in the file name in data/{kind}/."
                )
            entry_id = name
        if entry_id not in entries:
            raise PluginError(
                f"{self.where()}: there is no {kind[:-1]} '{entry_id}'. "
                f"Tip: use a file name from data/{kind}/ without .yml."
            )
        return entry_id, entries[entry_id]

    def page_references(self) -> list[str]:
        """Reference ids of the current page: its data entry's, else its front matter's."""
        folder, _, name = self.src_path.removesuffix(".md").partition("/")
        if folder == "procedures" and name in self.handbook.procedures:
            return list(self.handbook.procedures[name].references)
        if folder == "conditions" and name in self.handbook.conditions:
            return list(self.handbook.conditions[name].references)
        return list(self.page.meta.get("references") or [])


def _is_offline(env) -> bool:
    return any(name.endswith("offline") for name in env.conf["plugins"])


def _leaflet_anchor(env, page_url: str, kind: str, entry_id: str, text: str) -> Markup:
    """A link to an entry's leaflet PDF, relative to the page, with what a reader needs to know first:
    its size in the online site after make build; in the offline copy it is already on the computer."""
    target = leaflet_file(kind, entry_id)
    built = Path(os.environ.get("HANDBOOK_DOWNLOADS", "/nonexistent")) / Path(target).relative_to("downloads")
    if _is_offline(env):
        details = "PDF"
    elif built.is_file():
        details = f"PDF, {max(1, round(built.stat().st_size / 1000))} kB"
    else:
        details = "PDF, made by make build"
    return html('<a href="{}" type="application/pdf">{} ({})</a>', get_relative_url(target, page_url), text, details)


def _with_leaflet_link(env, handbook: Handbook, markdown: str) -> str:
    """An entry page's Markdown with "Print a leaflet" under its title."""
    kind, _, entry_id = env.page.file.src_uri.removesuffix(".md").partition("/")
    if kind not in ("procedures", "conditions") or entry_id not in getattr(handbook, kind):
        return markdown
    link = html('\n\n<p class="leaflet-link">{}</p>\n\n',
                _leaflet_anchor(env, env.page.url, kind, entry_id, "Print a leaflet"))
    title = re.search(r"^# .*$", markdown, re.M)
    at = title.end() if title else 0
    return markdown[:at] + str(link) + markdown[at:]


HANDBOOK_MACROS: set[str] = set()
"""Names of the macros defined in define_env (filled there)."""


def define_env(env) -> None:
    """Load the data once and register the macros."""
    project_dir = Path(env.project_dir)
    try:
        handbook = load_handbook(project_dir, env.conf["docs_dir"])
    except DataError as error:
        # PluginError makes MkDocs print the message and exit 1, without a traceback.
        raise PluginError(str(error)) from None
    ctx = PageContext(env, handbook)
    env.variables["handbook"] = handbook
    # Glossary terms get a tooltip on every page: the abbr extension's glossary option does it in
    # one pass (appending '*[term]: ...' lines to each page made Markdown re-scan them line by line).
    env.conf["mdx_configs"].setdefault("abbr", {})["glossary"] = rendering.abbreviation_glossary(handbook.glossary)
    defined_before = set(env.macros)

    @env.macro
    def at_a_glance(entry_id: str | None = None) -> Markup:
        """The at-a-glance table of this procedure or condition page (or of the one named)."""
        folder = ctx.src_path.partition("/")[0]
        kind = "conditions" if folder == "conditions" else "procedures"
        entry_id, entry = ctx.entry(kind, entry_id)
        if kind == "procedures":
            return rendering.render_procedure_card(entry_id, entry, handbook, ctx.link)
        return rendering.render_condition_card(entry_id, entry, handbook, ctx.link)

    @env.macro
    def comparison_table(procedures: list[str] | None = None, category: str | None = None,
                         caption: str | None = None) -> Markup:
        """Compare procedures question by question, beside conservative care.

        `procedures`: a list of ids (default: all); `category`: only that group,
        e.g. "injection"; `caption`: the table's title.
        """
        if category is not None and category not in CATEGORY_LABELS:
            raise PluginError(f"{ctx.where()}: comparison_table category '{category}' is unknown. "
                              f"Tip: use one of {', '.join(CATEGORY_LABELS)}.")
        if procedures is not None and not isinstance(procedures, (list, tuple)):
            raise PluginError(f"{ctx.where()}: comparison_table(procedures={procedures!r}) needs a list of ids. "
                              'Tip: write procedures=["epidural-steroid-injection", "medial-branch-block"].')
        ids = procedures if procedures is not None else list(handbook.procedures)
        chosen = [ctx.entry("procedures", pid) for pid in ids]
        if category:
            chosen = [(pid, p) for pid, p in chosen if p.category == category]
        if not chosen:
            raise PluginError(f"{ctx.where()}: comparison_table has no procedures to compare.")
        title = caption or (
            f"{CATEGORY_LABELS[category]} compared with conservative care" if category
            else "Procedures compared with conservative care"
        )
        return rendering.render_comparison_table(chosen, handbook.conservative_care, ctx.link, title)

    @env.macro
    def comparison_picker() -> Markup:
        """Let the reader pick two to four procedures, or a condition, and compare them side by side.

        Needs comparison_table() (all procedures) on the same page; works offline and by keyboard.
        """
        return rendering.render_comparison_picker(handbook)

    @env.macro
    def care_approaches_table() -> Markup:
        """Conventional and interventional pain care side by side (data/care-approaches.yml)."""
        return rendering.render_care_approaches(handbook)

    @env.macro
    def condition_procedure_matrix() -> Markup:
        """Every condition (rows) against every procedure (columns), with the procedure's role."""
        return rendering.render_condition_procedure_matrix(handbook, ctx.link)

    @env.macro
    def options_for_condition(condition_id: str | None = None) -> Markup:
        """The interventional options for this condition page (or the condition named)."""
        condition_id, _ = ctx.entry("conditions", condition_id)
        return rendering.render_options_for_condition(condition_id, handbook, ctx.link)

    @env.macro
    def conditions_for_procedure(procedure_id: str | None = None) -> Markup:
        """The conditions this procedure page's procedure (or the one named) is used for."""
        _, procedure = ctx.entry("procedures", procedure_id)
        return rendering.render_conditions_for_procedure(procedure, handbook, ctx.link)

    @env.macro
    def procedure_list(category: str | None = None) -> Markup:
        """A sortable table of all procedures, or of one group such as "injection"."""
        chosen = [(pid, p) for pid, p in handbook.procedures.items() if category in (None, p.category)]
        caption = f"{CATEGORY_LABELS[category]} in this handbook" if category else "Procedures in this handbook"
        return rendering.render_procedure_list(chosen, ctx.link, caption)

    @env.macro
    def condition_list() -> Markup:
        """A sortable table of all conditions."""
        return rendering.render_condition_list(list(handbook.conditions.items()), ctx.link,
                                               "Conditions in this handbook")

    @env.macro
    def cite(*reference_ids: str) -> Markup:
        """An inline citation such as [2], linking to the page's reference list.

        Each id must be one of the page's references (its data entry's
        `references`, or `references` in the front matter of other pages).
        """
        if not reference_ids:
            raise PluginError(f"{ctx.where()}: cite() names no reference. "
                              'Tip: write the reference id in quotes, e.g. cite("nice-ng59").')
        own = ctx.page_references()
        numbers = []
        for ref_id in reference_ids:
            if ref_id not in own:
                raise PluginError(
                    f"{ctx.where()}: cite('{ref_id}') names a reference this page does not list. "
                    f"Tip: add '{ref_id}' to the page's references (listed: {', '.join(own) or 'none'})."
                )
            numbers.append((own.index(ref_id) + 1, ref_id))
        return rendering.render_citation(numbers)

    @env.macro
    def reference_list() -> Markup:
        """The numbered list of this page's references."""
        return rendering.render_reference_list([handbook.references[r] for r in ctx.page_references()])

    @env.macro
    def download_link(kind: str) -> Markup:
        """The link to a download ("offline" zip or "pdf"), with its size and date when built by make build."""
        if kind not in ("offline", "pdf"):
            raise PluginError(f"{ctx.where()}: download_link('{kind}') is unknown. Tip: use 'offline' or 'pdf'.")
        if _is_offline(env):
            return Markup("<p><strong>You are reading the offline copy.</strong> "
                          "Download a fresh copy from the handbook's website from time to time.</p>")
        target = OFFLINE_ZIP if kind == "offline" else PDF
        label = "Download the offline handbook (zip file" if kind == "offline" else "Download the handbook as a PDF ("
        built = Path(os.environ.get("HANDBOOK_DOWNLOADS", "/nonexistent")) / Path(target).name
        details = ""
        if built.is_file():
            stat = built.stat()
            when = datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc).date()
            details = f"{', ' if kind == 'offline' else ''}{stat.st_size / 1_000_000:.1f} MB, made {when:%-d %B %Y}"
        elif kind == "pdf":
            details = "made by make build"
        href = get_relative_url(target, ctx.page.url)
        return html('<p><a href="{}" download>{}{})</a></p>', href, label, details)

    @env.macro
    def leaflet_list() -> Markup:
        """Every procedure's and condition's printable leaflet, by name, with its size when built."""
        groups = []
        for kind, heading in (("procedures", "Procedures"), ("conditions", "Conditions")):
            entries = sorted(getattr(handbook, kind).items(), key=lambda item: item[1].name.lower())
            links = Markup("").join(html("<li>{}</li>", _leaflet_anchor(env, ctx.page.url, kind, entry_id, entry.name))
                                    for entry_id, entry in entries)
            groups.append(html("<h3>{}</h3>\n<ul>{}</ul>", heading, links))
        return Markup("\n").join(groups)

    @env.macro
    def data_reference() -> Markup:
        """Every data field, its allowed values and its meaning, generated from macros/models.py."""
        from . import models

        parts = [rendering.render_model_reference(model) for model in (
            models.Procedure, models.ConditionLink, models.Evidence, models.Review, models.Condition,
            models.Reference, models.SourceCheck, models.ConservativeCare, models.CareApproaches, models.CareApproachRow,
            models.GlossaryEntry, models.PageMeta)]
        return Markup("\n").join(parts)

    @env.macro
    def figure(name: str, caption: str) -> Markup:
        """An accessible figure: docs/assets/figures/<name>.svg inlined (so it follows dark mode), with a caption.

        The SVG must have role="img", a <title> and a <desc>, and aria-labelledby naming both.
        """
        path = Path(env.conf["docs_dir"]) / "assets" / "figures" / f"{name}.svg"
        if not path.is_file():
            raise PluginError(f"{ctx.where()}: figure('{name}') has no file docs/assets/figures/{name}.svg. "
                              "Tip: check the name; figures are SVG files in docs/assets/figures/.")
        svg = path.read_text(encoding="utf-8")
        svg = svg[svg.index("<svg"):]  # drop any XML declaration or comment before the element
        missing = [part for part in ('role="img"', "<title", "<desc", "aria-labelledby") if part not in svg]
        if missing:
            raise PluginError(f"{ctx.where()}: docs/assets/figures/{name}.svg lacks {', '.join(missing)}. "
                              "Tip: every figure needs role=\"img\", a <title>, a <desc> and aria-labelledby.")
        return html('\n<figure class="handbook-figure">\n{}\n<figcaption>{}</figcaption>\n</figure>\n',
            Markup(" ".join(svg.split())), caption)

    @env.macro
    def site_file_link(path: str, text: str) -> Markup:
        """A link to a file the build adds to the site (such as data/handbook.json), relative to this page."""
        return html('<a href="{}">{}</a>', get_relative_url(path, ctx.page.url), text)

    @env.macro
    def glossary() -> Markup:
        """Every glossary term with its definition."""
        return rendering.render_glossary(handbook.glossary)

    HANDBOOK_MACROS.update(set(env.macros) - defined_before)


def on_pre_page_macros(env) -> None:
    """Check the page's macros render, and give the theme its review record."""
    _check_page_renders(env)
    handbook: Handbook = env.variables["handbook"]
    env.markdown = _with_leaflet_link(env, handbook, env.markdown)
    review = handbook.review_for_page(env.page.file.src_uri)
    if review is not None:
        env.page.meta["review_record"] = rendering.render_review_record(
            review.last_reviewed, review.next_review_due, len(PageContext(env, handbook).page_references())
        )
    env.page.meta["structured_data"] = rendering.structured_data(
        handbook, env.page.file.src_uri, env.page.meta.get("description"), env.page.title,
        env.page.canonical_url,
    )


def _check_page_renders(env) -> None:
    """Render the page's macros here, so an editor's mistake is reported as file:line with a
    tip and no Python traceback (mkdocs-macros itself would print one)."""
    import re

    import jinja2.nodes

    where = f"docs/{env.page.file.src_uri}"
    offset = _front_matter_lines(env)
    if not env.page.meta.get("render_macros"):
        calls = "|".join(sorted(HANDBOOK_MACROS))
        for number, line in enumerate(env.markdown.splitlines(), start=1):
            if calls and (match := re.search(rf"\{{\{{\s*({calls})\s*\(", line)):
                raise PluginError(f"{where}:{number + offset}  {match.group(1)}() is written here, but this page "
                                  "does not render macros  Tip: add 'render_macros: true' to its front matter.")
        return
    try:
        tree = env.env.parse(env.markdown)
        nodes = list(tree.find_all((jinja2.nodes.Call, jinja2.nodes.Name)))
        called = {id(node.node) for node in nodes if isinstance(node, jinja2.nodes.Call)}
        for name in nodes:
            if isinstance(name, jinja2.nodes.Name) and name.name in HANDBOOK_MACROS and id(name) not in called:
                raise PluginError(f"{where}:{name.lineno + offset}  {name.name} is written without brackets  "
                                  f"Tip: write {name.name}() so the macro runs.")
        variables = {**env.variables, **env.page.meta}
        rendered = render_macro_calls(tree, env.env, variables)
        if rendered is None:
            rendered = env.env.from_string(tree).render(**variables)
    except PluginError as error:
        if re.match(rf"{re.escape(where)}:\d+  ", str(error)):  # already says file and line
            raise
        raise PluginError(_explain_macro_error(env, error)) from None
    except Exception as error:  # noqa: BLE001 - every kind of mistake is reported the same way
        raise PluginError(_explain_macro_error(env, error)) from None
    # Use this rendering and tell mkdocs-macros the page is done, so it is not rendered twice
    # (and text that came out of the data is never read as a macro).
    env.markdown = rendered
    env.page.meta["render_macros"] = False


def render_macro_calls(tree, environment, variables: dict) -> str | None:
    """The page's text with each macro call replaced by its result, as Jinja would render it,
    when the page holds only text and calls such as {{ cite("nice-ng59") }} with constant
    arguments, as the handbook's pages do. Jinja would first compile the whole page into Python,
    which costs more than everything else the macros do; the calls are taken straight from the
    page's parsed template instead. None when the page uses anything else (a variable, a filter,
    {% if %}, ...), or a call fails: then Jinja renders it, and reports any mistake with its line.
    """
    import jinja2.nodes as nodes

    if environment.finalize is not None or environment.autoescape is not False:
        return None
    context = nodes.EvalContext(environment)
    parts: list[str] = []
    for output in tree.body:
        if not isinstance(output, nodes.Output):
            return None
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                parts.append(node.data)
                continue
            if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)
                    and node.node.name in HANDBOOK_MACROS and node.dyn_args is None and node.dyn_kwargs is None):
                return None
            function = variables.get(node.node.name, environment.globals.get(node.node.name))
            try:
                args = [arg.as_const(context) for arg in node.args]
                kwargs = {keyword.key: keyword.value.as_const(context) for keyword in node.kwargs}
                parts.append(str(function(*args, **kwargs)))
            except Exception:  # noqa: BLE001 - Jinja renders the page again and reports it
                return None
    return "".join(parts)


def _front_matter_lines(env) -> int:
    src = env.page.file.abs_src_path
    text = Path(src).read_text(encoding="utf-8") if src else ""
    return text[: len(text) - len(env.markdown)].count("\n") if text.endswith(env.markdown) else 0


def _explain_macro_error(env, error: Exception) -> str:
    import traceback

    import jinja2

    where = f"docs/{env.page.file.src_uri}"
    offset = _front_matter_lines(env)
    line = getattr(error, "lineno", None)
    if line is None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
        line = frames[-1].lineno if frames else 0
    line = (line or 0) + offset
    names = ", ".join(sorted(HANDBOOK_MACROS))
    if isinstance(error, jinja2.TemplateSyntaxError):
        message, tip = f"macro syntax error: {error.message}", "a macro call looks like {{ cite(\"nice-ng59\") }}"
    elif isinstance(error, jinja2.UndefinedError):
        message, tip = f"{error.message}", f"check the spelling; the macros a page can use are: {names}"
    elif isinstance(error, PluginError):
        message, tip = str(error).partition(" Tip: ")[::2]
        message = message.removeprefix(f"{where}: ")
        tip = tip or "see the list of macros in CONTRIBUTING.md"
    elif isinstance(error, TypeError):
        message, tip = f"a macro was called with the wrong arguments: {error}", f"macros: {names}"
    else:
        message, tip = f"{type(error).__name__}: {error}", "see the list of macros in CONTRIBUTING.md"
    return f"{where}:{line}  {message.rstrip('.')}  Tip: {tip.rstrip('.')}."


def on_post_build(env) -> None:
    """Publish the validated data as JSON, with its JSON Schemas, for others to reuse."""
    import json

    from .schema import write_schemas

    handbook: Handbook = env.variables["handbook"]
    folder = Path(env.conf["site_dir"]) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    dump = {
        "procedures": {k: v.model_dump(mode="json") for k, v in handbook.procedures.items()},
        "conditions": {k: v.model_dump(mode="json") for k, v in handbook.conditions.items()},
        "references": [r.model_dump(mode="json", exclude_none=True) for r in handbook.references.values()],
        "conservative_care": handbook.conservative_care.model_dump(mode="json"),
        "care_approaches": handbook.care_approaches.model_dump(mode="json"),
        "glossary": [g.model_dump(mode="json", exclude_none=True) for g in handbook.glossary],
    }
    (folder / "handbook.json").write_text(json.dumps(dump, indent=1, ensure_ascii=False), encoding="utf-8")
    write_schemas(folder / "schema")
