"""Lighthouse audit of key pages, mobile settings: `make audit`.

Serves the built site on 127.0.0.1 the way GitHub Pages does (gzip), runs npm
lighthouse with the handbook's Chromium (tools/browser.py) on the home page, a procedure, a condition, the
comparison page, the matrix, a learn page and the glossary, writes build/reports/lighthouse.txt and fails below target.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path

from tools import ROOT
from tools.browser import CHROMIUM_ARGS, chromium_path, launch_environment

PAGES = ["/", "/procedures/epidural-steroid-injection/", "/conditions/sciatica/", "/compare/",
         "/compare/conditions-and-procedures/", "/learn/safety/", "/about/glossary/"]
TARGETS = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
RUNS = 3
"""Lighthouse scores vary from run to run (Lighthouse's own advice is to take the median of several)."""
CHROME_FLAGS = " ".join(CHROMIUM_ARGS)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it, as GitHub Pages serves them."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        compressible = path.suffix in (".html", ".css", ".js", ".json", ".svg", ".xml")
        if not path.is_file() or not compressible or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(site: Path):
    handler = functools.partial(GzipHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def lighthouse(url: str, output: Path) -> tuple[dict[str, float], list[str]]:
    chromium = chromium_path()
    command = [str(ROOT / "node_modules" / ".bin" / "lighthouse"), url, "--quiet", "--output=json",
               f"--output-path={output}", f"--chrome-flags={CHROME_FLAGS}", "--form-factor=mobile",
               "--only-categories=performance,accessibility,best-practices,seo"]
    environment = {**(launch_environment(chromium) or os.environ), "CHROME_PATH": str(chromium)}
    subprocess.run(command, check=True, env=environment, timeout=180)
    data = json.loads(output.read_text())
    scores = {key: category["score"] for key, category in data["categories"].items()}
    failing = [audit["title"] for audit in data["audits"].values()
               if audit.get("score") is not None and audit["score"] < 1
               and audit.get("scoreDisplayMode") == "binary"]
    return scores, failing


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    reports = ROOT / "build" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    httpd = serve(site)
    base = f"http://127.0.0.1:{httpd.server_port}"
    lines, problems = [], []
    try:
        for page in PAGES:
            runs = [lighthouse(base + page, reports / f"lighthouse{page.replace('/', '_')}-{run}.json")
                    for run in range(1, RUNS + 1)]
            scores = {key: statistics.median(run[0][key] for run in runs) for key in runs[0][0]}
            failing = sorted({title for _, titles in runs for title in titles})
            lines.append(f"{page:45s} " + "  ".join(f"{k} {round(v * 100)}" for k, v in scores.items()))
            for key, target in TARGETS.items():
                if scores[key] < target:
                    problems.append(f"{page}: {key} {round(scores[key] * 100)} is below {round(target * 100)}"
                                    + (f" (failing: {'; '.join(failing)})" if failing else ""))
    finally:
        httpd.shutdown()
    found = ["", "Problems:", *problems] if problems else []
    text = "\n".join([f"== Lighthouse (mobile, median of {RUNS} runs)", *lines, *found])
    (reports / "lighthouse.txt").write_text(text + "\n")
    print(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
