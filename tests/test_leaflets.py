"""Take-home leaflets: one PDF of at most two sides per procedure and condition (tools/build_leaflets.py)."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from macros.data import load_handbook
from macros.problems import DataError
from macros.settings import leaflet_file
from tools.build_leaflets import Leaflet, build_leaflets, leaflet_for, long_date, print_leaflets
from tools.quality import READING_GRADE_BUDGET, reading_grade

HANDBOOK = load_handbook(ROOT)
ENTRIES = [(kind, entry_id) for kind in ("procedures", "conditions") for entry_id in getattr(HANDBOOK, kind)]
SITE_URL = "https://handbook.example.org/ipm/"
MM = 72 / 25.4


@functools.cache
def text_of(pdf: Path) -> str:
    """The PDF's text, line by line, as PDFium reads it (a few milliseconds a leaflet). PDFium marks a
    hyphen that ends a line with \\x02: on a leaflet that is a printed hyphen (in a URL, say)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        text = "\n".join(page.get_textpage().get_text_bounded() for page in document)
    finally:
        document.close()
    return text.replace("\r\n", "\n").replace("\x02", "-")


def flat(text: str) -> str:
    return " ".join(text.split())


def no_spaces(text: str) -> str:
    return "".join(text.split())


def identifier(reference) -> str:
    return reference.doi or reference.pmid or reference.url


@pytest.fixture(scope="module")
def leaflets(built_real) -> dict[tuple[str, str], Path]:
    return {(kind, entry_id): built_real / leaflet_file(kind, entry_id) for kind, entry_id in ENTRIES}


@pytest.fixture(scope="module")
def with_address(offline_bundle, browser, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """A procedure's and a condition's leaflet, made as the deployed site makes them (SITE_URL set)."""
    chosen = [("procedures", "epidural-steroid-injection"), ("conditions", "post-herpetic-neuralgia")]
    out = tmp_path_factory.mktemp("leaflets")
    made = build_leaflets(offline_bundle, out, HANDBOOK, site_url=SITE_URL, only=chosen, browser=browser)
    return dict(zip(chosen, made, strict=True))


def test_every_entry_has_a_leaflet_of_at_most_two_sides_within_a4_and_letter(leaflets):
    from pypdf import PdfReader

    for key, path in leaflets.items():
        reader = PdfReader(str(path))
        assert 1 <= len(reader.pages) <= 2, key
        for page in reader.pages:
            assert float(page.mediabox.width) <= 210 * MM and float(page.mediabox.height) <= 279 * MM, key


def urgent_help_opening(kind: str, entry_id: str, offline_site: Path) -> str:
    """The first words of the page's own urgent-help box (its first paragraph or list item)."""
    from tools.build_leaflets import admonition, page_sections

    sections = page_sections((offline_site / kind / f"{entry_id}.html").read_text(encoding="utf-8"))
    box = admonition(sections.get("when-to-get-urgent-help") or sections.get("when-to-see-a-doctor") or "")
    first = re.search(r"<(?:p|li)>(.*?)</(?:p|li)>", box, re.S).group(1)
    return " ".join(flat(re.sub(r"<[^>]+>", "", first)).split()[:6])


def test_each_leaflet_has_its_title_urgent_help_review_dates_and_every_reference(leaflets, offline_bundle):
    for (kind, entry_id), path in leaflets.items():
        entry = getattr(HANDBOOK, kind)[entry_id]
        text = flat(text_of(path))
        assert text.startswith(f"Patient leaflet · Interventional Pain Management Handbook {entry.name} "), entry_id
        urgent = text.partition("WHEN TO GET URGENT HELP ")[2]
        assert urgent.startswith(urgent_help_opening(kind, entry_id, offline_bundle)), entry_id
        assert f"Last reviewed {long_date(entry.review.last_reviewed)}." in text, entry_id
        assert f"Next review due {long_date(entry.review.next_review_due)}." in text, entry_id
        for ref_id in entry.references:
            reference = HANDBOOK.references[ref_id]
            assert no_spaces(identifier(reference)) in no_spaces(text), (entry_id, ref_id)
            assert f"({reference.year})" in text, (entry_id, ref_id)


def test_leaflets_take_the_pages_own_sections_and_the_data(leaflets, offline_bundle):
    """No second copy of any text: the page's Before, During and Questions, the data's risks and summary."""
    from tools.build_leaflets import page_sections

    page = (offline_bundle / "procedures" / "epidural-steroid-injection.html").read_text(encoding="utf-8")
    sections = page_sections(page)
    text = flat(text_of(leaflets["procedures", "epidural-steroid-injection"]))
    for section in ("before", "during", "after-and-recovery", "questions-to-ask-your-doctor"):
        first_item = flat(re.sub(r"<[^>]+>", "", re.search(r"<li>(.*?)</li>", sections[section], re.S).group(1)))
        assert first_item in text, section
    procedure = HANDBOOK.procedures["epidural-steroid-injection"]
    assert flat(procedure.summary) in text
    for risk in (*procedure.common_risks, *procedure.serious_risks):
        assert flat(risk) in text
    condition = HANDBOOK.conditions["sciatica"]
    condition_text = flat(text_of(leaflets["conditions", "sciatica"]))
    assert "What to try first" in condition_text and "Questions to ask your doctor" in condition_text
    assert "cauda equina syndrome" in condition_text  # from the page's own urgent-help box
    assert flat(condition.summary) in condition_text


def smallest_text(pdf: Path) -> float:
    """The size in points of the smallest printed character (its font size times its text's scale)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(str(pdf))
    sizes, matrix = [], pdfium_c.FS_MATRIX()
    try:
        for page in document:
            text = page.get_textpage()
            for index in range(text.count_chars()):
                if chr(pdfium_c.FPDFText_GetUnicode(text, index)).strip():
                    pdfium_c.FPDFText_GetMatrix(text, index, ctypes.byref(matrix))
                    sizes.append(pdfium_c.FPDFText_GetFontSize(text, index) * abs(matrix.d))
    finally:
        document.close()
    return min(sizes, default=0.0)


def test_leaflets_are_tagged_with_real_text_embedded_fonts_and_nothing_under_11_points(leaflets):
    from pypdf import PdfReader

    for key, path in leaflets.items():
        reader = PdfReader(str(path))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], key
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = (font.get("/FontDescriptor")
                              or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]).get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (key, font["/BaseFont"])
        assert smallest_text(path) >= 10.95, (key, smallest_text(path))


def test_leaflets_are_black_and_white(leaflets):
    """Not one coloured pixel: the urgent-help box is a heavy border and a heading, never a colour."""
    import pypdfium2 as pdfium

    for key in (("procedures", "epidural-steroid-injection"), ("conditions", "sciatica")):
        document = pdfium.PdfDocument(str(leaflets[key]))
        for index in range(len(document)):
            bitmap = document[index].render(scale=1)
            pixels = bytes(bitmap.buffer)
            step = bitmap.n_channels
            assert pixels[0::step] == pixels[1::step] == pixels[2::step], key
        document.close()


def test_hyphenated_words_in_headings_are_never_split_across_lines(leaflets):
    for (kind, entry_id), path in leaflets.items():
        name = getattr(HANDBOOK, kind)[entry_id].name
        title: list[str] = []  # the heading's lines, under the running head on the first line
        for line in text_of(path).splitlines()[1:]:
            if not name.startswith(" ".join([*title, line.strip()])):
                break
            title.append(line.strip())
        assert " ".join(title) == name, (entry_id, title)
        for word in (w for w in name.split() if "-" in w):
            assert any(word in line for line in title), (entry_id, word, title)
    assert any("-" in entry.name for entry in HANDBOOK.conditions.values())  # the check above has something to check


def test_leaflets_read_at_the_grade_the_pages_must(offline_bundle):
    for kind, entry_id in ENTRIES:
        grade, words = reading_grade(leaflet_for(kind, entry_id, HANDBOOK, offline_bundle, "").document())
        assert words > 150 and grade <= READING_GRADE_BUDGET, (entry_id, grade)


@pytest.mark.browser
def test_the_qr_code_opens_the_page_and_the_address_is_printed(with_address):
    import pypdfium2 as pdfium
    import zxingcpp

    for (kind, entry_id), path in with_address.items():
        address = f"{SITE_URL}{kind}/{entry_id}/"
        page = pdfium.PdfDocument(str(path))[0]
        bitmap = page.render(scale=3, grayscale=True)
        image = memoryview(bytes(bitmap.buffer)).cast("B", (bitmap.height, bitmap.stride))
        assert [code.text for code in zxingcpp.read_barcodes(image)] == [address]
        assert address in no_spaces(text_of(path))


def test_without_a_site_address_the_leaflet_names_the_page_and_has_no_qr_code(leaflets):
    import pypdfium2 as pdfium
    import zxingcpp

    path = leaflets["procedures", "epidural-steroid-injection"]
    assert 'Read the full page "Epidural steroid injection" in the Interventional Pain Management Handbook' in flat(
        text_of(path))
    bitmap = pdfium.PdfDocument(str(path))[0].render(scale=3, grayscale=True)
    assert zxingcpp.read_barcodes(memoryview(bytes(bitmap.buffer)).cast("B", (bitmap.height, bitmap.stride))) == []


@pytest.mark.browser
def test_a_data_edit_shows_in_the_leaflet(offline_bundle, browser, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "docs", project / "docs")
    data = project / "data" / "procedures" / "epidural-steroid-injection.yml"
    text = data.read_text(encoding="utf-8")
    risk = HANDBOOK.procedures["epidural-steroid-injection"].common_risks[0]
    assert risk in text
    data.write_text(text.replace(risk, "A sore back for a day or two after the visit")
                    .replace("next_review_due: 2027-11-22", "next_review_due: 2027-10-31"), encoding="utf-8")
    edited = load_handbook(project)
    assert edited.procedures["epidural-steroid-injection"].review.next_review_due.isoformat() == "2027-10-31"
    [pdf] = build_leaflets(offline_bundle, tmp_path / "out", edited, site_url="",
                           only=[("procedures", "epidural-steroid-injection")], browser=browser)
    text = flat(text_of(pdf))
    assert "A sore back for a day or two after the visit" in text and risk not in text
    assert "Next review due 31 October 2027." in text


@pytest.mark.browser
def test_a_leaflet_too_long_for_two_sides_stops_the_build_with_its_page_and_a_tip(browser, tmp_path):
    long_page = "<!doctype html><html lang='en'><body class=\"{layout}\">" + "<p>Words to fill a page.</p>" * 900
    with pytest.raises(DataError) as stopped:
        print_leaflets([Leaflet("procedures", "long-block", "Long block", long_page)], tmp_path, browser)
    [problem] = stopped.value.problems
    assert str(problem).startswith("docs/procedures/long-block.md:1  its leaflet runs to ")
    assert "Tip: shorten" in str(problem) and "\n" not in str(problem)


def test_each_entry_page_links_its_leaflet_under_its_title_online_and_offline(built_real, offline_bundle, leaflets):
    for kind, entry_id in ENTRIES:
        online = (built_real / kind / entry_id / "index.html").read_text(encoding="utf-8")
        link = re.search(r'</h1>\s*<p class="leaflet-link"><a href="([^"]+)"[^>]*>'
                         r"Print a leaflet \(PDF, (\d+) kB\)</a>", online)
        assert link, entry_id
        target = (built_real / kind / entry_id / link.group(1)).resolve()
        assert target == leaflets[kind, entry_id].resolve() and target.is_file()
        assert abs(target.stat().st_size / 1000 - int(link.group(2))) <= 1
        offline = (offline_bundle / kind / f"{entry_id}.html").read_text(encoding="utf-8")
        link = re.search(r'</h1>\s*<p class="leaflet-link"><a href="([^"]+)"[^>]*>Print a leaflet \(PDF\)</a>', offline)
        assert link and (offline_bundle / kind / link.group(1)).resolve().is_file(), entry_id


def test_the_downloads_page_lists_every_leaflet(built_real, offline_bundle):
    online = (built_real / "about" / "downloads" / "index.html").read_text(encoding="utf-8")
    offline = (offline_bundle / "about" / "downloads.html").read_text(encoding="utf-8")
    for kind, entry_id in ENTRIES:
        name = getattr(HANDBOOK, kind)[entry_id].name
        href = f"{leaflet_file(kind, entry_id)}"
        assert re.search(rf'<a href="\.\./\.\./{re.escape(href)}"[^>]*>{re.escape(str(name))} \(PDF, \d+ kB\)</a>',
                         online.replace("&#39;", "'")), entry_id
        assert f'href="../{href}"' in offline, entry_id
        assert (offline_bundle / href).is_file(), entry_id


@pytest.mark.browser
def test_the_leaflet_link_opens_from_file_in_the_offline_copy(offline_bundle, browser):
    page = browser.new_page()
    page.goto((offline_bundle / "conditions" / "sciatica.html").as_uri())
    link = page.get_by_role("link", name="Print a leaflet (PDF)")
    href = link.evaluate("a => a.href")
    page.close()
    assert href.startswith("file://") and href.endswith("/downloads/leaflets/condition-sciatica.pdf")
    from urllib.parse import unquote, urlparse

    assert Path(unquote(urlparse(href).path)).is_file()
