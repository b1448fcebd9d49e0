# fazhi — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: setup run demo test test-sqlite test-postgres lint messages checker-eval screenshots bench bench-serving bench-import clean
.PHONY: setup run demo test test-sqlite test-postgres lint messages checker-eval screenshots bench bench-serving bench-writes clean

setup: $(STAMP)

$(STAMP): pyproject.toml package-lock.json scripts/setup-system.sh scripts/vendor-assets.sh
	bash scripts/setup-system.sh
	bash scripts/vendor-assets.sh
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "fazhi needs Python >= 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@if command -v msgfmt >/dev/null; then $(BIN)/fazhi compilemessages -l zh_Hans --ignore=.venv --ignore=var >/dev/null; fi
	touch $(STAMP)

run: setup
	$(BIN)/fazhi secretkey
	$(BIN)/fazhi demo
	PORT=$(PORT) $(BIN)/fazhi serve --port $(PORT)

demo: setup
	$(BIN)/fazhi demo

# ruff, then mypy (pyproject's [tool.mypy]), then the import contracts of pyproject.toml (DESIGN §3's
# layers; lines independent).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: lint test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/pytest -q -p no:cacheprovider -n 2

# Runs only when FAZHI_TEST_DATABASE_URL points at a PostgreSQL server.
test-postgres: setup
	@if [ -n "$$FAZHI_TEST_DATABASE_URL" ]; then \
		DATABASE_URL="$$FAZHI_TEST_DATABASE_URL" $(BIN)/pytest -q -p no:cacheprovider -n 2; \
	else echo "FAZHI_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

messages: setup
	$(BIN)/fazhi makemessages -l zh_Hans --ignore=.venv --ignore=var
	$(BIN)/fazhi compilemessages -l zh_Hans --ignore=.venv --ignore=var

checker-eval: setup
	$(BIN)/python -m fazhi.checker.evaluation --write docs/checker-quality.md

# Benchmarks (docs/benchmarks.md): SIZES=district,city,province DATABASES=sqlite,postgres to choose.
SIZES ?= district,city
DATABASES ?= sqlite,postgres
bench: setup
	$(BIN)/python -m bench.run --sizes $(SIZES) --databases $(DATABASES) --write docs/benchmarks.md

# Only the serving row (issue 13 item 12): workbench and 驾驶舱 under 16 clients on `fazhi serve`, spliced in.
bench-serving: setup
	$(BIN)/python -m bench.run --serving-only --write docs/benchmarks.md

# Only the import row (issue 14 item 9): import rate vs python-calamine's raw read, SQLite and PostgreSQL, and
# peak memory; IMPORT_ROWS=1000000 for the 1M-row file, IMPORT_MEMORY_ROWS to compare peaks against a larger file.
IMPORT_ROWS ?= 100000
IMPORT_MEMORY_ROWS ?= 0
bench-import: setup
	$(BIN)/python -m bench.run --import-only --import-rows $(IMPORT_ROWS) --import-memory-rows $(IMPORT_MEMORY_ROWS) --databases $(DATABASES) --write docs/benchmarks.md
# Only the report rows of issue 17 (items 5–6): `fazhi report` start-up, the warm PDF, the checker with the
# platform comparison, spliced in.
bench-reportcli: setup
	$(BIN)/python -m bench.run --reportcli-only --write docs/benchmarks.md
# Only the writes rows (issue 17 item 4): record_create through the web path vs hand-written SQL, `fazhi demo`
# vs a bare executemany of its rows, on DATABASES; spliced in.
bench-writes: setup
	$(BIN)/python -m bench.run --writes-only --databases $(DATABASES) --write docs/benchmarks.md

# For a person to look at (out/): the main pages of each demo persona at 1366×768 and 390×844 in chromium
# (out/screenshots/index.html, with overflow and console errors marked), and the first pages of both demo
# districts' reports as PNG.
screenshots: demo
	$(BIN)/fazhi secretkey
	mkdir -p out
	$(BIN)/python scripts/screenshots.py --out out/screenshots
	$(BIN)/fazhi report --unit 东洲区 --year 2024 -o out/东洲区2024.pdf
	$(BIN)/fazhi report --unit 西市区 --year 2025 -o out/西市区2025.pdf
	pdftoppm -r 80 -f 1 -l 2 -png out/东洲区2024.pdf out/东洲区2024
	pdftoppm -r 80 -f 1 -l 2 -png out/西市区2025.pdf out/西市区2025
	@ls out/*.png

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
