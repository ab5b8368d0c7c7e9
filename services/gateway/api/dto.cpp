#include "services/gateway/api/dto.hpp"

#include <chrono>
#include <date/date.h>

namespace herald::gateway {

namespace {
nlohmann::json opt(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }
nlohmann::json opt_ids(const std::optional<std::vector<std::string>>& ids) {
  return ids ? nlohmann::json(*ids) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json to_json(const UserRecord& u) {
  return {{"id", u.id}, {"email", u.email}, {"display_name", u.display_name}, {"is_admin", u.is_admin},
          {"disabled", u.disabled}, {"version", u.version}, {"created_at", u.created_at}};
}

nlohmann::json to_json(const BrandRecord& b) {
  return {{"id", b.id}, {"name", b.name}, {"slug", b.slug}, {"timezone", b.timezone},
          {"version", b.version}, {"created_at", b.created_at}};
}

nlohmann::json to_json(const MemberRecord& m) {
  return {{"user_id", m.user_id}, {"email", m.email}, {"display_name", m.display_name}, {"role", m.role},
          {"account_ids", opt_ids(m.account_ids)}, {"created_at", m.created_at}};
}

nlohmann::json to_json(const ApiTokenRecord& t) {
  return {{"id", t.id}, {"name", t.name}, {"prefix", t.display_prefix}, {"created_at", t.created_at},
          {"expires_at", opt(t.expires_at)}, {"revoked_at", opt(t.revoked_at)}, {"last_used_at", opt(t.last_used_at)}};
}

nlohmann::json to_json(const AuditEntry& e) {
  auto tp = std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(e.at_us));
  auto null_if_empty = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  return {{"seq", e.seq}, {"at", date::format("%FT%TZ", tp)}, {"actor_id", null_if_empty(e.actor_id)},
          {"actor", e.actor_label}, {"action", e.action}, {"target_type", e.target_type},
          {"target_id", e.target_id}, {"brand_id", null_if_empty(e.brand_id)}, {"details", e.details},
          {"hash", e.hash}, {"prev_hash", e.prev_hash}};
}

nlohmann::json principal_json(const Principal& p) {
  nlohmann::json memberships = nlohmann::json::array();
  for (const auto& m : p.memberships) {
    memberships.push_back({{"brand_id", m.brand_id}, {"brand_name", m.brand_name}, {"role", m.role},
                           {"account_ids", opt_ids(m.account_ids)}, {"permissions", p.permissions_in(m.brand_id)}});
  }
  return {{"id", p.user_id}, {"email", p.email}, {"display_name", p.display_name}, {"is_admin", p.is_admin},
          {"memberships", memberships}};
}

}  // namespace herald::gateway
