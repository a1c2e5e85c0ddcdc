"""A newcomer's machine: what `make test` and `make build` find or set up by themselves."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT, run
from tools import browser


@pytest.fixture
def no_system_chromium(monkeypatch):
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.setattr(browser, "MAC_APPS", ())


def test_chromium_path_from_the_environment_wins(monkeypatch, tmp_path):
    chosen = tmp_path / "my-chrome"
    chosen.write_text("")
    monkeypatch.setenv("CHROMIUM_PATH", str(chosen))
    assert browser.chromium_path() == chosen


def test_a_system_chromium_is_used_when_there_is_one(monkeypatch):
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(browser.shutil, "which", lambda name: "/usr/bin/chromium" if name == "chromium" else None)
    assert browser.find_chromium() == Path("/usr/bin/chromium")


def test_without_a_system_chromium_the_unpacked_one_is_used_with_its_own_libraries(no_system_chromium, monkeypatch,
                                                                                     tmp_path):
    unpacked = tmp_path / "chromium" / "chromium"
    (unpacked.parent / "al2023" / "lib").mkdir(parents=True)  # as tools/unpack_chromium.mjs lays it out
    unpacked.write_text("")
    monkeypatch.setattr(browser, "PROVISIONED", unpacked)
    assert browser.chromium_path() == unpacked
    environment = browser.launch_environment(unpacked)
    assert environment["LD_LIBRARY_PATH"].split(":")[0] == str(tmp_path / "chromium" / "al2023" / "lib")
    assert browser.launch_environment(Path("/usr/bin/chromium")) is None


def test_copies_of_the_project_that_tests_build_use_the_chromium_this_checkout_found():
    """A copy in a temporary folder has no build/chromium/ of its own: the run hands it the one found here."""
    from macros.settings import Settings

    found = browser.find_chromium()
    if found is None:
        pytest.skip("no Chromium here at all (make browser unpacks one)")
    assert Settings.from_environment().chromium == found


def test_on_macos_the_chrome_app_is_found(no_system_chromium, monkeypatch, tmp_path):
    app = tmp_path / "Google Chrome.app" / "Contents" / "MacOS" / "Google Chrome"
    app.parent.mkdir(parents=True)
    app.write_text("")
    monkeypatch.setattr(browser, "MAC_APPS", (str(tmp_path / "Chromium.app" / "none"), str(app)))
    assert browser.find_chromium() == app


def test_on_a_machine_the_npm_chromium_cannot_run_on_make_browser_says_what_to_do(tmp_path):
    """Its browser is built for Linux x86-64: elsewhere (a Mac, an arm64 machine) make browser stops in one line."""
    as_a_mac = "data:text/javascript,Object.defineProperty(process, 'platform', {value: 'darwin'})"
    result = run(["node", "--import", as_a_mac, "tools/unpack_chromium.mjs", str(tmp_path / "chromium")], cwd=ROOT)
    assert result.returncode == 1 and not (tmp_path / "chromium").exists()
    assert result.output.strip().splitlines() == [
        "The Chromium that @sparticuz/chromium carries runs on Linux x86-64 only, not on this machine (darwin x64). "
        "Install Chrome or Chromium, or set CHROMIUM_PATH to one, then run make again."]


def test_a_failed_print_reports_its_own_error_not_the_one_of_closing_its_page(tmp_path):
    """A Chromium that crashed cannot close its page: the error that stopped the print is the one raised."""
    class Context:
        def route(self, pattern, handler) -> None:
            pass

        def new_page(self) -> str:
            return "page"

        def close(self) -> None:
            raise RuntimeError("Target page, context or browser has been closed")

    class Chromium:
        def new_context(self, **options) -> Context:
            return Context()

    with pytest.raises(ValueError, match="the print failed"), browser.sealed_page(Chromium(), tmp_path):
        raise ValueError("the print failed")


def test_with_no_chromium_at_all_the_message_says_how_to_get_one(no_system_chromium, monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "PROVISIONED", tmp_path / "none")
    with pytest.raises(browser.ChromiumMissing, match="make browser"):
        browser.chromium_path()


def test_make_sets_up_chromium_from_the_npm_registry_and_ci_needs_no_root():
    makefile = (ROOT / "Makefile").read_text()
    assert "node tools/unpack_chromium.mjs build/chromium" in makefile
    assert "@sparticuz/chromium" in (ROOT / "package.json").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get" not in ci and "make test" in ci


PRINT_ONE_PAGE = """
import sys
from pathlib import Path
from playwright.sync_api import sync_playwright
from tools import browser
folder = Path(sys.argv[1])
with sync_playwright() as playwright:
    chromium = browser.launch(playwright)
    with browser.sealed_page(chromium, folder) as (page, refused):
        page.goto((folder / "page.html").as_uri())
        page.pdf(path=str(folder / "page.pdf"))
    chromium.close()
print("refused:", refused)
"""


@pytest.mark.slow
def test_the_chromium_unpacked_from_npm_prints_a_page(tmp_path):
    """The way a machine without Chromium gets one (make browser), tried even where there is a system one."""
    done = run(["node", "tools/unpack_chromium.mjs", "build/chromium"], cwd=ROOT, timeout=120)
    assert done.returncode == 0 and done.output.strip().endswith("build/chromium/chromium"), done.output
    (tmp_path / "page.html").write_text("<h1>Printed by the unpacked Chromium</h1>")
    # In its own process: Playwright's synchronous API runs once per process, and the tests' browser may be open.
    printed = run([sys.executable, "-c", PRINT_ONE_PAGE, str(tmp_path)], cwd=ROOT,
                  env={"CHROMIUM_PATH": str(browser.PROVISIONED)})
    assert printed.returncode == 0 and "refused: []" in printed.output, printed.output
    assert (tmp_path / "page.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.xdist_group("desktop")
def test_tests_that_share_a_costly_fixture_share_a_worker(request):
    """`make test` runs on every core with --dist loadgroup: each page is visited once per screen size,
    and each mini build made once, only while xdist_group holds. A pytest or xdist upgrade can silently
    stop it (pytest-dev/pytest-xdist#1386); then every worker repeats the work and the suite slows down."""
    if not hasattr(request.config, "workerinput") or not request.config.getvalue("loadgroup"):
        pytest.skip("only meaningful in a run spread over workers by group (make test)")
    assert request.node.nodeid.endswith("@desktop"), request.node.nodeid
    # and the groups tests/conftest.py gives the tests that share a fixture which builds a site
    shared = [item.nodeid for item in request.session.items if "built_once" in item.fixturenames]
    if "not slow" not in (request.config.option.markexpr or ""):  # make test-fast leaves them out
        assert shared
    assert all(nodeid.endswith("@test_hostile_input-built_once") for nodeid in shared), shared


def test_the_venv_imports_the_project_from_any_folder(tmp_path):
    """MkDocs loads overrides/hooks.py by its path, and `mkdocs serve` runs from the venv's script: both
    import `macros` through the editable install that make setup makes, not through the current folder."""
    script = "import macros, tools; print(macros.__file__); print(tools.ROOT)"
    result = run([sys.executable, "-c", script], cwd=tmp_path)
    assert result.returncode == 0, result.output
    assert result.output.split() == [str(ROOT / "macros" / "__init__.py"), str(ROOT)]
