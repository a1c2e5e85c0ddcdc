"""Shared helpers: temporary copies of the project, builds, a browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tools import MKDOCS_ENVIRONMENT, ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "mini"
IN_CI = os.environ.get("CI", "").lower() == "true"
os.environ.update(MKDOCS_ENVIRONMENT)  # for the builds the tests run, and the processes they start


def _one_chromium_for_every_copy() -> None:
    """The tests build copies of the project in temporary folders, which have no build/chromium/ of their
    own: every build they start uses the Chromium found here (tools/browser.py), passed on as CHROMIUM_PATH."""
    from macros.settings import Settings
    from tools.browser import find_chromium

    found = find_chromium()
    if found is not None and found.is_file():
        os.environ.update(Settings(chromium=found.resolve()).environment())


_one_chromium_for_every_copy()

# What a project needs besides its data and pages.
PROJECT_PARTS = ["mkdocs.yml", "mkdocs.offline.yml", "macros", "overrides", "tools"]


@dataclass
class Result:
    returncode: int
    output: str


def run(command: list[str], cwd: Path, timeout: int = 300, env: dict | None = None) -> Result:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return Result(done.returncode, done.stdout + done.stderr)


def copy_project(target: Path, content: Path = ROOT) -> Path:
    """A runnable copy of the project, with data/ and docs/ taken from `content`."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    shutil.copytree(content / "data", target / "data")
    shutil.copytree(content / "docs", target / "docs", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("assets"))
    shutil.copytree(ROOT / "docs" / "assets", target / "docs" / "assets")
    if content != ROOT:
        # The fixture has its own pages: let MkDocs build the navigation from the folders.
        yaml = YAML()
        config_path = target / "mkdocs.yml"
        config = yaml.load(config_path.read_text())
        del config["nav"]
        with config_path.open("w") as handle:
            yaml.dump(config, handle)
    return target


def mkdocs_build(project: Path, site: Path, config: str = "mkdocs.yml", env: dict | None = None) -> Result:
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / config),
                "-d", str(site)], cwd=project, env=env)


def mkdocs_in_process(project: Path, site: Path, config: str = "mkdocs.yml") -> tuple[bool, str]:
    """A strict MkDocs build in this process (no interpreter start-up): (succeeded, what it logged)."""
    import io
    import logging

    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        build(load_config(config_file=str(project / config), site_dir=str(site), strict=True))
        succeeded = True
    except exceptions.MkDocsException as error:
        succeeded = False
        stream.write(f"{error}\n")
    finally:
        logger.removeHandler(handler)
    return succeeded, stream.getvalue()


def build_site(project: Path) -> Result:
    """The full build, as `make build` runs it."""
    return run([sys.executable, "-m", "tools.build_site"], cwd=project)


WEB_ADDRESSES = ("https://", "http://", "mailto:", "tel:")
"""What a printed PDF may link to besides its own pages: never file:, which would name the build machine."""


def pdf_link_addresses(*pdfs: Path) -> list[str]:
    """Every address the PDFs' links go to (the URIs of their link annotations)."""
    from pypdf import PdfReader

    actions = [annotation.get_object().get("/A") for pdf in pdfs for page in PdfReader(pdf).pages
               for annotation in page.get("/Annots", [])]
    return [str(action.get_object()["/URI"]) for action in actions if action and "/URI" in action.get_object()]


@pytest.fixture
def mini_project(tmp_path) -> Path:
    return copy_project(tmp_path / "project", FIXTURE)


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory) -> Path:
    """The fixture handbook, built once."""
    project = copy_project(tmp_path_factory.mktemp("mini") / "project", FIXTURE)
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.output
    return project / "site"


def shared_folder(tmp_path_factory, name: str):
    """(folder, lock): one folder per test run that every xdist worker sees, and a lock to build it once."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by its workers
    return base / name, FileLock(str(base / f"{name}.lock"))


def pytest_sessionstart(session) -> None:
    """Start the full build of the real handbook at once, in the background, when the run will need it:
    the tests that need no built site run meanwhile, and the first that needs it waits for it."""
    config = session.config
    if os.environ.get("PYTEST_XDIST_WORKER") or "not slow" in (config.option.markexpr or ""):
        return
    folder = config._tmp_path_factory.getbasetemp() / "real"  # the folder every worker sees as shared
    project = copy_project(folder / "project")
    log = (folder / "build.log").open("w")
    # Unbuffered: its last line ("Built ...") is in the log as soon as it is printed, not when it exits.
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
    config._handbook_build = subprocess.Popen([sys.executable, "-m", "tools.build_site"], cwd=project,
                                              env=environment, stdout=log, stderr=subprocess.STDOUT)
    (folder / "started").touch()


def pytest_unconfigure(config) -> None:
    build = getattr(config, "_handbook_build", None)
    if build is not None and build.poll() is None:
        build.terminate()
        build.wait(timeout=30)


@pytest.fixture(scope="session")
def built_real(tmp_path_factory, request) -> Path:
    """The real handbook, fully built (online site with the offline zip inside), once per test run."""
    folder, lock = shared_folder(tmp_path_factory, "real")
    site = folder / "project" / "site"
    with lock:
        if (folder / "built").exists():
            return site
        if (folder / "started").exists():  # begun in the background by pytest_configure
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                build = getattr(request.config, "_handbook_build", None)
                if build is not None and build.poll() is not None:
                    break
                if not (folder / "build.log").exists() or _build_finished(folder / "build.log"):
                    break
                time.sleep(0.2)
            log = (folder / "build.log").read_text() if (folder / "build.log").exists() else ""
            assert (site / "downloads").is_dir() and "Built " in log, log
        else:
            shutil.rmtree(folder, ignore_errors=True)
            result = build_site(copy_project(folder / "project"))
            assert result.returncode == 0, result.output
        (folder / "built").touch()
    return site


def _build_finished(log: Path) -> bool:
    """Whether tools/build_site.py has said its last word (it ends with 'Built ...' or a reason it stopped)."""
    text = log.read_text()
    return "Built " in text or "was left as it was" in text or "Traceback" in text


@pytest.fixture(scope="session")
def offline_bundle(built_real, tmp_path_factory) -> Path:
    """The offline download, unzipped as a reader would."""
    import zipfile

    target = tmp_path_factory.mktemp("offline")
    zipfile.ZipFile(built_real / "downloads" / "ipm-handbook-offline.zip").extractall(target)
    return target / "ipm-handbook"


# Tests that need a built site or a browser; `make test-fast` leaves them out.
SLOW_FIXTURES = {"built_real", "offline_bundle", "built_mini", "browser", "built_project", "built_once", "odd_build",
                 "desktop_visits", "phone_visits"}


# Module-scoped fixtures that build something: the tests using one run on one worker (pytest-xdist
# --dist loadgroup), so it is built once, not once on each worker.
BUILT_ONCE_PER_RUN = {"built_project", "built_once", "odd_build", "with_address"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if SLOW_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        shared = sorted(BUILT_ONCE_PER_RUN & fixtures)
        if shared and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(f"{item.path.stem}-{shared[0]}"))
    # The quick tests first, while the site is being built in the background; then the longest
    # (each page visited at two screen sizes, searches typed in), so none is left running alone at the end.
    longest = ("test_accessibility.py", "test_phone.py", "test_search.py")
    items.sort(key=lambda item: (item.get_closest_marker("slow") is not None, item.path.name not in longest))


@pytest.fixture(scope="session")
def site_server(built_real):
    """The built site served on 127.0.0.1, as a web host would: its address, ending in /."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # one line per request would fill the test's output
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_real)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Chromium (see tools/browser.py), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from tools.browser import launch

    chromium_or_skip()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def chromium_or_skip() -> Path:
    from tools.browser import ChromiumMissing, chromium_path

    try:
        return chromium_path()
    except ChromiumMissing as error:
        if IN_CI:
            pytest.fail(str(error))
        pytest.skip(str(error))


# --------------------------------------------------------------------------
# One visit of every page per screen size: axe-core's findings and what the layout measures,
# shared by the accessibility and phone tests (each page is loaded once per size, not once per test).
# --------------------------------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCREENS = {
    # Tall enough that the sidebar is not cut off: axe counts a link half-hidden at the
    # bottom of a scrolled sidebar as a too-small touch target.
    "desktop": {"viewport": {"width": 1280, "height": 2400}},
    # Most readers: a phone (below 600 pixels cards read as lists and the matrix as a list).
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True,
              "has_touch": True},
}
MEASURE = """() => {
    const summary = document.querySelector('.at-a-glance tbody td');
    const box = summary && summary.getBoundingClientRect();
    return {width: document.documentElement.scrollWidth,
            summary: box && {width: box.width, y: box.y + window.scrollY},
            scheme: document.body.getAttribute('data-md-color-scheme')};
}"""


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as its address below the site's root ('' for the home page)."""
    return [path.parent.relative_to(site).as_posix().removeprefix(".").lstrip("/") + "/"
            for path in sorted(site.rglob("index.html")) if "assets" not in path.parts]


def visit_pages(browser, base: str, urls: list[str], screen: str, scheme: str = "light") -> dict:
    """{url: {"axe": [violations], "width": page width, "summary": at-a-glance box}, "elsewhere": [...]}."""
    # bypass_csp: axe-core is added as a script of the test's, which the pages' Content-Security-Policy refuses.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True, **SCREENS[screen])
    context.add_init_script(path=str(AXE))
    elsewhere: list[str] = []
    context.on("request", lambda r: elsewhere.append(r.url)
               if r.url.startswith(("http:", "https:", "//")) and not r.url.startswith(base) else None)
    page = context.new_page()
    visits: dict = {}
    for url in urls:
        page.goto(base + url.lstrip("/"))
        # resultTypes: only violations are collected in full, which makes axe several times faster.
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                               "resultTypes: ['violations']})", AXE_TAGS)
        visits[url] = {"axe": [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), e.g. "
                               f"{v['nodes'][0]['target']}" for v in result["violations"]],
                       **page.evaluate(MEASURE)}
    context.close()
    return {"pages": visits, "elsewhere": elsewhere}


@pytest.fixture(scope="session")
def desktop_visits(built_real, site_server, browser) -> dict:
    return visit_pages(browser, site_server, site_pages(built_real), "desktop")


@pytest.fixture(scope="session")
def phone_visits(built_real, site_server, browser) -> dict:
    return visit_pages(browser, site_server, site_pages(built_real), "phone")
