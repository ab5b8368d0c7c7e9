# shellcheck shell=bash
# What the bench/run_*.sh scripts share: a temporary directory with a throwaway PostgreSQL
# (database and role "herald") and Redis, a random master key, and a cleanup on exit that stops
# the background processes listed in `pids` and removes everything.
#   bench_services           sets tmp, pids, pg_port, redis_port, pg_url, redis_url
# shellcheck source=../scripts/lib/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/services.sh"

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
