# shellcheck shell=bash
# herald_seed_demo URL ADMIN_FILE SANDBOX_FILE
#
# Demo data for scripts/start: a brand "Demo brand (sandbox)" whose accounts are connected on
# every platform herald-sandbox emulates, through the same OAuth screens a person would use
# (open the sandbox's authorize page, approve, follow the redirect back to Herald). Safe to run
# again: accounts already there are reconnected, never doubled. Prints a summary.
# These are SANDBOX accounts on the emulator, never real platform accounts: the summary says so.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HERALD_DEMO_BRAND_SLUG="demo-sandbox"
HERALD_DEMO_BRAND_NAME="Demo brand (sandbox)"

herald_seed_demo() {
  local url="${1%/}" admin_file="$2" sandbox_file="$3"
  local jar email password login csrf brand_id platform start mode authorize page_url query location
  local connected=() skipped=() failed=() existing
  jar="$(mktemp)"
  # shellcheck disable=SC2064 # expand now: the jar is local
  trap "rm -f -- '$jar'" RETURN
  email="$(sed -n 's/^email=//p' "$admin_file" 2>/dev/null | head -n 1)"
  password="$(sed -n 's/^password=//p' "$admin_file" 2>/dev/null | head -n 1)"
  if [[ -z "$email" || -z "$password" ]]; then
    herald_say demo "skipped: no first-admin credentials in $admin_file"
    return 0
  fi
  login="$(jq -n --arg e "$email" --arg p "$password" '{email: $e, password: $p}' |
    curl -fsS -c "$jar" -H 'Content-Type: application/json' --data-binary @- "$url/api/v1/auth/login")" || {
    herald_say demo "skipped: could not sign in as $email (password changed?)"
    return 0
  }
  csrf="$(jq -r '.csrf_token' <<<"$login")"
  api() { # api METHOD PATH [JSON]
    curl -sS -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -X "$1" \
      ${3:+--data-binary "$3"} "$url$2"
  }

  brand_id="$(api GET /api/v1/brands | jq -r --arg s "$HERALD_DEMO_BRAND_SLUG" '.items[] | select(.slug == $s) | .id')"
  if [[ -z "$brand_id" ]]; then
    brand_id="$(api POST /api/v1/brands "$(jq -n --arg n "$HERALD_DEMO_BRAND_NAME" --arg s "$HERALD_DEMO_BRAND_SLUG" \
      '{name: $n, slug: $s, timezone: "Asia/Shanghai"}')" | jq -r '.id // empty')"
    [[ -n "$brand_id" ]] || { herald_say demo "could not create the demo brand"; return 1; }
  fi
  existing="$(api GET "/api/v1/accounts?brand_id=$brand_id&status=connected" | jq -r '[.items[].platform] | join(" ")')"

  for platform in $(jq -r '.platforms | keys[]' "$sandbox_file"); do
    # Connected again on every start: the sandbox keeps its state in memory, so after a restart
    # only a fresh connection holds a token it knows (the account itself is updated, not doubled).
    if [[ " $existing " == *" $platform "* ]]; then
      skipped+=("$platform")
    fi
    start="$(api POST "/api/v1/brands/$brand_id/accounts/connect" "{\"platform\": \"$platform\"}")"
    mode="$(jq -r '.mode // empty' <<<"$start")"
    if [[ "$mode" == oauth ]]; then
      authorize="$(jq -r '.authorize_url' <<<"$start")"
      page_url="${authorize%%\?*}"
      query="${authorize#*\?}"
      # The person's part: the sandbox's consent page, Approve, and the redirect back to Herald.
      location="$(curl -sS -o /dev/null -w '%{redirect_url}' -X POST \
        -H 'Content-Type: application/x-www-form-urlencoded' \
        --data-binary "$query&handle=demo_$platform&decision=approve" "$page_url?$query")"
      if [[ -n "$location" ]] && curl -fsS -o /dev/null -H 'Accept: application/json' "$location"; then
        connected+=("$platform")
      else
        failed+=("$platform")
      fi
    elif [[ "$mode" == credentials ]]; then
      # The sandbox's app password (Bluesky) or AppSecret (WeChat) is its client secret.
      # WeChat's identifier is the app's AppID, at the sandbox its client id.
      local identifier="demo_$platform"
      [[ "$platform" == wechat ]] && identifier="herald-wechat"
      if api POST "/api/v1/brands/$brand_id/accounts/credentials" \
        "{\"platform\": \"$platform\", \"identifier\": \"$identifier\", \"secret\": \"sandbox-secret\"}" |
        jq -e '.id' >/dev/null; then
        connected+=("$platform")
      else
        failed+=("$platform")
      fi
    else
      failed+=("$platform")
    fi
  done
  # The inbox: the sandbox delivers comments and DMs to Herald's webhook receiver (signed as the
  # platform would sign them), for the platforms whose adapters read webhooks.
  local control inbound=0 kind
  control="$(jq -r '.control // empty' "$sandbox_file")"
  if [[ -n "$control" ]]; then
    for platform in x facebook instagram; do
      [[ " ${connected[*]} " == *" $platform "* ]] || continue
      curl -fsS -o /dev/null -H 'Content-Type: application/json' \
        --data-binary "{\"platform\": \"$platform\", \"url\": \"$url/api/v1/webhooks/$platform\"}" \
        "$control/_sandbox/webhooks" || continue
      for kind in comment dm; do
        if curl -fsS -o /dev/null -H 'Content-Type: application/json' \
          --data-binary "{\"platform\": \"$platform\", \"handle\": \"demo_$platform\", \"kind\": \"$kind\", \"count\": 4, \"delivery\": \"webhook\"}" \
          "$control/_sandbox/generate"; then
          inbound=$((inbound + 4))
        fi
      done
    done
  fi
  herald_say demo "inbox: $inbound sandbox comments and DMs sent by webhook (more: POST $control/_sandbox/generate)"
  # Saved replies and FAQ answers for the demo brand, once (a second start finds them there).
  if [[ "$(api GET "/api/v1/inbox/saved-replies?brand_id=$brand_id" | jq -r '.items | length')" == 0 ]]; then
    api POST /api/v1/inbox/saved-replies "$(jq -n --arg b "$brand_id" '{brand_id: $b, title: "Thanks",
      text: "Thank you {{name}}! {{agent}} from {{brand}} here: glad you wrote to us."}')" >/dev/null
    api POST /api/v1/inbox/saved-replies "$(jq -n --arg b "$brand_id" '{brand_id: $b, title: "Looking into it",
      text: "Sorry about this, {{name}}. We are looking into it and will write back today."}')" >/dev/null
    api POST /api/v1/inbox/saved-replies "$(jq -n --arg b "$brand_id" '{brand_id: $b, kind: "faq",
      title: "Charged twice", question: "I was charged twice for my order",
      text: "Sorry about that, {{name}}. Send us your order number by DM and we refund the second charge today."}')" >/dev/null
    api POST /api/v1/inbox/saved-replies "$(jq -n --arg b "$brand_id" '{brand_id: $b, kind: "faq",
      title: "退款到账", question: "退款还没到账怎么办？",
      text: "{{name}}您好，退款一般 3 到 5 个工作日到账；超过一周请私信订单号，我们马上查。"}')" >/dev/null
    api POST /api/v1/inbox/saved-replies "$(jq -n --arg b "$brand_id" '{brand_id: $b, kind: "faq",
      title: "学生优惠", question: "有学生优惠吗？",
      text: "{{name}}您好，学生认证后全场九折，详见官网“学生专享”。"}')" >/dev/null
    herald_say demo "inbox: 2 saved replies and 3 FAQ answers for the demo brand"
  fi
  # Ads: the demo Facebook user's sandbox ad account (simulated numbers), read in the background.
  if [[ -n "$control" && " ${connected[*]} " == *" facebook "* ]]; then
    local fb_account ad_account
    fb_account="$(api GET "/api/v1/accounts?brand_id=$brand_id&status=connected" |
      jq -r '[.items[] | select(.platform == "facebook")][0].id // empty')"
    ad_account="$(curl -fsS "$control/_sandbox/facebook/ad-accounts?handle=demo_facebook" | jq -r '.[0].id // empty')" || true
    if [[ -n "$fb_account" && -n "$ad_account" ]]; then
      api POST /api/v1/ads/accounts "$(jq -n --arg a "$fb_account" --arg e "$ad_account" \
        '{account_id: $a, external_id: $e, backfill_days: 60}')" >/dev/null || true
      herald_say demo "ads: sandbox ad account $ad_account (simulated insights) syncing in the background"
    fi
  fi
  herald_say demo "brand '$HERALD_DEMO_BRAND_NAME': connected ${#connected[@]} (${connected[*]:-none}; ${#skipped[@]} of them reconnected), failed ${#failed[@]}${failed:+ (${failed[*]})}"
  herald_say demo "these are SANDBOX accounts on herald-sandbox, the local platform emulator: nothing reaches a real platform"
}
