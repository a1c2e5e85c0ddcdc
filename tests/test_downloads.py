"""The downloads readers take away: the whole-handbook PDF and printed pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, WEB_ADDRESSES, pdf_link_addresses
from macros.data import load_handbook

HANDBOOK = load_handbook(ROOT)


class Pdf:
    """The whole-handbook PDF as PDFium reads it: its sheets' text and its top-level bookmarks."""

    def __init__(self, path: Path):
        import pypdfium2 as pdfium

        self.document = pdfium.PdfDocument(str(path))

    def __len__(self) -> int:
        return len(self.document)

    def text(self, index: int) -> str:
        """A sheet's text, line by line (PDFium marks a hyphen that ends a line with \\x02)."""
        text = self.document[index].get_textpage().get_text_bounded()
        return text.replace("\r\n", "\n").replace("\x02", "-")

    def outline(self) -> list[tuple[str, int]]:
        """Top-level bookmarks (one per page of the site, from its h1) and their sheet."""
        return [(" ".join(mark.get_title().split()), mark.get_dest().get_index())
                for mark in self.document.get_toc() if mark.level == 0]


@pytest.fixture(scope="module")
def pdf(built_real):
    document = Pdf(built_real / "downloads" / "ipm-handbook.pdf")
    yield document
    document.document.close()


def test_the_pdf_opens_with_a_numbered_table_of_contents(pdf):
    first = " ".join(pdf.text(0).split())
    assert "Contents" in first
    for procedure in list(HANDBOOK.procedures.values())[:3]:
        name = " ".join(procedure.name.split())
        assert any(line.startswith(name) and line.split()[-1].isdigit()
                   for line in pdf.text(0).splitlines() + pdf.text(1).splitlines())


def test_the_pdf_has_every_procedure_and_condition_on_the_page_its_contents_give(pdf):
    bookmarks = pdf.outline()
    assert len(bookmarks) > 60
    for entry in [*HANDBOOK.procedures.values(), *HANDBOOK.conditions.values()]:
        title = next((t, page) for t, page in bookmarks if t.startswith(entry.name))
        text = " ".join(pdf.text(title[1]).split())
        assert f"At a glance: {entry.name}" in text, entry.name


def test_every_pdf_sheet_is_numbered_and_pages_keep_their_review_record(pdf):
    total = len(pdf)
    sample = [pdf.text(i) for i in (1, total // 2, total - 1)]
    for number, text in zip((2, total // 2 + 1, total), sample, strict=True):
        assert f"page {number} of {total}" in text
    last_page_of_the_last_section = " ".join(pdf.text(total - 1).split())
    assert "Next review due" in last_page_of_the_last_section


@pytest.mark.browser
def test_a_page_prints_without_navigation_and_with_link_addresses(built_real, browser, tmp_path):
    from pypdf import PdfReader

    page = browser.new_page()
    page.goto((built_real / "procedures" / "epidural-steroid-injection" / "index.html").as_uri())
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "page.pdf"), format="A4")
    page.close()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(tmp_path / "page.pdf")).pages).split())
    assert "At a glance: Epidural steroid injection" in text
    assert "Table of contents" not in text and "Skip to content" not in text
    assert "Cryoneurolysis" not in text  # the navigation sidebar is not printed
    assert "(https://doi.org/" in text  # reference links show their address


def test_the_pdf_links_only_within_itself_and_to_the_web(built_real):
    """Never to a file:// address: that would name a folder of the build machine, and open nothing for a reader."""
    addresses = set(pdf_link_addresses(built_real / "downloads" / "ipm-handbook.pdf"))
    assert any(address.startswith("https://doi.org/") for address in addresses)
    assert not [a for a in addresses if not a.startswith(WEB_ADDRESSES)], addresses


def test_a_printed_link_to_a_file_of_the_site_goes_to_the_web_site_or_is_left_as_text(tmp_path):
    from tools.build_pdf import article_of

    page, other = tmp_path / "page.html", tmp_path / "other.html"
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.json").write_text("{}")
    other.write_text("")
    page.write_text('<article class="md-content__inner md-typeset"><h1>T</h1><a href="data/x.json">the data</a> '
                    '<a href="other.html#s">other</a></article>')
    anchors = {page.resolve(): "p0", other.resolve(): "p1"}
    online = article_of(page, tmp_path, anchors, "https://example.org/handbook/")[1]
    assert '<a href="https://example.org/handbook/data/x.json">the data</a>' in online
    assert '<a href="#p1--s">other</a>' in online
    alone = article_of(page, tmp_path, anchors)[1]
    assert "<a >the data</a>" in alone and "file:" not in alone
