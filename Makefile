# tinhgon: two commands on a fresh machine.
#   make run   venv + locked dependencies + migrate + demo data, then serve http://127.0.0.1:8000 (SQLite under var/)
#   make test  venv + test dependencies, then ruff, makemigrations --check and the whole pytest suite
#              (DATABASE_URL=postgres://... runs it on PostgreSQL)
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
S3_SERVER := var/s3-server
HOST ?= 127.0.0.1:8000
# `make bench PROFILE=province`: bench/run.py measures on the generated data set (docs/performance.md).
PROFILE ?=
# `make bench-pages BENCH_QUICK=1`: the per-page benchmark on the province profile (about 5 minutes); without it, national.
BENCH_QUICK ?=

.PHONY: run test install install-test migrate seed lint check-migrations pytest bench bench-pages load schema templates documents clean

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON)): apt-get install python3.11 python3.11-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed-base: requirements/base.txt | $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: requirements/test.txt | $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements/test.txt
	@touch $@ $(VENV)/.installed-base

# The S3 API server the object-storage tests run against (moto), in its own environment: botocore pins
# python-dateutil < 3, the app's icalendar 7 needs 4 (tinhgon/core/tests/test_object_storage.py).
$(S3_SERVER)/.installed: requirements/s3-server.txt | $(PY)
	$(PYTHON) -m venv $(S3_SERVER)
	$(UV) pip install --quiet --python $(S3_SERVER)/bin/python -r requirements/s3-server.txt
	@touch $@

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test $(S3_SERVER)/.installed

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver $(HOST)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations: install-test
	$(PY) manage.py makemigrations --check --dry-run

pytest: install-test
	$(VENV)/bin/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test: lint check-migrations pytest

bench: install-test
	status=0; for script in run.py bench_import.py bench_search.py bench_ledger.py bench_overdue.py bench_dashboard.py; do args=""; if [ "$$script" = run.py ] && [ -n "$(PROFILE)" ]; then args="--profile $(PROFILE)"; fi; $(PY) bench/$$script $$args || status=1; done; $(MAKE) --no-print-directory bench-pages || status=1; exit $$status

# Every key page and endpoint on the generated data set, budgets in bench/budgets.toml (bench/README.md).
bench-pages: install-test
	$(PY) bench/pages.py $(if $(BENCH_QUICK),--quick,)

# The load test (bench/load/run.sh, docs/performance.md): gunicorn on PostgreSQL, locust at 50 and 200 users.
# `make load PROFILE=province USERS="20"` for a short try; the national data set takes about 15 minutes to make once.
USERS ?= 50 200
load: install-test
	$(UV) pip install --quiet --python $(PY) -r requirements/load.txt
	PROFILE=$(or $(PROFILE),national) bench/load/run.sh $(USERS)

# Integer bounds in the schema depend on the database backend: describe production (PostgreSQL; no connection made).
schema: install-test
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/tinhgon $(PY) manage.py spectacular --file docs/openapi.yaml --validate

# The default Word templates (tinhgon/core/docx_templates/*.docx) from build.py beside them; skip this if you edited a
# default in Word directly, or it is overwritten.
templates: install
	$(PY) -m tinhgon.core.docx_templates.build templates

# A printed sample of each default document in docs/documents/ (PDF and its text), with LibreOffice and pdftotext;
# tinhgon/core/tests/test_document_samples.py fails until the committed text matches the templates.
documents: install
	@command -v soffice >/dev/null || { echo "Cần LibreOffice (soffice) và poppler-utils (pdftotext)"; exit 1; }
	$(PY) -m tinhgon.core.docx_templates.build samples

clean:
	rm -rf $(VENV) var
