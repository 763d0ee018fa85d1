# gongzhi: two commands. `make demo` installs and starts with demo data; `make test` runs everything.
PY ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
PYTHON := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/gongzhi
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo test test-sqlite test-postgres lint bench messages clean

$(UV):
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --python $(PY)

demo: install
	PYTHON=$(PYTHON) sh scripts/demo.sh

# SQLite always; PostgreSQL too when DATABASE_URL is set or a server answers on 127.0.0.1:5432.
test: install
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then \
		$(MAKE) --no-print-directory test-postgres PG_URL="$$DATABASE_URL"; \
	elif $(PYTHON) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL not reachable: suite ran on SQLite only."; \
	fi

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(VENV)/bin/pytest -q $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL ($(PG_URL)) =="
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: install
	cd gongzhi && DEBUG=true ../$(PYTHON) ../manage.py makemessages -l en -l zh_Hant --no-obsolete --ignore 'static/*'
	cd gongzhi && DEBUG=true ../$(PYTHON) ../manage.py compilemessages

bench: install
	$(PYTHON) bench/run.py

clean:
	rm -rf .tools $(VENV) db.sqlite3 staticfiles .test-media
