#!/usr/bin/env bash
# F6 figures: ingest of a year of daily insights for many ads (sandbox Marketing API -> the real
# Facebook adapter -> PostgreSQL), in rows/s, and the p99 of a campaign dashboard query over it.
# Usage: bench/run_ads.sh [ADS] [DAYS] [QUERIES]   (defaults 10000 365 200; needs a build:
#        cmake --build --preset default). Starts its own PostgreSQL, Redis, sandbox and herald. Not a test.
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
ads="${1:-10000}"
days="${2:-365}"
queries="${3:-200}"
bin="${HERALD_BENCH_BIN:-$root/build/bin}"
[[ -x "$bin/herald" && -x "$bin/herald-sandbox" ]] || herald_die "bench: build first (cmake --build --preset default)"

bench_services
bench_herald "$bin"
url="http://127.0.0.1:$port"
control="$(jq -r '.control' "$tmp/sandbox.json")"
jar="$tmp/jar"
password="$(sed -n 's/^password=//p' "$tmp/admin.txt")"
csrf="$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"email\":\"admin@herald.local\",\"password\":\"$password\"}" "$url/api/v1/auth/login" | jq -r .csrf_token)"
api() { curl -fsS -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" "$@"; }

account="$(api "$url/api/v1/accounts" | jq -r '[.items[] | select(.platform == "facebook")][0].id')"
[[ -n "$account" && "$account" != null ]] || herald_die "bench: the demo brand has no Facebook account"
external="$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"handle\":\"demo_facebook\",\"ads\":$ads,\"currency\":\"EUR\",\"days\":$((days + 5))}" \
  "$control/_sandbox/facebook/ad-accounts" | jq -r .id)"

# --- ingest: from connecting the ad account to its last day stored ---------------------------
start_ns=$(date +%s%N)
id="$(api -d "{\"account_id\":\"$account\",\"external_id\":\"$external\",\"backfill_days\":$days}" \
  "$url/api/v1/ads/accounts" | jq -r .id)"
while :; do
  state="$(api "$url/api/v1/ads/accounts/$id")"
  status="$(jq -r .status <<<"$state")"
  [[ "$status" != syncing ]] && break
  sleep 0.5
done
elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
[[ "$status" == ok ]] || herald_die "bench: the sync failed: $(jq -c . <<<"$state")"
rows="$(jq -r .progress.rows <<<"$state")"
stored="$(psql "$pg_url" -At -c "SELECT count(*) FROM ad_insights WHERE ad_account_id = '$id'")"
table_mb="$(psql "$pg_url" -At -c "SELECT pg_total_relation_size('ad_insights') / 1048576")"

# --- the campaign dashboard: one ad campaign's daily series and totals over the whole year ---
to="$(date -u +%F)"
from="$(date -u -d "$to - $((days - 1)) days" +%F)"
mapfile -t campaigns < <(api "$url/api/v1/ads/accounts/$id/entities?level=campaign&limit=500" | jq -r '.items[].id')
lat="$tmp/latency.txt"
: >"$lat"
for ((i = 0; i < queries; i++)); do
  c="${campaigns[$((i % ${#campaigns[@]}))]}"
  curl -fsS -o /dev/null -w '%{time_total}\n' -b "$jar" \
    "$url/api/v1/ads/report?ad_account_id=$id&from=$from&to=$to&group_by=day&ad_campaign=$c" >>"$lat"
done
account_ms="$(curl -fsS -o /dev/null -w '%{time_total}' -b "$jar" \
  "$url/api/v1/ads/report?ad_account_id=$id&from=$from&to=$to&group_by=campaign")"
pct() { sort -n "$lat" | awk -v p="$1" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; printf "%.1f", a[i]*1000}'; }
rss_kib=$(ps -o rss= -p "$herald_pid" | tr -d ' ')

cat <<EOT
ads: $ads x days: $days -> insight rows read: $rows, stored: $stored ($table_mb MiB with indexes)
ingest: $elapsed_ms ms, $(( rows * 1000 / (elapsed_ms > 0 ? elapsed_ms : 1) )) rows/s (sandbox -> Facebook adapter -> PostgreSQL, end to end)
campaign dashboard (one ad campaign, $days days by day, ${#campaigns[@]} campaigns round-robin, $queries sequential queries, curl time_total):
  p50 $(pct 50) ms, p90 $(pct 90) ms, p99 $(pct 99) ms, max $(pct 100) ms
whole-account report by campaign ($stored rows): $(awk -v s="$account_ms" 'BEGIN{printf "%.1f", s*1000}') ms
herald RSS after: $((rss_kib / 1024)) MiB
EOT
