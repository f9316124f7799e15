#!/usr/bin/env bash
# Benchmark of the REST API: timeline pages of random companies, and /ping as
# the baseline, measured with wrk against a release build of `riskline serve`.
#
#   scripts/bench-api.sh                 # SQLite, and PostgreSQL if reachable
#   BACKENDS=sqlite scripts/bench-api.sh
#   EVENTS=200000 COMPANIES=2000 DURATION=10s scripts/bench-api.sh
#
# The databases are made once by `riskline bench seed` (EVENTS events over
# COMPANIES companies) and kept under target/bench/ for later runs. PostgreSQL
# is the server of PG_SERVER (default postgres://postgres@127.0.0.1:5432); its
# database riskline_bench_<EVENTS>_<COMPANIES> is kept too. Figures and the
# machine they were measured on: docs/benchmarks-api.md. The server runs with
# its rate limits off (all requests come from one address and one key); its
# other limits (timeouts, 256 connections per worker) are the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-1000000}
COMPANIES=${COMPANIES:-10000}
DURATION=${DURATION:-20s}
BACKENDS=${BACKENDS:-sqlite postgres}
PG_SERVER=${PG_SERVER:-postgres://postgres@127.0.0.1:5432}
WRK_THREADS=${WRK_THREADS:-2}
WORKERS=${WORKERS:-2}
SERVE_FLAGS=${SERVE_FLAGS:-}

if ! command -v wrk >/dev/null; then
    echo "installing wrk"
    apt-get install -y wrk >/dev/null
fi

cargo build --release --quiet
BIN=target/release/riskline
mkdir -p target/bench
LUA=scripts/bench-timeline.lua

server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

# Runs wrk and prints "label: N req/s, p99 X" from its output.
measure() {
    local label=$1 connections=$2 url=$3 script=${4:-}
    local out
    if [ -n "$script" ]; then
        out=$(COMPANIES=$COMPANIES BENCH_KEY=$KEY wrk -t"$WRK_THREADS" -c"$connections" -d"$DURATION" --latency -s "$script" "$url")
    else
        out=$(wrk -t"$WRK_THREADS" -c"$connections" -d"$DURATION" --latency "$url")
    fi
    local rps p50 p99 errors
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/^non-2xx responses:/ {print $3} /Non-2xx or 3xx responses:/ {print $5}' <<<"$out" | head -1)
    printf '%-10s %-28s %4s conn  %10s req/s  p50 %-9s p99 %-9s non-2xx %s\n' \
        "$backend" "$label" "$connections" "$rps" "$p50" "$p99" "${errors:-0}"
}

for backend in $BACKENDS; do
    case $backend in
        sqlite)
            url="target/bench/sqlite_${EVENTS}_${COMPANIES}.db"
            ;;
        postgres)
            name="riskline_bench_${EVENTS}_${COMPANIES}"
            if ! psql "$PG_SERVER/postgres" -qAtc "select 1" >/dev/null 2>&1; then
                echo "postgres: not reachable at $PG_SERVER, skipped"
                continue
            fi
            if [ -z "$(psql "$PG_SERVER/postgres" -qAtc "select 1 from pg_database where datname = '$name'")" ]; then
                psql "$PG_SERVER/postgres" -qc "create database $name"
                rm -f "target/bench/$name.done"
            fi
            url="$PG_SERVER/$name"
            ;;
        *) echo "unknown backend $backend"; exit 1 ;;
    esac
    marker="target/bench/$(basename "$url").done"
    if [ ! -f "$marker" ]; then
        echo "$backend: seeding $EVENTS events over $COMPANIES companies"
        [ "$backend" = sqlite ] && rm -f "$url" "$url-wal" "$url-shm"
        DATABASE_URL=$url $BIN migrate >/dev/null
        DATABASE_URL=$url $BIN bench seed --events "$EVENTS" --companies "$COMPANIES" | tail -1
        touch "$marker"
    fi
    keyname="bench-$(date +%s)-$$"
    KEY=$(DATABASE_URL=$url $BIN keys create --name "$keyname" --role reader 2>/dev/null | awk '/^key: / {print $2}')

    log=target/bench/serve-$backend.log
    # One client makes every request: the rate limits would measure themselves.
    DATABASE_URL=$url $BIN serve --bind 127.0.0.1:0 --workers "$WORKERS" \
        --rate-limit-per-ip off --rate-limit-per-key off $SERVE_FLAGS >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        grep -q '^listening on ' "$log" && break
        sleep 0.1
    done
    base=$(awk '/^listening on / {print $3}' "$log")
    [ -n "$base" ] || { echo "$backend: server did not start"; cat "$log"; exit 1; }
    # Warm up: caches and pages.
    COMPANIES=$COMPANIES BENCH_KEY=$KEY wrk -t1 -c16 -d${WARMUP:-10s} -s "$LUA" "$base" >/dev/null

    measure "GET /ping" 64 "$base/ping"
    measure "timeline?limit=50" 64 "$base" "$LUA"
    measure "timeline?limit=50" 8 "$base" "$LUA"

    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    DATABASE_URL=$url $BIN keys revoke "$keyname" >/dev/null
done
