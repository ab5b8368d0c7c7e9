# shellcheck shell=bash
# What the bench/run_*.sh scripts share: a temporary directory with a throwaway PostgreSQL
# (database and role "herald") and Redis, a random master key, and a cleanup on exit that stops
# the background processes listed in `pids` and removes everything.
#   bench_services           sets tmp, pids, pg_port, redis_port, pg_url, redis_url
#   bench_herald BIN         starts herald-sandbox and herald from BIN on them (governor scale and
#                            worker threads from HERALD_SCHEDULER_GOVERNOR_SCALE, default 100000,
#                            and HERALD_WORKER_THREADS, default 8), waits for /readyz, connects the
#                            demo brand's sandbox accounts; sets port, herald_pid, and leaves the
#                            first admin's credentials in $tmp/admin.txt
# shellcheck source=../scripts/lib/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/services.sh"
# shellcheck source=../scripts/lib/demo.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/demo.sh"

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  redis_stop "$tmp/redis" >/dev/null 2>&1 || true
  pg_stop "$tmp/pg" >/dev/null 2>&1 || true
  pg_remove_data "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf -- "$tmp"
}

bench_services() {
  tmp="$(mktemp -d /tmp/herald-bench.XXXXXX)"
  chmod 755 "$tmp"
  pids=()
  trap bench_cleanup EXIT
  pg_port="$(herald_free_port)"
  pg_start --test "$tmp/pg" "$pg_port" >/dev/null
  pg_ensure_role_db "$tmp/pg" herald herald >/dev/null
  redis_port="$(herald_free_port)"
  redis_start --test "$tmp/redis" "$redis_port" >/dev/null
  openssl rand -base64 32 >"$tmp/master.key"
  pg_url="postgresql://herald@127.0.0.1:$pg_port/herald"
  redis_url="redis://127.0.0.1:$redis_port/0"
}

bench_herald() {
  local bin="$1"
  "$bin/herald-sandbox" --seed 1 --token-ttl 86400 --port-file "$tmp/sandbox.json" >"$tmp/sandbox.log" 2>&1 &
  pids+=("$!")
  until [[ -s "$tmp/sandbox.json" ]]; do sleep 0.05; done
  port="$(herald_free_port)"
  HERALD_PG_URL="$pg_url" HERALD_REDIS_URL="$redis_url" \
  HERALD_SECURITY_MASTER_KEY_FILE="$tmp/master.key" HERALD_HTTP_PORT="$port" \
  HERALD_BOOTSTRAP_CREDENTIALS_FILE="$tmp/admin.txt" HERALD_LOG_FILE="$tmp/herald.log" HERALD_LOG_LEVEL=warn \
  HERALD_PLATFORMS_SANDBOX_FILE="$tmp/sandbox.json" \
  HERALD_SCHEDULER_GOVERNOR_SCALE="${HERALD_SCHEDULER_GOVERNOR_SCALE:-100000}" \
  HERALD_WORKER_THREADS="${HERALD_WORKER_THREADS:-8}" \
    "$bin/herald" >"$tmp/herald.out" 2>&1 &
  herald_pid=$!
  pids+=("$herald_pid")
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
    kill -0 "$herald_pid" 2>/dev/null || { cat "$tmp/herald.out"; herald_die "bench: herald exited"; }
    sleep 0.05
  done
  herald_seed_demo "http://127.0.0.1:$port" "$tmp/admin.txt" "$tmp/sandbox.json" >&2
}
