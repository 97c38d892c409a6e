# The two commands a new user needs:  `make demo`  and  `make test`.
# Both install what they need first: system tools if missing (Java 17, Maven, PostgreSQL,
# Chromium, Node.js), the Python virtual environment, the npm packages, and (on first use)
# the Kafka jars from Maven Central.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# govuk-frontend (the portal's styles) and axe-core, pinned in package-lock.json, never committed.
NODE_STAMP := node_modules/.installed

# PostgreSQL for the log-store tests: Debian's cluster, a role and database made idempotently.
PG_TEST_DSN := postgresql://iom_test:iom_test@127.0.0.1:5432/iom_test
export IOM_TEST_POSTGRES_DSN ?= $(PG_TEST_DSN)
AS_POSTGRES := $(if $(filter 0,$(shell id -u)),su postgres -c,sudo -u postgres sh -c)

.PHONY: demo test lint wheel system-deps

demo: $(STAMP) $(NODE_STAMP)
	$(BIN)/iom-broker demo

test: system-deps $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	@# Keycloak's distribution (Maven Central) fetched and built before the suite's per-test timeouts.
	$(BIN)/python -c 'from broker.devtools.keycloak.distribution import ensure_keycloak; ensure_keycloak()'
	$(BIN)/pytest

# The installable wheel in dist/: setup.py copies schemas/, policies/ and the web assets
# pinned in package-lock.json into the package (README, "Installing the wheel").
wheel: $(STAMP) $(NODE_STAMP)
	$(BIN)/pip wheel --no-deps --wheel-dir dist .

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

system-deps:
	@command -v npm >/dev/null || { \
	  echo "installing Node.js and npm with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@test -x /usr/bin/chromium || { \
	  echo "installing Chromium (browser tests) with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v ssh-agent >/dev/null || { \
	  echo "installing openssh-client (the development witness keeps its key in ssh-agent)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client; }
	@command -v java >/dev/null && command -v mvn >/dev/null || { \
	  echo "installing Java 17 and Maven with apt-get"; \
	  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless maven; }
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { \
	  echo "installing PostgreSQL with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	@pg_lsclusters -h | grep -q . || \
	  pg_createcluster "$$(ls /usr/lib/postgresql | sort -n | tail -1)" main --start
	@pg_lsclusters -h | awk '{ print $$1, $$2, $$4 }' | while read -r version name status; do \
	  [ "$$status" = online ] || pg_ctlcluster "$$version" "$$name" start; done
	@$(AS_POSTGRES) "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'iom_test'\"" | grep -q 1 \
	  || $(AS_POSTGRES) "psql -qc \"CREATE ROLE iom_test LOGIN PASSWORD 'iom_test'\""
	@$(AS_POSTGRES) "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'iom_test'\"" | grep -q 1 \
	  || $(AS_POSTGRES) "createdb -O iom_test iom_test"

$(STAMP): pyproject.toml | system-deps
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)
