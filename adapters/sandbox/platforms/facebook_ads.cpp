// Facebook emulator, third part: the Marketing API's read side, as Herald's Facebook adapter (fetch_ad_entities,
// fetch_ad_insights) and Meta's business SDKs call it. Shapes from developers.facebook.com/docs/marketing-api:
//   reference/user/adaccounts (GET /me/adaccounts), reference/ad-account (GET /act_{id}: id "act_N", account_id
//   "N", name, currency, account_status 1 = ACTIVE, timezone_name), reference/ad-account/campaigns|adsets|ads
//   (`fields`, cursor paging: paging.cursors.{before,after}, paging.next only when there is a next page),
//   reference/ad-campaign-group (objective OUTCOME_*, daily_budget), reference/ad-campaign (the ad set),
//   reference/adgroup (the ad, creative{object_type}), reference/ad-creative (object_type VIDEO, SHARE, PHOTO,
//   STATUS), insights (GET /act_{id}/insights: level, time_range {"since","until"} as JSON, date_preset,
//   time_increment 1..90 | monthly | all_days, limit; every number a string, spend a decimal in the account
//   currency, actions / action_values as [{action_type, value}], date_start and date_stop on every row, no row
//   where nothing was delivered), marketing-api/currencies (budgets in 1/100 of the currency, whole units for
//   the "offset 1" currencies such as JPY and HUF), marketing-api/overview/rate-limiting (613 "too many calls
//   from this ad-account"), insights/error-codes (3018: a start more than 37 months back).
// Errors: 100/33 GraphMethodException for an ad account that does not exist, 200 for one another user owns, 100
// for bad parameters (time_range, level, fields, cursors), 104 when no token is given, 190 for a bad token.
// Nothing per ad or per day is stored (facebook_ads_catalog.hpp generates it). Every user the sandbox knows owns one
// small automatic account (2 campaigns x 2 ad sets x 3 ads, USD, delivering since 90 days before the user first
// appeared); POST /_sandbox/facebook/ad-accounts makes bigger ones. Every ad delivers on every active day (the
// account's first day to today), so a daily ad-level report has exactly ads x active days rows, ordered by date, then
// ad id, and a page of it costs only its rows. Cursors are base64 of the row offset with '=' written "ZD", as Graph's
// own "MAZDZD" (offset 0).
#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/platforms/facebook.hpp"
#include "adapters/sandbox/platforms/facebook_ads_catalog.hpp"
#include "adapters/sandbox/platforms/graph_fields.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"

namespace herald::sandbox {

namespace {

using namespace facebook_ads;  // this file serves that catalog (facebook_ads_catalog.hpp)

constexpr char kPlatform[] = "facebook";
constexpr std::uint64_t kPageBase = 102000000000000ULL;              // facebook.cpp's format_id
constexpr std::uint64_t kAutomaticAccountBase = 240000000000000ULL;  // + the page's number
constexpr std::uint64_t kCreatedAccountBase = 260000000000000ULL;    // + 1, 2, ... in creation order
constexpr std::uint64_t kCreatedKeyBase = 50000000ULL;               // keys of created accounts (pages: below)
constexpr std::int64_t kAutomaticDays = 90;
constexpr std::uint64_t kDefaultLimit = 25;
constexpr std::uint64_t kMaxLimit = 5000;

// --- paging ---

std::string cursor_of(std::uint64_t offset) {
  std::string out;
  for (char ch : core::crypto::base64_encode(std::to_string(offset))) {
    if (ch == '=') {
      out += "ZD";
    } else {
      out += ch;
    }
  }
  return out;
}

std::optional<std::uint64_t> offset_of(std::string_view cursor) {
  std::string b64;
  for (std::size_t i = 0; i < cursor.size(); ++i) {
    if (cursor[i] == 'Z' && i + 1 < cursor.size() && cursor[i + 1] == 'D') {
      b64 += '=';
      ++i;
    } else {
      b64 += cursor[i];
    }
  }
  try {
    std::uint64_t n = 0;
    if (parse_u64(core::crypto::base64_decode(b64), n)) return n;
  } catch (const std::invalid_argument&) {
  }
  return std::nullopt;
}

struct Window {
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  std::uint64_t limit = kDefaultLimit;
};

// The rows [start, end) of `total` that limit / after / before ask for.
Window window_of(const http::Request& req, std::uint64_t total) {
  Window w;
  if (auto l = req.query_param("limit")) {
    if (!parse_u64(*l, w.limit) || w.limit == 0) throw ParamError{"(#100) param limit must be a positive integer"};
    w.limit = std::min(w.limit, kMaxLimit);
  }
  if (auto after = req.query_param("after")) {
    auto at = offset_of(*after);
    if (!at) throw ParamError{"(#100) The after cursor is not valid: " + *after};
    w.start = std::min(total, *at + 1);
    w.end = std::min(total, w.start + w.limit);
  } else if (auto before = req.query_param("before")) {
    auto at = offset_of(*before);
    if (!at) throw ParamError{"(#100) The before cursor is not valid: " + *before};
    w.end = std::min(total, *at);
    w.start = w.end > w.limit ? w.end - w.limit : 0;
  } else {
    w.end = std::min(total, w.limit);
  }
  return w;
}

// This request's URL with the cursor `key` set (the other parameters kept, limit made explicit).
std::string page_url(const std::string& base, const http::Request& req, const Window& w, const std::string& key,
                     std::uint64_t at) {
  std::string url = base + req.path;
  for (const auto& [k, v] : req.query) {
    if (k != "after" && k != "before" && k != "limit") append_query(url, k, v);
  }
  append_query(url, "limit", std::to_string(w.limit));
  append_query(url, key, cursor_of(at));
  return url;
}

nlohmann::json page_json(nlohmann::json data, const std::string& base, const http::Request& req, const Window& w,
                         std::uint64_t total) {
  nlohmann::json out = {{"data", std::move(data)}};
  if (w.start >= w.end) return out;
  nlohmann::json paging = {{"cursors", {{"before", cursor_of(w.start)}, {"after", cursor_of(w.end - 1)}}}};
  if (w.end < total) paging["next"] = page_url(base, req, w, "after", w.end - 1);
  if (w.start > 0) paging["previous"] = page_url(base, req, w, "before", w.start);
  out["paging"] = paging;
  return out;
}

// --- insights parameters ---

struct Bucket {
  std::int64_t from = 0;  // as reported (date_start, date_stop)
  std::int64_t to = 0;
};

int level_of(const std::optional<std::string>& level) {
  if (!level || *level == "account") return kAccountLevel;
  if (*level == "campaign") return kCampaignLevel;
  if (*level == "adset") return kAdSetLevel;
  if (*level == "ad") return kAdLevel;
  throw ParamError{"(#100) param level must be one of {ad, adset, campaign, account}"};
}

// The reporting range [since, until] from time_range (JSON) or date_preset (default last_30d).
std::pair<std::int64_t, std::int64_t> range_of(const http::Request& req, std::int64_t today, std::int64_t first_day) {
  if (auto tr = req.query_param("time_range")) {
    auto j = nlohmann::json::parse(*tr, nullptr, false);
    if (j.is_object() && j.empty()) throw ParamError{"(#100) param time_range must be non-empty."};
    const char* shape =
        "(#100) param time_range must be a JSON object {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}";
    if (!j.is_object() || !j.contains("since") || !j.contains("until") || !j["since"].is_string() ||
        !j["until"].is_string()) {
      throw ParamError{shape};
    }
    auto since = parse_day(j["since"].get<std::string>());
    auto until = parse_day(j["until"].get<std::string>());
    if (!since) throw ParamError{"(#100) time_range since is not a valid date: " + j["since"].get<std::string>()};
    if (!until) throw ParamError{"(#100) time_range until is not a valid date: " + j["until"].get<std::string>()};
    if (*since > *until) throw ParamError{"(#100) time_range since must be on or before until"};
    return {*since, *until};
  }
  auto preset = req.query_param("date_preset").value_or("last_30d");
  if (preset == "today") return {today, today};
  if (preset == "yesterday") return {today - 1, today - 1};
  if (preset == "maximum") return {std::min(first_day, today), today};
  if (preset == "this_month") return {first_of_month(today, 0), today};
  if (preset == "last_month") return {first_of_month(today, 1), first_of_month(today, 0) - 1};
  if (preset == "this_year") return {first_of_year(today), today};
  for (int n : {3, 7, 14, 28, 30, 90}) {
    if (preset == "last_" + std::to_string(n) + "d") return {today - n, today - 1};
  }
  throw ParamError{
      "(#100) date_preset must be one of the following values: today, yesterday, this_month, last_month, this_year, "
      "maximum, last_3d, last_7d, last_14d, last_28d, last_30d, last_90d"};
}

std::vector<Bucket> buckets_of(const std::optional<std::string>& increment, std::int64_t since, std::int64_t until) {
  std::vector<Bucket> out;
  std::string inc = increment.value_or("all_days");
  if (inc == "all_days") return {{since, until}};
  if (inc == "monthly") {
    for (auto from = since; from <= until;) {
      auto next = first_of_month(from, -1);
      out.push_back({from, std::min(until, next - 1)});
      from = next;
    }
    return out;
  }
  std::uint64_t n = 0;
  if (!parse_u64(inc, n) || n < 1 || n > 90) {
    throw ParamError{"(#100) param time_increment must be all_days, monthly or an integer from 1 to 90"};
  }
  auto step = static_cast<std::int64_t>(n);
  for (auto from = since; from <= until; from += step) out.push_back({from, std::min(until, from + step - 1)});
  return out;
}

const char* const kInsightFields[] = {"account_id",    "account_name", "account_currency",   "campaign_id",
                                      "campaign_name", "adset_id",     "adset_name",         "ad_id",
                                      "ad_name",       "objective",    "impressions",        "clicks",
                                      "spend",         "actions",      "action_values",      "ctr",
                                      "cpc",           "cpm",          "inline_link_clicks", "date_start",
                                      "date_stop"};

nlohmann::json actions_json(const std::vector<std::pair<const char*, std::string>>& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [type, value] : entries) out.push_back({{"action_type", type}, {"value", value}});
  return out;
}

}  // namespace

// --- accounts ---

FacebookPlatform::AdAccount FacebookPlatform::automatic_ad_account(const Account& owner) const {
  std::uint64_t page = 0;
  (void)parse_u64(owner.id, page);
  std::uint64_t n = page > kPageBase ? page - kPageBase : 0;
  AdAccount a;
  a.account_id = std::to_string(kAutomaticAccountBase + n);
  a.owner_id = owner.id;
  a.name = owner.display_name + " Ads";
  a.currency = "USD";
  a.key = n;
  a.ads = 12;
  a.ads_per_adset = 3;
  a.adsets_per_campaign = 2;
  a.first_day = day_of(owner.created_at) - (kAutomaticDays - 1);
  a.created_at = start_of(a.first_day);
  a.automatic = true;
  return a;
}

std::vector<FacebookPlatform::AdAccount> FacebookPlatform::ad_accounts_of(const Account& owner) const {
  std::vector<AdAccount> out{automatic_ad_account(owner)};
  std::lock_guard lock(ads_mutex_);
  for (const auto& a : created_ad_accounts_) {
    if (a.owner_id == owner.id) out.push_back(a);
  }
  return out;
}

std::optional<FacebookPlatform::AdAccount> FacebookPlatform::find_ad_account(const std::string& node_id) const {
  std::uint64_t n = 0;
  if (!starts_with(node_id, "act_") || !parse_u64(std::string_view(node_id).substr(4), n)) return std::nullopt;
  if (n > kAutomaticAccountBase && n < kCreatedAccountBase) {
    auto owner = ctx_.store.account(kPlatform, std::to_string(kPageBase + (n - kAutomaticAccountBase)));
    if (!owner) return std::nullopt;
    return automatic_ad_account(*owner);
  }
  if (n > kCreatedAccountBase) {
    std::lock_guard lock(ads_mutex_);
    auto index = n - kCreatedAccountBase - 1;
    if (index < created_ad_accounts_.size()) return created_ad_accounts_[index];
  }
  return std::nullopt;
}

nlohmann::json FacebookPlatform::create_ad_account(const AdAccountRequest& r) {
  if (r.ads < 1 || r.ads > 1000000 || r.days < 1 || r.ads_per_adset < 1 || r.adsets_per_campaign < 1 ||
      r.currency.size() != 3) {
    throw std::invalid_argument("ad account request out of range");
  }
  auto owner = account_for_handle(r.handle);
  AdAccount a;
  {
    std::lock_guard lock(ads_mutex_);
    auto k = created_ad_accounts_.size() + 1;
    a.account_id = std::to_string(kCreatedAccountBase + k);
    a.key = kCreatedKeyBase + k;
    a.owner_id = owner.id;
    a.name = r.name.empty() ? owner.display_name + " Ads " + std::to_string(k) : r.name;
    a.currency = r.currency;
    a.ads = r.ads;
    a.ads_per_adset = r.ads_per_adset;
    a.adsets_per_campaign = r.adsets_per_campaign;
    a.first_day = day_of(ctx_.clock.now()) - (r.days - 1);
    a.created_at = start_of(a.first_day);
    created_ad_accounts_.push_back(a);
  }
  return ad_account_control_json(a, owner);
}

nlohmann::json FacebookPlatform::ad_account_control_json(const AdAccount& a, const Account& owner) const {
  Catalog cat(a);
  auto today = day_of(ctx_.clock.now());
  return {{"id", "act_" + a.account_id},
          {"account_id", a.account_id},
          {"name", a.name},
          {"currency", a.currency},
          {"automatic", a.automatic},
          {"handle", owner.handle},
          {"owner_id", owner.id},
          {"user_id", user_id_of(owner)},
          {"campaigns", cat.count(kCampaignLevel)},
          {"ad_sets", cat.count(kAdSetLevel)},
          {"ads", a.ads},
          {"ads_per_adset", a.ads_per_adset},
          {"adsets_per_campaign", a.adsets_per_campaign},
          {"first_day", format_day(a.first_day)},
          {"active_days", std::max<std::int64_t>(0, today - a.first_day + 1)},
          {"created_time", graph_time(a.created_at)}};
}

nlohmann::json FacebookPlatform::ad_accounts_json(const std::string& handle) const {
  auto owner = ctx_.store.account_by_handle(kPlatform, handle);
  if (!owner) return nullptr;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : ad_accounts_of(*owner)) out.push_back(ad_account_control_json(a, *owner));
  return out;
}

// --- Graph ---

FacebookPlatform::Caller FacebookPlatform::require_ads_token(const http::Request& req) {
  check_version(req);
  if (!bearer_token(req) && !req.query_param("access_token")) {
    graph_error(req, 400, "An access token is required to request this resource.", "OAuthException", 104);
  }
  return require_token(req);
}

FacebookPlatform::AdAccount FacebookPlatform::require_ad_account(const http::Request& req, const Caller& c) {
  const auto& node_id = req.param("id");
  auto a = find_ad_account(node_id);
  if (!a) {
    graph_error(req, 400,
                "Unsupported get request. Object with ID '" + node_id +
                    "' does not exist, cannot be loaded due to missing permissions, or does not support this "
                    "operation.",
                "GraphMethodException", 100, 33);
  }
  if (a->owner_id != c.page.id) {
    graph_error(req, 403, "(#200) Ad account owner has NOT grant ads_management or ads_read permission",
                "OAuthException", 200);
  }
  return *a;
}

void FacebookPlatform::add_ads_routes() {
  // Parameter errors (ParamError, thrown by the helpers above) become Graph's OAuthException here.
  auto with_param_errors = [this](http::Request& req, const std::function<http::Response()>& handler) {
    try {
      return handler();
    } catch (const ParamError& e) {
      graph_error(req, 400, e.message, "OAuthException", e.code);
    }
  };
  auto get = [this, with_param_errors](const std::string& pattern, std::function<http::Response(http::Request&)> h) {
    route(Verb::get, pattern, [with_param_errors, h = std::move(h)](http::Request& req, Call&) {
      return with_param_errors(req, [&] { return h(req); });
    });
  };
  get("/{v}/me/adaccounts", [this](http::Request& req) { return my_ad_accounts(req); });
  get("/{v}/{id}/adaccounts", [this](http::Request& req) { return my_ad_accounts(req); });
  get("/{v}/{id}/campaigns", [this](http::Request& req) { return ad_objects(req, kCampaignLevel); });
  get("/{v}/{id}/adsets", [this](http::Request& req) { return ad_objects(req, kAdSetLevel); });
  get("/{v}/{id}/ads", [this](http::Request& req) { return ad_objects(req, kAdLevel); });
  get("/{v}/{id}/insights", [this](http::Request& req) { return ad_insights(req); });
}

// GET /{v}/act_{id} (node() in facebook.cpp hands act_ ids over).
http::Response FacebookPlatform::ad_account_node(http::Request& req) {
  auto c = require_ads_token(req);
  auto a = require_ad_account(req, c);
  nlohmann::json j = {{"id", "act_" + a.account_id}};
  for (const auto& f : fields_of(req, "id,account_id")) {
    const auto& n = f.name;
    if (n == "id") {
    } else if (n == "account_id") {
      j[n] = a.account_id;
    } else if (n == "name") {
      j[n] = a.name;
    } else if (n == "currency") {
      j[n] = a.currency;
    } else if (n == "account_status") {
      j[n] = 1;  // ACTIVE
    } else if (n == "disable_reason") {
      j[n] = 0;
    } else if (n == "timezone_name") {
      j[n] = "Etc/GMT";
    } else if (n == "timezone_offset_hours_utc") {
      j[n] = 0;
    } else if (n == "created_time") {
      j[n] = graph_time(a.created_at);
    } else if (n == "owner") {
      j[n] = user_id_of(c.page);
    } else {
      graph_error(req, 400, "(#100) Tried accessing nonexisting field (" + n + ") on node type (AdAccount)",
                  "OAuthException", 100);
    }
  }
  return json(req, 200, j);
}

http::Response FacebookPlatform::my_ad_accounts(http::Request& req) {
  auto c = require_ads_token(req);
  std::string who = req.params.count("id") != 0 ? req.params.at("id") : "me";  // GET /me/adaccounts or /{user-id}/...
  if (c.page_token || who == c.page.id) {
    graph_error(req, 400, "(#100) Tried accessing nonexisting field (adaccounts) on node type (Page)", "OAuthException",
                100);
  }
  if (who != "me" && who != user_id_of(c.page)) {
    graph_error(req, 400,
                "Unsupported get request. Object with ID '" + who +
                    "' does not exist, cannot be loaded due to missing permissions, or does not support this "
                    "operation.",
                "GraphMethodException", 100, 33);
  }
  auto accounts = ad_accounts_of(c.page);
  auto fields = fields_of(req, "account_id,id");
  auto w = window_of(req, accounts.size());
  nlohmann::json data = nlohmann::json::array();
  for (auto i = w.start; i < w.end; ++i) {
    const auto& a = accounts[i];
    nlohmann::json j = {{"id", "act_" + a.account_id}};
    for (const auto& f : fields) {
      if (f.name == "account_id") {
        j["account_id"] = a.account_id;
      } else if (f.name == "name") {
        j["name"] = a.name;
      } else if (f.name == "currency") {
        j["currency"] = a.currency;
      } else if (f.name == "account_status") {
        j["account_status"] = 1;
      } else if (f.name == "timezone_name") {
        j["timezone_name"] = "Etc/GMT";
      } else if (f.name != "id") {
        throw ParamError{"(#100) Tried accessing nonexisting field (" + f.name + ") on node type (AdAccount)"};
      }
    }
    data.push_back(j);
  }
  return json(req, 200, page_json(data, base_url(), req, w, accounts.size()));
}

http::Response FacebookPlatform::ad_objects(http::Request& req, int level) {
  auto c = require_ads_token(req);
  auto a = require_ad_account(req, c);
  Catalog cat(a);
  auto fields = fields_of(req, "id");
  auto total = static_cast<std::uint64_t>(cat.count(level));
  auto w = window_of(req, total);
  nlohmann::json data = nlohmann::json::array();
  for (auto i = w.start; i < w.end; ++i) data.push_back(cat.render(level, static_cast<std::int64_t>(i), fields));
  return json(req, 200, page_json(data, base_url(), req, w, total));
}

http::Response FacebookPlatform::ad_insights(http::Request& req) {
  if (!starts_with(req.param("id"), "act_")) return error_response(req, 404, "no such endpoint: " + req.path);
  auto c = require_ads_token(req);
  auto a = require_ad_account(req, c);
  Catalog cat(a);
  int level = level_of(req.query_param("level"));

  std::vector<std::string> fields;
  static const char* const kLevelIds[] = {"account_id", "campaign_id", "adset_id", "ad_id"};
  std::string defaults = std::string("account_id,") +
                         (level == kAccountLevel ? "" : std::string(kLevelIds[level]) + ",") + "impressions,spend";
  for (const auto& f : fields_of(req, defaults)) {
    if (std::find(std::begin(kInsightFields), std::end(kInsightFields), f.name) == std::end(kInsightFields)) {
      throw ParamError{
          "(#100) " + f.name +
          " is not valid for fields param. please check "
          "https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values"};
    }
    fields.push_back(f.name);
  }
  auto want = [&](const char* name) { return std::find(fields.begin(), fields.end(), name) != fields.end(); };

  auto today = day_of(ctx_.clock.now());
  auto [since, until] = range_of(req, today, a.first_day);
  if (since < first_of_month(today, 37)) {
    throw ParamError{"(#3018) The start date of the time range cannot be beyond 37 months from the current date", 3018};
  }
  // Buckets as asked; those with no active day (before the account's first day, after today) deliver nothing.
  std::vector<Bucket> buckets;
  for (const auto& b : buckets_of(req.query_param("time_increment"), since, until)) {
    if (b.to >= a.first_day && b.from <= today) buckets.push_back(b);
  }
  auto entities = static_cast<std::uint64_t>(cat.count(level));
  auto total = buckets.size() * entities;
  auto w = window_of(req, total);
  int exp = cat.exponent();

  nlohmann::json data = nlohmann::json::array();
  for (auto r = w.start; r < w.end; ++r) {
    const auto& b = buckets[r / entities];
    auto e = static_cast<std::int64_t>(r % entities);
    auto t = cat.totals(level, e, std::max(b.from, a.first_day), std::min(b.to, today));
    std::int64_t adset = level == kAdLevel ? cat.adset_of_ad(e) : e;
    std::int64_t campaign = level == kCampaignLevel ? e : cat.campaign_of_adset(adset);
    nlohmann::json row = {{"date_start", format_day(b.from)}, {"date_stop", format_day(b.to)}};
    if (want("account_id")) row["account_id"] = a.account_id;
    if (want("account_name")) row["account_name"] = a.name;
    if (want("account_currency")) row["account_currency"] = a.currency;
    if (level >= kCampaignLevel) {
      if (want("campaign_id")) row["campaign_id"] = cat.id_string(kCampaignLevel, campaign);
      if (want("campaign_name")) row["campaign_name"] = cat.name(kCampaignLevel, campaign);
      if (want("objective")) row["objective"] = cat.objective(campaign);
    }
    if (level >= kAdSetLevel) {
      if (want("adset_id")) row["adset_id"] = cat.id_string(kAdSetLevel, adset);
      if (want("adset_name")) row["adset_name"] = cat.name(kAdSetLevel, adset);
    }
    if (level == kAdLevel) {
      if (want("ad_id")) row["ad_id"] = cat.id_string(kAdLevel, e);
      if (want("ad_name")) row["ad_name"] = cat.name(kAdLevel, e);
    }
    auto imp = static_cast<double>(t.impressions);
    auto spend_major = static_cast<double>(t.spend_minor) / static_cast<double>(pow10(exp));
    std::int64_t link_clicks = t.clicks - t.clicks / 5;
    if (want("impressions")) row["impressions"] = std::to_string(t.impressions);
    if (want("clicks")) row["clicks"] = std::to_string(t.clicks);
    if (want("inline_link_clicks")) row["inline_link_clicks"] = std::to_string(link_clicks);
    if (want("spend")) row["spend"] = decimal(t.spend_minor, exp);
    if (want("ctr") && t.impressions > 0) row["ctr"] = ratio(static_cast<double>(t.clicks) * 100 / imp);
    if (want("cpc") && t.clicks > 0) row["cpc"] = ratio(spend_major / static_cast<double>(t.clicks));
    if (want("cpm") && t.impressions > 0) row["cpm"] = ratio(spend_major * 1000 / imp);
    if (want("actions")) {
      std::vector<std::pair<const char*, std::string>> actions;
      if (t.purchases > 0) {
        for (const char* type : {"offsite_conversion.fb_pixel_purchase", "omni_purchase", "purchase"}) {
          actions.emplace_back(type, std::to_string(t.purchases));
        }
      }
      if (link_clicks > 0) actions.emplace_back("link_click", std::to_string(link_clicks));
      if (link_clicks + t.likes > 0) {
        actions.emplace_back("post_engagement", std::to_string(link_clicks + t.likes));
        actions.emplace_back("page_engagement", std::to_string(link_clicks + 2 * t.likes));
      }
      if (t.likes > 0) actions.emplace_back("like", std::to_string(t.likes));
      if (!actions.empty()) row["actions"] = actions_json(actions);
    }
    if (want("action_values") && t.revenue_minor > 0) {
      std::vector<std::pair<const char*, std::string>> values;
      for (const char* type : {"offsite_conversion.fb_pixel_purchase", "omni_purchase", "purchase"}) {
        values.emplace_back(type, decimal(t.revenue_minor, exp));
      }
      row["action_values"] = actions_json(values);
    }
    data.push_back(std::move(row));
  }
  return json(req, 200, page_json(data, base_url(), req, w, total));
}

}  // namespace herald::sandbox
