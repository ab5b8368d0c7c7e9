#pragma once
// The Facebook emulator's generated Marketing API data, which facebook_ads.cpp serves: an ad account's campaigns,
// ad sets, ads and creatives by index, and what each ad delivers on a day. Nothing per ad or per day is stored:
// everything is a pure function of (account key, index) or (ad id, day) through a hash, so an account of 10,000 ads
// costs a few bytes, any page of its insights costs only the rows on it, and the same question always gets the
// same numbers. Amounts follow Meta's conventions (marketing-api/currencies): decimals in the account currency for
// spend and revenue, budgets in 1/100 of the currency except in its "offset 1" currencies (whole units).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/sandbox/platforms/graph_fields.hpp"
#include "adapters/sandbox/state_store.hpp"

namespace herald::sandbox::facebook_ads {

// What an ad account is made of.
struct AdAccount {
  std::string account_id;  // digits; the Graph node is act_<account_id>
  std::string owner_id;    // the store account (the Page) whose tokens may read it
  std::string name;
  std::string currency;
  std::uint64_t key = 0;  // inside every campaign, ad set, ad and creative id of the account (< 10^8)
  std::int64_t ads = 0;
  std::int64_t ads_per_adset = 0;
  std::int64_t adsets_per_campaign = 0;
  std::int64_t first_day = 0;  // days since 1970-01-01 (UTC) of its first day with delivery
  TimePoint created_at{};
  bool automatic = false;  // the one every user owns
};

enum Level : int { kAccountLevel = 0, kCampaignLevel = 1, kAdSetLevel = 2, kAdLevel = 3, kCreativeLevel = 4 };

// A bad request parameter, answered as Graph's OAuthException with `code` by the routes.
struct ParamError {
  std::string message;
  int code = 100;
};

// Days since 1970-01-01, UTC.
[[nodiscard]] std::int64_t day_of(TimePoint t);
[[nodiscard]] TimePoint start_of(std::int64_t day);
[[nodiscard]] std::string format_day(std::int64_t day);  // "YYYY-MM-DD"
// "YYYY-MM-DD" of a real date (not 2026-02-30) to its day.
[[nodiscard]] std::optional<std::int64_t> parse_day(std::string_view s);
// The first day of the month `months_back` months before the month of `day` (negative: after).
[[nodiscard]] std::int64_t first_of_month(std::int64_t day, int months_back);
[[nodiscard]] std::int64_t first_of_year(std::int64_t day);

// ISO 4217 minor-unit exponent (JPY 0, KWD 3, most 2).
[[nodiscard]] int currency_exponent(const std::string& currency);
[[nodiscard]] std::int64_t pow10(int exponent);
// Minor units as Graph writes an amount: "12.34", "12.3", "12" (no trailing zeros).
[[nodiscard]] std::string decimal(std::int64_t minor, int exponent);
// A ratio as Graph writes ctr, cpc, cpm: up to six decimals.
[[nodiscard]] std::string ratio(double v);

struct Totals {
  std::int64_t impressions = 0, clicks = 0, spend_minor = 0, purchases = 0, revenue_minor = 0, likes = 0;
  void add(const Totals& o);
};

// What the ad delivers on the day: impressions 200-20,000 (the ad's own size, the day's noise, weekends a little
// lower), clicks 0.3-4 % of them, spend at a CPM of 2-15 US dollars' worth, purchases 1-10 % of clicks (rounded at
// random), 20-80 dollars' worth of revenue each, 0-4 page likes. `scale` is units of the currency per dollar.
[[nodiscard]] Totals ad_day(std::uint64_t ad_id, std::int64_t day, int exponent, double scale);

// The entities of an account by level and index: campaign c holds ad sets [c * adsets_per_campaign, ...), ad set s
// holds ads [s * ads_per_adset, ...); ids grow with the index, so index order is id order.
class Catalog {
 public:
  explicit Catalog(const AdAccount& a);

  [[nodiscard]] std::int64_t count(int level) const;
  [[nodiscard]] std::uint64_t id(int level, std::int64_t index) const;
  [[nodiscard]] std::string id_string(int level, std::int64_t index) const;
  [[nodiscard]] std::int64_t adset_of_ad(std::int64_t ad) const;
  [[nodiscard]] std::int64_t campaign_of_adset(std::int64_t adset) const;
  // The ads [first, last) under an entity of `level`.
  [[nodiscard]] std::pair<std::int64_t, std::int64_t> ads_of(int level, std::int64_t index) const;

  [[nodiscard]] std::string status(int level, std::int64_t index) const;  // ACTIVE or PAUSED
  // CAMPAIGN_PAUSED / ADSET_PAUSED under a paused parent, else the status.
  [[nodiscard]] std::string effective_status(int level, std::int64_t index) const;
  [[nodiscard]] std::string objective(std::int64_t campaign) const;  // OUTCOME_*
  // Campaign budget optimisation: the budget is on the campaign, not on its ad sets.
  [[nodiscard]] bool campaign_budget(std::int64_t campaign) const;
  // daily_budget as Graph writes it (string of an integer in Meta's budget unit), when the entity has one.
  [[nodiscard]] std::optional<std::string> daily_budget(int level, std::int64_t index) const;
  [[nodiscard]] std::string object_type(std::int64_t ad) const;  // VIDEO, SHARE, PHOTO or STATUS
  [[nodiscard]] std::string name(int level, std::int64_t index) const;

  // An entity with the requested fields (Graph's `fields`, creative{...} nested); a field the node type does not
  // have throws Graph's "Tried accessing nonexisting field" ParamError.
  [[nodiscard]] nlohmann::json render(int level, std::int64_t index, const std::vector<FieldSpec>& fields) const;
  // What the ads under an entity delivered over the days [from, to].
  [[nodiscard]] Totals totals(int level, std::int64_t index, std::int64_t from, std::int64_t to) const;
  [[nodiscard]] int exponent() const { return exponent_; }

 private:
  [[nodiscard]] std::uint64_t trait(int level, std::int64_t index, std::uint64_t salt) const;
  [[nodiscard]] bool active(int level, std::int64_t index) const;

  const AdAccount& a_;
  std::int64_t adsets_;
  std::int64_t campaigns_;
  int exponent_;
  double scale_;
};

}  // namespace herald::sandbox::facebook_ads
