#!/usr/bin/env bash
# F4 figures: the crisis freeze under load, through the herald binary and herald-sandbox with
# throwaway PostgreSQL and Redis. Not a test; results go to bench/RESULTS.md.
#
#   bench/run_freeze.sh [TRIALS] [RATE]     (defaults: 1000 trials, 200 targets/s)
#
# Two crisis commanders join the demo brand; the first admin sets every freeze, one commander
# requests the lift and the other approves it (bench_freeze_trials: acknowledgement times and the
# leak count, judged from the sandbox's request log). Needs a build (cmake --build --preset default).
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
trials="${1:-1000}"
rate="${2:-200}"
bin="${HERALD_BENCH_BIN:-$root/build/bin}"
for b in herald herald-sandbox bench_freeze_trials; do
  [[ -x "$bin/$b" ]] || herald_die "bench: $bin/$b is missing (cmake --build --preset default)"
done

bench_services
bench_herald "$bin"
url="http://127.0.0.1:$port"

# token EMAIL PASSWORD: signs in and prints a new API token of that user.
token() {
  local jar login csrf
  jar="$(mktemp)"
  login="$(jq -n --arg e "$1" --arg p "$2" '{email: $e, password: $p}' |
    curl -fsS -c "$jar" -H 'Content-Type: application/json' --data-binary @- "$url/api/v1/auth/login")"
  csrf="$(jq -r '.csrf_token' <<<"$login")"
  curl -fsS -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d '{"name":"freeze bench"}' "$url/api/v1/api-tokens" | jq -r '.token'
  rm -f -- "$jar"
}
admin_email="$(sed -n 's/^email=//p' "$tmp/admin.txt")"
admin_password="$(sed -n 's/^password=//p' "$tmp/admin.txt")"
admin_token="$(token "$admin_email" "$admin_password")"
auth=(-H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json')
brand_id="$(psql -qAt -d "$pg_url" -c "SELECT brand_id FROM accounts WHERE platform = 'mastodon' AND status = 'connected' LIMIT 1")"
password="freeze bench password 1"
tokens=()
for who in requester approver; do
  user_id="$(jq -n --arg e "$who@bench.example" --arg p "$password" '{email: $e, display_name: $e, password: $p}' |
    curl -fsS "${auth[@]}" --data-binary @- "$url/api/v1/users" | jq -r '.id')"
  curl -fsS "${auth[@]}" -X PUT -d '{"role":"crisis_commander"}' "$url/api/v1/brands/$brand_id/members/$user_id" >/dev/null
  tokens+=("$(token "$who@bench.example" "$password")")
done
psql -qAt -d "$pg_url" -c "SELECT json_build_object('account_id', id, 'org_id', org_id, 'brand_id', brand_id)
  FROM accounts WHERE platform = 'mastodon' AND status = 'connected' LIMIT 1" >"$tmp/account.json"

echo "== $trials freeze trials at $rate targets/s" >&2
set +e
"$bin/bench_freeze_trials" --redis "$redis_url" --prefix herald --herald "$url" \
  --sandbox-control "$(jq -r .control "$tmp/sandbox.json")" --account "$tmp/account.json" \
  --setter "$admin_token" --requester "${tokens[0]}" --approver "${tokens[1]}" \
  --trials "$trials" --rate "$rate"
rc=$?
set -e
grep -c '"level":"error"' "$tmp/herald.log" | sed 's/^/herald error log lines: /' >&2 || true
exit "$rc"
