#!/usr/bin/env bash
# F4 figure: keyword matching with 10,000 rules, items per second on one core (folding plus one
# Hyperscan scan per item; bench/listening/match_bench.cpp says what the rules and items are).
# Not a test; results go to bench/RESULTS.md.
#
#   bench/run_listening.sh [RULES] [ITEMS]      (defaults: 10000 rules, 200000 items)
#
# Needs a build (cmake --build --preset default --target bench_listening_match).
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${HERALD_BENCH_BIN:-$root/build/bin}"
[[ -x "$bin/bench_listening_match" ]] || { echo "bench: $bin/bench_listening_match is missing" >&2; exit 1; }
exec taskset -c 0 "$bin/bench_listening_match" "${1:-10000}" "${2:-200000}"
