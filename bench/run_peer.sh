#!/usr/bin/env bash
# F3 figure (c), the peer: the workloads of bench/run_publish.sh as BullMQ delayed jobs with no-op
# handlers (bench/peer/bullmq_bench.mjs) against a throwaway Redis started the same way.
#   bench/run_peer.sh burst [N]  |  bench/run_peer.sh steady [RATE] [SECONDS]
# Not a test; results go to bench/RESULTS.md.
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib/services.sh
source "$root/scripts/lib/services.sh"
(cd "$root/bench/peer" && npm ci --no-audit --no-fund --silent >/dev/null)
tmp="$(mktemp -d /tmp/herald-bench-peer.XXXXXX)"
chmod 755 "$tmp"
cleanup() { redis_stop "$tmp/redis" >/dev/null 2>&1 || true; rm -rf -- "$tmp"; }
trap cleanup EXIT
redis_port="$(herald_free_port)"
redis_start --test "$tmp/redis" "$redis_port" >/dev/null
node "$root/bench/peer/bullmq_bench.mjs" "redis://127.0.0.1:$redis_port/0" "$@"
