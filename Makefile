# Everything goes through .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean catalogs messages static

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Sceau needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

catalogs: $(STAMP)  ## compile the message catalogues (verifier/translations/*/LC_MESSAGES/messages.po -> .mo)
	$(BIN)/pybabel compile --statistics -d verifier/translations

messages: $(STAMP)  ## the messages the code and templates name, as a template for translators (build/messages.pot)
	$(BIN)/pybabel extract -F babel.cfg -k translate -k translated -k t -o build/messages.pot .

static:  ## the browser's QR decoder (npm, pinned in package-lock.json) into verifier/static/vendor
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "static: no npm here; keeping the committed verifier/static/vendor/jsQR.js (VERSIONS.txt says which)"; \
	elif ! npm ci --ignore-scripts --no-audit --no-fund --silent; then \
	  echo "static: npm ci failed (offline?); keeping the committed verifier/static/vendor/jsQR.js"; \
	else \
	  mkdir -p verifier/static/vendor && \
	  cp node_modules/jsqr/dist/jsQR.js verifier/static/vendor/jsQR.js && \
	  cp node_modules/jsqr/LICENSE verifier/static/vendor/jsQR.LICENSE.txt && \
	  node -e 'const fs = require("fs"), { createHash } = require("crypto"); const lock = JSON.parse(fs.readFileSync("package-lock.json")); const file = fs.readFileSync("verifier/static/vendor/jsQR.js"); console.log("# Written by make static from package-lock.json (npm ci); do not edit by hand.\n# package version file sha256\njsqr " + lock.packages["node_modules/jsqr"].version + " jsQR.js " + createHash("sha256").update(file).digest("hex"))' \
	    > verifier/static/vendor/VERSIONS.txt && \
	  echo "static: verifier/static/vendor/jsQR.js is jsqr $$(grep -o '^jsqr [^ ]*' verifier/static/vendor/VERSIONS.txt | cut -d' ' -f2) from package-lock.json"; \
	fi

run: $(STAMP) catalogs static  ## create the instance if needed, add demo data to an empty one, then serve on http://127.0.0.1:8000
	$(BIN)/sceau init
	$(BIN)/sceau demo --if-empty
	$(BIN)/sceau serve

test: $(STAMP) catalogs static  ## the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set), one worker per core
	$(BIN)/python -m pytest -n auto --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)  ## ratios against the anchors of the issues; never part of the tests
	$(BIN)/python bench/seal.py
	$(BIN)/python bench/issue.py
	$(BIN)/python bench/bundle.py
	$(BIN)/python bench/transparency.py
	$(BIN)/python bench/load.py  # gunicorn + PostgreSQL + wrk: 2 x 60 s

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
