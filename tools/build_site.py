"""Build the whole handbook: online site, offline zip inside it.

    python -m tools.build_site [--site-dir site]
    python -m tools.build_site --check      data check + strict online build only

Everything is built in build/stage first. The site folder is replaced only when
every step succeeded, so a failed build never leaves a half-built or empty site.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from macros.data import DataError, load_handbook
from macros.problems import Problem, in_github_actions, problem_annotation, report
from macros.settings import OFFLINE_ZIP, PDF, Settings
from tools.build_pdf import build_pdf

ROOT = Path(__file__).resolve().parent.parent


DOC_FILE_WARNING = re.compile(r"^(?:WARNING|ERROR)\s+-\s+Doc file '([^']+)' contains a link '([^']+)'(.*)$")
PAGE_ERROR = re.compile(r"^(?:ERROR\s+-\s+)?((?:data|docs)/\S+:\d+  .*)$")


def output_problems(output: str, root: Path = ROOT) -> list[Problem]:
    """The problems MkDocs' output states, each with the file and line it concerns."""
    problems = []
    for line in output.splitlines():
        line = line.strip()
        if (match := PAGE_ERROR.match(line)) and (problem := Problem.parse(match.group(1))):
            problems.append(problem)
        elif match := DOC_FILE_WARNING.match(line):
            page, link, rest = match.groups()
            path = f"docs/{page}"
            problems.append(Problem(path, _line_containing(root / path, f"]({link}"), "",
                                    f"the link '{link}'{rest}".rstrip("."), "correct the address, or the page it names"))
    return problems + config_problems(output, root)


def config_problems(output: str, root: Path = ROOT) -> list[Problem]:
    """MkDocs' configuration errors, restated with the file and line of mkdocs.yml they concern."""
    problems = []
    for line in output.splitlines():
        if match := re.search(r"Config value '([\w.]+)': (.*)", line):
            key, text = match.groups()
            number = _line_containing(root / "mkdocs.yml", f"{key.split('.')[0]}:")
            problems.append(Problem("mkdocs.yml", number, key, text, "see the comments in mkdocs.yml "
                                    "and the MkDocs and Material documentation for this setting"))
        elif match := re.search(r"A reference to '([^']+)' is included in the 'nav' configuration", line):
            page = match.group(1)
            number = _line_containing(root / "mkdocs.yml", page)
            problems.append(Problem("mkdocs.yml", number, "nav",
                                    f"the page '{page}' is listed but docs/{page} does not exist",
                                    "correct the path, create the page, or remove the line"))
        elif "not included in the \"nav\" configuration" in line:
            problems.append(Problem("mkdocs.yml", 1, "nav", "some pages are not in the navigation (listed above)",
                                    "add each to nav: in mkdocs.yml, under its group"))
    return problems


def _line_containing(path: Path, needle: str) -> int:
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in text:
                return number
    except OSError:
        pass
    return 1


def run_mkdocs(config: str, site_dir: Path, settings: Settings = Settings()) -> bool:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **settings.environment()}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "-f", str(ROOT / config), "-d", str(site_dir)]
    # Not -q: it would hide warnings from --strict. Keep what an editor needs, drop INFO chatter.
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    output = done.stdout + done.stderr
    for line in output.splitlines():
        if not line.startswith("INFO") or "not included in the \"nav\"" in line:
            print(line, file=sys.stderr)
    if done.returncode:
        for problem in config_problems(output):
            print(problem, file=sys.stderr)
        if in_github_actions():
            print("\n".join(problem_annotation(problem, "Handbook build") for problem in output_problems(output)))
    return done.returncode == 0


def zip_folder(folder: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
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


def build(site_dir: Path) -> int:
    if load_data() is None:
        print(f"\nBuild stopped; {site_dir} was left as it was.", file=sys.stderr)
        return 1

    stage = ROOT / "build" / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    online, offline, downloads = stage / "site", stage / "offline", stage / "downloads"

    # The offline copy and the PDF first, so the online downloads page can give their sizes.
    if not run_mkdocs("mkdocs.offline.yml", offline):
        print(f"\nBuild of mkdocs.offline.yml failed (see above); {site_dir} was left as it was.", file=sys.stderr)
        return 1
    zip_folder(offline, stage / OFFLINE_ZIP)
    try:
        build_pdf(offline, stage / PDF)
    except SystemExit as error:
        print(f"{error}\nThe PDF could not be made; {site_dir} was left as it was.", file=sys.stderr)
        return 1
    if not run_mkdocs("mkdocs.yml", online, Settings(downloads=downloads)):
        print(f"\nBuild of mkdocs.yml failed (see above); {site_dir} was left as it was.", file=sys.stderr)
        return 1
    shutil.move(str(downloads), str(online / "downloads"))

    # Swap the finished site into place.
    old = stage / "previous-site"
    if site_dir.exists():
        site_dir.rename(old)
    shutil.move(str(online), str(site_dir))
    shutil.rmtree(old, ignore_errors=True)
    size = (site_dir / OFFLINE_ZIP).stat().st_size / 1_000_000
    pdf_size = (site_dir / PDF).stat().st_size / 1_000_000
    print(f"Built {site_dir}: offline download {size:.1f} MB, PDF {pdf_size:.1f} MB, in {site_dir / 'downloads'}.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--check", action="store_true", help="only check data and pages (make check)")
    args = parser.parse_args()
    return check() if args.check else build(args.site_dir.resolve())


if __name__ == "__main__":
    sys.exit(main())
