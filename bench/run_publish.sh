#!/usr/bin/env bash
# F3 figures (a) and (b): the publishing pipeline under load, end to end through the herald
# binary (scheduler, adapter workers, send gate, attempt ledger, publishing's event consumer) to
# herald-sandbox, with throwaway PostgreSQL and Redis. Not a test; results go to bench/RESULTS.md.
#
#   bench/run_publish.sh burst [N]      (a) N targets (default 100000) due in the same second
#   bench/run_publish.sh steady [RATE] [SECONDS]   (b) RATE targets/s (default 1000) for SECONDS (30)
#
# The targets are spread over one sandbox account per platform (connected through the sandbox's
# OAuth screens, as scripts/start does) and enter the pipeline as publishing's schedule.set
# commands (bench_publish_load). The governor's documented platform limits are multiplied by
# HERALD_SCHEDULER_GOVERNOR_SCALE (the sandbox does not enforce them). Needs a build
# (cmake --build --preset default).
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
mode="${1:-burst}"
bin="${HERALD_BENCH_BIN:-$root/build/bin}"
for b in herald herald-sandbox bench_publish_load; do
  [[ -x "$bin/$b" ]] || herald_die "bench: $bin/$b is missing (cmake --build --preset default)"
done
case "$mode" in
  burst) count="${2:-100000}"; rate=0; lead_ms=$((count / 5 + 5000)) ;;
  steady) rate="${2:-1000}"; seconds="${3:-30}"; count=$((rate * seconds)); lead_ms=5000 ;;
  *) herald_die "usage: bench/run_publish.sh burst [N] | steady [RATE] [SECONDS]" ;;
esac

bench_services

bench_herald "$bin"
# The platforms that take a text-only post (Instagram and Douyin need media, WeChat a title and
# Weibo's share API a link: they would refuse the generated text posts, rightly).
psql -qAt -d "$pg_url" -c "SELECT json_agg(json_build_object('account_id', id, 'org_id', org_id, 'brand_id',
  brand_id, 'platform', platform)) FROM accounts WHERE status = 'connected'
  AND platform IN ('mastodon', 'x', 'bluesky', 'facebook', 'linkedin')" >"$tmp/accounts.json"
echo "accounts: $(jq -r '[.[].platform] | join(" ")' "$tmp/accounts.json")" >&2

echo "== $mode: $count targets$( ((rate > 0)) && echo " at $rate/s")" >&2
rss_before=$(ps -o rss= -p "$herald_pid" | tr -d ' ')
set +e
"$bin/bench_publish_load" --redis "$redis_url" --pg "$pg_url" --prefix herald --accounts "$tmp/accounts.json" \
  --count "$count" --rate "$rate" --lead-ms "$lead_ms" --timeout-s 900 >"$tmp/result.json"
rc=$?
set -e
rss_after=$(ps -o rss= -p "$herald_pid" | tr -d ' ')
# The sandbox's own record: every publish request it received (each platform's publish path).
sandbox_posts="$(curl -fsS "$(jq -r .control "$tmp/sandbox.json")/_sandbox/requests" |
  jq '[.[] | select(.method == "POST")] | length')"
jq --argjson s "$sandbox_posts" --argjson b "$rss_before" --argjson a "$rss_after" \
  '. + {sandbox_post_requests: $s, herald_rss_mib_before: ($b / 1024 | floor), herald_rss_mib_after: ($a / 1024 | floor)}' \
  "$tmp/result.json"
grep -c '"level":"error"' "$tmp/herald.log" | sed 's/^/herald error log lines: /' >&2 || true
exit "$rc"
