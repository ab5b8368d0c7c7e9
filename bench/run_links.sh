#!/usr/bin/env bash
# F6 figures: the public short-link redirect (GET /l/{code} -> 302) at a constant rate through the
# all-in-one herald, with throwaway PostgreSQL and Redis. Not a test; results go to bench/RESULTS.md.
#
#   bench/run_links.sh [RATE] [DURATION_S] [CONNECTIONS] [LINKS]   (defaults: 5000 req/s, 30 s, 32, 1000)
#
# It signs in as the first admin, creates a brand and LINKS short links, then bench_links_redirect
# (bench/links/redirect_load.cpp: open loop, each request timed from its scheduled send time, one
# in ten with a crawler's User-Agent) sends RATE requests/s for DURATION_S seconds after a 2 s
# warm-up, round-robin over the codes. After a 1 s pause it checks that the click log reached
# PostgreSQL: the links' counters (people and bots) and link_clicks rows against the 302s served.
# BENCH_LINKS_TRACE=FILE keeps the generator's per-request trace (see redirect_load.cpp).
# Needs a build (cmake --preset default && ninja -C build herald bench_links_redirect).
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
rate="${1:-5000}"
duration="${2:-30}"
connections="${3:-32}"
links="${4:-1000}"
bin="${HERALD_BENCH_BIN:-$root/build/bin}"  # where herald and bench_links_redirect are
for b in herald bench_links_redirect; do
  [[ -x "$bin/$b" ]] || herald_die "bench: $bin/$b is missing (ninja -C build herald bench_links_redirect)"
done
command -v jq >/dev/null || herald_die "bench: jq is missing"

bench_services

port="$(herald_free_port)"
HERALD_PG_URL="$pg_url" \
HERALD_REDIS_URL="$redis_url" \
HERALD_SECURITY_MASTER_KEY_FILE="$tmp/master.key" \
HERALD_HTTP_PORT="$port" \
HERALD_BOOTSTRAP_CREDENTIALS_FILE="$tmp/admin.txt" \
HERALD_LOG_FILE="$tmp/herald.log" \
HERALD_LOG_LEVEL=warn \
  "$bin/herald" >"$tmp/herald.out" 2>&1 &
herald_pid=$!
pids+=("$herald_pid")
until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
  kill -0 "$herald_pid" 2>/dev/null || { cat "$tmp/herald.out"; herald_die "bench: herald exited"; }
  sleep 0.05
done
url="http://127.0.0.1:$port"

# --- the admin's session, a brand and the links ----------------------------------------------
password="$(sed -n 's/^password=//p' "$tmp/admin.txt")"
login="$(jq -n --arg p "$password" '{email: "admin@herald.local", password: $p}' |
  curl -fsS -c "$tmp/jar" -H 'Content-Type: application/json' --data-binary @- "$url/api/v1/auth/login")"
csrf="$(jq -r '.csrf_token' <<<"$login")"
api() {  # api METHOD PATH [JSON]
  curl -fsS -b "$tmp/jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -X "$1" \
    ${3:+--data-binary "$3"} "$url$2"
}
brand_id="$(api POST /api/v1/brands '{"name": "Links bench", "slug": "links-bench", "timezone": "Asia/Shanghai"}' |
  jq -r '.id // empty')"
[[ -n "$brand_id" ]] || herald_die "bench: could not create the brand"
echo "== creating $links short links" >&2
: >"$tmp/codes.txt"
for ((i = 0; i < links; i++)); do
  body="$(jq -cn --arg b "$brand_id" --arg t "https://shop.example.com/item/$i?ref=bio" \
    '{brand_id: $b, target: $t, utm: {source: "weibo", medium: "social", campaign: "bench"}}')"
  api POST /api/v1/links "$body" | jq -r '.code' >>"$tmp/codes.txt"
done
made="$(grep -c . "$tmp/codes.txt")"
[[ "$made" -eq "$links" ]] || herald_die "bench: $made of $links links were created"
first="$(head -n 1 "$tmp/codes.txt")"
location="$(curl -fs -o /dev/null -w '%{http_code} %{redirect_url}' "$url/l/$first" || true)"
[[ "$location" == "302 https://shop.example.com/item/0?ref=bio&utm_source=weibo"* ]] ||
  herald_die "bench: /l/$first answered \"$location\""

# The one click above is in the log too: let it be written first, so the counts below are the run's.
sleep 1
counters() {
  psql -qAt -F ' ' -d "$pg_url" -c "SELECT coalesce(sum(clicks), 0), coalesce(sum(bot_clicks), 0) FROM links"
}
read -r people_before bots_before < <(counters)
rows_before="$(psql -qAt -d "$pg_url" -c "SELECT count(*) FROM link_clicks")"

# --- the run --------------------------------------------------------------------------------
# Where the two cores go: herald's CPU time and PostgreSQL's (the postmaster, its live backends and
# its reaped children), from /proc/PID/stat; the generator reports its own. (/proc/stat's machine-wide
# counters are not used: they are tick-sampled and miss most of these sub-millisecond bursts.)
idle_rss_kib=$(ps -o rss= -p "$herald_pid" | tr -d ' ')
pg_pid="$(_pg_postmaster_field "$tmp/pg" 1)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() {
  local total child
  total="$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pg_pid/stat")"
  for child in $(ps -o pid= --ppid "$pg_pid"); do
    total=$((total + $(cpu_ticks "$child" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
herald_ticks_before="$(cpu_ticks "$herald_pid")"
pg_ticks_before="$(pg_ticks)"
echo "== GET /l/{code}: $rate req/s for ${duration}s (after a 2 s warm-up), $connections connections, $links codes" >&2
start_s=$(date +%s.%N)
BENCH_LINKS_TRACE="${BENCH_LINKS_TRACE:-}" \
  "$bin/bench_links_redirect" 127.0.0.1 "$port" "$rate" "$duration" "$connections" "$tmp/codes.txt" 2 \
  | tee "$tmp/load.json" || true
end_s=$(date +%s.%N)
herald_ticks_after="$(cpu_ticks "$herald_pid")"
pg_ticks_after="$(pg_ticks)"
loaded_rss_kib=$(ps -o rss= -p "$herald_pid" | tr -d ' ')
jq -e . "$tmp/load.json" >/dev/null || herald_die "bench: the generator printed no figures"

# --- did every click reach the database? -----------------------------------------------------
sleep 1
read -r people_after bots_after < <(counters)
rows="$(psql -qAt -d "$pg_url" -c "SELECT count(*) FROM link_clicks")"
served="$(jq -r '.served_302_total' "$tmp/load.json")"
served_bot="$(jq -r '.served_302_bot_total' "$tmp/load.json")"
people=$((people_after - people_before))
bots=$((bots_after - bots_before))
written=$((people + bots))
rows_written=$((rows - rows_before))
dropped_warnings="$(grep -c 'link clicks dropped' "$tmp/herald.log" || true)"
error_lines="$(grep -c '"level":"error"' "$tmp/herald.log" || true)"
hz="$(getconf CLK_TCK)"
seconds() { awk -v a="$1" -v b="$2" -v hz="$hz" 'BEGIN{printf "%.1f", (b - a) / hz}'; }
herald_cpu_s="$(seconds "$herald_ticks_before" "$herald_ticks_after")"
pg_cpu_s="$(seconds "$pg_ticks_before" "$pg_ticks_after")"
wall_s="$(awk -v a="$start_s" -v b="$end_s" 'BEGIN{printf "%.1f", b - a}')"
share="$(awk -v h="$herald_cpu_s" -v p="$pg_cpu_s" -v g="$(jq -r .generator_cpu_s "$tmp/load.json")" -v w="$wall_s" \
  -v n="$(nproc)" 'BEGIN{printf "%.0f%%", 100 * (h + p + g) / (w * n)}')"

f() { jq -r ".$1" "$tmp/load.json"; }
echo
echo "| figure | value |"
echo "|---|---|"
echo "| offered rate | $(f rate) req/s for $(f duration_s) s (+ $(f warmup_s) s warm-up)," \
  "$(f connections) connections, $(f codes) codes |"
echo "| achieved rate | $(f achieved_rate) req/s ($(f completed) of $(f sent) completed) |"
echo "| p50 / p90 / p99 / p99.9 / max | $(f p50_ms) / $(f p90_ms) / $(f p99_ms) / $(f p99_9_ms) / $(f max_ms) ms |"
echo "| target p99 <= 2 ms | $(jq -r 'if .p99_ms <= 2 then "met" else "not met" end' "$tmp/load.json") |"
echo "| errors (non-302 / connection) | $(f errors) ($(f non_302) / $(f transport_errors)) |"
echo "| most requests queued for a free connection | $(f max_queued) |"
echo "| clicks written vs 302s served (warm-up included) | $written vs $served (links' counters);" \
  "$rows_written link_clicks rows |"
echo "| of them bots vs crawler User-Agents sent | $bots vs $served_bot (people: $people vs $((served - served_bot))) |"
echo "| 'link clicks dropped' warnings, error log lines | $dropped_warnings, $error_lines |"
echo "| CPU over the ${wall_s} s run: herald / PostgreSQL / generator | ${herald_cpu_s} s / ${pg_cpu_s} s /" \
  "$(f generator_cpu_s) s (together $share of $(nproc) cores) |"
echo "| herald RSS before / after the run | $((idle_rss_kib / 1024)) MiB / $((loaded_rss_kib / 1024)) MiB |"
if [[ "$written" -eq "$served" && "$rows_written" -eq "$served" ]]; then
  echo "clicks: all $served written" >&2
else
  echo "clicks: MISMATCH: $written counted, $rows_written rows, $served served" >&2
fi
