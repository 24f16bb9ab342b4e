#!/usr/bin/env bash
# scripts/bench-reporting.sh: the reporting benchmarks (issue 13), kept out of the
# normal test run because they seed large databases.
#
#   1. statistics beside the item list on PostgreSQL with a million items
#      (DUBAN_BENCH_STATS_ITEMS to change it): p50/p99 per request;
#   2. the ledger export of 100,000 rows (DUBAN_BENCH_EXPORT_ROWS): time and peak
#      server memory of GET /items/export.xlsx and .csv.
#
# Needs PostgreSQL (DUBAN_TEST_DATABASE_URL, default the local server as postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=0
export DUBAN_TEST_DATABASE_URL="${DUBAN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
export DUBAN_BENCH_STATS=1 DUBAN_BENCH_EXPORT=1
go test ./internal/stats -run '^$' -bench Stats -benchtime "${BENCHTIME:-50x}" -timeout 60m
go test ./internal/ledger -run '^$' -bench Export -benchtime 1x -timeout 60m
