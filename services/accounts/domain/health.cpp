#include "services/accounts/domain/health.hpp"

#include <algorithm>

namespace herald::accounts {
namespace {

std::string days_or_hours(std::int64_t seconds) {
  if (seconds >= 2 * 86400) return std::to_string(seconds / 86400) + " days";
  if (seconds >= 2 * 3600) return std::to_string(seconds / 3600) + " hours";
  return std::to_string(std::max<std::int64_t>(seconds / 60, 0)) + " minutes";
}

}  // namespace

Health assess(const HealthFacts& f, std::int64_t now, std::int64_t warn_within_s) {
  Health h;
  bool error = false;
  bool warning = false;
  auto add = [&](bool is_error, std::string code, std::string message) {
    (is_error ? error : warning) = true;
    h.reasons.push_back({std::move(code), std::move(message)});
  };

  if (f.status == "disconnected") add(true, "disconnected", "the account is disconnected: connect it again to publish");
  if (f.banned) add(true, "banned", "the platform has banned this account");
  if (f.restricted) add(false, "restricted", "the platform restricts what this account may do");
  if (f.last_error) {
    bool auth = f.last_error_class && *f.last_error_class == "auth_expired";
    add(auth, auth ? "auth_failed" : "last_error",
        auth ? "the platform refused the account's token (" + *f.last_error + "): reconnect the account"
             : "the last call to the platform failed: " + *f.last_error);
  }
  if (f.status == "connected" && f.token_expires_at) {
    auto left = *f.token_expires_at - now;
    if (left <= 0 && !f.can_refresh) {
      add(true, "token_expired", "the access token has expired: reconnect the account");
    } else if (left <= 0) {
      add(false, "token_expired_refreshable", "the access token has expired; it will be refreshed");
    } else if (left < warn_within_s && !f.can_refresh) {
      add(false, "token_expiring", "the access token expires in " + days_or_hours(left) + ": reconnect before then");
    }
  }
  // No granted scopes at all means the platform did not say which it granted: unknown, not missing.
  for (const auto& s : f.granted_scopes.empty() ? std::vector<std::string>{} : f.required_scopes) {
    if (std::find(f.granted_scopes.begin(), f.granted_scopes.end(), s) == f.granted_scopes.end()) {
      h.missing_scopes.push_back(s);
    }
  }
  if (!h.missing_scopes.empty() && f.status == "connected") {
    std::string list;
    for (const auto& s : h.missing_scopes) list += (list.empty() ? "" : ", ") + s;
    add(false, "missing_scopes", "permissions not granted: " + list);
  }
  h.level = error ? "error" : warning ? "warning" : "ok";
  return h;
}

}  // namespace herald::accounts
