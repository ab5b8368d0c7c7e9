#include "services/campaigns/domain/campaign.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "services/core/util/currency.hpp"
#include "services/core/util/day.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::campaigns::domain {

using nlohmann::json;

namespace {

bool in(const std::vector<std::string_view>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string joined(const std::vector<std::string_view>& list) {
  std::string out;
  for (auto v : list) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

std::string text(const json& v, const std::string& field, std::size_t min_len, std::size_t max_len) {
  if (!v.is_string()) throw FieldError(field, "must be a string");
  auto s = v.get<std::string>();
  if (s.size() < min_len) throw FieldError(field, min_len == 1 ? "must not be empty" : "is too short");
  if (s.size() > max_len) throw FieldError(field, "is longer than " + std::to_string(max_len) + " bytes");
  return s;
}

std::int64_t integer(const json& v, const std::string& field, std::int64_t min, std::int64_t max) {
  if (!v.is_number_integer()) throw FieldError(field, "must be an integer");
  auto n = v.get<std::int64_t>();
  if (n < min) throw FieldError(field, min == 0 ? "must not be negative" : "must be at least " + std::to_string(min));
  if (n > max) throw FieldError(field, "must be at most " + std::to_string(max));
  return n;
}

const json& array(const json& v, const std::string& field, std::size_t max_items) {
  if (!v.is_array()) throw FieldError(field, "must be an array");
  if (v.size() > max_items) throw FieldError(field, "has more than " + std::to_string(max_items) + " items");
  return v;
}

void only_keys(const json& obj, const std::string& field, std::initializer_list<std::string_view> keys) {
  if (!obj.is_object()) throw FieldError(field, "must be an object");
  for (const auto& [k, _] : obj.items()) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) throw FieldError(field + "." + k, "is not a known field");
  }
}

std::optional<std::string> day_field(const json& v, const std::string& field) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_string() || !core::parse_day(v.get<std::string>())) throw FieldError(field, "must be a date YYYY-MM-DD or null");
  return v.get<std::string>();
}

constexpr std::int64_t kMaxMoney = 1'000'000'000'000'000;  // 10^18 minor units

}  // namespace

const std::vector<std::string_view>& campaign_types() {
  static const std::vector<std::string_view> v{"promotion", "interaction", "brand_communication", "seeding_and_selling"};
  return v;
}

const std::vector<std::string_view>& kpi_metrics() {
  static const std::vector<std::string_view> v{
      "impressions", "reach",       "engagements", "engagement_rate", "clicks",  "link_clicks", "followers_gained",
      "video_views", "conversions", "revenue_minor", "leads",         "ugc_posts", "mentions",  "sentiment_positive_share"};
  return v;
}

const std::vector<std::string_view>& campaign_statuses() {
  static const std::vector<std::string_view> v{"draft", "planned", "active", "paused", "completed", "cancelled"};
  return v;
}

bool can_change_status(std::string_view from, std::string_view to) {
  if (from == to) return false;
  if (to == "paused" || from == "paused") return false;  // the freeze's business
  if (from == "completed" || from == "cancelled") return false;
  if (to == "cancelled") return true;
  if (from == "draft") return to == "planned" || to == "active";
  if (from == "planned") return to == "active" || to == "draft";
  if (from == "active") return to == "completed";
  return false;
}

CampaignFields fields_of(const json& c) {
  CampaignFields f;
  f.name = c.value("name", "");
  f.type = c.value("type", "");
  f.goal = c.value("goal", "");
  f.theme = c.value("theme", "");
  for (const auto& k : c.value("kpis", json::array())) f.kpis.push_back({k.value("metric", ""), k.value("target", 0.0)});
  f.platforms = c.value("platforms", std::vector<std::string>{});
  f.account_ids = c.value("account_ids", std::vector<std::string>{});
  f.rules = c.value("rules", json::object());
  for (const auto& r : c.value("rewards", json::array())) {
    Reward w{r.value("name", ""), r.value("quantity", std::int64_t{0}), std::nullopt};
    if (r.contains("value_minor") && r["value_minor"].is_number_integer()) w.value_minor = r["value_minor"].get<std::int64_t>();
    f.rewards.push_back(std::move(w));
  }
  if (c.contains("budget") && c["budget"].is_object()) {
    f.budget_minor = c["budget"].value("amount_minor", std::int64_t{0});
    f.currency = c["budget"].value("currency", "");
  }
  for (const auto& a : c.value("allocation", json::array())) {
    f.allocation.push_back({a.value("target", ""), a.value("label", ""), a.value("amount_minor", std::int64_t{0})});
  }
  if (c.contains("starts_on") && c["starts_on"].is_string()) f.starts_on = c["starts_on"].get<std::string>();
  if (c.contains("ends_on") && c["ends_on"].is_string()) f.ends_on = c["ends_on"].get<std::string>();
  if (c.contains("owner_id") && c["owner_id"].is_string()) f.owner_id = c["owner_id"].get<std::string>();
  f.status = c.value("status", "draft");
  return f;
}

void apply(CampaignFields& c, const json& body, bool creating, const std::function<bool(std::string_view)>& is_platform) {
  if (!body.is_object()) throw FieldError("body", "must be a JSON object");
  static const std::set<std::string> kWritable{"brand_id", "name",   "type",    "goal",       "theme",    "kpis",
                                               "platforms", "account_ids", "rules", "rewards", "budget", "allocation",
                                               "starts_on", "ends_on", "owner_id", "status"};
  for (const auto& [k, _] : body.items()) {
    if (!kWritable.contains(k)) throw FieldError(k, "is not a field of a campaign (or not writable)");
  }
  if (!creating && body.contains("brand_id")) throw FieldError("brand_id", "cannot change: a campaign stays in its brand");
  if (creating && !body.contains("name")) throw FieldError("name", "is required");
  if (creating && !body.contains("type")) throw FieldError("type", "is required (" + joined(campaign_types()) + ")");
  if (!creating && body.contains("status")) throw FieldError("status", "changes through POST .../status, pause and resume");

  if (body.contains("name")) c.name = text(body["name"], "name", 1, 200);
  if (body.contains("type")) {
    c.type = text(body["type"], "type", 1, 40);
    if (!in(campaign_types(), c.type)) throw FieldError("type", "must be one of " + joined(campaign_types()));
  }
  if (body.contains("goal")) c.goal = text(body["goal"], "goal", 0, 2000);
  if (body.contains("theme")) c.theme = text(body["theme"], "theme", 0, 500);
  if (body.contains("kpis")) {
    c.kpis.clear();
    std::set<std::string> seen;
    const auto& list = array(body["kpis"], "kpis", 20);
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string f = "kpis[" + std::to_string(i) + "]";
      only_keys(list[i], f, {"metric", "target"});
      if (!list[i].contains("metric")) throw FieldError(f + ".metric", "is required");
      auto metric = text(list[i]["metric"], f + ".metric", 1, 40);
      if (!in(kpi_metrics(), metric)) throw FieldError(f + ".metric", "must be one of " + joined(kpi_metrics()));
      if (!seen.insert(metric).second) throw FieldError(f + ".metric", "appears twice");
      const auto& t = list[i].contains("target") ? list[i]["target"] : json();
      if (!t.is_number() || !std::isfinite(t.get<double>()) || t.get<double>() <= 0) {
        throw FieldError(f + ".target", "must be a number above 0");
      }
      if (metric.ends_with("_rate") || metric.ends_with("_share")) {
        if (t.get<double>() > 1) throw FieldError(f + ".target", "is a ratio: at most 1 (0.05 = 5%)");
      }
      c.kpis.push_back({metric, t.get<double>()});
    }
  }
  if (body.contains("platforms")) {
    c.platforms.clear();
    for (const auto& v : array(body["platforms"], "platforms", 30)) {
      auto name = text(v, "platforms", 1, 40);
      if (!is_platform(name)) throw FieldError("platforms", "'" + name + "' is not a platform Herald knows");
      if (std::find(c.platforms.begin(), c.platforms.end(), name) == c.platforms.end()) c.platforms.push_back(name);
    }
  }
  if (body.contains("account_ids")) {
    c.account_ids.clear();
    for (const auto& v : array(body["account_ids"], "account_ids", 500)) {
      auto id = text(v, "account_ids", 36, 36);
      if (!core::is_uuid(id)) throw FieldError("account_ids", "'" + id + "' is not an account id (UUID)");
      if (std::find(c.account_ids.begin(), c.account_ids.end(), id) == c.account_ids.end()) c.account_ids.push_back(id);
    }
  }
  if (body.contains("rules")) {
    only_keys(body["rules"], "rules", {"eligibility", "timing", "flow"});
    json rules = json::object();
    for (const auto& [k, v] : body["rules"].items()) rules[k] = text(v, "rules." + k, 0, 5000);
    c.rules = rules;
  }
  if (body.contains("rewards")) {
    c.rewards.clear();
    const auto& list = array(body["rewards"], "rewards", 50);
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string f = "rewards[" + std::to_string(i) + "]";
      only_keys(list[i], f, {"name", "quantity", "value_minor"});
      if (!list[i].contains("name")) throw FieldError(f + ".name", "is required");
      Reward r;
      r.name = text(list[i]["name"], f + ".name", 1, 200);
      r.quantity = list[i].contains("quantity") ? integer(list[i]["quantity"], f + ".quantity", 1, 100'000'000) : 1;
      if (list[i].contains("value_minor") && !list[i]["value_minor"].is_null()) {
        r.value_minor = integer(list[i]["value_minor"], f + ".value_minor", 0, kMaxMoney);
      }
      c.rewards.push_back(std::move(r));
    }
  }
  if (body.contains("budget")) {
    const auto& b = body["budget"];
    if (b.is_null()) {
      c.budget_minor.reset();
      c.currency.clear();
    } else {
      only_keys(b, "budget", {"amount_minor", "currency"});
      if (!b.contains("amount_minor")) throw FieldError("budget.amount_minor", "is required");
      if (!b.contains("currency")) throw FieldError("budget.currency", "is required (ISO 4217, for example CNY)");
      c.budget_minor = integer(b["amount_minor"], "budget.amount_minor", 0, kMaxMoney);
      c.currency = text(b["currency"], "budget.currency", 3, 3);
      if (!core::minor_digits(c.currency)) throw FieldError("budget.currency", "'" + c.currency + "' is not an ISO 4217 currency code");
    }
  }
  if (body.contains("allocation")) {
    c.allocation.clear();
    const auto& list = array(body["allocation"], "allocation", 100);
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string f = "allocation[" + std::to_string(i) + "]";
      only_keys(list[i], f, {"target", "label", "amount_minor", "currency"});
      if (!list[i].contains("target")) throw FieldError(f + ".target", "is required");
      if (!list[i].contains("amount_minor")) throw FieldError(f + ".amount_minor", "is required");
      Allocation a;
      a.target = text(list[i]["target"], f + ".target", 1, 100);
      a.label = list[i].contains("label") ? text(list[i]["label"], f + ".label", 0, 200) : "";
      a.amount_minor = integer(list[i]["amount_minor"], f + ".amount_minor", 0, kMaxMoney);
      if (list[i].contains("currency")) {
        auto cur = text(list[i]["currency"], f + ".currency", 3, 3);
        if (cur != c.currency) {
          throw FieldError(f + ".currency", "must be the budget's currency (" + (c.currency.empty() ? "none set" : c.currency) + ")");
        }
      }
      c.allocation.push_back(std::move(a));
    }
  }
  if (body.contains("starts_on")) c.starts_on = day_field(body["starts_on"], "starts_on");
  if (body.contains("ends_on")) c.ends_on = day_field(body["ends_on"], "ends_on");
  if (body.contains("owner_id")) {
    if (body["owner_id"].is_null()) {
      c.owner_id.reset();
    } else {
      auto id = text(body["owner_id"], "owner_id", 36, 36);
      if (!core::is_uuid(id)) throw FieldError("owner_id", "must be a user id (UUID) or null");
      c.owner_id = id;
    }
  }
  if (creating && body.contains("status")) {
    c.status = text(body["status"], "status", 1, 20);
    if (c.status != "draft" && c.status != "planned" && c.status != "active") {
      throw FieldError("status", "a new campaign is draft, planned or active");
    }
  }
  check(c);
}

void check(const CampaignFields& c) {
  if (c.budget_minor && !core::minor_digits(c.currency)) throw FieldError("budget.currency", "is not an ISO 4217 currency code");
  if (!c.allocation.empty()) {
    if (!c.budget_minor) throw FieldError("allocation", "needs a budget to allocate");
    std::int64_t sum = 0;
    for (const auto& a : c.allocation) sum += a.amount_minor;
    if (sum > *c.budget_minor) {
      throw FieldError("allocation", "allocates " + core::format_minor(sum, c.currency) + " " + c.currency +
                                         ", more than the budget of " + core::format_minor(*c.budget_minor, c.currency) +
                                         " " + c.currency);
    }
  }
  for (std::size_t i = 0; i < c.rewards.size(); ++i) {
    if (c.rewards[i].value_minor && !c.budget_minor) {
      throw FieldError("rewards[" + std::to_string(i) + "].value_minor", "needs a budget (its currency values rewards)");
    }
  }
  if (c.starts_on && c.ends_on) {
    auto a = *core::parse_day(*c.starts_on);
    auto b = *core::parse_day(*c.ends_on);
    if (b < a) throw FieldError("ends_on", "is before starts_on (" + *c.starts_on + ")");
    if (b - a > 3 * 366) throw FieldError("ends_on", "more than 3 years after starts_on");
  }
  if (c.status == "active" && (!c.starts_on || !c.ends_on)) {
    throw FieldError(c.starts_on ? "ends_on" : "starts_on", "an active campaign needs both dates");
  }
}

}  // namespace herald::campaigns::domain
