"""The handbook's build and check commands, each run as `python -m tools.<name>` from the project
folder (the Makefile's targets call them).

    build_site      the whole build: online site, offline zip, PDF and leaflets (make build, make check)
    build_pdf       the whole handbook as one PDF, from the offline build
    build_leaflets  a two-sided take-home leaflet per procedure and condition
    printing        what the PDF and the leaflets share: the page's article, the handbook's name,
                    and PrintError, the one error that stops printing
    browser         finding and starting Chromium; the sealed page that prints
    site_swap       the build lock and the swap of a finished build into place
    quality         links, HTML validity, readability and spelling checks
    claims          sentences with numbers that cite no source
    new_entry       make new-procedure / make new-condition
    audit, bench    Lighthouse and build-time figures
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project folder: mkdocs.yml, data/, docs/ and site/ are found from here."""

MKDOCS_ENVIRONMENT = {"NO_MKDOCS_2_WARNING": "1"}
"""Set for every MkDocs run (and exported by the Makefile): Material's notice about MkDocs 2 is not
for the handbook's editors, and would hide what the build says about their change."""


def line_containing(path: Path, needle: str) -> int:
    """The first line of a file that holds `needle` (1 when none does, or the file cannot be read)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((number for number, line in enumerate(lines, start=1) if needle in line), 1)
