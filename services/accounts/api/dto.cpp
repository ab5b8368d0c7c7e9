#include "services/accounts/api/context.hpp"
#include "services/accounts/domain/health.hpp"

namespace herald::accounts {

std::int64_t unix_now(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
}

nlohmann::json to_json(const AccountRecord& a, std::int64_t now_unix) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  HealthFacts facts;
  facts.status = a.status;
  facts.token_expires_at = a.token_expires_unix;
  facts.can_refresh = a.refreshable;
  facts.granted_scopes = a.granted_scopes;
  facts.required_scopes = a.required_scopes;
  facts.restricted = a.restricted;
  facts.banned = a.banned;
  facts.last_error = a.last_error;
  facts.last_error_class = a.last_error_class;
  auto h = assess(facts, now_unix);
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& r : h.reasons) reasons.push_back({{"code", r.code}, {"message", r.message}});
  return {
      {"id", a.id},
      {"brand_id", a.brand_id},
      {"platform", a.platform},
      {"platform_account_id", a.platform_account_id},
      {"sandbox", a.sandbox},
      {"status", a.status},
      {"profile",
       {{"handle", a.handle},
        {"display_name", a.display_name},
        {"avatar_url", a.avatar_url},
        {"bio", a.bio},
        {"contact", a.contact},
        {"verified", a.verified},
        {"followers", a.followers ? nlohmann::json(*a.followers) : nlohmann::json(nullptr)}}},
      {"positioning", a.positioning},
      {"groups", a.groups},
      {"tags", a.tags},
      {"store_id", opt(a.store_id)},
      {"health",
       {{"level", h.level},
        {"reasons", reasons},
        {"token_expires_at", opt(a.token_expires_at)},
        {"last_refresh_at", opt(a.last_refresh_at)},
        {"granted_scopes", a.granted_scopes},
        {"required_scopes", a.required_scopes},
        {"missing_scopes", h.missing_scopes},
        {"rate", a.rate_state},
        {"restricted", a.restricted},
        {"banned", a.banned},
        {"last_error", opt(a.last_error)},
        {"last_error_class", opt(a.last_error_class)},
        {"last_error_at", opt(a.last_error_at)}}},
      {"version", a.version},
      {"created_at", a.created_at},
      {"updated_at", a.updated_at},
  };
}

}  // namespace herald::accounts
