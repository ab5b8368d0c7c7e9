#include "services/inbox/sla.hpp"

#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::inbox {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;

namespace {

constexpr int kMaxFirstResponseMinutes = 7 * 24 * 60;
constexpr int kMaxResolutionMinutes = 90 * 24 * 60;

std::optional<BusinessHours> hours_from_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  BusinessHours h;
  HoursError e;
  // Stored only after the same check; a row that no longer parses (a zone removed from the tz
  // database) counts around the clock rather than stopping ingest.
  if (!parse_business_hours(json::parse(f.as<std::string>()), h, e)) return std::nullopt;
  return h;
}

double unix_seconds(date::sys_seconds t) { return static_cast<double>(t.time_since_epoch().count()); }

}  // namespace

SlaPolicy sla_policy_for(pqxx::work& tx, const std::string& brand_id, const SlaPolicy& fallback) {
  auto rows = tx.exec_prepared("inbox_sla_policy_get", brand_id);
  if (rows.empty()) return fallback;
  SlaPolicy p;
  p.first_response = std::chrono::seconds{rows[0][0].as<int>()};
  if (!rows[0][1].is_null()) p.resolution = std::chrono::seconds{rows[0][1].as<int>()};
  p.hours = hours_from_text(rows[0][2]);
  return p;
}

SlaDue sla_due(const SlaPolicy& policy, std::chrono::system_clock::time_point start) {
  auto from = date::floor<std::chrono::seconds>(start);
  const BusinessHours* hours = policy.hours ? &*policy.hours : nullptr;
  SlaDue d;
  d.first_response_s = unix_seconds(add_business_time(from, policy.first_response, hours));
  if (policy.resolution) d.resolution_s = unix_seconds(add_business_time(from, *policy.resolution, hours));
  return d;
}

SlaPolicies::SlaPolicies(core::pg::Pool& pg, iam::Identity& identity, SlaPolicy fallback)
    : pg_(pg), identity_(identity), fallback_(std::move(fallback)) {}

json SlaPolicies::policy_json(const std::string& brand_id, const pqxx::row* row) {
  json out{{"brand_id", brand_id}};
  SlaPolicy p = fallback_;
  if (row != nullptr) {
    p.first_response = std::chrono::seconds{(*row)[0].as<int>()};
    p.resolution.reset();
    if (!(*row)[1].is_null()) p.resolution = std::chrono::seconds{(*row)[1].as<int>()};
    p.hours = hours_from_text((*row)[2]);
  }
  out["first_response_minutes"] = p.first_response.count() / 60;
  out["resolution_minutes"] = p.resolution ? json(p.resolution->count() / 60) : json(nullptr);
  out["business_hours"] = p.hours ? to_json(*p.hours) : json(nullptr);
  auto now = date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  out["open_now"] = !p.hours || is_open(now, *p.hours);
  out["default"] = row == nullptr;
  out["version"] = row == nullptr ? 0 : (*row)[3].as<int>();
  out["updated_by"] = row == nullptr ? json(nullptr) : json((*row)[4].as<std::string>());
  out["updated_at"] = row == nullptr ? json(nullptr) : json((*row)[5].as<std::string>());
  return out;
}

json SlaPolicies::get(const iam::Principal& p, const std::string& brand_id) {
  if (!core::is_uuid(brand_id) || !p.can(perm::kInboxRead, brand_id)) http::not_found("no such brand");
  return pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("inbox_sla_policy_get", brand_id);
    if (rows.empty()) return policy_json(brand_id, nullptr);
    auto row = rows[0];
    return policy_json(brand_id, &row);
  });
}

json SlaPolicies::put(const iam::Principal& p, const std::string& brand_id, const SlaPolicyInput& in) {
  if (!core::is_uuid(brand_id) || (!p.can(perm::kInboxRead, brand_id) && !p.can(perm::kBrandManage, brand_id))) {
    http::not_found("no such brand");
  }
  if (!p.can(perm::kBrandManage, brand_id)) http::forbidden("setting a brand's SLA policy needs brand.manage");
  auto brand = identity_.brand(p.org_id, brand_id);
  if (!brand) http::not_found("no such brand");
  if (in.first_response_minutes < 1 || in.first_response_minutes > kMaxFirstResponseMinutes) {
    http::invalid_field("first_response_minutes", "must be from 1 to " + std::to_string(kMaxFirstResponseMinutes) + " (7 days)");
  }
  if (in.resolution_minutes) {
    if (*in.resolution_minutes < 1 || *in.resolution_minutes > kMaxResolutionMinutes) {
      http::invalid_field("resolution_minutes", "must be from 1 to " + std::to_string(kMaxResolutionMinutes) + " (90 days), or null for none");
    }
    if (*in.resolution_minutes < in.first_response_minutes) {
      http::invalid_field("resolution_minutes", "cannot be shorter than the first-response target");
    }
  }
  std::optional<std::string> hours_text;
  if (in.business_hours && !in.business_hours->is_null()) {
    auto j = *in.business_hours;
    if (j.is_object() && !j.contains("timezone")) j["timezone"] = brand->timezone;  // the brand's zone by default
    BusinessHours h;
    HoursError e;
    if (!parse_business_hours(j, h, e)) http::invalid_field(e.field, e.message);
    hours_text = to_json(h).dump();
  }
  return pg_.transact([&](pqxx::work& tx) {
    std::optional<int> resolution_s;
    if (in.resolution_minutes) resolution_s = *in.resolution_minutes * 60;
    auto rows = tx.exec_prepared("inbox_sla_policy_put", brand_id, p.org_id, in.first_response_minutes * 60,
                                 resolution_s, hours_text, in.version, p.label());
    if (rows.empty()) http::precondition_failed("the SLA policy changed since you read it");
    auto row = rows[0];
    auto out = policy_json(brand_id, &row);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.sla_policy", "brand", brand_id, brand_id,
                            {{"first_response_minutes", out["first_response_minutes"]},
                             {"resolution_minutes", out["resolution_minutes"]},
                             {"business_hours", out["business_hours"]}}});
    return out;
  });
}

void SlaPolicies::reset(const iam::Principal& p, const std::string& brand_id) {
  if (!core::is_uuid(brand_id) || (!p.can(perm::kInboxRead, brand_id) && !p.can(perm::kBrandManage, brand_id))) {
    http::not_found("no such brand");
  }
  if (!p.can(perm::kBrandManage, brand_id)) http::forbidden("setting a brand's SLA policy needs brand.manage");
  pg_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("inbox_sla_policy_delete", brand_id, p.org_id);
    identity_.append_audit(tx, iam::Actor::of(p), {"inbox.sla_policy.reset", "brand", brand_id, brand_id, {}});
  });
}

std::vector<SlaBreach> SlaPolicies::sweep(int limit) {
  return pg_.transact([&](pqxx::work& tx) {
    std::vector<SlaBreach> out;
    for (const auto& [query, clock] : {std::pair{"inbox_sla_first_response_breaches", "first_response"},
                                       std::pair{"inbox_sla_resolution_breaches", "resolution"}}) {
      for (const auto& r : tx.exec_prepared(query, limit)) {
        SlaBreach b;
        b.thread_id = r[0].as<std::int64_t>();
        b.brand_id = r[1].as<std::string>();
        b.clock = clock;
        b.event = {{"thread_id", b.thread_id},
                   {"brand_id", b.brand_id},
                   {"account_id", r[2].as<std::string>()},
                   {"sla", clock},
                   {"due", r[3].as<std::string>()},
                   {"assignee_id", r[4].is_null() ? json(nullptr) : json(r[4].as<std::string>())}};
        out.push_back(std::move(b));
      }
    }
    return out;
  });
}

}  // namespace herald::inbox
