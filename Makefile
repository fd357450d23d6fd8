# Plenary: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck check-deploy migrate demo worker beat messages benchmarks clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Plenary needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## Create the virtualenv, migrate SQLite, load the demo and serve on http://127.0.0.1:8000 (or PORT=...)
# Links in the demo's emails and printed logins follow HOST and PORT unless
# SITE_URL is set; the logins are the last lines before the server starts.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	@$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole suite (skips, and says so, what needs PostgreSQL, Redis or Chromium when they are missing)
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --loglevel=INFO -Q default,selection

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat --loglevel=INFO

## Re-extract and compile translations (needs GNU gettext)
messages: $(STAMP)
	$(PY) manage.py makemessages -l fr --ignore='.venv/*' --ignore='tests/*' --ignore='benchmarks/*'
	$(PY) manage.py compilemessages --ignore='.venv/*'

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=plenary.example \
		$(PY) manage.py check --deploy --fail-level WARNING

benchmarks: $(STAMP)
	$(PY) benchmarks/sortition.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
