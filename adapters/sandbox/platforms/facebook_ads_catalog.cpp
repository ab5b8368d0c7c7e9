// The generated Marketing API data of the Facebook emulator: see facebook_ads_catalog.hpp.
#include "adapters/sandbox/platforms/facebook_ads_catalog.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "adapters/sandbox/util.hpp"

namespace herald::sandbox::facebook_ads {

namespace {

constexpr std::uint64_t kObjectBase = 120200000000000000ULL;  // 18 digits, as Meta's newer object ids
constexpr std::uint64_t kLevelStride = 1000000000000000ULL;   // 10^15
constexpr std::uint64_t kKeyStride = 10000000ULL;             // 10^7 objects of a kind per account
constexpr std::int64_t kSecondsPerDay = 86400;

// --- hashing: every generated value is a function of (object id, day, salt) ---

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
std::uint64_t hash3(std::uint64_t a, std::uint64_t b, std::uint64_t salt) { return mix(mix(mix(a) + b) + salt); }
// Uniform in [0, 1).
double unit(std::uint64_t h) { return static_cast<double>(h >> 11) / 9007199254740992.0; }

// --- days (proleptic Gregorian, UTC; H. Hinnant's days_from_civil / civil_from_days) ---

struct Ymd {
  std::int64_t y = 1970;
  unsigned m = 1;
  unsigned d = 1;
};

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Ymd civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// Meta's budget fields count 1/100 of the currency, except in its "offset 1" currencies (whole units).
bool offset_one(const std::string& currency) {
  static const char* kOffsetOne[] = {"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"};
  for (const char* c : kOffsetOne) {
    if (currency == c) return true;
  }
  return false;
}

// Roughly how many units of the currency a US dollar buys, so that a yen account spends yen-sized amounts.
double units_per_usd(const std::string& currency) {
  static const std::pair<const char*, double> kRates[] = {
      {"JPY", 150},  {"KRW", 1350}, {"HUF", 360},  {"IDR", 16000}, {"VND", 25000}, {"CLP", 950},  {"COP", 4000},
      {"CRC", 510},  {"ISK", 140},  {"PYG", 7500}, {"TWD", 32},    {"INR", 83},    {"CNY", 7.2},  {"HKD", 7.8},
      {"SEK", 10.5}, {"NOK", 10.5}, {"DKK", 6.9},  {"MXN", 17},    {"BRL", 5},     {"PHP", 56},   {"THB", 35},
      {"TRY", 32},   {"ZAR", 18},   {"PLN", 4},    {"CZK", 23},    {"RUB", 90},    {"KWD", 0.31}, {"BHD", 0.38},
      {"GBP", 0.79}, {"EUR", 0.92}, {"CHF", 0.88}};
  for (const auto& [c, rate] : kRates) {
    if (currency == c) return rate;
  }
  return 1;
}

// --- the entities of an account, by level and index ---

const char* const kObjectives[] = {"OUTCOME_TRAFFIC",   "OUTCOME_SALES", "OUTCOME_ENGAGEMENT",
                                   "OUTCOME_AWARENESS", "OUTCOME_LEADS", "OUTCOME_APP_PROMOTION"};
const char* const kGoals[] = {"LINK_CLICKS", "OFFSITE_CONVERSIONS", "POST_ENGAGEMENT",
                              "REACH",       "LEAD_GENERATION",     "APP_INSTALLS"};
const char* const kThemes[] = {"Spring sale",  "Brand awareness", "Retargeting", "New arrivals", "Holiday push",
                               "App installs", "Lead magnet",     "春季促销",    "新品上市",     "Summer drop"};
const char* const kAudiences[] = {"Broad 18-65",       "Lookalike 1%", "Retargeting 30d", "Interest: fitness",
                                  "Interest: cooking", "上海 25-40",   "Past buyers",     "Video viewers 50%"};

}  // namespace

std::int64_t day_of(TimePoint t) {
  auto s = unix_seconds(t);
  return s >= 0 ? s / kSecondsPerDay : (s - kSecondsPerDay + 1) / kSecondsPerDay;
}

TimePoint start_of(std::int64_t day) { return TimePoint{std::chrono::seconds{day * kSecondsPerDay}}; }

std::string format_day(std::int64_t day) {
  auto c = civil_from_days(day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.y), c.m, c.d);
  return buf;
}

// "YYYY-MM-DD" (a real date) to its day number.
std::optional<std::int64_t> parse_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  std::uint64_t y = 0, m = 0, d = 0;
  if (!parse_u64(s.substr(0, 4), y) || !parse_u64(s.substr(5, 2), m) || !parse_u64(s.substr(8, 2), d)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  auto day = days_from_civil(static_cast<std::int64_t>(y), static_cast<unsigned>(m), static_cast<unsigned>(d));
  auto back = civil_from_days(day);
  if (back.m != m || back.d != d) return std::nullopt;  // 2026-02-30 and the like
  return day;
}

std::int64_t first_of_month(std::int64_t day, int months_back) {
  auto c = civil_from_days(day);
  std::int64_t total = c.y * 12 + static_cast<std::int64_t>(c.m) - 1 - months_back;
  std::int64_t y = total >= 0 ? total / 12 : (total - 11) / 12;
  return days_from_civil(y, static_cast<unsigned>(total - y * 12 + 1), 1);
}

std::int64_t first_of_year(std::int64_t day) { return days_from_civil(civil_from_days(day).y, 1, 1); }

// ISO 4217 minor-unit exponent.
int currency_exponent(const std::string& currency) {
  static const char* kZero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
  static const char* kThree[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  for (const char* c : kZero) {
    if (currency == c) return 0;
  }
  for (const char* c : kThree) {
    if (currency == c) return 3;
  }
  return 2;
}

std::int64_t pow10(int e) {
  std::int64_t p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return p;
}

// Minor units as Graph writes an amount: "12.34", "12.3", "12" (no trailing zeros).
std::string decimal(std::int64_t minor, int exponent) {
  auto scale = pow10(exponent);
  std::string out = std::to_string(minor / scale);
  if (exponent == 0) return out;
  std::string frac = std::to_string(minor % scale);
  frac.insert(0, static_cast<std::size_t>(exponent) - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? out : out + "." + frac;
}

// A ratio as Graph writes ctr, cpc, cpm: up to six decimals.
std::string ratio(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

void Totals::add(const Totals& o) {
  impressions += o.impressions;
  clicks += o.clicks;
  spend_minor += o.spend_minor;
  purchases += o.purchases;
  revenue_minor += o.revenue_minor;
  likes += o.likes;
}

Totals ad_day(std::uint64_t ad_id, std::int64_t day, int exponent, double scale) {
  auto trait = [&](std::uint64_t salt) { return unit(hash3(ad_id, 0x5EEDULL, salt)); };
  auto noise = [&](std::uint64_t salt) { return unit(hash3(ad_id, static_cast<std::uint64_t>(day), salt)); };
  auto weekday = ((day % 7) + 11) % 7;  // 1970-01-01 was a Thursday: 0 = Sunday
  double weekend = weekday == 0 || weekday == 6 ? 0.85 : 1.0;
  Totals t;
  double size = 0.1 + 0.9 * trait(1);
  t.impressions =
      std::clamp<std::int64_t>(std::llround(200 + 19800 * size * (0.6 + 0.8 * noise(2)) * weekend), 200, 20000);
  double ctr = std::clamp((0.003 + 0.037 * trait(3)) * (0.85 + 0.3 * noise(4)), 0.003, 0.04);
  t.clicks = std::llround(static_cast<double>(t.impressions) * ctr);
  double cpm = std::clamp((2 + 13 * trait(5)) * (0.9 + 0.2 * noise(6)), 2.0, 15.0);
  auto minor = static_cast<double>(pow10(exponent));
  t.spend_minor = std::llround(static_cast<double>(t.impressions) / 1000.0 * cpm * scale * minor);
  double cvr = std::clamp((0.01 + 0.09 * trait(7)) * (0.8 + 0.4 * noise(8)), 0.01, 0.1);
  t.purchases = static_cast<std::int64_t>(std::floor(static_cast<double>(t.clicks) * cvr + noise(9)));
  if (t.purchases > 0) {
    t.revenue_minor = std::llround(static_cast<double>(t.purchases) * (20 + 60 * noise(10)) * scale * minor);
  }
  auto l = hash3(ad_id, static_cast<std::uint64_t>(day), 11);
  t.likes = l % 3 == 0 ? 0 : static_cast<std::int64_t>((l >> 8) % 4) + 1;
  return t;
}

// --- Catalog ---

Catalog::Catalog(const AdAccount& a)
    : a_(a),
      adsets_((a.ads + a.ads_per_adset - 1) / a.ads_per_adset),
      campaigns_((adsets_ + a.adsets_per_campaign - 1) / a.adsets_per_campaign),
      exponent_(currency_exponent(a.currency)),
      scale_(units_per_usd(a.currency)) {}

std::int64_t Catalog::count(int level) const {
  switch (level) {
    case kCampaignLevel:
      return campaigns_;
    case kAdSetLevel:
      return adsets_;
    case kAdLevel:
      return a_.ads;
    default:
      return 1;
  }
}

std::uint64_t Catalog::id(int level, std::int64_t index) const {
  return kObjectBase + static_cast<std::uint64_t>(level) * kLevelStride + a_.key * kKeyStride +
         static_cast<std::uint64_t>(index);
}

std::string Catalog::id_string(int level, std::int64_t index) const { return std::to_string(id(level, index)); }

std::int64_t Catalog::adset_of_ad(std::int64_t ad) const { return ad / a_.ads_per_adset; }

std::int64_t Catalog::campaign_of_adset(std::int64_t adset) const { return adset / a_.adsets_per_campaign; }

std::pair<std::int64_t, std::int64_t> Catalog::ads_of(int level, std::int64_t index) const {
  if (level == kAccountLevel) return {0, a_.ads};
  std::int64_t per = level == kAdLevel      ? 1
                     : level == kAdSetLevel ? a_.ads_per_adset
                                            : a_.ads_per_adset * a_.adsets_per_campaign;
  return {index * per, std::min(a_.ads, (index + 1) * per)};
}

std::uint64_t Catalog::trait(int level, std::int64_t index, std::uint64_t salt) const {
  return hash3(id(level, index), 0, salt);
}

bool Catalog::active(int level, std::int64_t index) const {
  return unit(trait(level, index, 1)) < (level == kCampaignLevel ? 0.8 : 0.85);
}

std::string Catalog::status(int level, std::int64_t index) const { return active(level, index) ? "ACTIVE" : "PAUSED"; }

std::string Catalog::effective_status(int level, std::int64_t index) const {
  std::int64_t adset = level == kAdLevel ? adset_of_ad(index) : index;
  std::int64_t campaign = level == kCampaignLevel ? index : campaign_of_adset(adset);
  if (level != kCampaignLevel && !active(kCampaignLevel, campaign)) return "CAMPAIGN_PAUSED";
  if (level == kAdLevel && !active(kAdSetLevel, adset)) return "ADSET_PAUSED";
  return status(level, index);
}

std::string Catalog::objective(std::int64_t campaign) const {
  return kObjectives[trait(kCampaignLevel, campaign, 2) % std::size(kObjectives)];
}

bool Catalog::campaign_budget(std::int64_t campaign) const { return trait(kCampaignLevel, campaign, 3) % 2 == 0; }

std::optional<std::string> Catalog::daily_budget(int level, std::int64_t index) const {
  double major = 0;
  if (level == kCampaignLevel && campaign_budget(index)) {
    major = 20 + 480 * unit(trait(level, index, 4));
  } else if (level == kAdSetLevel && !campaign_budget(campaign_of_adset(index))) {
    major = 5 + 95 * unit(trait(level, index, 4));
  } else {
    return std::nullopt;
  }
  auto whole = std::max<std::int64_t>(1, std::llround(major * scale_));
  return std::to_string(offset_one(a_.currency) ? whole : whole * 100);
}

std::string Catalog::object_type(std::int64_t ad) const {
  double u = unit(trait(kAdLevel, ad, 5));
  return u < 0.3 ? "VIDEO" : u < 0.65 ? "SHARE" : u < 0.9 ? "PHOTO" : "STATUS";
}

std::string Catalog::name(int level, std::int64_t index) const {
  switch (level) {
    case kCampaignLevel:
      return std::string(kThemes[trait(level, index, 6) % std::size(kThemes)]) + " " + std::to_string(index + 1);
    case kAdSetLevel:
      return "Ad set " + std::to_string(index + 1) + " - " + kAudiences[trait(level, index, 6) % std::size(kAudiences)];
    case kAdLevel: {
      auto type = object_type(index);
      std::string kind = type == "VIDEO" ? "Video" : type == "SHARE" ? "Link" : type == "PHOTO" ? "Photo" : "Post";
      return kind + " ad " + std::to_string(index + 1);
    }
    default:
      return a_.name;
  }
}

nlohmann::json Catalog::render(int level, std::int64_t index, const std::vector<FieldSpec>& fields) const {
  static const char* const kNodeTypes[] = {"AdAccount", "AdCampaignGroup", "AdCampaign", "Adgroup", "AdCreative"};
  nlohmann::json j = {{"id", id_string(level, index)}};
  std::int64_t adset = level == kAdLevel || level == kCreativeLevel ? adset_of_ad(index) : index;
  std::int64_t campaign = level == kCampaignLevel ? index : campaign_of_adset(adset);
  const std::string created = graph_time(start_of(a_.first_day) + std::chrono::hours(9));
  for (const auto& f : fields) {
    const auto& n = f.name;
    bool known = true;
    if (n == "id") {
    } else if (level == kCreativeLevel) {
      if (n == "object_type") {
        j[n] = object_type(index);
      } else if (n == "name") {
        j[n] = "Creative for " + name(kAdLevel, index);
      } else if (n == "title") {
        j[n] = name(kCampaignLevel, campaign);
      } else if (n == "body") {
        j[n] = "Herald sandbox: simulated ad copy";
      } else if (n == "status") {
        j[n] = "ACTIVE";
      } else {
        known = false;
      }
    } else if (n == "name") {
      j[n] = name(level, index);
    } else if (n == "status" || n == "configured_status") {
      j[n] = status(level, index);
    } else if (n == "effective_status") {
      j[n] = effective_status(level, index);
    } else if (n == "account_id") {
      j[n] = a_.account_id;
    } else if (n == "created_time" || n == "updated_time" || n == "start_time") {
      j[n] = created;
    } else if (n == "daily_budget" && level != kAdLevel) {
      if (auto b = daily_budget(level, index)) j[n] = *b;
    } else if (n == "objective" && level == kCampaignLevel) {
      j[n] = objective(index);
    } else if (n == "buying_type" && level == kCampaignLevel) {
      j[n] = "AUCTION";
    } else if (n == "special_ad_categories" && level == kCampaignLevel) {
      j[n] = nlohmann::json::array();
    } else if (n == "campaign_id" && level != kCampaignLevel) {
      j[n] = id_string(kCampaignLevel, campaign);
    } else if (n == "optimization_goal" && level == kAdSetLevel) {
      j[n] = kGoals[trait(kCampaignLevel, campaign, 2) % std::size(kGoals)];  // the goal of the objective
    } else if (n == "billing_event" && level == kAdSetLevel) {
      j[n] = "IMPRESSIONS";
    } else if (n == "bid_strategy" && level != kAdLevel) {
      j[n] = "LOWEST_COST_WITHOUT_CAP";
    } else if (n == "adset_id" && level == kAdLevel) {
      j[n] = id_string(kAdSetLevel, adset);
    } else if (n == "creative" && level == kAdLevel) {
      j[n] = render(kCreativeLevel, index, f.fields);  // without {...}: the id only, as Graph
    } else {
      known = false;
    }
    if (!known) {
      throw ParamError{"(#100) Tried accessing nonexisting field (" + n + ") on node type (" + kNodeTypes[level] + ")"};
    }
  }
  return j;
}

Totals Catalog::totals(int level, std::int64_t index, std::int64_t from, std::int64_t to) const {
  Totals t;
  auto [first, last] = ads_of(level, index);
  for (auto ad = first; ad < last; ++ad) {
    for (auto day = from; day <= to; ++day) t.add(ad_day(id(kAdLevel, ad), day, exponent_, scale_));
  }
  return t;
}

}  // namespace herald::sandbox::facebook_ads
