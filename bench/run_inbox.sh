#!/usr/bin/env bash
# F5 figures: the inbox's webhook ingest through the herald binary, with throwaway PostgreSQL
# and Redis (and herald-sandbox for the demo accounts). Not a test; results go to bench/RESULTS.md.
#
#   bench/run_inbox.sh [DELIVERIES] [BATCH] [CONCURRENCY]   (defaults: 2000 deliveries of 10, 8)
#
# bench/inbox/webhook_load.py sends signed X deliveries for the demo X account: once (new items:
# items/s and the time from arrival to stored, committed and pushed), then all of them again
# (100% redelivery: nothing may be stored twice; the table's count is checked). Needs a build
# (cmake --build --preset default).
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
deliveries="${1:-2000}"
batch="${2:-10}"
concurrency="${3:-8}"
bin="${HERALD_BENCH_BIN:-$root/build/bin}"
for b in herald herald-sandbox; do
  [[ -x "$bin/$b" ]] || herald_die "bench: $bin/$b is missing (cmake --build --preset default)"
done

bench_services
bench_herald "$bin"
url="http://127.0.0.1:$port"
me="$(psql -qAt -d "$pg_url" -c "SELECT platform_account_id FROM accounts WHERE platform = 'x' AND status = 'connected' LIMIT 1")"
[[ -n "$me" ]] || herald_die "bench: the demo X account is not connected"
before="$(psql -qAt -d "$pg_url" -c "SELECT count(*) FROM inbox_items")"
prefix="$(date +%s)"
echo "== $deliveries deliveries of $batch new comments, $concurrency connections" >&2
python3 "$root/bench/inbox/webhook_load.py" --url "$url" --for-user "$me" --deliveries "$deliveries" \
  --batch "$batch" --concurrency "$concurrency" --prefix "$prefix"
echo "== the same deliveries again, each twice (100% redelivery)" >&2
python3 "$root/bench/inbox/webhook_load.py" --url "$url" --for-user "$me" --deliveries "$deliveries" \
  --batch "$batch" --concurrency "$concurrency" --prefix "$prefix" --redeliver
after="$(psql -qAt -d "$pg_url" -c "SELECT count(*) FROM inbox_items")"
echo "inbox_items: $before before, $after after: $((after - before)) stored for $((deliveries * batch)) distinct items" >&2
grep -c '"level":"error"' "$tmp/herald.log" | sed 's/^/herald error log lines: /' >&2 || true
