#!/usr/bin/env bash
# F5 figure: the inbox list query with a large inbox stored, through the herald binary with
# throwaway PostgreSQL and Redis. Not a test; results go to bench/RESULTS.md.
#
#   bench/run_inbox_list.sh [ITEMS] [QUERIES_PER_VIEW]      (defaults: 1000000 items, 100)
#
# The items are written straight into PostgreSQL by SQL (generate_series), 5 per thread over the
# demo brand's accounts, with spread priorities, statuses, assignees, sentiments and SLA clocks:
# this measures the list, not the ingest (bench/run_inbox.sh measures that). Then each view a
# community manager uses is asked QUERIES_PER_VIEW times in turn over HTTP (session cookie, curl
# time_total: HTTP, auth, query and JSON included), pages of 50: the default (most urgent first),
# unassigned, mine, open, breached SLA, one platform, one account, newest first, and page 5 of the
# default (following next_cursor). Needs a build (cmake --build --preset default).
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
items="${1:-1000000}"
per_view="${2:-100}"
bin="${HERALD_BENCH_BIN:-$root/build/bin}"
[[ -x "$bin/herald" && -x "$bin/herald-sandbox" ]] || herald_die "bench: build first (cmake --build --preset default)"

bench_services
bench_herald "$bin"
url="http://127.0.0.1:$port"
jar="$tmp/jar"
password="$(sed -n 's/^password=//p' "$tmp/admin.txt")"
csrf="$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"email\":\"admin@herald.local\",\"password\":\"$password\"}" "$url/api/v1/auth/login" | jq -r .csrf_token)"
api() { curl -fsS -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" "$@"; }
me="$(api "$url/api/v1/me" | jq -r '.user.id // .id')"

# --- the inbox: ITEMS items in ITEMS/5 threads over the demo accounts --------------------------
threads=$((items / 5))
echo "== seeding $threads threads and $items items" >&2
start_ns=$(date +%s%N)
psql -q -v ON_ERROR_STOP=1 "$pg_url" <<SQL
CREATE TEMP TABLE acc AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, org_id, brand_id, platform FROM accounts WHERE status = 'connected';
INSERT INTO inbox_threads (org_id, brand_id, account_id, platform, kind, thread_key, platform_post_id, status,
                           pending_reason, assignee_id, priority, sentiment, item_count, unanswered, waiting_since,
                           first_response_due, first_response_at, last_item_at, created_at, updated_at)
SELECT a.org_id, a.brand_id, a.id, a.platform,
       (ARRAY['comment', 'comment', 'comment', 'dm', 'mention'])[1 + g % 5],
       'bench-' || g, 'post-' || (g / 7),
       (ARRAY['open', 'open', 'open', 'pending', 'resolved', 'closed'])[1 + (g / 3) % 6],
       CASE WHEN (g / 3) % 6 = 3 THEN 'waiting for the customer' ELSE '' END,
       CASE WHEN g % 4 = 0 THEN '$me'::uuid END,
       (g * 7919) % 100,
       (ARRAY['negative', 'neutral', 'positive'])[1 + g % 3],
       5, CASE WHEN g % 3 = 0 THEN 0 ELSE 5 END,
       now() - (g % 5000) * interval '1 minute',
       now() - (g % 5000) * interval '1 minute' + interval '1 hour',
       CASE WHEN g % 3 = 0 THEN now() - (g % 5000) * interval '1 minute' + interval '20 minutes' END,
       now() - (g % 5000) * interval '1 minute',
       now() - ($threads - g) * interval '1 second', now()
FROM generate_series(1, $threads) AS g
JOIN acc a ON a.n = g % (SELECT count(*) FROM acc);
INSERT INTO inbox_items (thread_id, org_id, account_id, direction, kind, platform_item_id, platform_post_id,
                         author_id, author_handle, author_name, body, created_at, language, sentiment,
                         sentiment_score, category, priority)
SELECT t.id, t.org_id, t.account_id, 'in', t.kind, t.thread_key || '-' || k, t.platform_post_id,
       'u' || (t.id % 50000), 'fan' || (t.id % 50000), 'Fan ' || (t.id % 50000),
       'Message ' || k || ' in thread ' || t.id || ': when does the spring tea ship?',
       t.created_at + k * interval '1 minute', 'en', t.sentiment, 0, 'inquiry', t.priority
FROM inbox_threads t CROSS JOIN generate_series(1, 5) AS k
WHERE t.thread_key LIKE 'bench-%';
ANALYZE inbox_threads;
ANALYZE inbox_items;
SQL
seed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
stored="$(psql "$pg_url" -At -c "SELECT count(*) FROM inbox_items")"
size_mb="$(psql "$pg_url" -At -c "SELECT (pg_total_relation_size('inbox_items') + pg_total_relation_size('inbox_threads')) / 1048576")"
account="$(psql "$pg_url" -At -c "SELECT id FROM accounts WHERE status = 'connected' ORDER BY id LIMIT 1")"

# --- the views ------------------------------------------------------------------------------------
page5="$(api "$url/api/v1/inbox/threads?limit=50" | jq -r .next_cursor)"
for _ in 1 2 3; do page5="$(api "$url/api/v1/inbox/threads?limit=50&cursor=$page5" | jq -r .next_cursor)"; done
views=(
  "default|limit=50"
  "unassigned|limit=50&assignee=none"
  "mine|limit=50&assignee=me"
  "open|limit=50&status=open"
  "breached|limit=50&sla=breached"
  "platform|limit=50&platform=x"
  "account|limit=50&account_id=$account"
  "recent|limit=50&sort=recent"
  "page 5|limit=50&cursor=$page5"
)
lat="$tmp/all.txt"
: >"$lat"
for ((i = 0; i < per_view; i++)); do
  for v in "${views[@]}"; do
    name="${v%%|*}"
    curl -fsS -o /dev/null -w "%{time_total}\n" -b "$jar" "$url/api/v1/inbox/threads?${v#*|}" |
      tee -a "$lat" >>"$tmp/view-${name// /_}.txt"
  done
done
pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; printf "%.1f", a[i]*1000}'; }

echo "inbox: $stored items in $threads threads ($size_mb MiB with indexes), seeded by SQL in $seed_ms ms"
echo "view | p50 ms | p99 ms | max ms   ($per_view sequential requests each, pages of 50, curl time_total)"
for v in "${views[@]}"; do
  name="${v%%|*}"
  f="$tmp/view-${name// /_}.txt"
  echo "$name | $(pct "$f" 50) | $(pct "$f" 99) | $(pct "$f" 100)"
done
echo "all views | $(pct "$lat" 50) | $(pct "$lat" 99) | $(pct "$lat" 100)"
