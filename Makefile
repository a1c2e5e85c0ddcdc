# The few commands a person types. Each one sets up what it needs first.
#   make serve   live preview on http://127.0.0.1:8000
#   make build   the site in site/, with the offline zip in site/downloads/
#   make check   data lint + strict build, quick, for the edit-save loop
#   make test    everything CI runs
#   make test-fast   the tests that need no built site and no browser, in seconds
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup browser serve build check lint test test-fast clean lock vendor new-procedure new-condition audit review-report bench

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --no-index --editable .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Chromium prints the PDF and runs the browser tests: the system's when there is one (or
# CHROMIUM_PATH), else the one the npm package @sparticuz/chromium carries, unpacked here.
browser: setup
	@$(BIN)/python -m tools.browser --found || $(MAKE) --no-print-directory build/chromium/chromium

build/chromium/chromium: node_modules/.installed
	node tools/unpack_chromium.mjs build/chromium

serve: setup
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

build: setup browser
	$(BIN)/python -m tools.build_site

lint: setup
	$(BIN)/python -m macros lint

check: setup
	$(BIN)/python -m tools.build_site --check

# On every core (pytest-xdist); the workers share one build of the site.
test: setup node_modules/.installed browser
	$(BIN)/python -m pytest -n auto --dist loadgroup

# The quick loop while changing code: everything that needs no built site and no browser.
test-fast: setup
	$(BIN)/python -m pytest -n auto --dist loadgroup -m "not slow"

# Re-resolve and hash-lock the requirements after editing requirements*.in.
lock: setup
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements-dev.txt requirements-dev.in

# Copy the browser libraries pinned in package.json into docs/assets/vendor.
vendor: node_modules/.installed
	cp node_modules/tablesort/dist/tablesort.min.js node_modules/tablesort/dist/sorts/tablesort.number.min.js node_modules/tablesort/LICENCE docs/assets/vendor/tablesort/
	cp node_modules/iframe-worker/LICENSE docs/assets/vendor/iframe-worker/

clean:
	rm -rf site build .pytest_cache

# Scaffold a new entry: its data file and page from the templates (never overwrites).
new-procedure: setup
	$(BIN)/python -m tools.new_entry procedure "$(NAME)"

new-condition: setup
	$(BIN)/python -m tools.new_entry condition "$(NAME)"

# Slow checks (also run in CI): Lighthouse on key pages. Report in build/reports/.
audit: build node_modules/.installed browser
	$(BIN)/python -m tools.audit site

# Every page by next review date (overdue first); exits non-zero if any is overdue.
review-report: setup
	$(BIN)/python -m macros review-report

# Build-time, scale, page-weight and live-reload numbers (see README).
bench: setup
	$(BIN)/python -m tools.bench
