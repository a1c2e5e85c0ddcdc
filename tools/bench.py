"""Performance numbers of the handbook build: `make bench` prints a table.

    python tools/bench.py [--runs 3] [--skip-full]

Measures: the online `mkdocs build` (median of runs) and the full `make build`;
the share of build time spent in the handbook's own layer (data loading,
validation, macros) under cProfile; build time for datasets of 1x, 3x and 10x
the procedures and conditions; page weight (gzip transfer size) of key pages;
the offline zip size; and the time from saving a page to `mkdocs serve` serving it.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}



def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in ("mkdocs.yml", "mkdocs.offline.yml", "macros", "overrides", "tools", "data", "docs"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def mkdocs_build_seconds(project: Path, runs: int) -> float:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(project / "bench-site")]
    return statistics.median(timed(command, project) for _ in range(runs))


def scale_project(project: Path, factor: int) -> None:
    """Add (factor - 1) copies of every procedure and condition, with pages and nav entries."""
    if factor == 1:
        return
    nav_lines = []
    for kind in ("procedures", "conditions"):
        for data in sorted((project / "data" / kind).glob("*.yml")):
            page = project / "docs" / kind / f"{data.stem}.md"
            for copy in range(2, factor + 1):
                new_id = f"{data.stem}-copy-{copy}"
                text = data.read_text()
                text = re.sub(r"^name: (.*)$", rf"name: \1 (copy {copy})", text, count=1, flags=re.M)
                if kind == "procedures":
                    text = re.sub(r"condition: ([\w-]+)", rf"condition: \1-copy-{copy}", text)
                (project / "data" / kind / f"{new_id}.yml").write_text(text)
                page_text = page.read_text().replace("](../procedures/", "](../procedures/").replace(
                    "\n# ", f"\n# (copy {copy}) ", 1)
                (project / "docs" / kind / f"{new_id}.md").write_text(page_text)
                nav_lines.append(f"      - {kind}/{new_id}.md\n")
    config = project / "mkdocs.yml"
    lines = config.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  - Compare:"))
    lines[at:at] = ["  - More:\n", *nav_lines]
    config.write_text("".join(lines))


def our_share(project: Path) -> tuple[float, float]:
    """(total seconds, share in our code) of one in-process online build under cProfile."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.chdir(project)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "profile-site"))
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    profiler.disable()
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    ours_prefix = (str(project / "macros"), str(project / "overrides" / "hooks.py"))
    # Our layer is entered only through these callbacks (the macros run inside on_pre_page_macros,
    # which renders each page's macros); they never call each other, so their times add up.
    entry_points = {"define_env", "on_pre_page_macros", "on_post_page_macros", "on_post_build",
                    "on_post_page", "on_post_template", "on_page_markdown"}
    ours = sum(cumulative for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items()
               if filename.startswith(ours_prefix) and name in entry_points)
    os.chdir(ROOT)
    return total, ours / total


def transfer_size(site: Path, page: str) -> int:
    """Bytes over the wire (gzip) for a page and the CSS and JS it loads."""
    html_path = site / page / "index.html"
    html = html_path.read_text()
    total = len(gzip.compress(html.encode()))
    for asset in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html):
        path = (html_path.parent / asset).resolve()
        if path.is_file():
            total += len(gzip.compress(path.read_bytes()))
    return total


def serve_reload_seconds(project: Path) -> float:
    """Seconds from saving a page to mkdocs serve serving the new text."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/about/"
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        marker = f"bench-marker-{time.time_ns()}"
        page = project / "docs" / "about" / "index.md"
        page.write_text(page.read_text() + f"\n{marker}\n")
        start = time.perf_counter()
        while time.perf_counter() - start < 180:
            try:
                if marker in urllib.request.urlopen(url, timeout=2).read().decode():
                    return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(0.2)
        return float("nan")
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-full", action="store_true", help="skip the full make build timing")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = copy_project(tmp / "x1")
        one = mkdocs_build_seconds(base, args.runs)
        rows.append((f"mkdocs build, online site (median of {args.runs})", f"{one:.1f} s"))
        if not args.skip_full:
            full = timed([sys.executable, "tools/build_site.py", "--site-dir", str(tmp / "full-site")], base)
            rows.append(("full build: online + offline + PDF (1 run)", f"{full:.1f} s"))
        total, share = our_share(base)
        rows.append(("share of build time in our layer (cProfile)", f"{share * 100:.1f} % of {total:.1f} s"))
        for factor in (3, 10):
            project = copy_project(tmp / f"x{factor}")
            scale_project(project, factor)
            seconds = mkdocs_build_seconds(project, 1)
            rows.append((f"scale {factor}x procedures and conditions", f"{seconds:.1f} s = {seconds / one:.1f}x"))
        site = base / "bench-site"
        for page in ("", "procedures/epidural-steroid-injection", "compare"):
            rows.append((f"page weight, gzip: /{page}", f"{transfer_size(site, page) / 1000:.0f} kB"))
        zip_path = tmp / "full-site" / "downloads" / "ipm-handbook-offline.zip"
        if zip_path.exists():
            rows.append(("offline zip", f"{zip_path.stat().st_size / 1_000_000:.1f} MB"))
        rows.append(("mkdocs serve: save to new page served", f"{serve_reload_seconds(base):.1f} s"))
    width = max(len(label) for label, _ in rows)
    print(f"{'Measure':{width}}  Result")
    for label, value in rows:
        print(f"{label:{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
