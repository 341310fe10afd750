# The two set-up commands are `make demo` and `make test`; each creates .venv and installs first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test install messages lint bench fuzz makemessages lock clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	@$(BIN)/python scripts/compile_messages.py

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Admin (bureau staff):  http://127.0.0.1:$(PORT)/admin/"
	@echo "  API docs:              http://127.0.0.1:$(PORT)/api/docs/"
	@echo "  Health:                http://127.0.0.1:$(PORT)/healthz  http://127.0.0.1:$(PORT)/readyz"
	@echo "  Logins (password demo): health-441802 (清城区卫健局), health-441800 (清远市卫健委),"
	@echo "                          office-420300 (十堰市联席会议办公室), operator-demo (机构经办人),"
	@echo "                          education-420302 (茅箭区教育局，托班台账), police-441802 (清城区公安，安保人员和从业禁止)"
	@echo "                          health-331082 (临海市卫健局，普惠认定、补贴和供给指标); the README lists every login"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Schemathesis against the served API schema of a live server on PostgreSQL (FUZZ_DATABASE_URL, a scratch
# database it recreates); fails on any server error or conformance failure. CI runs it.
fuzz: install
	bash scripts/fuzz_api.sh

bench: install
	$(BIN)/python -m pytest tests/bench -p no:randomly -s $(PYTEST_ARGS)

# Maintainers only: needs GNU gettext (xgettext) to extract strings.
makemessages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'tests/*' --no-obsolete

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^pip==' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media
