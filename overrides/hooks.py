"""Small fixes to Material's HTML that the W3C checker and axe-core report on every page.

Run by MkDocs (see `hooks:` in mkdocs.yml) on each page after it is rendered.
Each fix is a narrow text substitution on markup Material itself writes.
"""

from __future__ import annotations

import re
from pathlib import Path

from macros import html_policy  # the project is installed in the venv (make setup)

SEARCH_DIALOG = 'data-md-component="search" role="dialog"'
BUNDLE = re.compile(r'(<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js")>')


def on_post_page(output: str, page, config) -> str:
    # Material writes tabindex="" on navigation labels: an empty tabindex is invalid HTML.
    output = output.replace(' tabindex=""', "")
    # autocomplete is not allowed on checkboxes (Material's drawer and search toggles).
    output = re.sub(r'(<input class="md-toggle"[^>]*?) autocomplete="off"', r"\1", output)
    # The search dialog has no accessible name (axe: aria-dialog-name).
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG + ' aria-label="Search the handbook"')
    # Material's script comes last in the page but without defer, so the browser stops to fetch and
    # run it before it can finish the page; deferred, the page shows first (the handbook's own
    # scripts are deferred too, and run after it in page order, as before).
    output = BUNDLE.sub(r'\1 defer>', output, count=1)
    # A label pointing at a control that is not on the page is invalid.
    for target in set(re.findall(r'<label [^>]*for="([^"]+)"', output)):
        if f'id="{target}"' not in output:
            output = re.sub(rf'(<label [^>]*?) for="{re.escape(target)}"', r"\1", output)
    return html_policy.add_content_security_policy(output)  # last: it hashes the final inline scripts


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


def on_page_content(html: str, page, config, files) -> str:
    """Stop the build when a page's HTML (after Markdown) holds anything macros/html_policy.py refuses."""
    from mkdocs.exceptions import PluginError

    offences = html_policy.check_page_html(html)
    if offences:
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8") if page.file.abs_src_path else ""
        offences = offences[:20]
        lines = [f"docs/{page.file.src_uri}:{line}  {offence.message}  Tip: {html_policy.HTML_TIP}."
                 for offence, line in zip(offences, html_policy.source_lines(source, offences), strict=True)]
        raise PluginError("\n".join(lines))
    return html
