"""The whole handbook as one PDF, from the offline build, printed by Chromium.

    python -m tools.build_pdf OFFLINE_SITE OUTPUT.pdf

Pages follow the navigation order. The PDF opens with a table of contents that
gives each page's number, every page keeps its review record, and every sheet
carries a page number. Needs Chromium (see tools/browser.py). It prints with
JavaScript off and may load nothing from outside the site folder.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from tools.browser import chromium, sealed_page
from tools.printing import PrintError, article_html, configured, handbook_name

PRINT_FILE = "handbook-print.html"


def pages_in_nav_order(site: Path) -> list[Path]:
    """Every page in navigation order: from the home page, follow each page's "Next" footer link.

    (The sidebar cannot tell: with navigation.prune each page holds only its own part of it.)
    """
    order: list[Path] = []
    path: Path | None = (site / "index.html").resolve()
    while path is not None and path.is_file() and path not in order:
        order.append(path)
        found = re.search(r'<a href="([^"]+)" class="md-footer__link md-footer__link--next"',
                          path.read_text(encoding="utf-8"))
        if found is None:
            break
        target = path.parent / html.unescape(found.group(1))
        path = (target / "index.html" if found.group(1).endswith("/") else target).resolve()
    return order


def article_of(path: Path, site: Path, anchors: dict[Path, str], site_url: str = "") -> tuple[str, str]:
    """(title, section) of a page for the printed handbook. Links to other pages go to their section;
    a link to another file of the site (a leaflet, the data) goes to its address on the web site, or is
    left as plain text when the site has no address: never to a file:// address of the build machine."""
    page = path.read_text(encoding="utf-8")
    article = article_html(page)
    if article is None:
        raise PrintError(f"The PDF was not made: {path.relative_to(site.resolve())} has no article (Material's page "
                         "content), so there is nothing of it to print.")
    article = re.sub(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', "", article, flags=re.S)
    article = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", article, flags=re.S)
    article = re.sub(r"<details(?![^>]*\bopen\b)", "<details open", article)  # print every collapsed block
    anchor = anchors[path]
    # Ids must stay unique once all pages share one document.
    article = re.sub(r'\sid="([^"]+)"', lambda m: f' id="{anchor}--{m.group(1)}"', article)

    def relink(match: re.Match) -> str:
        href = match.group(1)
        if href.startswith("#"):
            return f'href="#{anchor}--{href[1:]}"'
        if re.match(r"^[a-z]+:", href):
            return match.group(0)
        target, _, fragment = html.unescape(href).partition("#")
        resolved = (path.parent / target).resolve()
        if resolved in anchors:
            return f'href="#{anchors[resolved]}' + (f"--{html.escape(fragment)}" if fragment else "") + '"'
        if site_url and resolved.is_relative_to(site.resolve()):
            address = f"{site_url.rstrip('/')}/{resolved.relative_to(site.resolve()).as_posix()}"
            return f'href="{html.escape(address + (f"#{fragment}" if fragment else ""))}"'
        return ""

    article = re.sub(r'href="([^"]*)"', relink, article)
    title = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S)
    title_text = html.unescape(re.sub(r"<[^>]+>", "", title.group(1))).strip() if title else path.stem
    return title_text, f'<section class="print-page" id="{anchor}">{article}</section>'


def print_document(site: Path, page_numbers: dict[str, int] | None = None,
                   site_url: str = "") -> tuple[str, dict[str, str]]:
    pages = pages_in_nav_order(site)
    anchors = {path: f"p{number}" for number, path in enumerate(pages)}
    titles, sections = [], []
    for path in pages:
        title, section = article_of(path, site, anchors, site_url)
        titles.append(title)
        sections.append(section)
    toc = "\n".join(
        f'<li><a href="#{anchors[path]}">{html.escape(title)}</a>'
        f'<span class="toc-page">{(page_numbers or {}).get(anchors[path], "")}</span></li>'
        for path, title in zip(pages, titles, strict=True)
    )
    css = "".join(f'<link rel="stylesheet" href="{p.relative_to(site).as_posix()}">'
                  for p in sorted((site / "assets" / "stylesheets").glob("*.css")))
    name = html.escape(handbook_name())
    document = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{name}</title>{css}
<style>
  body {{ font-size: 11pt; }}
  .print-page {{ break-before: page; }}
  .toc li {{ display: flex; justify-content: space-between; border-bottom: 1px dotted #999; }}
  .md-typeset table:not([class]) {{ font-size: 0.6rem; }}
</style></head>
<body class="md-typeset"><main>
<h1>{name}</h1>
<p>The whole handbook in one document. Education, not medical advice: in an emergency, call your
local emergency number. Each section ends with its review record.</p>
<h2>Contents</h2><ol class="toc">{toc}</ol>
{''.join(sections)}
</main></body></html>"""
    return document, {anchors[p]: title for p, title in zip(pages, titles, strict=True)}


def find_page_numbers(pdf: Path, titles: dict[str, str]) -> dict[str, int]:
    """The sheet on which each section starts, read from the PDF's outline (its bookmarks)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    # Top-level bookmarks are the h1 of each section; nested ones are its h2 and h3.
    entries = [(" ".join(str(item.title).split()), reader.get_destination_page_number(item) + 1)
               for item in reader.outline if not isinstance(item, list)]
    numbers, position = {}, 1  # entry 0 is the document's own title
    for anchor, title in titles.items():
        wanted = " ".join(title.split())
        for index in range(position, len(entries)):
            if entries[index][0] == wanted:
                numbers[anchor] = entries[index][1]
                position = index + 1
                break
    return numbers


FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
          '{name} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')


def build_pdf(site: Path, output: Path, browser=None) -> None:
    """Print the handbook; `browser`: a Chromium already started (the build shares one), else one is started."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with chromium(browser) as printing:
        print_handbook(printing, site, output)


def print_handbook(browser, site: Path, output: Path) -> None:
    print_file = site / PRINT_FILE
    footer = FOOTER.format(name=html.escape(handbook_name()))
    site_url = configured("site_url")
    try:
        with sealed_page(browser, site) as (page, refused):
            numbers: dict[str, int] | None = None
            for _ in range(2):  # print once to learn where sections start, then with page numbers
                document, titles = print_document(site, numbers, site_url)
                print_file.write_text(document, encoding="utf-8")
                page.goto(print_file.as_uri())
                page.emulate_media(media="print")
                page.pdf(path=str(output), format="A4", print_background=False, display_header_footer=True,
                         header_template="<span></span>", footer_template=footer, outline=True, tagged=True,
                         margin={"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
                numbers = find_page_numbers(output, titles)
    finally:
        print_file.unlink(missing_ok=True)
    if refused:
        output.unlink(missing_ok=True)
        raise PrintError(f"The PDF was not made: a page asked for something outside the site, which was refused: "
                         f"{', '.join(sorted(set(refused))[:5])}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    try:
        build_pdf(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
    except PrintError as error:
        raise SystemExit(str(error)) from None
