"""Build the whole handbook: online site, offline zip inside it.

    python -m tools.build_site [--site-dir site]
    python -m tools.build_site --check      data check + strict online build only

Everything is built in a fresh build/stage-* folder first. The site folder is replaced
only when every step succeeded, so a failed build never leaves a half-built or empty site;
one build runs at a time (tools/site_swap.py).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from macros.data import DataError, load_handbook
from macros.problems import Problem, annotate_on_pull_request, report
from macros.settings import LEAFLETS, OFFLINE_ZIP, PDF, Settings
from tools import MKDOCS_ENVIRONMENT, ROOT, line_containing
from tools.browser import chromium
from tools.build_leaflets import build_leaflets
from tools.build_pdf import build_pdf
from tools.printing import PrintError
from tools.site_swap import TIPS, build_lock, explain, put_in_place, recover

SYSTEM_ERROR = re.compile(r"^\w*Error: \[Errno (\d+)\] ([^:\n]+?)(?:: '([^'\n]*)')?$", re.M)
DOC_FILE_WARNING = re.compile(r"^(?:WARNING|ERROR)\s+-\s+Doc file '([^']+)' contains a link '([^']+)'(.*)$")
PAGE_ERROR = re.compile(r"^(?:ERROR\s+-\s+)?((?:data|docs)/\S+:\d+  .*)$")


def output_problems(output: str, root: Path = ROOT, config: str = "mkdocs.yml") -> list[Problem]:
    """The problems MkDocs' output states, each with the file and line it concerns."""
    problems = []
    for line in output.splitlines():
        line = line.strip()
        if (match := PAGE_ERROR.match(line)) and (problem := Problem.parse(match.group(1))):
            problems.append(problem)
        elif match := DOC_FILE_WARNING.match(line):
            page, link, rest = match.groups()
            path = f"docs/{page}"
            problems.append(Problem(path, line_containing(root / path, f"]({link}"), "",
                                    f"the link '{link}'{rest}".rstrip("."),
                                    "correct the address, or the page it names"))
    return problems + config_problems(output, root, config)


CONFIG_VALUE = re.compile(r"Config value '([\w.]+)': (.*)")
NAV_REFERENCE = re.compile(r"A reference to '([^']+)' is included in the 'nav' configuration")
"""MkDocs' own lines about a setting: config_problems() states them again with their file and line."""


def config_problems(output: str, root: Path = ROOT, config: str = "mkdocs.yml") -> list[Problem]:
    """MkDocs' configuration errors, restated with the file and line they concern: in `config`, or
    in mkdocs.yml, which mkdocs.offline.yml inherits."""
    problems = []
    for line in output.splitlines():
        if match := CONFIG_VALUE.search(line):
            key, text = match.groups()
            # The names the message quotes ('serach', 'render_by_defualt') find the very line; else the key's.
            quoted = re.findall(r"['\"]([\w.-]+)['\"]", re.sub(r"<class '[^']*'>", "", text))
            file, number = _setting_line(root, config, key.split(".")[0], [n for n in quoted if n != key][::-1])
            problems.append(Problem(file, number, key, text, f"see the comments in {file} "
                                    "and the MkDocs and Material documentation for this setting"))
        elif match := NAV_REFERENCE.search(line):
            page = match.group(1)
            file, number = _setting_line(root, config, "nav", [page])
            problems.append(Problem(file, number, "nav", f"the page '{page}' is listed but docs/{page} does not exist",
                                    "correct the path, create the page, or remove the line"))
        elif "not included in the \"nav\" configuration" in line:
            problems.append(Problem("mkdocs.yml", 1, "nav", "some pages are not in the navigation (listed above)",
                                    "add each to nav: in mkdocs.yml, under its group"))
    return problems


def _setting_line(root: Path, config: str, key: str, names: list[str]) -> tuple[str, int]:
    """(file, line) of a setting: the first of `names` written as a whole word inside the `key:` block
    (comments aside), in the configuration built, else in mkdocs.yml, which it inherits; else the line
    of `key:` itself."""
    blocks = {file: _block(_lines(root / file), key) for file in dict.fromkeys([config, "mkdocs.yml"])}
    for name in names:
        word = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])")
        for file, block in blocks.items():
            for number, text in block:
                if word.search(text.partition(" #")[0]):
                    return file, number
    return next(((file, block[0][0]) for file, block in blocks.items() if block), (config, 1))


def _block(lines: list[str], key: str) -> list[tuple[int, str]]:
    """(line number, text) of the `key:` line and the indented lines under it ([] when it is not set)."""
    start = next((i for i, text in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:", text)), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].strip() and not lines[i][0].isspace() and not lines[i].startswith("#")), len(lines))
    return [(i + 1, lines[i]) for i in range(start, end)]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def run_mkdocs(config: str, site_dir: Path, settings: Settings | None = None) -> bool:
    env = {**os.environ, **MKDOCS_ENVIRONMENT, **(settings or Settings()).environment()}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "-f", str(ROOT / config), "-d", str(site_dir)]
    # Not -q: it would hide warnings from --strict. Keep what an editor needs, drop INFO chatter.
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    output = done.stdout + done.stderr
    system = SYSTEM_ERROR.search(output) if done.returncode else None
    if system and int(system.group(1)) in TIPS:
        # The disk or its permissions, not the content: one line from build(), without MkDocs' traceback.
        # Any other system error (a file a plugin could not read, say) is shown as MkDocs reported it.
        raise OSError(int(system.group(1)), system.group(2), system.group(3))
    for line in output.splitlines():
        if done.returncode and (CONFIG_VALUE.search(line) or NAV_REFERENCE.search(line)):
            continue  # said again below, with the file and line it concerns
        if not line.startswith("INFO") or "not included in the \"nav\"" in line:
            print(line, file=sys.stderr)
    if done.returncode:
        for problem in config_problems(output, config=config):
            print(problem, file=sys.stderr)
        annotate_on_pull_request(output_problems(output, config=config), "Handbook build")
    return done.returncode == 0


def zip_folder(folder: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():  # never what a link points to
                archive.write(path, Path("ipm-handbook") / path.relative_to(folder))


def load_data():
    """The validated handbook, or None after printing every problem (and annotating them in CI)."""
    try:
        return load_handbook(ROOT)
    except DataError as error:
        report(error.problems, "Handbook build")
        return None


def check() -> int:
    """The quick editing loop: every data problem, then a strict build of the online site."""
    handbook = load_data()
    if handbook is None:
        return 1
    print(f"Data OK: {len(handbook.procedures)} procedures, {len(handbook.conditions)} conditions.")
    if not run_mkdocs("mkdocs.yml", ROOT / "build" / "check"):
        return 1
    print("Pages OK: strict build passed.")
    return 0


class Terminated(BaseException):
    """The build was asked to stop (SIGTERM); a BaseException, so nothing on the way swallows it."""


_stop_requested: list[int] = []  # the signal, once one came


def _terminated(number: int, _frame) -> None:
    _stop_requested.append(number)
    raise Terminated


def build(site_dir: Path) -> int:
    """The full build, holding the build lock; any failure leaves `site_dir` as it was."""
    # A kill (SIGTERM) unwinds like Ctrl-C, so an interrupted swap puts the old site back.
    signal.signal(signal.SIGTERM, _terminated)
    kept = f"{site_dir} was left as it was."
    stage = None
    try:
        with build_lock(ROOT / "build"):
            recover(site_dir)
            for leftover in (ROOT / "build").glob("stage*"):
                shutil.rmtree(leftover, ignore_errors=True)  # one that cannot be removed is not reused
            stage = Path(tempfile.mkdtemp(prefix="stage-", dir=ROOT / "build"))
            return _build_in(stage, site_dir, kept)
    except BaseException as error:
        # After a SIGTERM, whatever comes out is the stop: a library it interrupts (Playwright
        # starting its driver, say) may raise its own error in place of Terminated.
        if _stop_requested or isinstance(error, KeyboardInterrupt):
            print(f"Build interrupted. {kept}", file=sys.stderr)
            return 143 if _stop_requested else 130
        if isinstance(error, OSError):
            print(f"Build stopped: {explain(error)} {kept}", file=sys.stderr)
            return 1
        raise
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def _print_downloads(offline: Path, stage: Path, handbook, kept: str) -> bool:
    """The leaflets (into the offline copy, so the zip has them; the online site gets a copy), the zip,
    and the whole-handbook PDF, printed by one Chromium; False after saying why one could not be made."""
    try:
        with chromium() as browser:
            build_leaflets(offline, offline / LEAFLETS, handbook, browser=browser)
            shutil.copytree(offline / LEAFLETS, stage / LEAFLETS)
            zip_folder(offline, stage / OFFLINE_ZIP)
            build_pdf(offline, stage / PDF, browser=browser)
    except PrintError as error:
        print(f"{error} {kept}", file=sys.stderr)
        return False
    except DataError as error:  # a page too long for its leaflet
        report(error.problems, "Handbook build", where="in the pages' leaflets")
        print(f"The leaflets could not be made; {kept}", file=sys.stderr)
        return False
    return True


def _build_in(stage: Path, site_dir: Path, kept: str) -> int:
    handbook = load_data()
    if handbook is None:
        print(f"\nBuild stopped; {kept}", file=sys.stderr)
        return 1
    online, offline, downloads = stage / "site", stage / "offline", stage / "downloads"

    # The offline copy and the PDF first, so the online downloads page can give their sizes.
    if not run_mkdocs("mkdocs.offline.yml", offline):
        print(f"\nBuild of mkdocs.offline.yml failed (see above); {kept}", file=sys.stderr)
        return 1
    if not _print_downloads(offline, stage, handbook, kept):
        return 1
    if not run_mkdocs("mkdocs.yml", online, Settings(downloads=downloads)):
        print(f"\nBuild of mkdocs.yml failed (see above); {kept}", file=sys.stderr)
        return 1
    shutil.move(str(downloads), str(online / "downloads"))

    put_in_place(online, site_dir)
    size = (site_dir / OFFLINE_ZIP).stat().st_size / 1_000_000
    pdf_size = (site_dir / PDF).stat().st_size / 1_000_000
    leaflets = len(list((site_dir / LEAFLETS).glob("*.pdf")))
    print(f"Built {site_dir}: offline download {size:.1f} MB, PDF {pdf_size:.1f} MB, {leaflets} leaflets, "
          f"in {site_dir / 'downloads'}.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--check", action="store_true", help="only check data and pages (make check)")
    args = parser.parse_args()
    if not args.check:
        return build(args.site_dir.resolve())
    try:
        with build_lock(ROOT / "build"):
            return check()
    except OSError as error:
        print(f"Check stopped: {explain(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
