# Cité des métiers / Beroepenpunt — developer entry points.
# `make run` and `make test` are all a fresh machine with Python 3.11+ needs (see README.md).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
ARGS ?=

# Runs a command with DATABASE_URL set: the given server, or the embedded PostgreSQL under var/.
WITH_DB := $(BIN)/python -m citedesmetiers.operations.localdb --
MANAGE := $(BIN)/python manage.py
CATALOGS := $(wildcard citedesmetiers/locale/*/LC_MESSAGES/django.po)
COMPILED := $(CATALOGS:.po=.mo)

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export UV_PROJECT_ENVIRONMENT := $(VENV)

.DEFAULT_GOAL := help
.PHONY: help install run dev test bench lint fmt messages migrations shell manage backup restore clean

help:
	@echo "make run      serve the app with demo data on http://$(HOST):$(PORT) (gunicorn)"
	@echo "make test     run the whole test suite"
	@echo "make dev      Django's development server with auto-reload"
	@echo "make bench    run the benchmarks under bench/"
	@echo "make lint     ruff check and ruff format --check"
	@echo "make fmt      format and fix with ruff"
	@echo "make messages refresh the translation catalogs (needs GNU gettext)"
	@echo "make migrations  new migrations for model changes, formatted"
	@echo "make shell    a Django shell on the project's database"
	@echo "make manage ARGS='...'  any manage.py command on the project's database"
	@echo "make backup   a compressed dump of the project's database in var/backups (keeps the newest 14)"
	@echo "make restore [FILE=path] [YES=1]  restore a dump (default: the newest in var/backups)"

$(BIN)/uv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is required (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	@touch $@

%.mo: %.po $(VENV)/.synced
	$(BIN)/python -m citedesmetiers.operations.catalogs $<

install: $(VENV)/.synced $(COMPILED)

run: install
	@CDM_MODE=demo SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(WITH_DB) sh -c '\
		$(MANAGE) migrate --noinput && \
		$(MANAGE) collectstatic --noinput --verbosity 0 && \
		$(MANAGE) create_demo_accounts && \
		$(MANAGE) create_demo_activities && \
		$(MANAGE) create_demo_resources && \
		$(MANAGE) seed_demo && \
		$(MANAGE) protect_publications && \
		exec $(BIN)/gunicorn -c python:citedesmetiers.operations.gunicorn_conf --bind $(HOST):$(PORT) citedesmetiers.wsgi'

dev: install
	@CDM_MODE=dev DEBUG=true SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(WITH_DB) sh -c '\
		$(MANAGE) migrate --noinput && \
		$(MANAGE) create_demo_accounts && \
		$(MANAGE) create_demo_activities && \
		$(MANAGE) create_demo_resources && \
		$(MANAGE) seed_demo && \
		exec $(MANAGE) runserver $(HOST):$(PORT)'

# Two workers by default (modules spread over both: tests/conftest.py; TEST_WORKERS=0 for one process).
TEST_WORKERS ?= 2

test: install
	@$(WITH_DB) $(BIN)/pytest -n $(TEST_WORKERS) $(ARGS)

bench: install
	@$(WITH_DB) $(BIN)/python -m bench $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# mypy reads the test settings (django-stubs); nothing connects to the database.
	DATABASE_URL=$${DATABASE_URL:-postgres://localhost/unused} $(BIN)/mypy

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	CDM_MODE=dev $(MANAGE) makemessages --all --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='static/vendor/*'
	$(BIN)/python -m citedesmetiers.operations.catalogs --fill-english citedesmetiers/locale/en/LC_MESSAGES/django.po

migrations: install
	@CDM_MODE=dev $(WITH_DB) $(MANAGE) makemigrations $(ARGS)
	$(BIN)/ruff format --quiet */migrations

shell: install
	@CDM_MODE=dev $(WITH_DB) $(MANAGE) shell

manage: install
	@CDM_MODE=dev $(WITH_DB) $(MANAGE) $(ARGS)

backup: install
	@CDM_MODE=dev $(WITH_DB) $(MANAGE) backup $(ARGS)

restore: install
	@CDM_MODE=dev $(WITH_DB) $(MANAGE) restore $(FILE) $(if $(YES),--yes) $(ARGS)

clean:
	rm -rf $(VENV) var/static $(COMPILED)
