#include "services/ads/ads.hpp"

#include <date/date.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "services/ads/domain/abtest.hpp"
#include "services/ads/domain/kpi.hpp"
#include "services/ads/domain/pacing.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/pg/arrays.hpp"
#include "services/core/util/currency.hpp"
#include "services/core/util/day.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::ads {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;
using core::pg::number_array;
using core::pg::text_array;

namespace {

const std::vector<std::string>& dimensions() {
  static const std::vector<std::string> v{"total", "day", "week", "month", "campaign", "adset", "ad", "ad_type"};
  return v;
}

const char* level_name(adapters::AdEntity::Level l) {
  switch (l) {
    case adapters::AdEntity::Level::kCampaign: return "campaign";
    case adapters::AdEntity::Level::kAdSet: return "adset";
    case adapters::AdEntity::Level::kAd: return "ad";
    case adapters::AdEntity::Level::kAccount: break;
  }
  return "account";
}

json kpis_json(const domain::Totals& t) {
  auto k = domain::compute_kpis(t);
  auto o = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"ctr", o(k.ctr)},   {"cpc_minor", o(k.cpc_minor)}, {"cpm_minor", o(k.cpm_minor)}, {"cvr", o(k.cvr)},
          {"cpa_minor", o(k.cpa_minor)}, {"roas", o(k.roas)}, {"roi", o(k.roi)}, {"follow_rate", o(k.follow_rate)}};
}

json totals_json(const domain::Totals& t) {
  return {{"impressions", t.impressions}, {"clicks", t.clicks},           {"conversions", t.conversions},
          {"follows", t.follows},         {"spend_minor", t.spend_minor}, {"revenue_minor", t.revenue_minor}};
}

std::string csv_field(const std::string& s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string::npos || (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@'));
  if (!quote) return s;
  std::string out = "\"";
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) out += '\'';  // no formulas in a spreadsheet
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ratio_text(const json& v, int digits) {
  if (v.is_null()) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v.get<double>());
  return buf;
}

}  // namespace

Ads::Ads(core::pg::Pool& pg, iam::Identity& identity, contracts::AccountDirectory& directory, AdapterFor adapters,
         adapters::Transport& transport, const core::Clock& clock, AdsOptions options)
    : pg_(pg),
      identity_(identity),
      directory_(directory),
      adapters_(std::move(adapters)),
      transport_(transport),
      clock_(clock),
      options_(options) {}

int Ads::today() const {
  return static_cast<int>(std::chrono::floor<date::days>(clock_.now()).time_since_epoch().count());
}

std::optional<Ads::Account> Ads::load(pqxx::work& tx, const std::string& id, const std::optional<std::string>& org) {
  if (!core::is_uuid(id)) return std::nullopt;
  auto rows = tx.exec_prepared("ad_account_get", id, org);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  Account a{json::parse(r[0].as<std::string>()), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
            r[4].as<std::string>(), r[5].as<std::string>(), r[6].as<int>(), std::nullopt};
  if (!r[7].is_null()) a.synced_through = r[7].as<std::string>();
  return a;
}

Ads::Account Ads::visible(const iam::Principal& p, const std::string& id, std::string_view permission) {
  auto a = pg_.transact([&](pqxx::work& tx) { return load(tx, id, p.org_id); });
  if (!a || !p.can(perm::kAdsRead, a->brand_id)) http::not_found("no such ad account");
  iam::require_permission(p, permission, a->brand_id);
  return *a;
}

json Ads::connect(const iam::Principal& p, const std::string& account_id, const std::string& external_id,
                  int backfill_days) {
  if (!core::is_uuid(account_id)) http::invalid_field("account_id", "must be a connected account's id (UUID)");
  auto account = directory_.account(p.org_id, account_id);
  if (!account) http::invalid_field("account_id", "names no account of your organization");
  iam::require_permission(p, perm::kAdsManage, account->brand_id);
  auto adapter = adapters_(account->platform);
  if (!adapter || !adapter->capabilities().has_ads) {
    http::invalid_field("account_id", "Herald reads no ads API of " + account->platform + " (Facebook and Instagram ad accounts are read through Meta's Marketing API)");
  }
  if (external_id.empty() || external_id.size() > 64 ||
      external_id.find_first_not_of("act_0123456789") != std::string::npos) {
    http::invalid_field("external_id", "must be the platform's ad account id, for example act_1234567890");
  }
  if (backfill_days < 1 || backfill_days > 400) http::invalid_field("backfill_days", "must be from 1 to 400");
  return pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("ad_account_insert", p.org_id, account->brand_id, account_id, account->platform,
                                 external_id, backfill_days, p.user_id);
    if (rows.empty()) http::conflict("this ad account is connected already");
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"ads.connect", "ad_account", rows[0][1].as<std::string>(), account->brand_id,
                            {{"external_id", external_id}, {"account_id", account_id}}});
    return json::parse(rows[0][0].as<std::string>());
  });
}

json Ads::list(const iam::Principal& p, const std::optional<std::string>& brand_id) {
  if (brand_id && !core::is_uuid(*brand_id)) http::invalid_field("brand_id", "must be a UUID");
  std::optional<std::string> readable;
  if (!p.is_admin) {
    std::vector<std::string> ids;
    for (const auto& m : p.memberships) {
      if (p.can(perm::kAdsRead, m.brand_id) && core::is_uuid(m.brand_id)) ids.push_back(m.brand_id);
    }
    readable = text_array(ids);
  }
  return pg_.transact([&](pqxx::work& tx) {
    json items = json::array();
    for (const auto& r : tx.exec_prepared("ad_accounts_list", p.org_id, readable, brand_id)) {
      items.push_back(json::parse(r[0].as<std::string>()));
    }
    return json{{"items", items}};
  });
}

json Ads::get(const iam::Principal& p, const std::string& id) { return visible(p, id, perm::kAdsRead).json; }

json Ads::entities(const iam::Principal& p, const std::string& id, const std::optional<std::string>& level,
                   const std::optional<std::string>& ad_campaign, const std::string& after, int limit) {
  visible(p, id, perm::kAdsRead);
  if (level && *level != "campaign" && *level != "adset" && *level != "ad") {
    http::invalid_field("level", "must be campaign, adset or ad");
  }
  return pg_.transact([&](pqxx::work& tx) {
    json items = json::array();
    json next = nullptr;
    auto rows = tx.exec_prepared("ad_entities_list", id, level, ad_campaign, after, limit + 1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto e = json::parse(rows[i][0].as<std::string>());
      if (static_cast<int>(i) == limit) {
        next = items.back()["id"];
        break;
      }
      items.push_back(std::move(e));
    }
    return json{{"items", items}, {"next_cursor", next}};
  });
}

json Ads::attribute(const iam::Principal& p, const std::string& id, const std::string& ad_campaign,
                    const std::optional<std::string>& campaign_id) {
  auto a = visible(p, id, perm::kAdsManage);
  if (campaign_id && !core::is_uuid(*campaign_id)) http::invalid_field("campaign_id", "must be a campaign id (UUID) or null");
  pg_.transact([&](pqxx::work& tx) {
    if (tx.exec_prepared("ad_entity_link", id, ad_campaign, campaign_id).empty()) {
      http::not_found("no ad campaign " + ad_campaign + " in this ad account");
    }
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"ads.attribute", "ad_account", id, a.brand_id,
                            {{"ad_campaign", ad_campaign}, {"campaign_id", campaign_id ? json(*campaign_id) : json(nullptr)}}});
  });
  return {{"ad_campaign", ad_campaign}, {"campaign_id", campaign_id ? json(*campaign_id) : json(nullptr)}};
}

SyncResult Ads::sync_now(const iam::Principal& p, const std::string& id) {
  visible(p, id, perm::kAdsManage);
  return sync(id);
}

SyncResult Ads::sync(const std::string& id) {
  SyncResult out;
  auto a = pg_.transact([&](pqxx::work& tx) { return load(tx, id, std::nullopt); });
  if (!a) return {0, 0, 0, "no such ad account"};
  auto fail = [&](const std::string& error) {
    out.error = error;
    pg_.transact([&](pqxx::work& tx) {
      tx.exec_prepared("ad_account_synced", id, "", "", "error", std::optional<std::string>(), error,
                       json{{"rows", out.rows}, {"error", error}}.dump());
    });
    return out;
  };
  auto adapter = adapters_(a->platform);
  if (!adapter) return fail("no adapter for " + a->platform);
  auto creds = directory_.credentials(a->account_id);
  if (!creds) return fail("the account is disconnected: reconnect it to read its ads");

  auto entities = adapter->fetch_ad_entities(transport_, *creds, a->external_id);
  if (!entities) return fail("reading the ad entities failed: " + entities.error().message);
  std::string name, currency = a->currency;
  std::map<std::string, std::string> adset_campaign;
  for (const auto& e : *entities) {
    if (e.level == adapters::AdEntity::Level::kAccount) {
      name = e.name;
      if (!e.currency.empty()) currency = e.currency;
    }
    if (e.level == adapters::AdEntity::Level::kAdSet) adset_campaign[e.id] = e.parent_id;
  }
  struct Hier {
    std::string adset, campaign, type;
  };
  std::map<std::string, Hier> ads;
  {
    std::vector<std::string> ids, levels, parents, campaigns, names, statuses, objectives, types;
    std::vector<std::optional<std::int64_t>> budgets;
    for (const auto& e : *entities) {
      if (e.level == adapters::AdEntity::Level::kAccount) continue;
      std::string campaign = e.level == adapters::AdEntity::Level::kCampaign ? e.id
                             : e.level == adapters::AdEntity::Level::kAdSet  ? e.parent_id
                                                                             : adset_campaign[e.parent_id];
      if (e.level == adapters::AdEntity::Level::kAd) ads[e.id] = {e.parent_id, campaign, e.ad_type};
      ids.push_back(e.id);
      levels.emplace_back(level_name(e.level));
      parents.push_back(e.level == adapters::AdEntity::Level::kCampaign ? "" : e.parent_id);
      campaigns.push_back(campaign);
      names.push_back(e.name);
      statuses.push_back(e.status);
      objectives.push_back(e.objective);
      types.push_back(e.ad_type);
      budgets.push_back(e.daily_budget_minor);
    }
    pg_.transact([&](pqxx::work& tx) {
      tx.exec_prepared("ad_entities_upsert", id, text_array(ids), text_array(levels), text_array(parents),
                       text_array(campaigns), text_array(names), text_array(statuses), text_array(objectives),
                       text_array(types), number_array(budgets));
    });
    out.entities = ids.size();
  }

  const int last = today();
  int first = a->synced_through ? *core::parse_day(*a->synced_through) - options_.late_days + 1 : last - a->backfill_days + 1;
  first = std::max(first, last - a->backfill_days + 1);
  const int total_days = last - first + 1;
  const int chunk = static_cast<int>(std::max<std::size_t>(1, options_.rows_per_fetch / std::max<std::size_t>(1, ads.size())));
  for (int from = first; from <= last; from += chunk) {
    int to = std::min(last, from + chunk - 1);
    auto rows = adapter->fetch_ad_insights(transport_, *creds, a->external_id, core::format_day(from), core::format_day(to));
    if (!rows) return fail("reading insights for " + core::format_day(from) + ".." + core::format_day(to) + " failed: " + rows.error().message);
    for (std::size_t start = 0; start < rows->size(); start += options_.batch_rows) {
      auto end = std::min(rows->size(), start + options_.batch_rows);
      std::vector<std::string> ad_ids, days, campaigns, adsets, types;
      std::vector<std::int64_t> impressions, clicks, conversions, follows, spend, revenue;
      for (std::size_t i = start; i < end; ++i) {
        const auto& r = (*rows)[i];
        if (!r.currency.empty() && !currency.empty() && r.currency != currency) {
          return fail("the platform reported " + r.currency + " for an ad account in " + currency);
        }
        auto h = ads.find(r.entity_id);
        ad_ids.push_back(r.entity_id);
        days.push_back(r.date);
        campaigns.push_back(h != ads.end() ? h->second.campaign : "");
        adsets.push_back(h != ads.end() ? h->second.adset : "");
        types.push_back(h != ads.end() ? h->second.type : "");
        impressions.push_back(r.impressions);
        clicks.push_back(r.clicks);
        conversions.push_back(r.conversions);
        follows.push_back(r.follows);
        spend.push_back(r.spend_minor);
        revenue.push_back(r.revenue_minor);
      }
      pg_.transact([&](pqxx::work& tx) {
        tx.exec_prepared("ad_insights_upsert", id, text_array(ad_ids), text_array(days), text_array(campaigns),
                         text_array(adsets), text_array(types), number_array(impressions), number_array(clicks),
                         number_array(conversions), number_array(follows), number_array(spend), number_array(revenue));
      });
      out.rows += end - start;
    }
    out.days = to - first + 1;
    pg_.transact([&](pqxx::work& tx) {
      tx.exec_prepared("ad_rollup_refresh", id, core::format_day(from), core::format_day(to));
      tx.exec_prepared("ad_account_progress", id,
                       json{{"days_done", out.days}, {"days_total", total_days}, {"rows", out.rows}}.dump(),
                       std::optional<std::string>(core::format_day(to)));
    });
  }
  pg_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("ad_account_synced", id, name, currency, "ok", std::optional<std::string>(core::format_day(last)), "",
                     json{{"days_done", out.days}, {"days_total", total_days}, {"rows", out.rows}}.dump());
  });
  return out;
}

int Ads::sync_due(std::chrono::seconds age) {
  std::vector<std::string> ids;
  pg_.transact([&](pqxx::work& tx) {
    for (const auto& r : tx.exec_prepared("ad_accounts_due", static_cast<double>(age.count()))) ids.push_back(r[0].as<std::string>());
  });
  for (const auto& id : ids) sync(id);
  return static_cast<int>(ids.size());
}

json Ads::run_report(const iam::Principal& p, const ReportQuery& q) {
  if (std::find(dimensions().begin(), dimensions().end(), q.group_by) == dimensions().end()) {
    http::invalid_field("group_by", "must be one of total, day, week, month, campaign, adset, ad, ad_type");
  }
  if (!q.from || !q.to) http::invalid_field(q.from ? "to" : "from", "is required: reports cover a bounded range of days");
  auto from = core::parse_day(*q.from), to = core::parse_day(*q.to);
  if (!from) http::invalid_field("from", "must be a date YYYY-MM-DD");
  if (!to) http::invalid_field("to", "must be a date YYYY-MM-DD");
  if (*to < *from) http::invalid_field("to", "is before from: the range is reversed");
  if (*to - *from + 1 > options_.max_range_days) {
    http::invalid_field("to", "the range is longer than " + std::to_string(options_.max_range_days) + " days");
  }
  if (q.currency && !core::minor_digits(*q.currency)) http::invalid_field("currency", "is not an ISO 4217 currency code");
  if (q.campaign_id && !core::is_uuid(*q.campaign_id)) http::invalid_field("campaign_id", "must be a UUID");

  std::vector<Account> accounts;
  if (q.ad_account_ids.empty()) {
    if (!q.brand_id || !core::is_uuid(*q.brand_id)) http::invalid_field("brand_id", "name a brand or ad accounts (ad_account_id)");
    iam::require_permission(p, perm::kAdsRead, *q.brand_id);
    for (const auto& a : list(p, q.brand_id)["items"]) accounts.push_back(visible(p, a["id"], perm::kAdsRead));
  } else {
    for (const auto& id : q.ad_account_ids) accounts.push_back(visible(p, id, perm::kAdsRead));
  }
  std::set<std::string> currencies;
  for (const auto& a : accounts) {
    if (!a.currency.empty()) currencies.insert(a.currency);
  }
  std::string currency = q.currency ? *q.currency : (currencies.size() == 1 ? *currencies.begin() : "");
  if (currency.empty() && currencies.size() > 1) {
    std::string list;
    for (const auto& c : currencies) list += (list.empty() ? "" : ", ") + c;
    http::invalid_field("currency", "these ad accounts spend in " + list + ": choose one currency to report in");
  }
  core::RateTable rates;
  std::map<std::string, std::string> account_currency;
  std::vector<std::string> ids;
  for (const auto& a : accounts) {
    ids.push_back(a.json["id"]);
    account_currency[a.json["id"]] = a.currency;
  }
  struct Row {
    domain::Totals t;
  };
  std::map<std::string, domain::Totals> by_key;
  domain::Totals total;
  std::map<std::string, std::string> names;
  pg_.transact([&](pqxx::work& tx) {
    for (const auto& r : tx.exec_prepared("fx_rates_list", p.org_id)) {
      rates.set(r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<double>());
    }
    if (ids.empty()) return;
    // Day, week, month, campaign and total read the campaign roll-up; the finer ones the insights.
    const bool rollup = q.group_by == "total" || q.group_by == "day" || q.group_by == "week" ||
                        q.group_by == "month" || q.group_by == "campaign";
    auto rows = tx.exec_prepared(rollup ? "ad_report_rollup" : "ad_report", text_array(ids), *q.from, *q.to, q.group_by,
                                 q.ad_campaign, q.campaign_id);
    for (const auto& r : rows) {
      domain::Totals t{r[2].as<std::int64_t>(), r[3].as<std::int64_t>(), r[4].as<std::int64_t>(),
                       r[5].as<std::int64_t>(), r[6].as<std::int64_t>(), r[7].as<std::int64_t>()};
      const auto& from_currency = account_currency[r[1].as<std::string>()];
      if (!from_currency.empty() && from_currency != currency) {
        auto spend = rates.convert_minor(t.spend_minor, from_currency, currency);
        auto revenue = rates.convert_minor(t.revenue_minor, from_currency, currency);
        if (!spend || !revenue) {
          http::invalid_field("currency", "no exchange rate from " + from_currency + " to " + currency +
                                              " in the rate table (PUT /api/v1/ads/fx-rates)");
        }
        t.spend_minor = *spend;
        t.revenue_minor = *revenue;
      }
      by_key[r[0].as<std::string>()] += t;
      total += t;
    }
    if (q.group_by == "campaign" || q.group_by == "adset" || q.group_by == "ad") {
      std::vector<std::string> keys;
      for (const auto& [k, _] : by_key) keys.push_back(k);
      for (const auto& r : tx.exec_prepared("ad_entity_names", text_array(ids), text_array(keys))) {
        names[r[0].as<std::string>()] = r[1].as<std::string>();
      }
    }
  });
  json rows = json::array();
  for (const auto& [key, t] : by_key) {
    json row = {{"key", key}, {"totals", totals_json(t)}, {"kpis", kpis_json(t)}};
    if (auto n = names.find(key); n != names.end()) row["name"] = n->second;
    rows.push_back(row);
  }
  json formulas = json::object();
  for (const auto& [k, f] : domain::kpi_formulas()) formulas[k] = f;
  return {{"from", *q.from},    {"to", *q.to},         {"group_by", q.group_by},        {"currency", currency},
          {"rows", rows},       {"total", {{"totals", totals_json(total)}, {"kpis", kpis_json(total)}}},
          {"formulas", formulas}, {"ad_accounts", ids}};
}

json Ads::report(const iam::Principal& p, const ReportQuery& q) { return run_report(p, q); }

std::string Ads::report_csv(const iam::Principal& p, const ReportQuery& q) {
  auto r = run_report(p, q);
  const std::string currency = r["currency"];
  std::ostringstream out;
  out << q.group_by << ",name,impressions,clicks,conversions,follows,spend,revenue,currency,ctr,cpc,cpm,cvr,cpa,roas,roi,"
                       "follow_rate\r\n";
  // An ad account not synced yet has no currency: its (zero) amounts are written in minor units.
  auto amount = [&](std::int64_t minor) { return currency.empty() ? std::to_string(minor) : core::format_minor(minor, currency); };
  auto money = [&](const json& v) { return v.is_null() ? std::string() : amount(static_cast<std::int64_t>(std::llround(v.get<double>()))); };
  auto line = [&](const std::string& key, const std::string& name, const json& row) {
    const auto& t = row["totals"];
    const auto& k = row["kpis"];
    out << csv_field(key) << ',' << csv_field(name) << ',' << t["impressions"] << ',' << t["clicks"] << ','
        << t["conversions"] << ',' << t["follows"] << ',' << amount(t["spend_minor"]) << ','
        << amount(t["revenue_minor"]) << ',' << currency << ',' << ratio_text(k["ctr"], 6) << ','
        << money(k["cpc_minor"]) << ',' << money(k["cpm_minor"]) << ',' << ratio_text(k["cvr"], 6) << ','
        << money(k["cpa_minor"]) << ',' << ratio_text(k["roas"], 4) << ',' << ratio_text(k["roi"], 4) << ','
        << ratio_text(k["follow_rate"], 6) << "\r\n";
  };
  for (const auto& row : r["rows"]) line(row["key"], row.value("name", ""), row);
  if (q.group_by != "total") line("total", "", r["total"]);
  return out.str();
}

json Ads::ab_test(const iam::Principal& p, const std::string& id, const std::string& ad_a, const std::string& ad_b,
                  const std::string& metric, const std::string& from, const std::string& to) {
  if (metric != "ctr" && metric != "cvr" && metric != "follow_rate") http::invalid_field("metric", "must be ctr, cvr or follow_rate");
  if (ad_a == ad_b) http::invalid_field("b", "must be another ad than a");
  ReportQuery q;
  q.ad_account_ids = {id};
  q.from = from;
  q.to = to;
  q.group_by = "ad";
  auto r = run_report(p, q);
  std::map<std::string, json> by_ad;
  for (const auto& row : r["rows"]) by_ad[row["key"]] = row["totals"];
  for (const auto& [field, ad] : {std::pair{"a", ad_a}, std::pair{"b", ad_b}}) {
    if (!by_ad.contains(ad)) http::invalid_field(field, "ad " + ad + " has no insights in this ad account over " + from + ".." + to);
  }
  auto arm = [&](const std::string& label, const json& t) {
    if (metric == "ctr") return domain::Arm{label, t["impressions"], t["clicks"]};
    if (metric == "cvr") return domain::Arm{label, t["clicks"], t["conversions"]};
    return domain::Arm{label, t["impressions"], t["follows"]};
  };
  const char* metric_name = metric == "ctr" ? "CTR" : metric == "cvr" ? "conversion rate" : "follow rate";
  auto res = domain::compare(arm("A", by_ad[ad_a]), arm("B", by_ad[ad_b]), metric_name);
  return {{"metric", metric},
          {"a", {{"ad", ad_a}, {"totals", by_ad[ad_a]}, {"rate", res.rate_a}}},
          {"b", {{"ad", ad_b}, {"totals", by_ad[ad_b]}, {"rate", res.rate_b}}},
          {"lift", res.lift ? json(*res.lift) : json(nullptr)},
          {"z", res.z},
          {"p_value", res.p_value},
          {"enough_data", res.enough_data},
          {"significant", res.significant},
          {"winner", res.winner.empty() ? json(nullptr) : json(res.winner == "A" ? ad_a : ad_b)},
          {"verdict", res.verdict},
          {"test", "two-sided two-proportion z-test, pooled variance, alpha 0.05"}};
}

json Ads::alerts(const iam::Principal& p, const std::string& id, const std::optional<std::string>& day) {
  auto a = visible(p, id, perm::kAdsRead);
  int d = today();
  if (day) {
    auto n = core::parse_day(*day);
    if (!n) http::invalid_field("day", "must be a date YYYY-MM-DD");
    d = *n;
  }
  date::year_month_day ymd{date::sys_days{date::days{d}}};
  int month_start = static_cast<int>(date::sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch().count());
  int month_end = static_cast<int>(date::sys_days{ymd.year() / ymd.month() / date::last}.time_since_epoch().count());
  json out = json::array();
  pg_.transact([&](pqxx::work& tx) {
    for (const auto& c : tx.exec_prepared("ad_campaign_budgets", id)) {
      std::string ext = c[0].as<std::string>(), name = c[1].as<std::string>();
      std::int64_t daily = c[2].is_null() ? c[3].as<std::int64_t>() : c[2].as<std::int64_t>();
      std::vector<std::pair<std::int64_t, std::int64_t>> previous;
      std::pair<std::int64_t, std::int64_t> today_pair{0, 0};
      std::int64_t month_spend = 0;
      for (const auto& r : tx.exec_prepared("ad_daily_series", id, core::format_day(std::min(d - 14, month_start)), core::format_day(d),
                                            std::optional<std::string>(ext))) {
        int n = *core::parse_day(r[0].as<std::string>());
        std::pair<std::int64_t, std::int64_t> v{r[1].as<std::int64_t>(), r[2].as<std::int64_t>()};
        if (n >= month_start) month_spend += v.first;
        if (n == d) {
          today_pair = v;
        } else if (n >= d - 14) {
          previous.push_back(v);
        }
      }
      if (daily > 0) {
        auto pace = domain::pace(daily * (month_end - month_start + 1), month_start, month_end, d, month_spend);
        if (pace.status == "ahead") {
          out.push_back({{"kind", "spend_ahead_of_pace"}, {"severity", pace.ratio > 1.5 ? "high" : "medium"},
                         {"ad_campaign", ext}, {"name", name}, {"expected_minor", pace.expected_minor},
                         {"spent_minor", month_spend}, {"ratio", pace.ratio}, {"currency", a.currency},
                         {"message", name + " has spent " + core::format_minor(month_spend, a.currency) + " " + a.currency +
                                         " this month, " + std::to_string(static_cast<int>(std::lround(pace.ratio * 100))) +
                                         "% of the " + core::format_minor(pace.expected_minor, a.currency) +
                                         " its daily budget allows by " + core::format_day(d)}});
        }
      }
      auto spike = domain::cpc_spike(previous, today_pair);
      if (spike.spike) {
        out.push_back({{"kind", "cpc_spike"}, {"severity", "high"}, {"ad_campaign", ext}, {"name", name},
                       {"cpc_minor", spike.today}, {"mean_minor", spike.mean}, {"stddev_minor", spike.stddev},
                       {"currency", a.currency}, {"message", name + ": " + spike.reason}});
      }
    }
  });
  return {{"day", core::format_day(d)}, {"alerts", out}};
}

json Ads::rates(const iam::Principal& p) {
  return pg_.transact([&](pqxx::work& tx) {
    json items = json::array();
    for (const auto& r : tx.exec_prepared("fx_rates_list", p.org_id)) {
      items.push_back({{"base", r[0].as<std::string>()}, {"quote", r[1].as<std::string>()}, {"rate", r[2].as<double>()},
                       {"updated_at", r[3].as<std::string>()}});
    }
    return json{{"items", items}};
  });
}

json Ads::set_rates(const iam::Principal& p, const json& body) {
  iam::require_admin(p);
  if (!body.is_object() || !body.contains("rates") || !body["rates"].is_array() || body["rates"].empty() ||
      body["rates"].size() > 500) {
    http::invalid_field("rates", "must be a list of 1 to 500 {base, quote, rate}");
  }
  std::vector<std::tuple<std::string, std::string, double>> rows;
  core::RateTable check;
  for (std::size_t i = 0; i < body["rates"].size(); ++i) {
    const auto& r = body["rates"][i];
    std::string f = "rates[" + std::to_string(i) + "]";
    if (!r.is_object() || !r.contains("base") || !r["base"].is_string() || !r.contains("quote") || !r["quote"].is_string() ||
        !r.contains("rate") || !r["rate"].is_number()) {
      http::invalid_field(f, "must be {base, quote, rate}");
    }
    try {
      check.set(r["base"], r["quote"], r["rate"]);
    } catch (const std::invalid_argument& e) {
      http::invalid_field(f, e.what());
    }
    rows.emplace_back(r["base"], r["quote"], r["rate"]);
  }
  pg_.transact([&](pqxx::work& tx) {
    for (const auto& [b, q, rate] : rows) tx.exec_prepared("fx_rate_upsert", p.org_id, b, q, rate);
    identity_.append_audit(tx, iam::Actor::of(p), {"ads.fx_rates", "fx_rates", p.org_id, "", {{"count", rows.size()}}});
  });
  return rates(p);
}

}  // namespace herald::ads
