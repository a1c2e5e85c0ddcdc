"""Quality checks a clinical handbook needs, over a built site and its sources.

Each check returns a Report: what it measured, and the problems an editor has to fix, each on
the Markdown or data file and line to fix it in. tests/test_quality.py runs them in `make test`;
`python -m tools.quality SITE` prints the same reports for a person (and annotates the problems
on the pull request in GitHub Actions).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

from macros.data import Handbook, load_handbook
from macros.problems import Problem, annotate_on_pull_request
from tools import ROOT, line_containing

READING_GRADE_BUDGET = 10.0
READING_GRADE_AIM = 8.0
DUE_SOON = timedelta(days=90)


@dataclass
class Report:
    title: str
    lines: list[str] = field(default_factory=list)
    """What was measured, for the report file."""
    problems: list[Problem] = field(default_factory=list)
    """What an editor has to fix, each with the file and line to fix it in."""

    def text(self) -> str:
        status = f"{len(self.problems)} problem(s)" if self.problems else "OK"
        body = "\n".join(["", *self.lines]) if self.lines else ""
        issues = "\n".join(["", "Problems:", *(f"  {p}" for p in self.problems)]) if self.problems else ""
        return f"== {self.title}: {status}{body}{issues}\n"


def content_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html")
                  if "assets" not in p.parts and p.name != "404.html" and "search" not in p.parts)


def _stem(site: Path, path: Path) -> str:
    """A built page's address without its ending, online (x/y/index.html) or offline (x/y.html): 'x/y'."""
    return path.relative_to(site).as_posix().removesuffix("index.html").removesuffix(".html").rstrip("/")


def page_name(site: Path, path: Path) -> str:
    return _stem(site, path) or "(home)"


def source_of(site: Path, path: Path) -> str:
    """The Markdown file a built page comes from (docs/x/y.md or docs/x/y/index.md), online or offline;
    the built file's own path when there is none (404.html)."""
    stem = _stem(site, path)
    candidates = [f"docs/{stem}.md", f"docs/{stem}/index.md"] if stem else ["docs/index.md"]
    return next((candidate for candidate in candidates if (ROOT / candidate).is_file()),
                path.relative_to(site).as_posix())


# --------------------------------------------------------------------------
# Readability of the patient-facing text
# --------------------------------------------------------------------------

class PatientText(HTMLParser):
    """Text of paragraphs and list items in the article, leaving out what is not
    patient-facing prose: "For clinicians" blocks, tables, references, citations."""

    SKIP = {"table", "details", "ol.references", "sup", "pre", "code", "nav", "aside", "section.review-record",
            "select", "fieldset", "figure", "div.comparison-picker", "ul.matrix-list"}
    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        match = re.search(r"<article[^>]*>(.*?)</article>", html, re.S)
        self.stack: list[str] = []
        self.skipping = 0
        self.chunks: list[str] = []
        self.current: list[str] | None = None
        self.feed(match.group(1) if match else "")

    def _key(self, tag, attrs) -> str:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "ol" and "references" in classes:
            return "ol.references"
        if tag == "section" and "review-record" in classes:
            return "section.review-record"
        if tag == "div" and "comparison-picker" in classes:
            return "div.comparison-picker"
        if tag == "ul" and "matrix-list" in classes:
            return "ul.matrix-list"  # the matrix again, as a list of names for phones
        return tag

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        key = self._key(tag, attrs)
        self.stack.append(key)
        if key in self.SKIP:
            self.skipping += 1
        if tag in ("p", "li") and not self.skipping:
            self.current = []

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        key = self.stack.pop()
        if key in self.SKIP:
            self.skipping -= 1
        if tag in ("p", "li") and self.current is not None and not self.skipping:
            text = " ".join("".join(self.current).split())
            if text:
                self.chunks.append(text if text[-1] in ".!?:" else text + ".")
            self.current = None

    def handle_data(self, data):
        if self.current is not None and not self.skipping:
            self.current.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.chunks)


def reading_grade(html: str) -> tuple[float, int]:
    import textstat

    text = PatientText(html).text
    words = len(text.split())
    return (textstat.flesch_kincaid_grade(text) if words else 0.0), words


def check_readability(site: Path, budget: float = READING_GRADE_BUDGET) -> Report:
    report = Report(f"Reading grade of patient-facing text (Flesch-Kincaid; budget {budget}, aim {READING_GRADE_AIM})")
    rows = []
    for path in content_pages(site):
        grade, words = reading_grade(path.read_text(encoding="utf-8"))
        if words < 60:
            continue
        name = page_name(site, path)
        rows.append((grade, name, words))
        if grade > budget:
            report.problems.append(Problem(
                source_of(site, path), 1, "", f"its patient-facing text reads at grade {grade:.1f}, above the "
                f"budget of {budget}", "shorter sentences and common words; move technical detail into the "
                "'For clinicians' block"))
    for grade, name, words in sorted(rows, reverse=True):
        mark = "  " if grade <= READING_GRADE_AIM else "~ " if grade <= budget else "! "
        report.lines.append(f"{mark}{grade:5.1f}  {words:5d} words  {name}")
    return report


# --------------------------------------------------------------------------
# Review currency
# --------------------------------------------------------------------------

def check_reviews(handbook: Handbook, today: date) -> Report:
    report = Report(f"Review dates (today {today.isoformat()}; due within {DUE_SOON.days} days listed)")
    records = []
    for src in handbook.pages:
        review = handbook.review_for_page(src)
        if review is None:
            report.problems.append(Problem(f"docs/{src}", 1, "", "no review record", "add review: to its front matter"))
            continue
        records.append((review.next_review_due, review.last_reviewed, src))
    for due, last, src in sorted(records):
        if due < today:
            file = handbook.review_file(src)
            report.problems.append(Problem(
                file, line_containing(ROOT / file, "next_review_due:"), "",
                f"the review of docs/{src} was due {due.isoformat()} (last reviewed {last.isoformat()})",
                "re-check its sources, then update last_reviewed and next_review_due"))
        elif due <= today + DUE_SOON:
            report.lines.append(f"due {due.isoformat()}  docs/{src}")
    report.lines.insert(0, f"{len(records)} pages have review records; "
                           f"{len(report.lines)} due within {DUE_SOON.days} days")
    return report


# --------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------

def check_references(handbook: Handbook, site: Path) -> Report:
    report = Report("References: each cited by a page; each clinical page cites at least two")
    cited: dict[str, set[str]] = {}
    for path in content_pages(site):
        html = path.read_text(encoding="utf-8")
        ids = set(re.findall(r'<sup class="citation">.*?</sup>', html, re.S))
        refs = set()
        for sup in ids:
            refs.update(re.findall(r'href="#ref-([\w-]+)"', sup))
        name = page_name(site, path)
        for ref in refs:
            cited.setdefault(ref, set()).add(name)
        clinical = name.startswith(("procedures/", "conditions/", "learn/"))
        if clinical and len(refs) < 2 and not name.endswith(("procedures", "conditions")):
            report.problems.append(Problem(source_of(site, path), 1, "", f"it cites {len(refs)} reference(s); a "
                                           "clinical page cites at least two",
                                           'cite the source of each claim where it is made: {{ cite("id") }}'))
    for ref_id in handbook.references:
        if ref_id not in cited:
            file, _, line = handbook.sources[f"references/{ref_id}"].partition(":")
            report.problems.append(Problem(file, int(line or 1), "", f"the reference '{ref_id}' is not cited by "
                                           "any page", "cite it where it supports a claim, or delete it"))
    report.lines.append(f"{len(handbook.references)} references; {len(cited)} cited on at least one page")
    return report


# --------------------------------------------------------------------------
# Internal links and anchors of a built folder
# --------------------------------------------------------------------------

class Links(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.hrefs.append(attrs[key])


LINK_TIP = "correct the address or the heading it points to; links between pages name the .md file"


def check_links(site: Path) -> Report:
    report = Report(f"Internal links and anchors in {site.name}")
    parsed: dict[Path, Links] = {}

    def links_of(path: Path) -> Links:
        if path not in parsed:
            parsed[path] = Links(path.read_text(encoding="utf-8", errors="replace"))
        return parsed[path]

    count = 0
    for path in sorted(site.rglob("*.html")):
        for href in links_of(path).hrefs:
            url = urlparse(href)
            if url.scheme or href.startswith(("//", "mailto:", "data:", "javascript:")):
                continue
            count += 1
            target_path, fragment = urldefrag(unquote(href))
            if target_path.startswith("/"):
                target = (site / target_path.lstrip("/")).resolve()  # 404.html links from the site root
            else:
                target = (path.parent / target_path).resolve() if target_path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                report.problems.append(Problem(source_of(site, path), 1, "", f"in {path.relative_to(site)}, the "
                                               f"link to '{href}' finds nothing", LINK_TIP))
            elif fragment and target.suffix == ".html" and fragment not in links_of(target).ids:
                report.problems.append(Problem(source_of(site, path), 1, "", f"in {path.relative_to(site)}, the "
                                               f"link to '{href}' has no anchor '#{fragment}'", LINK_TIP))
    report.lines.append(f"{count} internal links checked in {len(parsed)} pages")
    return report


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else ROOT / "site"
    handbook = load_handbook(ROOT)
    reports = [check_readability(site), check_reviews(handbook, date.today()),
               check_references(handbook, site), check_links(site)]
    for report in reports:
        print(report.text())
    problems = [problem for report in reports for problem in report.problems]
    annotate_on_pull_request(problems, "Handbook quality")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
