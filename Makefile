# The two commands: `make run` (the main job) and `make test` (every test).
# Both create .venv on first use, so a fresh machine needs only Python 3.10+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean docs

$(BIN)/clientcreds: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,httpx,docs,notebook]'
	touch $@

# The explorer in JupyterLab on 127.0.0.1; the server prints the URL (with its token) to open.
# (Jupyter refuses to run as root unless told: containers and CI machines often are root.)
run: $(BIN)/clientcreds
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser $(if $(filter 0,$(shell id -u)),--allow-root) \
		--LabApp.default_url=/lab/tree/notebooks/02-explorer.ipynb

lint: $(BIN)/clientcreds
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs
	$(BIN)/mypy

# The docs tests build the site, which serves mermaid from docs/node_modules.
test: lint docs/node_modules/mermaid/dist/mermaid.min.js
	$(BIN)/pytest

# Every side-by-side measurement; the peers come from npm (benchmarks/node) and the bench extra.
bench: $(BIN)/clientcreds benchmarks/node/node_modules/.package-lock.json
	$(BIN)/pip install --quiet -e '.[dev,httpx,docs,notebook,bench]'
	$(BIN)/python benchmarks/snippets.py
	$(BIN)/python benchmarks/verify.py
	$(BIN)/python benchmarks/tenant.py
	$(BIN)/python benchmarks/client.py
	$(BIN)/python benchmarks/explorer.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/hostile.py

benchmarks/node/node_modules/.package-lock.json: benchmarks/node/package-lock.json
	cd benchmarks/node && npm ci --no-audit --no-fund
	touch $@

# The docs site on http://127.0.0.1:8000, rebuilt on every change (mermaid comes from npm).
docs: $(BIN)/clientcreds docs/node_modules/mermaid/dist/mermaid.min.js
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

docs/node_modules/mermaid/dist/mermaid.min.js: docs/package-lock.json
	cd docs && npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
