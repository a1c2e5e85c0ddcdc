"""The downloads readers take away: the whole-handbook PDF and printed pages."""

from __future__ import annotations

import pytest

from conftest import ROOT
from macros.data import load_handbook

HANDBOOK = load_handbook(ROOT)


@pytest.fixture(scope="module")
def pdf(built_real):
    from pypdf import PdfReader

    return PdfReader(str(built_real / "downloads" / "ipm-handbook.pdf"))


def outline(reader) -> list[tuple[str, int]]:
    """Top-level bookmarks (one per page of the site, from its h1) and their sheet."""
    return [(" ".join(str(item.title).split()), reader.get_destination_page_number(item))
            for item in reader.outline if not isinstance(item, list)]


def test_the_pdf_opens_with_a_numbered_table_of_contents(pdf):
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Contents" in first
    for procedure in list(HANDBOOK.procedures.values())[:3]:
        name = " ".join(procedure.name.split())
        assert any(line.startswith(name) and line.split()[-1].isdigit()
                   for line in pdf.pages[0].extract_text().splitlines() + pdf.pages[1].extract_text().splitlines())


def test_the_pdf_has_every_procedure_and_condition_on_the_page_its_contents_give(pdf):
    bookmarks = outline(pdf)
    for entry in [*HANDBOOK.procedures.values(), *HANDBOOK.conditions.values()]:
        title = next((t, page) for t, page in bookmarks if t.startswith(entry.name))
        text = " ".join(pdf.pages[title[1]].extract_text().split())
        assert f"At a glance: {entry.name}" in text, entry.name


def test_every_pdf_sheet_is_numbered_and_pages_keep_their_review_record(pdf):
    total = len(pdf.pages)
    sample = [pdf.pages[i].extract_text() for i in (1, total // 2, total - 1)]
    for number, text in zip((2, total // 2 + 1, total), sample, strict=True):
        assert f"page {number} of {total}" in text
    last_page_of_the_last_section = " ".join(pdf.pages[total - 1].extract_text().split())
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
