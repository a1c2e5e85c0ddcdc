"""The build's settings that do not come from mkdocs.yml, declared in one typed place.

`make build` (tools/build_site.py) runs MkDocs in a separate process, so what it tells
the pages (where this build's downloads are) travels in the environment; the browser
is chosen the same way. Nothing else reads these variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

OFFLINE_ZIP = "downloads/ipm-handbook-offline.zip"
PDF = "downloads/ipm-handbook.pdf"
LEAFLETS = "downloads/leaflets"
"""Where tools/build_site.py puts the offline download, the PDF and the leaflets inside the site."""


def leaflet_file(kind: str, entry_id: str) -> str:
    """Where the leaflet of a procedure or condition is in the site: downloads/leaflets/procedure-<id>.pdf."""
    return f"{LEAFLETS}/{kind.removesuffix('s')}-{entry_id}.pdf"

DOWNLOADS_VARIABLE = "HANDBOOK_DOWNLOADS"
CHROMIUM_VARIABLE = "CHROMIUM_PATH"


@dataclass(frozen=True)
class Settings:
    downloads: Path | None = None
    """The folder where this build's downloads were made; None when the pages are built alone
    (make serve, make check), and the download links then say that make build makes them."""
    chromium: Path | None = None
    """The Chrome or Chromium binary to use; None to look for one (see tools/browser.py)."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        def path(name: str) -> Path | None:
            return Path(environ[name]) if environ.get(name) else None

        return cls(downloads=path(DOWNLOADS_VARIABLE), chromium=path(CHROMIUM_VARIABLE))

    def environment(self) -> dict[str, str]:
        """These settings as variables for a process that will read them with from_environment."""
        variables = {DOWNLOADS_VARIABLE: self.downloads, CHROMIUM_VARIABLE: self.chromium}
        return {name: str(value) for name, value in variables.items() if value is not None}
