#include "services/inbox/reports.hpp"

#include <date/date.h>

#include <chrono>
#include <cmath>

#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/pg/arrays.hpp"
#include "services/core/util/uuid.hpp"
#include "services/inbox/domain/topics.hpp"

namespace herald::inbox {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;

namespace {

constexpr int kMaxDays = 92;
constexpr int kTopicTexts = 5000;

// "YYYY-MM-DD" as a day; nullopt when malformed or not a date.
std::optional<date::sys_days> parse_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  date::year_month_day ymd{date::year{std::stoi(s.substr(0, 4))}, date::month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))},
                           date::day{static_cast<unsigned>(std::stoi(s.substr(8, 2)))}};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days{ymd};
}

bool may_report(const iam::Principal& p, const std::string& brand) {
  return p.can(perm::kAnalyticsRead, brand) || p.can(perm::kInboxAssign, brand);
}

json number_or_null(const pqxx::field& f) {
  if (f.is_null()) return nullptr;
  return std::round(f.as<double>() * 10) / 10;
}

}  // namespace

json Reports::report(const iam::Principal& p, const ReportQuery& q) {
  auto today = date::floor<date::days>(std::chrono::system_clock::now());
  auto to = q.to.empty() ? std::optional(today) : parse_day(q.to);
  if (!to) http::invalid_field("to", "must be a date YYYY-MM-DD");
  auto from = q.from.empty() ? std::optional(*to - date::days{6}) : parse_day(q.from);
  if (!from) http::invalid_field("from", "must be a date YYYY-MM-DD");
  if (*from > *to) http::invalid_field("from", "is after to");
  if ((*to - *from).count() >= kMaxDays) http::invalid_field("from", "the period is at most " + std::to_string(kMaxDays) + " days");

  std::vector<std::string> brands;
  if (q.brand_id) {
    if (!core::is_uuid(*q.brand_id) || !p.can(perm::kBrandRead, *q.brand_id)) http::not_found("no such brand");
    if (!may_report(p, *q.brand_id)) http::forbidden("the inbox reports need analytics.read or inbox.assign on the brand");
    brands.push_back(*q.brand_id);
  } else {
    for (const auto& m : p.memberships) {
      if (core::is_uuid(m.brand_id) && may_report(p, m.brand_id)) brands.push_back(m.brand_id);
    }
  }
  auto ts = [](date::sys_days d) { return date::format("%F", d) + "T00:00:00Z"; };
  auto from_ts = ts(*from), to_ts = ts(*to + date::days{1});
  json out{{"from", date::format("%F", *from)}, {"to", date::format("%F", *to)}};
  if (brands.empty() && !p.is_admin) {
    out.update({{"brands", json::array()}, {"agents", json::array()}, {"days", json::array()},
                {"categories", json::object()}, {"top_terms", json::array()}});
    return out;
  }
  return pg_.transact([&](pqxx::work& tx) {
    std::string ids = core::pg::text_array(brands);
    if (p.is_admin && !q.brand_id) {
      // An administrator: every brand of the organization with threads in the period.
      std::vector<std::string> all;
      for (const auto& r : tx.exec_prepared("inbox_report_all_brands", p.org_id)) {
        all.push_back(r[0].as<std::string>());
      }
      ids = core::pg::text_array(all);
    }
    json by_brand = json::array();
    for (const auto& r : tx.exec_prepared("inbox_report_brands", p.org_id, ids, from_ts, to_ts)) {
      by_brand.push_back({{"brand_id", r[0].as<std::string>()},
                          {"threads", r[1].as<int>()},
                          {"answered", r[2].as<int>()},
                          {"first_response_median_s", number_or_null(r[3])},
                          {"first_response_p90_s", number_or_null(r[4])},
                          {"first_response_met", r[5].as<int>()},
                          {"first_response_missed", r[6].as<int>()},
                          {"resolved", r[7].as<int>()},
                          {"resolution_met", r[8].as<int>()},
                          {"resolution_missed", r[9].as<int>()}});
    }
    json agents = json::array();
    for (const auto& r : tx.exec_prepared("inbox_report_agents", p.org_id, ids, from_ts, to_ts)) {
      agents.push_back({{"user_id", r[0].as<std::string>()},
                        {"name", r[1].as<std::string>()},
                        {"replies", r[2].as<int>()},
                        {"sent", r[3].as<int>()},
                        {"first_responses", r[4].as<int>()},
                        {"first_response_median_s", number_or_null(r[5])},
                        {"first_response_met", r[6].as<int>()}});
    }
    json days = json::array();
    for (const auto& r : tx.exec_prepared("inbox_report_days", p.org_id, ids, from_ts, to_ts)) {
      days.push_back({{"day", r[0].as<std::string>()},
                      {"messages", r[1].as<int>()},
                      {"complaints", r[2].as<int>()},
                      {"negative", r[3].as<int>()}});
    }
    json categories = json::object();
    for (const auto& r : tx.exec_prepared("inbox_report_categories", p.org_id, ids, from_ts, to_ts)) {
      categories[r[0].as<std::string>()] = r[1].as<int>();
    }
    std::vector<std::string> texts;
    for (const auto& r : tx.exec_prepared("inbox_report_texts", p.org_id, ids, from_ts, to_ts, kTopicTexts)) {
      texts.push_back(r[0].as<std::string>());
    }
    json terms = json::array();
    for (const auto& [term, n] : top_terms(texts, 30)) terms.push_back({{"term", term}, {"messages", n}});
    out.update({{"brands", by_brand}, {"agents", agents}, {"days", days}, {"categories", categories},
                {"top_terms", terms}, {"messages_read_for_terms", texts.size()}});
    return out;
  });
}

}  // namespace herald::inbox
