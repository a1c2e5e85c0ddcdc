"""Performance numbers of the handbook build: `make bench` prints a table.

    python -m tools.bench [--runs 3] [--skip-full]

Measures: the online `mkdocs build` and the full `make build` (medians of runs);
the share of build time spent in the handbook's own layer (data loading,
validation, macros), in the full build and in `mkdocs build` alone, under the
pyinstrument profiler; build time for datasets of 1x, 3x and 10x the procedures
and conditions; page weight (gzip transfer size) of key pages and of the search
index; the offline zip size; and the time from saving a page to `mkdocs serve`
serving it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
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

from macros.settings import Settings
from tools import MKDOCS_ENVIRONMENT, ROOT
from tools.browser import find_chromium

# Measure Python as it normally runs, caching compiled bytecode between runs.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, **MKDOCS_ENVIRONMENT,
       # The copies it builds have no build/chromium/ of their own: they use the Chromium found here.
       **Settings(chromium=find_chromium()).environment()}


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


def mkdocs_build_seconds(project: Path, runs: int, config: str = "mkdocs.yml") -> float:
    site = "bench-site" if config == "mkdocs.yml" else "bench-site-offline"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config, "-d", str(project / site)]
    return statistics.median(timed(command, project) for _ in range(runs))


def scale_project(project: Path, factor: int) -> None:
    """Add (factor - 1) copies of every procedure and condition, with their pages, each listed in
    the navigation beside its original (as a growing handbook would file them)."""
    if factor == 1:
        return
    config = project / "mkdocs.yml"
    nav = config.read_text()
    for kind in ("procedures", "conditions"):
        for data in sorted((project / "data" / kind).glob("*.yml")):
            page = project / "docs" / kind / f"{data.stem}.md"
            nav_line = re.search(rf"^( +- ){kind}/{data.stem}\.md\n", nav, re.M)
            copies = []
            for copy in range(2, factor + 1):
                new_id = f"{data.stem}-copy-{copy}"
                text = data.read_text()
                text = re.sub(r"^name: (.*)$", rf"name: \1 (copy {copy})", text, count=1, flags=re.M)
                if kind == "procedures":
                    text = re.sub(r"condition: ([\w-]+)", rf"condition: \1-copy-{copy}", text)
                (project / "data" / kind / f"{new_id}.yml").write_text(text)
                (project / "docs" / kind / f"{new_id}.md").write_text(
                    page.read_text().replace("\n# ", f"\n# (copy {copy}) ", 1))
                copies.append(f"{nav_line.group(1)}{kind}/{new_id}.md\n")
            nav = nav[:nav_line.end()] + "".join(copies) + nav[nav_line.end():]
    config.write_text(nav)


def profiled_share(project: Path, command: list[str]) -> tuple[float, float, float]:
    """Run `command` (a Python module and its arguments) under pyinstrument, a sampling profiler
    that counts wall time, and return (total seconds, share in our layer, share in Jinja's page
    templating).

    Our layer is every sample whose outermost frame from this project is in macros/ or
    overrides/hooks.py: importing them (with pydantic and ruamel.yaml), loading and validating the
    data, the macros and hooks. Inside it, Jinja's parsing and compiling of page text is reported
    apart: it is the cost of mkdocs-macros' templates, the same for any page that uses a macro.
    """
    report = project / "profile.json"
    subprocess.run([sys.executable, "-m", "pyinstrument", "--interval", "0.001", "--renderer", "json",
                    "--outfile", str(report), *command], cwd=project, env=ENV, check=True, capture_output=True)
    root = json.loads(report.read_text())["root_frame"]
    ours_prefix = (str(project / "macros") + os.sep, str(project / "overrides" / "hooks.py"))
    spent = {"ours": 0.0, "jinja": 0.0}

    def walk(frame: dict, inside: bool) -> None:
        path = frame.get("file_path") or ""
        if not inside and path.startswith(ours_prefix):
            spent["ours"] += frame["time"]
            inside = True
        if inside and frame["function"] in ("parse", "compile") and path.endswith("jinja2/environment.py"):
            spent["jinja"] += frame["time"]
            return
        for child in frame.get("children", []):
            walk(child, inside)

    walk(root, False)
    total = root["time"]
    return total, (spent["ours"] - spent["jinja"]) / total, spent["jinja"] / total


DATA_CHECK = """
import time
start = time.perf_counter()
from macros.data import load_handbook
load_handbook(".")
print(time.perf_counter() - start)
"""


def layer_seconds_in_full_build(project: Path) -> tuple[float, float]:
    """Seconds the full build spends in our layer, and in Jinja's page templating: the data
    check tools/build_site.py makes first, plus each of its two mkdocs builds (offline, online),
    each build's profiled shares applied to its time without the profiler. (The PDF step runs
    none of our layer: Chromium prints the offline pages.)"""
    done = subprocess.run([sys.executable, "-c", DATA_CHECK], cwd=project, env=ENV, check=True,
                          capture_output=True, text=True)
    ours, jinja = float(done.stdout), 0.0
    for config in ("mkdocs.offline.yml", "mkdocs.yml"):
        seconds = mkdocs_build_seconds(project, 1, config)
        _, our_share, jinja_share = profiled_share(project, ["-m", "mkdocs", "build", "-q", "-f", config,
                                                             "-d", "profile-site"])
        ours += our_share * seconds
        jinja += jinja_share * seconds
    return ours, jinja


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
            full = statistics.median(
                timed([sys.executable, "-m", "tools.build_site", "--site-dir", str(tmp / "full-site")], base)
                for _ in range(args.runs))
            rows.append((f"full build: online + offline + PDF + leaflets (median of {args.runs})", f"{full:.1f} s"))
            ours, jinja = layer_seconds_in_full_build(base)
            rows.append(("our layer in the full build (pyinstrument)",
                         f"{ours / full * 100:.1f} % ({ours:.2f} s); with Jinja page templating "
                         f"{(ours + jinja) / full * 100:.1f} %"))
        total, ours, jinja = profiled_share(base, ["-m", "mkdocs", "build", "-q", "-d", "profile-site"])
        rows.append(("our layer in mkdocs build alone (pyinstrument)",
                     f"{ours * 100:.1f} % of {total:.1f} s; Jinja page templating {jinja * 100:.1f} %"))
        for factor in (3, 10):
            project = copy_project(tmp / f"x{factor}")
            scale_project(project, factor)
            seconds = mkdocs_build_seconds(project, 1)
            rows.append((f"scale {factor}x procedures and conditions", f"{seconds:.1f} s = {seconds / one:.1f}x"))
        site = base / "bench-site"
        for page in ("", "procedures/epidural-steroid-injection", "conditions/sciatica", "compare"):
            rows.append((f"page weight, gzip: /{page}", f"{transfer_size(site, page) / 1000:.0f} kB"))
        index = site / "search" / "search_index.json"
        rows.append(("search index, gzip (fetched by the first page a reader opens)",
                     f"{len(gzip.compress(index.read_bytes())) / 1000:.0f} kB"))
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
