"""What readers on phones need from the built HTML and the search index.

Run by MkDocs (see `hooks:` in mkdocs.yml) after overrides/hooks.py:

- every wide table sits in a labelled scroll region the keyboard can reach (axe:
  scrollable-region-focusable), written into the HTML so it is there without JavaScript;
- headings are never wrapped in glossary markup (a procedure's title is not a tooltip);
- the search index carries each procedure's and condition's other names, including the everyday
  words readers use, in the field weighed like titles;
- Material's search worker is started through the handbook's (assets/javascripts/search-worker.js),
  which tidies queries and ranks pages by how many of the reader's words they hold;
- the search index is fetched when the reader first opens search, not by every page as it loads
  (Material already does so offline; online it fetched it at once).
"""

from __future__ import annotations

import re

from markupsafe import escape
from mkdocs.exceptions import PluginError

from macros.render import search_names  # the project is installed in the venv (make setup)

HEADING = re.compile(r"<(h[1-6])\b[^>]*>.*?</\1>", re.S)
ABBR = re.compile(r"<abbr\b[^>]*>(.*?)</abbr>", re.S)
TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)
WORKER = re.compile(r'("search":\s*"[^"]*?assets/javascripts/)workers/(search\.[0-9a-f]+\.min\.js)"')
CARD_OPENING = '<div class="at-a-glance">'
LAZY_INDEX = {
    # The search box: online it asked for the index at once; now when search opens, as offline.
    'L($(location.protocol!=="file:"),Je("search"))': 'L($(!1),Je("search"))',
    # Highlighting a search's words on the page it opened: it asked for the index on every page,
    # whether or not the address carried words (?h=); now only when it does.
    'z([t,r.pipe(Q(we()),g(o=>!!o.searchParams.get("h")))])':
        'r.pipe(Q(we()),g(o=>!!o.searchParams.get("h")),b(o=>t.pipe(m(n=>[n,o]))))',
}
"""Two places in Material 9.8.1's bundle that fetch the search index, and how each is made to wait."""


def strip_glossary_from_headings(output: str) -> str:
    return HEADING.sub(lambda heading: ABBR.sub(r"\1", heading.group(0)), output)


def wrap_tables_in_scroll_regions(output: str) -> str:
    """A focusable region named by the table's caption around every table but the at-a-glance card."""

    def wrap(match: re.Match) -> str:
        table = match.group(0)
        if output[:match.start()].rstrip().endswith(CARD_OPENING):
            return table  # laid out as a list on phones: it never needs to scroll
        caption = CAPTION.search(table)
        label = re.sub(r"<[^>]+>", "", caption.group(1)).strip() if caption else "Table"
        # The caption is already escaped HTML text: unescape entities before escaping once for the attribute.
        label = escape(_unescape(label))
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">{table}</div>'

    return TABLE.sub(wrap, output)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def on_post_page(output: str, page, config) -> str:
    output = strip_glossary_from_headings(output)
    start, end = output.find("<article"), output.rfind("</article>")
    if start != -1 and end != -1:
        output = output[:start] + wrap_tables_in_scroll_regions(output[start:end]) + output[end:]
    return WORKER.sub(r'\1search-worker.js?material=\2"', output, count=1)


def on_page_context(context, page, config, nav):
    """Give the page's first search entry its other names as tags (weighed like titles in mkdocs.yml)."""
    names = other_names(page, config)
    search = next((plugin for name, plugin in config.plugins.items() if name.endswith("search")), None)
    if names and search is not None and hasattr(search, "search_index"):
        for entry in reversed(search.search_index.entries):
            if entry["location"] == page.url:
                entry["tags"] = names
                break
    return context


def other_names(page, config) -> list[str]:
    """The page's entry's abbreviation and other names (none for a page without an entry)."""
    macros = config.plugins.get("macros")
    handbook = getattr(macros, "variables", {}).get("handbook") if macros else None
    found = handbook.entry_for_page(page.file.src_uri) if handbook is not None else None
    return search_names(found[2]) if found else []


def on_post_build(config) -> None:
    """Make Material's script fetch the search index only when the reader opens search."""
    from pathlib import Path

    bundles = list((Path(config.site_dir) / "assets" / "javascripts").glob("bundle.*.min.js"))
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        for eager, lazy in LAZY_INDEX.items():
            if lazy in text:
                continue
            if text.count(eager) != 1:
                raise PluginError(
                    f"{bundle.name}: Material's search code is not as overrides/reader_hooks.py expects, so the "
                    "search index cannot be deferred. Tip: after upgrading Material, find where its bundle loads "
                    "the index and update LAZY_INDEX in overrides/reader_hooks.py."
                )
            text = text.replace(eager, lazy)
        bundle.write_text(text, encoding="utf-8")
