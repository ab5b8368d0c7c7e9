// Ads against real PostgreSQL, with a stand-in adapter (the real Facebook adapter against the real
// sandbox is tests/integration/ads_itest.cpp): a sync stores the hierarchy and one row per ad and
// day, and a second sync replaces the days it reads again instead of adding to them; a report sums
// first and computes KPIs from the sums, by every dimension, in one currency through the rate table;
// bad ranges, dimensions and currencies are refused; CSV; the A/B verdict; pacing and CPC alerts;
// only the brand's ads readers see anything.
#include "services/ads/ads.hpp"

#include <gtest/gtest.h>

#include <date/date.h>

#include "services/ads/ads_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/fake_transport.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/service_db.hpp"

namespace herald::ads {
namespace {

using herald::testing::kBrand;
using herald::testing::kOrg;
using herald::testing::principal;
using herald::testing::status_of;
using nlohmann::json;

const std::string kFacebook = "00000000-0000-4000-8000-0000000000d1";
const std::string kFacebook2 = "00000000-0000-4000-8000-0000000000d2";

class Directory final : public contracts::AccountDirectory {
 public:
  std::optional<contracts::AccountRef> account(const std::string& org, const std::string& id) override {
    if (org != kOrg || (id != kFacebook && id != kFacebook2)) return std::nullopt;
    contracts::AccountRef a;
    a.id = id;
    a.org_id = kOrg;
    a.brand_id = kBrand;
    a.platform = "facebook";
    a.status = "connected";
    return a;
  }
  std::optional<adapters::Credentials> credentials(const std::string& id) override {
    if (disconnected) return std::nullopt;
    return adapters::Credentials{"token-" + id, id, {}};
  }
  bool disconnected = false;
};

// Two campaigns; campaign c1 has ad set s1 with ads a1 (video) and a2; c2 has s2 with a3. Each ad
// delivers `scale` x its base numbers every day; spend in the account's currency.
class AdsAdapter final : public adapters::Adapter {
 public:
  AdsAdapter(std::string currency, std::int64_t scale) : Adapter(adapters::Endpoint{}), currency_(std::move(currency)), scale_(scale) {
    caps_.has_ads = true;
  }
  const adapters::Capabilities& capabilities() const override { return caps_; }
  std::string authorize_url(const adapters::AuthorizeRequest&) const override { return ""; }
  adapters::Result<adapters::TokenSet> exchange_code(adapters::Transport&, const std::string&, const std::string&,
                                                     const std::string&) override {
    return adapters::unsupported("connect");
  }
  adapters::Result<adapters::AccountProfile> fetch_profile(adapters::Transport&, const adapters::Credentials&) override {
    return adapters::unsupported("profile");
  }
  adapters::Result<adapters::PublishedPost> publish(adapters::Transport&, const adapters::Credentials&,
                                                    const adapters::PostContent&) override {
    return adapters::unsupported("publish");
  }
  adapters::Result<std::vector<adapters::AdEntity>> fetch_ad_entities(adapters::Transport&, const adapters::Credentials&,
                                                                      const std::string& id) override {
    using L = adapters::AdEntity::Level;
    return std::vector<adapters::AdEntity>{
        {L::kAccount, id, "", "Herald ads", "ACTIVE", "", "", std::nullopt, currency_},
        {L::kCampaign, "c1", id, "Kettle launch", "ACTIVE", "OUTCOME_SALES", "", 10000, currency_},
        {L::kCampaign, "c2", id, "Brand video", "ACTIVE", "OUTCOME_AWARENESS", "", std::nullopt, currency_},
        {L::kAdSet, "s1", "c1", "Shanghai 25-34", "ACTIVE", "", "", std::nullopt, currency_},
        {L::kAdSet, "s2", "c2", "All China", "ACTIVE", "", "", 5000, currency_},
        {L::kAd, "a1", "s1", "Video A", "ACTIVE", "", "video", std::nullopt, currency_},
        {L::kAd, "a2", "s1", "Photo B", "ACTIVE", "", "in_feed", std::nullopt, currency_},
        {L::kAd, "a3", "s2", "Brand film", "ACTIVE", "", "video", std::nullopt, currency_}};
  }
  adapters::Result<std::vector<adapters::AdInsight>> fetch_ad_insights(adapters::Transport&, const adapters::Credentials&,
                                                                       const std::string&, const std::string& from,
                                                                       const std::string& to) override {
    ranges.emplace_back(from, to);
    std::vector<adapters::AdInsight> out;
    auto day = [](const std::string& s) { return date::sys_days{date::year_month_day{date::year{std::stoi(s.substr(0, 4))}, date::month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))}, date::day{static_cast<unsigned>(std::stoi(s.substr(8, 2)))}}}; };
    for (auto d = day(from); d <= day(to); d += date::days{1}) {
      auto text = date::format("%F", d);
      // a1: 1000 impressions, 10 clicks (CTR 1%); a2: 100 impressions, 10 clicks (10%); a3: 10000, 50 clicks.
      out.push_back({text, "a1", 1000 * scale_, 10 * scale_, 1 * scale_, 2 * scale_, 500 * scale_, 4000 * scale_, currency_});
      out.push_back({text, "a2", 100 * scale_, 10 * scale_, 2 * scale_, 0, 500 * scale_, 8000 * scale_, currency_});
      out.push_back({text, "a3", 10000 * scale_, 50 * scale_, 0, 5 * scale_, spike_day == text ? 50000 : 2000 * scale_, 0, currency_});
    }
    return out;
  }
  std::vector<std::pair<std::string, std::string>> ranges;
  std::string spike_day;

 private:
  adapters::Capabilities caps_;
  std::string currency_;
  std::int64_t scale_;
};

class AdsPg : public ::testing::Test {
 protected:
  AdsPg() : db_(AdsModule::schema()) {}

  json connect(const std::string& account, const std::string& external, int days = 10) {
    return ads_.connect(manager_, account, external, days);
  }
  ReportQuery query(std::vector<std::string> ids, std::string group_by) {
    ReportQuery q;
    q.ad_account_ids = std::move(ids);
    q.from = "2026-11-21";
    q.to = "2026-11-30";
    q.group_by = std::move(group_by);
    return q;
  }

  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;
  Directory directory_;
  herald::testing::FakeTransport transport_;
  herald::testing::ManualClock clock_{core::Clock::time_point{std::chrono::seconds{1'796'040'000}}};  // 2026-11-30T12:00Z
  AdsAdapter usd_{"USD", 1};
  std::map<std::string, AdsAdapter*> by_token_;
  AdsAdapter* current_ = &usd_;
  Ads ads_{db_.pool(), identity_, directory_,
           [this](const std::string& platform) -> std::unique_ptr<adapters::Adapter> {
             if (platform != "facebook") return nullptr;
             // A forwarding adapter, so the test keeps the one that records calls.
             struct Forward final : adapters::Adapter {
               explicit Forward(AdsAdapter& a) : Adapter(adapters::Endpoint{}), inner(a) {}
               const adapters::Capabilities& capabilities() const override { return inner.capabilities(); }
               std::string authorize_url(const adapters::AuthorizeRequest& r) const override { return inner.authorize_url(r); }
               adapters::Result<adapters::TokenSet> exchange_code(adapters::Transport& t, const std::string& a, const std::string& b, const std::string& c) override { return inner.exchange_code(t, a, b, c); }
               adapters::Result<adapters::AccountProfile> fetch_profile(adapters::Transport& t, const adapters::Credentials& c) override { return inner.fetch_profile(t, c); }
               adapters::Result<adapters::PublishedPost> publish(adapters::Transport& t, const adapters::Credentials& c, const adapters::PostContent& p) override { return inner.publish(t, c, p); }
               adapters::Result<std::vector<adapters::AdEntity>> fetch_ad_entities(adapters::Transport& t, const adapters::Credentials& c, const std::string& id) override { return inner.fetch_ad_entities(t, c, id); }
               adapters::Result<std::vector<adapters::AdInsight>> fetch_ad_insights(adapters::Transport& t, const adapters::Credentials& c, const std::string& id, const std::string& f, const std::string& to) override { return inner.fetch_ad_insights(t, c, id, f, to); }
               AdsAdapter& inner;
             };
             return std::make_unique<Forward>(*current_);
           },
           transport_, clock_, AdsOptions{400, 9, 4, 3}};  // 9 rows per fetch (3 ads: 3 days), 4 per INSERT
  iam::Principal manager_ = principal("1", "social_media_manager");
  iam::Principal analyst_ = principal("2", "data_analyst");
  iam::Principal planner_ = principal("3", "content_planner");  // no ads permission
};

TEST_F(AdsPg, ASyncStoresTheHierarchyAndOneRowPerAdAndDayAndASecondSyncReplacesDays) {
  auto a = connect(kFacebook, "act_100");
  EXPECT_EQ(a["status"], "syncing");
  std::string id = a["id"];
  auto r = ads_.sync(id);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.entities, 7u);
  EXPECT_EQ(r.rows, 30u);  // 3 ads x 10 days
  EXPECT_EQ(r.days, 10);
  EXPECT_EQ(usd_.ranges.size(), 4u);  // 3-day windows: 3 + 3 + 3 + 1
  EXPECT_EQ(usd_.ranges.front().first, "2026-11-21");
  EXPECT_EQ(usd_.ranges.back().second, "2026-11-30");
  auto got = ads_.get(analyst_, id);
  EXPECT_EQ(got["status"], "ok");
  EXPECT_EQ(got["name"], "Herald ads");
  EXPECT_EQ(got["currency"], "USD");
  EXPECT_EQ(got["synced_through"], "2026-11-30");
  EXPECT_EQ(got["entities"]["ads"], 3);
  EXPECT_EQ(got["progress"]["rows"], 30);

  // The next day: only the late days and today are read again, and nothing is counted twice.
  usd_.ranges.clear();
  clock_.advance(std::chrono::hours(24));
  r = ads_.sync(id);
  ASSERT_EQ(r.error, "");
  ASSERT_FALSE(usd_.ranges.empty());
  EXPECT_EQ(usd_.ranges.front().first, "2026-11-28");
  auto total = ads_.report(analyst_, query({id}, "total"));
  EXPECT_EQ(total["total"]["totals"]["impressions"], 11100 * 10);  // still ten days in the range
  // The totals come from the campaign roll-up, the by-ad rows from the insights: they agree.
  auto by_ad = ads_.report(analyst_, query({id}, "ad"));
  EXPECT_EQ(by_ad["total"]["totals"], total["total"]["totals"]);
  auto by_week = ads_.report(analyst_, query({id}, "week"));
  EXPECT_EQ(by_week["total"]["totals"], total["total"]["totals"]);
}

TEST_F(AdsPg, KpisComeFromSumsByEveryDimension) {
  std::string id = connect(kFacebook, "act_100")["id"];
  ASSERT_EQ(ads_.sync(id).error, "");
  auto by_ad = ads_.report(analyst_, query({id}, "ad"));
  ASSERT_EQ(by_ad["rows"].size(), 3u);
  EXPECT_EQ(by_ad["rows"][0]["key"], "a1");
  EXPECT_EQ(by_ad["rows"][0]["name"], "Video A");
  EXPECT_DOUBLE_EQ(by_ad["rows"][0]["kpis"]["ctr"].get<double>(), 0.01);
  EXPECT_DOUBLE_EQ(by_ad["rows"][1]["kpis"]["ctr"].get<double>(), 0.1);
  // Campaign c1 = a1 + a2: 110 clicks... of 1100 impressions a day: CTR 20/1100, not the mean (1% + 10%) / 2.
  auto by_campaign = ads_.report(analyst_, query({id}, "campaign"));
  ASSERT_EQ(by_campaign["rows"].size(), 2u);
  EXPECT_EQ(by_campaign["rows"][0]["name"], "Kettle launch");
  EXPECT_DOUBLE_EQ(by_campaign["rows"][0]["kpis"]["ctr"].get<double>(), 20.0 / 1100.0);
  EXPECT_DOUBLE_EQ(by_campaign["rows"][0]["kpis"]["cpc_minor"].get<double>(), 1000.0 / 20.0);
  EXPECT_DOUBLE_EQ(by_campaign["rows"][0]["kpis"]["roas"].get<double>(), 12000.0 / 1000.0);
  EXPECT_TRUE(by_campaign["rows"][1]["kpis"]["cvr"].get<double>() == 0.0);
  EXPECT_TRUE(by_campaign["rows"][1]["kpis"]["cpa_minor"].is_null());  // no conversions: no CPA, not 0
  auto by_type = ads_.report(analyst_, query({id}, "ad_type"));
  ASSERT_EQ(by_type["rows"].size(), 2u);
  EXPECT_EQ(by_type["rows"][1]["key"], "video");
  EXPECT_EQ(by_type["rows"][1]["totals"]["impressions"], 11000 * 10);
  auto by_day = ads_.report(analyst_, query({id}, "day"));
  EXPECT_EQ(by_day["rows"].size(), 10u);
  EXPECT_EQ(by_day["rows"][0]["key"], "2026-11-21");
  auto one = query({id}, "adset");
  one.ad_campaign = "c2";
  EXPECT_EQ(ads_.report(analyst_, one)["rows"].size(), 1u);
  EXPECT_FALSE(by_day["formulas"]["ctr"].get<std::string>().empty());
}

TEST_F(AdsPg, AccountsInTwoCurrenciesReportInOneThroughTheRateTable) {
  std::string usd = connect(kFacebook, "act_100")["id"];
  ASSERT_EQ(ads_.sync(usd).error, "");
  AdsAdapter jpy{"JPY", 1};
  current_ = &jpy;
  std::string yen = connect(kFacebook2, "act_200")["id"];
  ASSERT_EQ(ads_.sync(yen).error, "");
  json extra;
  EXPECT_EQ(status_of([&] { ads_.report(analyst_, query({usd, yen}, "total")); }, &extra), 422);
  EXPECT_EQ(extra["field"], "currency");
  auto in_usd = query({usd, yen}, "total");
  in_usd.currency = "USD";
  EXPECT_EQ(status_of([&] { ads_.report(analyst_, in_usd); }, &extra), 422);  // no rate yet
  EXPECT_EQ(status_of([&] { ads_.set_rates(analyst_, {{"rates", {{{"base", "USD"}, {"quote", "JPY"}, {"rate", 150}}}}}); }), 403);
  EXPECT_EQ(status_of([&] { ads_.set_rates(manager_, {{"rates", {{{"base", "USD"}, {"quote", "JPY"}, {"rate", -1}}}}}); }), 403);
  auto admin = manager_;
  admin.is_admin = true;
  EXPECT_EQ(status_of([&] { ads_.set_rates(admin, {{"rates", {{{"base", "USD"}, {"quote", "JPY"}, {"rate", -1}}}}}); }, &extra), 422);
  ads_.set_rates(admin, {{"rates", {{{"base", "USD"}, {"quote", "JPY"}, {"rate", 150}}}}});
  auto r = ads_.report(analyst_, in_usd);
  // USD spend 3000 cents/day; JPY spend 3000 yen/day = 20 USD = 2000 cents/day (the inverse rate).
  EXPECT_EQ(r["total"]["totals"]["spend_minor"], (3000 + 2000) * 10);
  EXPECT_EQ(r["currency"], "USD");
  auto in_yen = in_usd;
  in_yen.currency = "JPY";
  EXPECT_EQ(ads_.report(analyst_, in_yen)["total"]["totals"]["spend_minor"], (3000 * 150 / 100 + 3000) * 10);
}

TEST_F(AdsPg, BadReportsAreRefusedNamingTheField) {
  std::string id = connect(kFacebook, "act_100")["id"];
  auto field = [&](ReportQuery q) {
    json extra;
    EXPECT_EQ(status_of([&] { ads_.report(analyst_, q); }, &extra), 422);
    return extra.value("field", "");
  };
  auto q = query({id}, "total");
  q.to.reset();
  EXPECT_EQ(field(q), "to");  // unbounded
  q = query({id}, "total");
  q.from = "2026-12-01";
  EXPECT_EQ(field(q), "to");  // reversed
  q = query({id}, "total");
  q.from = "2024-01-01";
  EXPECT_EQ(field(q), "to");  // longer than 400 days
  EXPECT_EQ(field(query({id}, "gender")), "group_by");
  q = query({id}, "total");
  q.currency = "EURO";
  EXPECT_EQ(field(q), "currency");
  EXPECT_EQ(status_of([&] { ads_.report(planner_, query({id}, "total")); }), 404);
  EXPECT_EQ(status_of([&] { connect(kFacebook, "act_100"); }), 409);
  EXPECT_EQ(status_of([&] { ads_.connect(manager_, kFacebook, "act_1; drop", 10); }), 422);
  EXPECT_EQ(status_of([&] { ads_.connect(analyst_, kFacebook, "act_300", 10); }), 403);
}

TEST_F(AdsPg, CsvAbTestAndAlerts) {
  std::string id = connect(kFacebook, "act_100", 30)["id"];
  usd_.spike_day = "2026-11-30";
  ASSERT_EQ(ads_.sync(id).error, "");
  auto csv = ads_.report_csv(analyst_, query({id}, "campaign"));
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "campaign,name,impressions,clicks,conversions,follows,spend,revenue,currency,ctr,cpc,cpm,cvr,cpa,roas,roi,follow_rate");
  EXPECT_NE(csv.find("\r\nc1,Kettle launch,11000,200,30,20,100.00,1200.00,USD,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\ntotal,,"), std::string::npos);

  auto ab = ads_.ab_test(analyst_, id, "a1", "a2", "ctr", "2026-11-21", "2026-11-30");
  EXPECT_EQ(ab["significant"], true);
  EXPECT_EQ(ab["winner"], "a2");
  EXPECT_NE(ab["verdict"].get<std::string>().find("B"), std::string::npos);
  EXPECT_EQ(status_of([&] { ads_.ab_test(analyst_, id, "a1", "zz", "ctr", "2026-11-21", "2026-11-30"); }), 422);
  EXPECT_EQ(status_of([&] { ads_.ab_test(analyst_, id, "a1", "a2", "roas", "2026-11-21", "2026-11-30"); }), 422);

  // c2's CPC jumps from 0.40 to 10.00 on the 30th; its spend (2,000 a day of a 5,000 budget) is behind, not ahead.
  auto alerts = ads_.alerts(analyst_, id, std::nullopt)["alerts"];
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts[0]["kind"], "cpc_spike");
  EXPECT_EQ(alerts[0]["ad_campaign"], "c2");
  EXPECT_TRUE(ads_.alerts(analyst_, id, std::string("2026-11-29"))["alerts"].empty());

  // Ten times the delivery: c2 spends 20,000 a day against its ad sets' 5,000, c1 10,000 against 10,000.
  AdsAdapter big{"USD", 10};
  current_ = &big;
  std::string heavy = connect(kFacebook2, "act_200", 30)["id"];
  ASSERT_EQ(ads_.sync(heavy).error, "");
  auto over = ads_.alerts(analyst_, heavy, std::string("2026-11-15"))["alerts"];
  ASSERT_EQ(over.size(), 1u) << over.dump();
  EXPECT_EQ(over[0]["kind"], "spend_ahead_of_pace");
  EXPECT_EQ(over[0]["ad_campaign"], "c2");
  EXPECT_EQ(over[0]["spent_minor"], 20000 * 15);
  EXPECT_EQ(over[0]["expected_minor"], 5000 * 15);
}

TEST_F(AdsPg, ADisconnectedAccountRecordsTheErrorAndKeepsWhatItHad) {
  std::string id = connect(kFacebook, "act_100")["id"];
  ASSERT_EQ(ads_.sync(id).error, "");
  directory_.disconnected = true;
  auto r = ads_.sync(id);
  EXPECT_NE(r.error.find("disconnected"), std::string::npos);
  auto a = ads_.get(analyst_, id);
  EXPECT_EQ(a["status"], "error");
  EXPECT_EQ(a["synced_through"], "2026-11-30");
  EXPECT_EQ(ads_.report(analyst_, query({id}, "total"))["total"]["totals"]["clicks"], 70 * 10);
}

}  // namespace
}  // namespace herald::ads
