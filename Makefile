PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-browser test-integration prod-up prod-down prod-restart backup restore lint format bench messages clean

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Serve the site with its seed content on http://127.0.0.1:8000 (development settings),
# with the scheduler (scheduled publication and expiry) running beside it.
# Each target first checks (and with root installs) the Debian packages it needs.
run:
	.ci/system-packages run
	$(MAKE) --no-print-directory $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed
	DEBUG=1 $(BIN)/python manage.py ensure_admin
	DEBUG=1 $(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	DEBUG=1 $(BIN)/python manage.py convert_attachments --loop & converter=$$!; \
	trap 'kill $$scheduler $$converter 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite, browser tests included, in two processes (pytest-xdist; each has its own
# test database, live server and file folders).
test:
	.ci/system-packages test
	$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/python -m pytest -n 2

test-browser:
	.ci/system-packages test
	$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/python -m pytest -m browser

# The production arrangement on 127.0.0.1 (nginx, two gunicorn instances, PostgreSQL,
# Redis, one files folder under var/prod/), and the suite that tests it through nginx.
prod-up: $(STAMP)
	deploy/prod.sh up

prod-down:
	deploy/prod.sh down

# A rolling restart that drains: one instance at a time leaves nginx, restarts, passes its
# health check and comes back (deploy/prod.sh restart; the same steps on a server: README).
prod-restart:
	deploy/prod.sh restart

test-integration: $(STAMP)
	$(BIN)/python -m pytest -m integration tests/integration

# Database dump + protected files + manifest with checksums, and back again.
# ENV_FILE names the instances' environment (/etc/gwangju/env on a server).
ENV_FILE ?= var/prod/env
BACKUP_DIR ?= var/backups
backup: $(STAMP)
	$(BIN)/python deploy/backup.py --env-file $(ENV_FILE) backup --out $(BACKUP_DIR)

restore: $(STAMP)
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=var/backups/gwangju-....tar [ENV_FILE=...]"; exit 2; }
	$(BIN)/python deploy/backup.py --env-file $(ENV_FILE) restore $(ARCHIVE)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	.ci/system-packages bench
	$(BIN)/python bench/run.py

# The admin's Korean catalogue: extract our strings into locale/ko/LC_MESSAGES/django.po (keeping
# the translations), then compile the django.mo committed beside it. Needs gettext (xgettext, msgfmt).
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py update_messages

clean:
	rm -rf $(VENV) var staticfiles
