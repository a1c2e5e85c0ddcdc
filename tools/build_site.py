"""Build the whole handbook: online site, offline zip inside it.

    python tools/build_site.py [--site-dir site]
    python tools/build_site.py --check      data check + strict online build only

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.__main__ import github_annotation, problem_annotation  # noqa: E402
from macros.loading import DataError, load_handbook  # noqa: E402

from macros import LEAFLETS, OFFLINE_ZIP, PDF  # noqa: E402
from tools.build_leaflets import LeafletError, build_leaflets  # noqa: E402
from tools.build_pdf import build_pdf  # noqa: E402


PROBLEM_LINE = re.compile(r"^(?:ERROR\s+-\s+)?((?:data|docs)/[^:\s]+|mkdocs\.yml):(\d+)\s+(.*)$")
DOC_FILE_WARNING = re.compile(r"^(?:WARNING|ERROR)\s+-\s+Doc file '([^']+)' contains a link '([^']+)'(.*)$")


def github_annotations(output: str, root: Path = ROOT) -> list[str]:
    """GitHub workflow commands that put each build problem on its file and line."""
    annotations = []
    for line in output.splitlines():
        if match := PROBLEM_LINE.match(line.strip()):
            path, number, text = match.groups()
            annotations.append(_annotation(path, int(number), text))
        elif match := DOC_FILE_WARNING.match(line.strip()):
            page, link, rest = match.groups()
            path = f"docs/{page}"
            number = _line_containing(root / path, f"]({link}")
            annotations.append(_annotation(path, number, f"the link '{link}'{rest}"))
    return annotations


def config_problems(output: str, root: Path = ROOT) -> list[str]:
    """MkDocs' configuration errors, restated with the file and line of mkdocs.yml they concern."""
    problems = []
    for line in output.splitlines():
        if match := re.search(r"Config value '([\w.]+)': (.*)", line):
            key, text = match.groups()
            number = _line_containing(root / "mkdocs.yml", f"{key.split('.')[0]}:")
            problems.append(f"mkdocs.yml:{number}  {key}: {text}  Tip: see the comments in mkdocs.yml "
                            "and the MkDocs and Material documentation for this setting")
        elif match := re.search(r"A reference to '([^']+)' is included in the 'nav' configuration", line):
            page = match.group(1)
            number = _line_containing(root / "mkdocs.yml", page)
            problems.append(f"mkdocs.yml:{number}  nav: the page '{page}' is listed but docs/{page} does not exist  "
                            "Tip: correct the path, create the page, or remove the line")
        elif "not included in the \"nav\" configuration" in line:
            problems.append("mkdocs.yml:1  nav: some pages are not in the navigation (listed above)  "
                            "Tip: add each to nav: in mkdocs.yml, under its group")
    return problems


def _annotation(path: str, line: int, text: str) -> str:
    return github_annotation(path, line, text, title="Handbook build")


def _line_containing(path: Path, needle: str) -> int:
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in text:
                return number
    except OSError:
        pass
    return 1


def run_mkdocs(config: str, site_dir: Path) -> bool:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
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
    if done.returncode and os.environ.get("GITHUB_ACTIONS") == "true":
        print("\n".join(github_annotations(output + "\n" + "\n".join(config_problems(output)))))
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
        print(error, file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print("\n".join(problem_annotation(p, title="Handbook build") for p in error.problems))
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
    handbook = load_data()
    if handbook is None:
        print(f"\nBuild stopped; {site_dir} was left as it was.", file=sys.stderr)
        return 1

    stage = ROOT / "build" / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    online, offline, downloads = stage / "site", stage / "offline", stage / "downloads"

    # The offline copy and the PDF first, so the online downloads page can give their sizes.
    if not run_mkdocs("mkdocs.offline.yml", offline):
        print(f"\nBuild of mkdocs.offline.yml failed (see above); {site_dir} was left as it was.", file=sys.stderr)
        return 1
    try:  # into the offline copy, so the zip has them; the online site gets a copy below
        build_leaflets(offline, offline / LEAFLETS, handbook)
    except LeafletError as error:
        print(f"{error}\nThe leaflets could not be made; {site_dir} was left as it was.", file=sys.stderr)
        return 1
    shutil.copytree(offline / LEAFLETS, stage / LEAFLETS)
    zip_folder(offline, stage / OFFLINE_ZIP)
    try:
        build_pdf(offline, stage / PDF)
    except SystemExit as error:
        print(f"{error}\nThe PDF could not be made; {site_dir} was left as it was.", file=sys.stderr)
        return 1
    os.environ["HANDBOOK_DOWNLOADS"] = str(downloads)
    if not run_mkdocs("mkdocs.yml", online):
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
    leaflets = len(list((site_dir / LEAFLETS).glob("*.pdf")))
    print(f"Built {site_dir}: offline download {size:.1f} MB, PDF {pdf_size:.1f} MB, {leaflets} leaflets, "
          f"in {site_dir / 'downloads'}.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--check", action="store_true", help="only check data and pages (make check)")
    args = parser.parse_args()
    return check() if args.check else build(args.site_dir.resolve())


if __name__ == "__main__":
    sys.exit(main())
