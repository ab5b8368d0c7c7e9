#!/usr/bin/env bash
# F1 figures: the all-in-one herald's idle RSS and start-to-ready time, and an authenticated GET
# (/api/v1/me with an API token) under wrk at 64 connections beside a minimal Beast hello-world
# (bench_hello_beast) measured in the same run as the ceiling.
# Usage: bench/run_http.sh [DURATION_S]   (needs a build: cmake --build --preset default)
# It starts its own throwaway PostgreSQL and Redis and removes them afterwards. Not a test.
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
duration="${1:-15}"
bin="${HERALD_BENCH_BIN:-$root/build/bin}"  # where herald and bench_hello_beast are
command -v wrk >/dev/null || herald_die "bench: wrk is missing (apt-get install wrk)"
[[ -x "$bin/herald" && -x "$bin/bench_hello_beast" ]] || herald_die "bench: build first (cmake --build --preset default)"

bench_services

# --- start to ready, idle RSS ---------------------------------------------------------------
port="$(herald_free_port)"
start_ns=$(date +%s%N)
HERALD_PG_URL="$pg_url" \
HERALD_REDIS_URL="$redis_url" \
HERALD_SECURITY_MASTER_KEY_FILE="$tmp/master.key" \
HERALD_HTTP_PORT="$port" \
HERALD_BOOTSTRAP_CREDENTIALS_FILE="$tmp/admin.txt" \
HERALD_LOG_FILE="$tmp/herald.log" \
  "$bin/herald" >"$tmp/herald.out" 2>&1 &
herald_pid=$!
pids+=("$herald_pid")
until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
  kill -0 "$herald_pid" 2>/dev/null || { cat "$tmp/herald.out"; herald_die "bench: herald exited"; }
  sleep 0.005
done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 2
idle_rss_kib=$(ps -o rss= -p "$herald_pid" | tr -d ' ')

# A second start on the migrated database (what a restart costs).
kill -TERM "$herald_pid"; wait "$herald_pid" || true
port="$(herald_free_port)"
start_ns=$(date +%s%N)
HERALD_PG_URL="$pg_url" \
HERALD_REDIS_URL="$redis_url" \
HERALD_SECURITY_MASTER_KEY_FILE="$tmp/master.key" \
HERALD_HTTP_PORT="$port" \
HERALD_LOG_FILE="$tmp/herald.log" \
  "$bin/herald" >>"$tmp/herald.out" 2>&1 &
herald_pid=$!
pids+=("$herald_pid")
until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.005; done
restart_ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))

# --- an API token for the authenticated GET ---------------------------------------------------
password="$(sed -n 's/^password=//p' "$tmp/admin.txt")"
login="$(curl -fs -c "$tmp/jar" -H 'Content-Type: application/json' \
  -d "{\"email\":\"admin@herald.local\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/auth/login")"
csrf="$(printf '%s' "$login" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')"
token_json="$(curl -fs -b "$tmp/jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
  -d '{"name":"bench"}' "http://127.0.0.1:$port/api/v1/api-tokens")"
token="$(printf '%s' "$token_json" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[[ -n "$token" ]] || herald_die "bench: could not create an API token"
curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/me" >/dev/null

run_wrk() {  # URL [header]
  local url="$1"; shift
  wrk -t2 -c64 -d"${duration}s" --latency "$@" "$url"
}

echo "== herald GET /api/v1/me (Bearer token), 64 connections, ${duration}s"
run_wrk "http://127.0.0.1:$port/api/v1/me" -H "Authorization: Bearer $token" | tee "$tmp/wrk_herald.txt"
loaded_rss_kib=$(ps -o rss= -p "$herald_pid" | tr -d ' ')

hello_port="$(herald_free_port)"
"$bin/bench_hello_beast" "$hello_port" 2 &
pids+=("$!")
until curl -fs -o /dev/null "http://127.0.0.1:$hello_port/"; do sleep 0.01; done
echo "== Beast hello-world (the ceiling), 64 connections, ${duration}s"
run_wrk "http://127.0.0.1:$hello_port/" | tee "$tmp/wrk_hello.txt"

rps() { sed -n 's/^Requests\/sec: *//p' "$1"; }
p99() { awk '$1=="99%"{print $2}' "$1"; }
echo
echo "| figure | value |"
echo "|---|---|"
echo "| start to /readyz = 200, empty database (migrations + first admin) | ${ready_ms} ms |"
echo "| start to /readyz = 200, migrated database | ${restart_ready_ms} ms |"
echo "| idle RSS (2 s after ready) | $((idle_rss_kib / 1024)) MiB (${idle_rss_kib} KiB) |"
echo "| RSS after the load run | $((loaded_rss_kib / 1024)) MiB |"
echo "| herald GET /api/v1/me, requests/s | $(rps "$tmp/wrk_herald.txt") |"
echo "| herald GET /api/v1/me, p99 | $(p99 "$tmp/wrk_herald.txt") |"
echo "| Beast hello-world, requests/s | $(rps "$tmp/wrk_hello.txt") |"
echo "| Beast hello-world, p99 | $(p99 "$tmp/wrk_hello.txt") |"
