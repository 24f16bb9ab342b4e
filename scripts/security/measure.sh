#!/usr/bin/env bash
# scripts/security/measure.sh: re-measure the figures of issue 14 against a real
# server (the binary built from this tree, or BIN=... another build, e.g. an older
# commit for the figures before the fixes).
#
#   scripts/security/measure.sh [bruteforce|memory|pgdown|sqlite|upload|idempotency|all]
#
# Each scenario starts its own server on a fresh data directory in $WORK
# (/tmp/duban-measure), with the demo data (every demo password is Demo@2026), and
# prints what it measured. pgdown starts a private PostgreSQL cluster on port
# 25432 (never the shared server), stops it for 14 s under load and starts it
# again; upload mounts a 1 MB tmpfs as the server's TMPDIR and fills it (root
# only); idempotency kills the server with -9 during keyed POSTs (IDEM_LEASE_WAIT=1
# also retries after the old 5-minute lease). The load scenarios run with the
# general rate limit off, so that they
# measure the database and not the limiter, as the outside test did.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/tmp/duban-measure}
LT=$WORK/loadtest
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
mkdir -p "$WORK"
export CGO_ENABLED=0
if [[ -z "${BIN:-}" ]]; then
	BIN=$WORK/duban
	go build -o "$BIN" ./cmd/duban
fi
go build -o "$LT" ./scripts/security/loadtest

PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	if [[ -f "$WORK/pg/data/postmaster.pid" ]]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
	mountpoint -q "$WORK/fulltmp" 2>/dev/null && umount "$WORK/fulltmp" || true
}
trap cleanup EXIT

# serve NAME PORT [VAR=value...]: start the server on a fresh data directory of
# NAME, log to $WORK/NAME.log; sets SERVER_PID and URL.
serve() {
	local name=$1 port=$2
	shift 2
	local dir=$WORK/$name
	mkdir -p "$dir"
	env DUBAN_DATA_DIR="$dir" DUBAN_HTTP_ADDR="127.0.0.1:$port" DUBAN_LOG_FORMAT=json DUBAN_LOG_LEVEL=info "$@" \
		"$BIN" serve >"$WORK/$name.out" 2>>"$WORK/$name.log" &
	SERVER_PID=$!
	PIDS+=("$SERVER_PID")
	URL=http://127.0.0.1:$port
	for _ in $(seq 1 200); do
		curl -fs "$URL/healthz" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "server $name did not start:"; tail -5 "$WORK/$name.log"; exit 1
}

fresh() { rm -rf "${WORK:?}/$1" "$WORK/$1.log" "$WORK/$1.out"; mkdir -p "$WORK/$1"; }

seed() { env DUBAN_DATA_DIR="$WORK/$1" "${@:2}" "$BIN" seed --demo >/dev/null; }

bruteforce() {
	echo "== 30 parallel wrong passwords for one user"
	fresh brute; seed brute
	serve brute 18081
	"$LT" bruteforce -url "$URL" -user duban -n 30
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
}

memory() {
	echo "== memory under 40 parallel logins (two rounds), password hashing at the production cost"
	fresh mem; seed mem
	serve mem 18082
	sleep 1
	"$LT" logins -url "$URL" -pid "$SERVER_PID" -n 40 -rounds 4 \
		-users duban,duban2,leader1,leader2,auditor,dongban.head,guihua.head,guihua.liaison,guihua.staff,caiwu.head,anquan.head,huadong.leader,huadong.duban,huadong.tech,xinan.leader,xinan.duban,xinan.tech
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
}

pgdown() {
	echo "== PostgreSQL stopped for 14 s under load (32 readers for 30 s)"
	[[ -n "$PGBIN" ]] || { echo "no PostgreSQL binaries"; return; }
	rm -rf "$WORK/pg"; mkdir -p "$WORK/pg"; chown postgres "$WORK/pg"
	runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -A trust -U postgres >/dev/null
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -o "-p 25432 -k /tmp" -l "$WORK/pg/pg.log" -w start >/dev/null
	runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p 25432 -U postgres duban
	local db=postgres://postgres@127.0.0.1:25432/duban?sslmode=disable
	fresh pgdown
	env DUBAN_DATABASE_URL="$db" DUBAN_DATA_DIR="$WORK/pgdown" "$BIN" migrate >/dev/null
	seed pgdown DUBAN_DATABASE_URL="$db"
	serve pgdown 18083 DUBAN_DATABASE_URL="$db" DUBAN_JWT_SECRET=measure-secret-measure-secret-measure-0001 DUBAN_RATE_LIMIT=off DUBAN_RATE_LIMIT_ADDR=off
	local tok; tok=$("$LT" token -url "$URL")
	: >"$WORK/pgdown.log.before"; cp "$WORK/pgdown.log" "$WORK/pgdown.log.before"
	"$LT" hammer -url "$URL" -token "$tok" -kind read -c 32 -d 30s &
	local load=$!
	sleep 4
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null
	echo "   stopped PostgreSQL at $(date +%T)"
	local ready; ready=$(curl -s -o /dev/null -w '%{http_code}' "$URL/readyz")
	sleep 14
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -o "-p 25432 -k /tmp" -l "$WORK/pg/pg.log" -w start >/dev/null
	local t0=$SECONDS
	until [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$URL/api/v1/items") == 200 ]]; do sleep 0.1; done
	echo "   started PostgreSQL at $(date +%T); /readyz while down: $ready; requests pass again after $((SECONDS - t0)) s"
	wait "$load"
	echo "   /readyz after: $(curl -s -o /dev/null -w '%{http_code}' "$URL/readyz")"
	local errors total
	errors=$(grep -c '"level":"ERROR"' "$WORK/pgdown.log" || true)
	total=$(grep -c '"msg":"request"' "$WORK/pgdown.log" || true)
	echo "   server log: $errors ERROR lines ($total request lines)"
	grep '"level":"ERROR"' "$WORK/pgdown.log" | head -3 | cut -c1-300 | sed 's/^/     /'
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null
}

sqlite() {
	echo "== SQLite under 64 writers for 20 s (POST /items)"
	fresh sqlite; seed sqlite
	serve sqlite 18084 DUBAN_RATE_LIMIT=off DUBAN_RATE_LIMIT_ADDR=off
	local tok lead
	tok=$("$LT" token -url "$URL")
	lead=$("$LT" unit -url "$URL" -token "$tok" -name 规划发展部)
	"$LT" hammer -url "$URL" -token "$tok" -kind write -c 64 -d 20s -lead "$lead" -deadline "$(date -d '+60 days' +%F)"
	echo "   ERROR lines: $(grep -c '"level":"ERROR"' "$WORK/sqlite.log" || true)"
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
}

upload() {
	echo "== upload with a full temporary directory"
	fresh upload; seed upload
	mkdir -p "$WORK/fulltmp"
	mountpoint -q "$WORK/fulltmp" || mount -t tmpfs -o size=1m tmpfs "$WORK/fulltmp"
	dd if=/dev/zero of="$WORK/fulltmp/fill" bs=64k count=100 2>/dev/null || true
	serve upload 18085 TMPDIR="$WORK/fulltmp"
	local tok item
	tok=$("$LT" token -url "$URL" -user guihua.head)
	item=$(curl -s -H "Authorization: Bearer $tok" "$URL/api/v1/items?state=in_progress&page_size=1" | sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p' | head -1)
	"$LT" upload -url "$URL" -token "$tok" -item "$item" -size $((9 << 20)) | cut -c1-400
	echo "   the path in the log only: $(grep -c 'fulltmp' "$WORK/upload.log" || true) log line(s) name it"
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
	umount "$WORK/fulltmp"
}

idempotency() {
	echo "== kill -9 during 200 keyed POST /items, restart, retry every key"
	fresh idem; seed idem
	serve idem 18086 DUBAN_RATE_LIMIT=off DUBAN_RATE_LIMIT_ADDR=off
	local tok lead deadline
	tok=$("$LT" token -url "$URL")
	lead=$("$LT" unit -url "$URL" -token "$tok" -name 规划发展部)
	deadline=$(date -d '+60 days' +%F)
	"$LT" idem -url "$URL" -token "$tok" -n 200 -prefix crash -lead "$lead" -deadline "$deadline" &
	local load=$!
	sleep 0.4
	kill -9 "$SERVER_PID"
	wait "$load" || true
	serve idem 18086 DUBAN_RATE_LIMIT=off DUBAN_RATE_LIMIT_ADDR=off
	echo "   retry at once after the restart:"
	"$LT" idem -url "$URL" -token "$tok" -n 200 -prefix crash -lead "$lead" -deadline "$deadline" | sed 's/^/   /'
	"$LT" count -url "$URL" -token "$tok" -prefix crash | sed 's/^/   /'
	if [[ -n "${IDEM_LEASE_WAIT:-}" ]]; then
		echo "   retry again after the 5-minute lease of the keys left in progress:"
		sleep 305
		tok=$("$LT" token -url "$URL")
		"$LT" idem -url "$URL" -token "$tok" -n 200 -prefix crash -lead "$lead" -deadline "$deadline" | sed 's/^/   /'
		"$LT" count -url "$URL" -token "$tok" -prefix crash | sed 's/^/   /'
	fi
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
}

case "${1:-all}" in
all) bruteforce; memory; pgdown; sqlite; upload; idempotency ;;
*) "$1" ;;
esac
