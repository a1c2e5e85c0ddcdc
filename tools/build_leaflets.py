"""Take-home leaflets: one printable PDF of at most two sides per procedure and per condition.

    python -m tools.build_leaflets OFFLINE_SITE OUTPUT_FOLDER

Nothing is written twice: a leaflet takes the page's own sections (Before, During,
After, Questions, the urgent-help box...) from the built offline page, by heading id,
and the facts (summary, evidence, risks, review dates, sources) from the validated
data. Where a page lacks a section, the leaflet falls back to the data, never to
new text. The page's web address, printed and as a QR code (segno, made here, no
network), comes from site_url in mkdocs.yml (the SITE_URL environment variable);
without one the leaflet names the page and has no QR code.

Every leaflet is printed on a sheet within 210 x 279 mm, the part A4 and US Letter
share, so it prints at full size on either; all are printed in one Chromium session with
JavaScript off that may load only files inside the site (tools/browser.py).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from macros.data import Handbook, load_handbook
from macros.data.models import EVIDENCE_LABELS, EVIDENCE_MEANINGS, ROLE_LABELS, Reference
from macros.problems import DataError, Problem
from macros.render import html
from macros.settings import leaflet_file
from tools import ROOT
from tools.browser import chromium, sealed_page
from tools.printing import PrintError, article_html, configured, handbook_name

MAX_SIDES = 2
SHEET = {"width": "209.5mm", "height": "278.5mm"}
"""Inside 210 x 279 mm, the part A4 and US Letter share, after Chromium rounds it to whole points."""
MARGINS = {"top": "10mm", "bottom": "10mm", "left": "11mm", "right": "11mm"}
WRITING_LINES = 5


@dataclass(frozen=True)
class Leaflet:
    kind: str  # "procedures" or "conditions"
    entry_id: str
    title: str
    page: str  # the whole HTML document to print, with {layout} still to fill

    @property
    def file_name(self) -> str:
        return Path(leaflet_file(self.kind, self.entry_id)).name

    @property
    def source(self) -> str:
        return f"docs/{self.kind}/{self.entry_id}.md"

    def document(self, compact: bool = False) -> str:
        """The leaflet to print; `compact` sets it closer (and leaves fewer lines to write on)."""
        return self.page.replace('<body class="{layout}">', f'<body class="{"compact" if compact else "roomy"}">', 1)


# --------------------------------------------------------------------------
# The page's sections, from the built offline HTML
# --------------------------------------------------------------------------

def page_sections(page_html: str) -> dict[str, str]:
    """Each h2 section of the page's article, by heading id, as the HTML after the heading."""
    article = article_html(page_html)
    if article is None:
        return {}
    parts = re.split(r'<h2 id="([^"]+)"[^>]*>.*?</h2>', article, flags=re.S)
    return {parts[i]: for_paper(parts[i + 1]) for i in range(1, len(parts) - 1, 2)}


def for_paper(fragment: str) -> str:
    """A section as it should read on paper: links become their text, citations keep their number."""
    fragment = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", fragment, flags=re.S)
    fragment = re.sub(r"<a\b[^>]*>(.*?)</a>", r"\1", fragment, flags=re.S)
    fragment = re.sub(r"<details(?![^>]*\bopen\b)", "<details open", fragment)
    fragment = re.sub(r'\sid="[^"]*"', "", fragment)  # ids are the page's, not the leaflet's
    return fragment.strip()


def admonition(section: str, kind: str = "danger") -> str | None:
    """The body of the first `!!! danger` box in a section (its title left out), if any."""
    found = re.search(rf'<div class="admonition {kind}">\s*<p class="admonition-title">.*?</p>(.*?)</div>',
                      section, re.S)
    return found.group(1).strip() if found else None


def first_of(sections: dict[str, str], *ids: str) -> str | None:
    return next((sections[i] for i in ids if sections.get(i)), None)


# --------------------------------------------------------------------------
# The leaflet's parts
# --------------------------------------------------------------------------

def items(texts) -> Markup:
    return html("<ul>{}</ul>", Markup("").join(html("<li>{}</li>", t) for t in texts))


def part(title: str, body: Markup | str, css_class: str = "") -> Markup:
    extra = f' class="{css_class}"' if css_class else ""
    return html("<section{}><h2>{}</h2>{}</section>", Markup(extra), keep_words_whole(title), Markup(body))


def keep_words_whole(text: str) -> Markup:
    """A heading's text with each hyphenated word kept on one line."""
    return Markup(" ").join(
        html('<span class="nowrap">{}</span>', word) if "-" in word else escape(word) for word in text.split()
    )


def evidence_text(strength: str, summary: str) -> Markup:
    return html("<p><strong>Strength of evidence: {}.</strong> {}</p><p>{}</p>",
                EVIDENCE_LABELS[strength], EVIDENCE_MEANINGS[strength], summary)


def urgent_box(body: Markup | str) -> Markup:
    return html('<section class="urgent" aria-labelledby="urgent"><h2 id="urgent">When to get urgent help</h2>'
                "{}</section>", Markup(body))


def questions_part(section: str | None) -> Markup:
    lines = Markup("").join(Markup('<div class="write-line"></div>') for _ in range(WRITING_LINES))
    asked = Markup(section) if section else Markup("")
    return part("Questions to ask your doctor", asked + html(
        '<p class="write-label">Your questions and notes:</p><div class="write-space">{}</div>', lines), "questions")


def short_citation(reference: Reference) -> Markup:
    who = (reference.authors or reference.published_in).rstrip(".")
    where = (f"doi:{reference.doi}" if reference.doi else f"PubMed {reference.pmid}" if reference.pmid
             else reference.url)
    return html("{} ({}). {}", who, reference.year, where)


def record_part(entry, handbook: Handbook) -> Markup:
    review = entry.review
    sources = Markup("").join(html("<li>{}</li>", short_citation(handbook.references[r])) for r in entry.references)
    return html(
        '<section class="review-record"><h2>Review record and sources</h2>'
        "<p>Last reviewed {}. Next review due {}.</p></section>"
        '<ol class="references">{}</ol>',
        long_date(review.last_reviewed), long_date(review.next_review_due), sources)


def long_date(value) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"


def address_parts(title: str, url: str | None) -> tuple[Markup, Markup]:
    """(the line that gives the page's address, the QR code beside the title); no QR code without an address."""
    if not url:
        return html('<p class="address">Read the full page "{}" in the {}.</p>', title, handbook_name()), Markup("")
    # Each part of the address stays whole (a break at a hyphen would look like part of it); lines break after "/".
    pieces = Markup("/<wbr>").join(html('<span class="nowrap">{}</span>', piece) for piece in url.split("/"))
    return (html('<p class="address">The full page, with more detail: {}</p>', pieces),
            qr_svg(url, f"QR code for the page's web address, {url}"))


def qr_svg(url: str, label: str) -> Markup:
    import segno

    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" class="qr" ', 1))


# --------------------------------------------------------------------------
# One leaflet per entry
# --------------------------------------------------------------------------

def procedure_body(entry_id: str, handbook: Handbook, sections: dict[str, str]) -> Markup:
    procedure = handbook.procedures[entry_id]
    steps = [(title, sections.get(key)) for title, key in
             (("Before", "before"), ("During", "during"), ("After and recovery", "after-and-recovery"))]
    if any(body for _, body in steps):
        what_happens = Markup("").join(part(title, body) for title, body in steps if body)
    else:  # the page has no step-by-step sections: the data's facts about the day
        what_happens = part("What happens", items([
            f"Where it is done: {procedure.setting}", f"How long it takes: {procedure.time_taken}",
            f"Numbing or sedation: {procedure.anesthesia}", f"Image guidance: {procedure.imaging}",
            f"Recovery: {procedure.recovery}"]))
    urgent = admonition(sections.get("when-to-get-urgent-help", ""))
    return Markup("").join([
        part("Benefits", html("<p>When relief starts: {}</p><p>How long relief lasts: {}</p>{}",
                              procedure.onset, procedure.relief_duration,
                              evidence_text(procedure.evidence.strength, procedure.evidence.summary))),
        what_happens,
        part("Risks", html("<h3>Common</h3>{}<h3>Rare but serious</h3>{}",
                           items(procedure.common_risks), items(procedure.serious_risks))),
        urgent_box(urgent or html("<p>Get urgent medical help if you have signs of any of these:</p>{}",
                                  items(procedure.serious_risks))),
        questions_part(first_of(sections, "questions-to-ask-your-doctor", "questions-to-ask")),
        record_part(procedure, handbook),
    ])


def condition_body(entry_id: str, handbook: Handbook, sections: dict[str, str]) -> Markup:
    condition = handbook.conditions[entry_id]
    options = [html("{}: {}; strength of evidence {}.", handbook.procedures[pid].name,
                    ROLE_LABELS[link.role].lower(), EVIDENCE_LABELS[link.evidence].lower())
               for pid, link in handbook.links_for_condition(entry_id)]
    urgent = admonition(first_of(sections, "when-to-see-a-doctor", "when-to-get-urgent-help") or "")
    return Markup("").join([
        part("What it is", sections["what-it-is"]) if sections.get("what-it-is")
        else part("Main symptoms", items(condition.symptoms)),
        part("What to try first", first_of(sections, "self-care-and-conservative-treatment-first")
             or items(condition.first_line_care)),
        part("Procedures and the strength of their evidence",
             items(options) if options else html("<p>No procedure in this handbook lists {} yet.</p>",
                                                  condition.name)),
        urgent_box(urgent or html("<p>Get urgent medical help if you have:</p>{}", items(condition.red_flags))),
        questions_part(first_of(sections, "questions-to-ask", "questions-to-ask-your-doctor")),
        record_part(condition, handbook),
    ])


def leaflet_for(kind: str, entry_id: str, handbook: Handbook, offline_site: Path, site_url: str) -> Leaflet:
    """The leaflet of one entry, from its data and its built offline page."""
    entry = getattr(handbook, kind)[entry_id]
    built_page = offline_site / kind / f"{entry_id}.html"
    sections = page_sections(built_page.read_text(encoding="utf-8")) if built_page.is_file() else {}
    body = (procedure_body if kind == "procedures" else condition_body)(entry_id, handbook, sections)
    url = f"{site_url.rstrip('/')}/{kind}/{entry_id}/" if site_url else None
    address, qr = address_parts(entry.name, url)
    page = LEAFLET_PAGE.format(
        title=escape(entry.name), heading=keep_words_whole(entry.name), summary=escape(entry.summary),
        handbook=escape(handbook_name()), address=address, qr=qr, body=body, css=LEAFLET_CSS)
    return Leaflet(kind, entry_id, entry.name, page)


def all_leaflets(handbook: Handbook, offline_site: Path, site_url: str) -> list[Leaflet]:
    return [leaflet_for(kind, entry_id, handbook, offline_site, site_url)
            for kind in ("procedures", "conditions") for entry_id in getattr(handbook, kind)]


# --------------------------------------------------------------------------
# Printing
# --------------------------------------------------------------------------

def print_leaflets(leaflets: list[Leaflet], output: Path, browser=None) -> list[Path]:
    """Print each leaflet to output/<kind>-<id>.pdf in one Chromium session (`browser`, or one started here).

    Each leaflet is one self-contained document (its style and QR code inline), handed to
    the page as it is: nothing is written to disk, and the sealed page loads nothing at all.
    A leaflet longer than two sides is printed again, set closer; if it is still too long,
    it is a problem of its page (DataError, with the page's file and line).
    """
    output.mkdir(parents=True, exist_ok=True)
    with chromium(browser) as printing:
        return print_in(printing, leaflets, output)


def print_in(browser, leaflets: list[Leaflet], output: Path) -> list[Path]:
    written: list[Path] = []
    too_long: list[Problem] = []
    with sealed_page(browser, output) as (page, refused):
        page.emulate_media(media="print")
        for leaflet in leaflets:
            sides = print_one(page, leaflet, output / leaflet.file_name)
            if sides > MAX_SIDES:
                too_long.append(Problem(leaflet.source, first_printed_line(leaflet), "",
                                        f"its leaflet runs to {sides} sides, more than {MAX_SIDES}", SHORTEN_TIP))
            written.append(output / leaflet.file_name)
    if refused:
        raise PrintError("The leaflets were not made: a page asked for something outside the site, which was "
                         f"refused: {', '.join(sorted(set(refused))[:5])}")
    if too_long:
        raise DataError(too_long)
    return written


SHORTEN_TIP = ("shorten what the leaflet prints: the sections Before, During, After and recovery, Questions and the "
               "urgent-help box, or the data's risks and evidence")


def print_one(page, leaflet: Leaflet, target: Path) -> int:
    """Print a leaflet to `target`, set closer if it runs over two sides; the number of sides it took."""
    for compact in (False, True):
        page.set_content(leaflet.document(compact))
        # No running footer: Chromium embeds its font a second time, a fifth more bytes.
        page.pdf(path=str(target), **SHEET, margin=MARGINS, print_background=False, tagged=True)
        sides = count_sides(target)
        if sides <= MAX_SIDES:
            break
    return sides


PRINTED_HEADINGS = ("## Before", "## What it is")


def first_printed_line(leaflet: Leaflet, root: Path = ROOT) -> int:
    """The line of the first page section a leaflet prints, where an editor would start shortening."""
    try:
        lines = (root / leaflet.source).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    heading = PRINTED_HEADINGS[0] if leaflet.kind == "procedures" else PRINTED_HEADINGS[1]
    return next((number for number, line in enumerate(lines, start=1) if line.strip() == heading), 1)


def count_sides(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def build_leaflets(offline_site: Path, output: Path, handbook: Handbook | None = None,
                   site_url: str | None = None, only: list[tuple[str, str]] | None = None,
                   browser=None) -> list[Path]:
    """Make the leaflets (all, or `only` those (kind, id)) from a built offline site into `output`.

    `browser`: a Chromium already started (tests share one); by default one is started here.
    """
    handbook = handbook or load_handbook(ROOT)
    site_url = configured("site_url") if site_url is None else site_url
    if only is not None:
        leaflets = [leaflet_for(kind, entry_id, handbook, offline_site, site_url) for kind, entry_id in only]
    else:
        leaflets = all_leaflets(handbook, offline_site, site_url)
    if not site_url:
        print("Note: SITE_URL is not set, so the leaflets give no web address and no QR code. "
              "Tip: set SITE_URL to the site's address, as the deploy workflow does.", file=sys.stderr)
    return print_leaflets(leaflets, output, browser)


LEAFLET_CSS = """
@page { size: 209.5mm 278.5mm; }
html { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.25;
       color: #000; background: #fff; }
body { margin: 0; }
h1, h2, h3 { hyphens: manual; break-after: avoid; line-height: 1.15; }
.nowrap { white-space: nowrap; }
header { display: flex; gap: 5mm; align-items: flex-start; border-bottom: 1.5pt solid #000;
         padding-bottom: 2mm; margin-bottom: 3mm; }
header .intro { flex: 1; }
.kicker { margin: 0; font-size: 11pt; }
h1 { font-size: 20pt; margin: 1mm 0 1.5mm; }
.summary { font-size: 12pt; margin: 0; }
.address { margin: 1mm 0 0; overflow-wrap: anywhere; }
.qr { width: 30mm; height: 30mm; flex: none; }
main { column-count: 2; column-gap: 6mm; }
section { margin: 0 0 2.5mm; }
h2 { font-size: 13pt; margin: 2.5mm 0 1mm; border-bottom: 1pt solid #000; padding-bottom: 0.5mm; }
h3 { font-size: 11pt; margin: 1.5mm 0 0.5mm; }
p { margin: 0 0 1.5mm; }
ul, ol { margin: 0 0 1.5mm; padding-left: 5mm; }
li { margin: 0 0 0.8mm; break-inside: avoid; }
table { border-collapse: collapse; }
th, td { border: 0.5pt solid #000; padding: 0.5mm 1mm; text-align: left; vertical-align: top; }
sup { font-size: 11pt; vertical-align: baseline; }
abbr { text-decoration: none; }
.admonition-title { font-weight: bold; }
.urgent { border: 2.5pt solid #000; padding: 1mm 3mm 1.5mm; break-inside: avoid; }
.urgent h2 { border-bottom: none; margin-top: 1mm; text-transform: uppercase; letter-spacing: 0.02em; }
.write-label { margin-top: 2mm; font-weight: bold; }
.write-line { border-bottom: 0.75pt solid #000; height: 8mm; }
.write-space { break-inside: avoid; }
.references li { break-inside: auto; overflow-wrap: anywhere; }
.compact { line-height: 1.18; }
.compact section { margin-bottom: 1.5mm; }
.compact h2 { margin-top: 1.5mm; }
.compact li { margin-bottom: 0.3mm; }
.compact .write-line { height: 7mm; }
.compact .write-line:nth-child(n+4) { display: none; }
"""

LEAFLET_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}: patient leaflet</title>
<style>{css}</style></head>
<body class="{{layout}}"><article>
<header><div class="intro"><p class="kicker">Patient leaflet · {handbook}</p>
<h1>{heading}</h1><p class="summary">{summary}</p>
<p class="kicker">Education, not medical advice. In an emergency, call your local emergency number.</p>
{address}</div>{qr}</header>
<main>{body}</main>
</article></body></html>
"""


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    try:
        made = build_leaflets(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
    except (PrintError, DataError) as error:
        raise SystemExit(str(error)) from None
    print(f"{len(made)} leaflets in {sys.argv[2]}")
