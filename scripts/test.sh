#!/usr/bin/env bash
# scripts/test.sh: everything `make test` checks, in one run. CI runs it through .ci/run.
#
#   1. PostgreSQL for the tests: $DUBAN_TEST_DATABASE_URL if set; else the server on
#      127.0.0.1:5432 if user postgres can log in without a password; else a private
#      throwaway cluster from the installed PostgreSQL binaries (removed on exit); else
#      fail under CI=true, or warn that the PostgreSQL half of the tests is skipped.
#   2. lint: gofmt and go vet.
#   3. API documents: under CI=true `make openapi-check` (regenerate; git must see no
#      change), otherwise `make openapi-verify` (compare without touching files).
#   4. go test -count=1 ./... (every database test on SQLite and PostgreSQL; every HTTP
#      exchange of the tests is validated against api/openapi.json), then the check that
#      every operation of the document was exercised by some test.
#   5. Spectral lint of api/openapi.json (zero warnings), frontend lint and unit tests (npm run lint, npm test), when frontend/package.json
#      exists;
#   6. frontend browser tests (npm run test:e2e: builds bin with the web app, starts it
#      on a fresh data directory, drives Chromium), when Chromium is installed (under
#      CI=true a missing Chromium fails the step).
#
# Every step runs even when an earlier one failed; a summary follows and the exit
# status is non-zero if any step failed.
#
# Knobs: DUBAN_TEST_DATABASE_URL; DUBAN_TEST_PRIVATE_PG=1 (skip :5432, always use a
# private cluster); GO_TEST_FLAGS (extra flags, e.g. -run Foo or -v); GO_TEST_P
# (packages built and tested at once; default 2); CI.
set -euo pipefail
cd "$(dirname "$0")/.."

export CGO_ENABLED=0
CI="${CI:-}"
GO_TEST_P="${GO_TEST_P:-2}"
: "${GO_TEST_FLAGS:=}"

log() { printf '\n==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------
PG_TMP=""
PG_CTL=""
PG_AS=()
OPENAPI_COVERAGE_DIR=""

cleanup() {
	[[ -n "$OPENAPI_COVERAGE_DIR" ]] && rm -rf "$OPENAPI_COVERAGE_DIR"
	if [[ -n "$PG_TMP" ]]; then
		if [[ -n "$PG_CTL" && -f "$PG_TMP/data/postmaster.pid" ]]; then
			"${PG_AS[@]}" "$PG_CTL" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
		fi
		rm -rf "$PG_TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# pg_login URL: can we run a query there, without ever being asked for a password?
pg_login() {
	if command -v psql >/dev/null 2>&1; then
		PGCONNECT_TIMEOUT=3 psql -w -X -q -At "$1" -c 'select 1' >/dev/null 2>&1
	else
		return 1
	fi
}

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_private_cluster() {
	local bindir initdb port
	initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
	[[ -x "$initdb" ]] || return 1
	bindir=$(dirname "$initdb")
	PG_CTL="$bindir/pg_ctl"
	PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/duban-pg.XXXXXX")
	mkdir -p "$PG_TMP/data"
	if [[ $(id -u) -eq 0 ]]; then
		# initdb refuses to run as root: the cluster belongs to the postgres user.
		id postgres >/dev/null 2>&1 || { warn "no postgres user to own a private cluster"; return 1; }
		chown -R postgres: "$PG_TMP"
		chmod 700 "$PG_TMP"
		if command -v runuser >/dev/null 2>&1; then
			PG_AS=(runuser -u postgres --)
		else
			# shellcheck disable=SC2016 # expanded by the inner shell, from su's arguments
			PG_AS=(su postgres -s /bin/sh -c '"$0" "$@"')
		fi
	else
		PG_AS=(env)
	fi
	port=5439
	while ! port_free "$port"; do port=$((port + 1)); done
	log "starting a private PostgreSQL ($("$bindir/postgres" --version | awk '{print $NF}')) on 127.0.0.1:$port in $PG_TMP"
	"${PG_AS[@]}" "$initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1 ||
		{ cat "$PG_TMP/initdb.log" >&2; return 1; }
	"${PG_AS[@]}" "$PG_CTL" -D "$PG_TMP/data" -l "$PG_TMP/postgres.log" -w -t 30 \
		-o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null || { cat "$PG_TMP/postgres.log" >&2; return 1; }
	export DUBAN_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

PG_NOTE=""
DEFAULT_PG_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
if [[ -n "${DUBAN_TEST_DATABASE_URL:-}" ]]; then
	PG_NOTE="DUBAN_TEST_DATABASE_URL (as given)"
elif [[ "${DUBAN_TEST_PRIVATE_PG:-}" != 1 ]] && pg_login "$DEFAULT_PG_URL"; then
	export DUBAN_TEST_DATABASE_URL="$DEFAULT_PG_URL"
	PG_NOTE="server on 127.0.0.1:5432"
elif start_private_cluster; then
	PG_NOTE="private throwaway cluster on ${DUBAN_TEST_DATABASE_URL#*@}"
elif [[ "$CI" == "true" ]]; then
	echo "FAIL: no PostgreSQL for the tests: nothing on 127.0.0.1:5432 accepts user postgres without a password," >&2
	echo "      and no PostgreSQL binaries (/usr/lib/postgresql/*/bin) to start a private cluster." >&2
	echo "      Set DUBAN_TEST_DATABASE_URL or install postgresql." >&2
	exit 1
else
	cleanup
	PG_TMP=""
	warn "no PostgreSQL found: the PostgreSQL half of the database tests will be skipped."
	warn "set DUBAN_TEST_DATABASE_URL, start PostgreSQL on 127.0.0.1:5432, or install postgresql."
	PG_NOTE="none: PostgreSQL tests skipped"
fi
echo "PostgreSQL for tests: $PG_NOTE"

# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------
declare -a RESULTS=()
FAILED=0

step() {
	local name=$1 start rc
	shift
	log "$name: $*"
	start=$SECONDS
	set +e
	"$@"
	rc=$?
	set -e
	if [[ $rc -eq 0 ]]; then
		RESULTS+=("$(printf '  %-10s ok    %4ds' "$name" $((SECONDS - start)))")
	else
		RESULTS+=("$(printf '  %-10s FAIL  %4ds  (exit %d)' "$name" $((SECONDS - start)) "$rc")")
		FAILED=$((FAILED + 1))
	fi
}

# The HTTP tests validate every exchange against api/openapi.json (internal/apitest)
# and note the operations they reach here; openapi_coverage then fails when an
# operation of the document is reached by no test.
OPENAPI_COVERAGE_DIR=$(mktemp -d)

go_test() {
	# shellcheck disable=SC2086 # GO_TEST_FLAGS is a list of flags.
	DUBAN_OPENAPI_COVERAGE_DIR="$OPENAPI_COVERAGE_DIR" go test -count=1 -p "$GO_TEST_P" -timeout 8m $GO_TEST_FLAGS ./...
}

openapi_coverage() {
	if [[ -n "$GO_TEST_FLAGS" ]]; then
		echo "GO_TEST_FLAGS is set: a partial run, the operation coverage is not checked"
		return 0
	fi
	go run ./cmd/openapi -in docs/swagger.json -coverage "$OPENAPI_COVERAGE_DIR"
}

# Spectral (spectral:oas, .spectral.yaml) lints the published document at zero
# warnings: what integrators generate their clients from.
openapi_lint() {
	make --no-print-directory frontend-deps
	(cd frontend && npm run lint:api)
}

frontend_test() {
	make --no-print-directory frontend-deps
	(cd frontend && npm run lint && npm test)
}

frontend_e2e() {
	make --no-print-directory frontend-deps
	(cd frontend && npm run test:e2e)
}

TOTAL_START=$SECONDS
step lint make --no-print-directory lint
if [[ "$CI" == "true" ]]; then
	step openapi make --no-print-directory openapi-check
else
	step openapi make --no-print-directory openapi-verify
fi
step go-test go_test
step api-cover openapi_coverage
if [[ -f frontend/package.json ]]; then
	step api-lint openapi_lint
	step frontend frontend_test
	if [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" || "$CI" == "true" ]]; then
		step e2e frontend_e2e
	else
		warn "no Chromium: the browser tests are skipped (apt-get install chromium fonts-noto-cjk)"
		RESULTS+=("$(printf '  %-10s skipped (no Chromium)' e2e)")
	fi
fi

echo
echo "==> summary ($((SECONDS - TOTAL_START))s; PostgreSQL: $PG_NOTE)"
printf '%s\n' "${RESULTS[@]}"
if [[ $FAILED -gt 0 ]]; then
	echo "FAILED: $FAILED step(s)"
	exit 1
fi
echo "all steps passed"
