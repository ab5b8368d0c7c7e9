#pragma once
// Ads (F6, issue #7): ad accounts read through the platforms' ads APIs (the adapters' fetch_ad_entities
// and fetch_ad_insights), with the connected account's token from the accounts service; daily insights
// per ad stored once per (ad, day) (a day read again replaces itself); reports with KPIs computed from
// sums (domain/kpi.hpp) by day, week, month, campaign, ad set, ad or ad type, in one currency (the rate
// table converts); CSV export; A/B comparison of two ads; pacing and CPC-spike alerts.
//
// Blocking (call from the blocking pool). Per brand: ads.read to see, ads.manage to connect and change.
// Refusals are core::http::HttpError: 403, 404, 409, 422 naming the field.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "herald/adapters/adapter.hpp"
#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/util/clock.hpp"

namespace herald::ads {

using AdapterFor = std::function<std::unique_ptr<adapters::Adapter>(const std::string& platform)>;

struct AdsOptions {
  int max_range_days = 400;           // a report's widest range
  std::size_t rows_per_fetch = 150'000;  // insight rows asked of the platform at once (ads x days)
  std::size_t batch_rows = 10'000;    // rows per INSERT
  int late_days = 3;                  // platforms revise recent days: each sync reads them again
};

struct ReportQuery {
  std::vector<std::string> ad_account_ids;  // empty: every ad account of brand_id
  std::optional<std::string> brand_id;
  std::optional<std::string> from, to;      // YYYY-MM-DD, inclusive; both required
  std::string group_by = "total";           // day | week | month | campaign | adset | ad | ad_type | total
  std::optional<std::string> ad_campaign;   // one ad campaign (platform id)
  std::optional<std::string> campaign_id;   // the ad campaigns attributed to a Herald campaign
  std::optional<std::string> currency;      // report money in this currency (the rate table converts)
};

struct SyncResult {
  int days = 0;
  std::size_t entities = 0, rows = 0;
  std::string error;  // "" when it worked
};

class Ads {
 public:
  Ads(core::pg::Pool& pg, iam::Identity& identity, contracts::AccountDirectory& directory, AdapterFor adapters,
      adapters::Transport& transport, const core::Clock& clock, AdsOptions options = {});

  nlohmann::json connect(const iam::Principal& p, const std::string& account_id, const std::string& external_id,
                         int backfill_days);
  nlohmann::json list(const iam::Principal& p, const std::optional<std::string>& brand_id);
  nlohmann::json get(const iam::Principal& p, const std::string& id);
  nlohmann::json entities(const iam::Principal& p, const std::string& id, const std::optional<std::string>& level,
                          const std::optional<std::string>& ad_campaign, const std::string& after, int limit);
  // Attributes an ad campaign to a Herald campaign (campaign_id nullopt: to none).
  nlohmann::json attribute(const iam::Principal& p, const std::string& id, const std::string& ad_campaign,
                           const std::optional<std::string>& campaign_id);
  // Reads the platform now (ads.manage), as the background sync does.
  SyncResult sync_now(const iam::Principal& p, const std::string& id);

  nlohmann::json report(const iam::Principal& p, const ReportQuery& q);
  std::string report_csv(const iam::Principal& p, const ReportQuery& q);
  // Two ads of one ad account over [from, to]: metric ctr (clicks of impressions), cvr (conversions of
  // clicks) or follow_rate (follows of impressions).
  nlohmann::json ab_test(const iam::Principal& p, const std::string& id, const std::string& ad_a,
                         const std::string& ad_b, const std::string& metric, const std::string& from,
                         const std::string& to);
  // Per ad campaign: month-to-date pacing against its daily budget, and a CPC spike on `day` against the
  // 14 days before it.
  nlohmann::json alerts(const iam::Principal& p, const std::string& id, const std::optional<std::string>& day);

  nlohmann::json rates(const iam::Principal& p);
  nlohmann::json set_rates(const iam::Principal& p, const nlohmann::json& rates);

  // --- background (no caller: the system) ---
  SyncResult sync(const std::string& id);
  // Syncs the ad accounts not synced within `age`. Returns how many it synced.
  int sync_due(std::chrono::seconds age);

 private:
  struct Account {
    nlohmann::json json;
    std::string brand_id, account_id, platform, external_id, currency;
    int backfill_days = 30;
    std::optional<std::string> synced_through;
  };
  std::optional<Account> load(pqxx::work& tx, const std::string& id, const std::optional<std::string>& org);
  Account visible(const iam::Principal& p, const std::string& id, std::string_view permission);
  nlohmann::json run_report(const iam::Principal& p, const ReportQuery& q);
  [[nodiscard]] int today() const;

  core::pg::Pool& pg_;
  iam::Identity& identity_;
  contracts::AccountDirectory& directory_;
  AdapterFor adapters_;
  adapters::Transport& transport_;
  const core::Clock& clock_;
  AdsOptions options_;
};

}  // namespace herald::ads
