"""Small fixes to Material's HTML that the W3C checker and axe-core report on every page.

Run by MkDocs (see `hooks:` in mkdocs.yml) on each page after it is rendered.
Each fix is a narrow text substitution on markup Material itself writes.
"""

from __future__ import annotations

import re

SEARCH_DIALOG = 'data-md-component="search" role="dialog"'


def on_post_page(output: str, page, config) -> str:
    # Material writes tabindex="" on navigation labels: an empty tabindex is invalid HTML.
    output = output.replace(' tabindex=""', "")
    # autocomplete is not allowed on checkboxes (Material's drawer and search toggles).
    output = re.sub(r'(<input class="md-toggle"[^>]*?) autocomplete="off"', r"\1", output)
    # The search dialog has no accessible name (axe: aria-dialog-name).
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG + ' aria-label="Search the handbook"')
    # A label pointing at a control that is not on the page is invalid.
    for target in set(re.findall(r'<label [^>]*for="([^"]+)"', output)):
        if f'id="{target}"' not in output:
            output = re.sub(rf'(<label [^>]*?) for="{re.escape(target)}"', r"\1", output)
    return output


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The same fixes for pages built from templates alone, such as 404.html."""
    return on_post_page(output_content, None, config)


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Front matter is plain text: escape it before any page (or another page's navigation) shows it."""
    from markupsafe import escape

    for key in ("description", "title"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = str(escape(page.meta[key]))
    if page.meta.get("title"):
        page.title = page.meta["title"]
    return markdown
