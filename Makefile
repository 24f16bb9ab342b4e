# Makefile: build, run, test and lint Duban, and regenerate its API documents.
#
#   make run            build, then start bin/duban on the embedded SQLite in ./data
#   make build          bin/duban (with the web app built in when frontend/ has one)
#   make test           scripts/test.sh: lint, API documents, go test (SQLite + PostgreSQL), frontend tests
#   make openapi        regenerate docs/ (swag), api/ (OpenAPI 3 and the Go client api/client), and the frontend's API types
#   make openapi-check  regenerate, then fail if that changed anything git tracks (CI runs it)
#   make lint | fmt | bench | bench-reporting | clean
#
# Every Go build is pure Go (CGO_ENABLED=0): the SQLite driver needs no C compiler.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
MAKEFLAGS += --no-print-directory

export CGO_ENABLED := 0

GO      ?= go
BIN     := bin/duban
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

# The web app is built in only when frontend/ holds one.
HAVE_FRONTEND := $(wildcard frontend/package.json)
# npm rewrites this file on every install, so it marks node_modules as up to date.
NPM_STAMP := frontend/node_modules/.package-lock.json

# swag reads the general API info from cmd/duban/main.go and route annotations from
# every package under internal/.
SWAG_FLAGS := init --quiet --dir ./cmd/duban,./internal --generalInfo main.go \
	--output docs --outputTypes go,json,yaml --parseDependencyLevel 0
# Paths that `make openapi` writes; openapi-check fails when any of them changes.
OPENAPI_OUTPUTS := docs api frontend/src/api

# make run: first-start settings. The admin user is created on the first start only,
# with DUBAN_BOOTSTRAP_ADMIN_PASSWORD; there is no default password: when it is not
# set, `make run` generates a random one for this data directory and shows it.
export DUBAN_BOOTSTRAP_ADMIN_PASSWORD
DUBAN_DATA_DIR  ?= ./data
DUBAN_HTTP_ADDR ?= :8080
# DEMO=1: `make run` seeds the demo data into a new embedded database.
DEMO ?= 1

# make bench: a short run by default; override for real measurements, e.g.
#   make bench BENCHTIME=2s BENCH=Create PKG=./internal/items/...
BENCHTIME ?= 200ms
BENCH     ?= .
PKG       ?= ./...

.PHONY: run build test openapi openapi-check openapi-verify lint fmt bench bench-list bench-reporting clean frontend-deps

run: build
	@mkdir -p "$(DUBAN_DATA_DIR)"
	@echo
	@if [ -n "$${DUBAN_DATABASE_URL:-}" ]; then echo "Database: PostgreSQL from DUBAN_DATABASE_URL"; \
	 else echo "Database: embedded SQLite in $(DUBAN_DATA_DIR)"; fi
	@# A new embedded database gets the demo organisation and items (DEMO=0 skips it),
	@# so that the first visit has people to log in as and work to look at.
	@if [ "$(DEMO)" = 1 ] && [ -z "$${DUBAN_DATABASE_URL:-}" ] && [ ! -e "$(DUBAN_DATA_DIR)/duban.db" ]; then \
	 DUBAN_DATA_DIR='$(DUBAN_DATA_DIR)' ./$(BIN) seed --demo && touch "$(DUBAN_DATA_DIR)/.demo"; fi
	@echo
	@echo "Open http://localhost:$(lastword $(subst :, ,$(DUBAN_HTTP_ADDR)))"
	@# Without DUBAN_BOOTSTRAP_ADMIN_PASSWORD, a random one, made once per data directory.
	@if [ -z "$${DUBAN_BOOTSTRAP_ADMIN_PASSWORD:-}" ] && [ ! -s "$(DUBAN_DATA_DIR)/bootstrap-admin.password" ]; then \
	 (umask 077; printf 'Duban-%s-9\n' "$$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 14)" \
	  > "$(DUBAN_DATA_DIR)/bootstrap-admin.password"); fi
	@if [ -e "$(DUBAN_DATA_DIR)/.demo" ] && [ -z "$${DUBAN_DATABASE_URL:-}" ]; then \
	 echo "Demo users (above; password Demo@2026): duban (督办处), leader1 (领导), guihua.head (规划发展部), admin"; \
	 elif [ -n "$${DUBAN_BOOTSTRAP_ADMIN_PASSWORD:-}" ]; then echo "First start: log in as admin with DUBAN_BOOTSTRAP_ADMIN_PASSWORD"; \
	 else echo "First start: log in as admin / $$(cat '$(DUBAN_DATA_DIR)/bootstrap-admin.password')"; \
	 echo "  (generated into $(DUBAN_DATA_DIR)/bootstrap-admin.password; it only applies while the database has no admin)"; fi
	@echo
	DUBAN_DATA_DIR='$(DUBAN_DATA_DIR)' DUBAN_HTTP_ADDR='$(DUBAN_HTTP_ADDR)' \
	DUBAN_BOOTSTRAP_ADMIN_PASSWORD="$${DUBAN_BOOTSTRAP_ADMIN_PASSWORD:-$$(cat '$(DUBAN_DATA_DIR)/bootstrap-admin.password')}" ./$(BIN) serve

ifneq ($(HAVE_FRONTEND),)
$(NPM_STAMP): frontend/package.json $(wildcard frontend/package-lock.json)
	cd frontend && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

frontend-deps: $(NPM_STAMP)

build: $(NPM_STAMP)
	cd frontend && npm run build
	rm -rf internal/webui/dist
	cp -R frontend/dist internal/webui/dist
	$(GO) build -tags spa -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/duban
	@echo "built $(BIN) $(VERSION) with the web app"
else
frontend-deps:
	@:

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/duban
	@echo "built $(BIN) $(VERSION) (API only: frontend/ has no package.json)"
endif

test:
	./scripts/test.sh

openapi: frontend-deps
	$(GO) tool swag $(SWAG_FLAGS)
	$(GO) run ./cmd/openapi -in docs/swagger.json -json api/openapi.json -yaml api/openapi.yaml -errors docs/errors.md
	@# The Go client (api/client), pinned in go.mod; its test drives a real server.
	$(GO) run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config api/client/oapi-codegen.yaml api/openapi.json
	@if [ -n "$(HAVE_FRONTEND)" ] && grep -q '"gen:api"' frontend/package.json; then \
		echo "cd frontend && npm run gen:api"; (cd frontend && npm run gen:api); fi

openapi-check: openapi
	@changed=$$(git status --porcelain -- $(OPENAPI_OUTPUTS)); \
	if [ -n "$$changed" ]; then \
		echo "The API documents are out of date with the annotations:"; \
		echo "$$changed"; \
		git --no-pager diff --stat -- $(OPENAPI_OUTPUTS); \
		git --no-pager diff -- $(OPENAPI_OUTPUTS) | head -n 300; \
		echo "run make openapi and commit"; \
		exit 1; \
	fi
	@echo "openapi-check: docs/ and api/ match the annotations"

# openapi-verify regenerates into a temporary directory and compares with the working
# tree, touching nothing: the local counterpart of openapi-check, which wants a clean
# git state. It does not cover the frontend's generated types.
openapi-verify:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; mkdir -p "$$tmp/api"; \
	$(GO) tool swag $(subst --output docs,--output $$tmp/docs,$(SWAG_FLAGS)); \
	$(GO) run ./cmd/openapi -in $$tmp/docs/swagger.json -json $$tmp/api/openapi.json -yaml $$tmp/api/openapi.yaml -errors $$tmp/docs/errors.md; \
	stale=; \
	for f in docs/docs.go docs/swagger.json docs/swagger.yaml docs/errors.md api/openapi.json api/openapi.yaml; do \
		cmp -s "$$f" "$$tmp/$$f" || stale="$$stale $$f"; done; \
	if [ -n "$$stale" ]; then echo "stale:$$stale"; echo "run make openapi and commit"; exit 1; fi; \
	echo "openapi-verify: docs/ and api/ match the annotations"

# Go files git knows of or would add (node_modules, dist and the like are ignored).
GOFILES = $(wildcard $(shell git ls-files --cached --others --exclude-standard -- '*.go' 2>/dev/null || find . -name '*.go' -not -path './frontend/*'))

lint:
	@unformatted=$$(gofmt -l $(GOFILES)); \
	if [ -n "$$unformatted" ]; then echo "gofmt: these files need formatting (run make fmt):"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	@echo "lint: ok"

fmt:
	gofmt -w $(GOFILES)

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchtime=$(BENCHTIME) -benchmem $(PKG)

# The item list's benchmark (issue 16): every list variant's p50/p99 beside a raw-SQL
# program for the same page, with the machine's load; 100,000 items on each engine
# by default. A million on PostgreSQL (COPY seeding, about a minute):
#   DUBAN_BENCH_ITEMS=1000000 make bench-list BENCH=List/postgres
# The PostgreSQL half needs DUBAN_TEST_DATABASE_URL (default: the local server).
bench-list:
	DUBAN_TEST_DATABASE_URL="$${DUBAN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}" \
	$(GO) test ./internal/items -run '^$$' -bench '$(if $(filter .,$(BENCH)),List,$(BENCH))' -benchtime $(if $(filter 200ms,$(BENCHTIME)),200x,$(BENCHTIME)) -timeout 60m

# The reporting benchmarks: statistics on a million items, the ledger export of
# 100,000 rows (PostgreSQL; minutes of seeding). See scripts/bench-reporting.sh.
bench-reporting:
	./scripts/bench-reporting.sh

clean:
	rm -rf bin internal/webui/dist frontend/dist coverage.out
	@echo "kept ./data (your local database); remove it by hand to start afresh"
