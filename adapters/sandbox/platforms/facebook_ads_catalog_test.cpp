// The generated Marketing API data (facebook_ads_catalog.hpp) without a socket: calendar days, Graph's amount
// formats, the magnitudes and determinism of what an ad delivers, and the hierarchy of a catalog.
#include "adapters/sandbox/platforms/facebook_ads_catalog.hpp"

#include <gtest/gtest.h>

#include <set>

namespace herald::sandbox::facebook_ads {
namespace {

TEST(FacebookAdsCatalog, DaysRoundTripAndRefuseWhatIsNotADate) {
  for (std::int64_t d = -800; d < 25000; d += 37) EXPECT_EQ(parse_day(format_day(d)), d) << d;
  EXPECT_EQ(format_day(0), "1970-01-01");
  EXPECT_EQ(day_of(TimePoint{std::chrono::seconds{1800000000}}), *parse_day("2027-01-15"));
  EXPECT_EQ(day_of(TimePoint{std::chrono::seconds{-1}}), -1);  // the day before the epoch, not day 0
  EXPECT_EQ(*parse_day("2024-02-29") + 1, *parse_day("2024-03-01"));
  for (const char* bad : {"2026-02-29", "2024-02-30", "2026-13-01", "2026-00-10", "2026-1-01", "2026/01/01",
                          "abcd-ef-gh", "", "2026-01-011"}) {
    EXPECT_FALSE(parse_day(bad)) << bad;
  }
  auto today = *parse_day("2027-01-15");
  EXPECT_EQ(format_day(first_of_month(today, 0)), "2027-01-01");
  EXPECT_EQ(format_day(first_of_month(today, 1)), "2026-12-01");
  EXPECT_EQ(format_day(first_of_month(today, 37)), "2023-12-01");
  EXPECT_EQ(format_day(first_of_month(today, -1)), "2027-02-01");
  EXPECT_EQ(format_day(first_of_year(today)), "2027-01-01");
}

TEST(FacebookAdsCatalog, AmountsAreWrittenAsGraphWritesThem) {
  EXPECT_EQ(currency_exponent("USD"), 2);
  EXPECT_EQ(currency_exponent("JPY"), 0);
  EXPECT_EQ(currency_exponent("KWD"), 3);
  EXPECT_EQ(decimal(1234, 2), "12.34");
  EXPECT_EQ(decimal(1230, 2), "12.3");
  EXPECT_EQ(decimal(1200, 2), "12");
  EXPECT_EQ(decimal(5, 2), "0.05");
  EXPECT_EQ(decimal(1005, 3), "1.005");
  EXPECT_EQ(decimal(7, 0), "7");
  EXPECT_EQ(ratio(1.5), "1.5");
  EXPECT_EQ(ratio(2), "2");
  EXPECT_EQ(ratio(1.0 / 3), "0.333333");
}

TEST(FacebookAdsCatalog, WhatAnAdDeliversIsPlausibleAndTheSameEveryTime) {
  std::int64_t min_imp = 1 << 30, max_imp = 0, likes = 0;
  for (std::uint64_t ad = 1000; ad < 1400; ++ad) {
    for (std::int64_t day = 20000; day < 20030; ++day) {
      auto t = ad_day(ad, day, 2, 1);
      ASSERT_GE(t.impressions, 200);
      ASSERT_LE(t.impressions, 20000);
      auto imp = static_cast<double>(t.impressions);
      EXPECT_GE(static_cast<double>(t.clicks), imp * 0.003 - 0.5);
      EXPECT_LE(static_cast<double>(t.clicks), imp * 0.04 + 0.5);
      double cpm = static_cast<double>(t.spend_minor) / 100 / imp * 1000;
      EXPECT_GE(cpm, 2 - 0.01 * 1000 / imp);  // a cent of rounding
      EXPECT_LE(cpm, 15 + 0.01 * 1000 / imp);
      EXPECT_LE(t.purchases, t.clicks / 10 + 1);
      if (t.purchases > 0) {
        double each = static_cast<double>(t.revenue_minor) / 100 / static_cast<double>(t.purchases);
        EXPECT_GE(each, 20 - 0.01);
        EXPECT_LE(each, 80 + 0.01);
      } else {
        EXPECT_EQ(t.revenue_minor, 0);
      }
      EXPECT_GE(t.likes, 0);
      EXPECT_LE(t.likes, 4);
      likes += t.likes;
      min_imp = std::min(min_imp, t.impressions);
      max_imp = std::max(max_imp, t.impressions);
      auto again = ad_day(ad, day, 2, 1);
      ASSERT_EQ(again.impressions, t.impressions);
      ASSERT_EQ(again.spend_minor, t.spend_minor);
      ASSERT_EQ(again.purchases, t.purchases);
    }
  }
  EXPECT_LT(min_imp, 2000);  // ads and days differ: small and large ones both occur
  EXPECT_GT(max_imp, 15000);
  EXPECT_GT(likes, 0);
  // The same delivery in yen (no minor unit, about 150 to the dollar) spends yen-sized amounts.
  auto usd = ad_day(4242, 20100, 2, 1);
  auto jpy = ad_day(4242, 20100, 0, 150);
  EXPECT_EQ(jpy.impressions, usd.impressions);
  EXPECT_NEAR(static_cast<double>(jpy.spend_minor), static_cast<double>(usd.spend_minor) * 1.5, 1.0);
}

TEST(FacebookAdsCatalog, EntitiesFormAHierarchy) {
  AdAccount a;
  a.account_id = "260000000000009";
  a.name = "Test";
  a.currency = "USD";
  a.key = 50000009;
  a.ads = 23;
  a.ads_per_adset = 5;
  a.adsets_per_campaign = 2;
  a.first_day = 20000;
  Catalog cat(a);
  ASSERT_EQ(cat.count(kAdSetLevel), 5);  // 5 + 5 + 5 + 5 + 3
  ASSERT_EQ(cat.count(kCampaignLevel), 3);
  EXPECT_EQ(cat.count(kAccountLevel), 1);
  // Ad sets share the ads out without gaps or overlaps, and each ad names its own ad set.
  std::int64_t next = 0;
  for (std::int64_t s = 0; s < cat.count(kAdSetLevel); ++s) {
    auto [first, last] = cat.ads_of(kAdSetLevel, s);
    EXPECT_EQ(first, next);
    EXPECT_GT(last, first);
    for (auto ad = first; ad < last; ++ad) EXPECT_EQ(cat.adset_of_ad(ad), s);
    next = last;
  }
  EXPECT_EQ(next, 23);
  EXPECT_EQ(cat.ads_of(kCampaignLevel, 2), std::make_pair(std::int64_t{20}, std::int64_t{23}));
  std::set<std::uint64_t> ids;
  for (int level : {kCampaignLevel, kAdSetLevel, kAdLevel}) {
    for (std::int64_t i = 0; i < cat.count(level); ++i) {
      EXPECT_TRUE(ids.insert(cat.id(level, i)).second);
      if (i > 0) {
        EXPECT_LT(cat.id(level, i - 1), cat.id(level, i));  // index order is id order
      }
    }
  }
  for (std::int64_t ad = 0; ad < a.ads; ++ad) {
    auto s = cat.adset_of_ad(ad);
    auto c = cat.campaign_of_adset(s);
    if (cat.status(kCampaignLevel, c) == "PAUSED") {
      EXPECT_EQ(cat.effective_status(kAdLevel, ad), "CAMPAIGN_PAUSED");
    } else if (cat.status(kAdSetLevel, s) == "PAUSED") {
      EXPECT_EQ(cat.effective_status(kAdLevel, ad), "ADSET_PAUSED");
    } else {
      EXPECT_EQ(cat.effective_status(kAdLevel, ad), cat.status(kAdLevel, ad));
    }
  }
  for (std::int64_t s = 0; s < cat.count(kAdSetLevel); ++s) {
    EXPECT_NE(cat.daily_budget(kAdSetLevel, s).has_value(),
              cat.daily_budget(kCampaignLevel, cat.campaign_of_adset(s)).has_value());
  }
  EXPECT_FALSE(cat.daily_budget(kAdLevel, 0));
  // An account's totals are the sum of its ad sets', which are the sums of their ads'.
  auto account = cat.totals(kAccountLevel, 0, 20000, 20006);
  std::int64_t impressions = 0, spend = 0;
  for (std::int64_t s = 0; s < cat.count(kAdSetLevel); ++s) {
    auto t = cat.totals(kAdSetLevel, s, 20000, 20006);
    impressions += t.impressions;
    spend += t.spend_minor;
  }
  EXPECT_EQ(account.impressions, impressions);
  EXPECT_EQ(account.spend_minor, spend);
  EXPECT_EQ(cat.totals(kAdLevel, 3, 20000, 20000).impressions, ad_day(cat.id(kAdLevel, 3), 20000, 2, 1).impressions);

  auto ad = cat.render(kAdLevel, 7, parse_fields("id,name,adset_id,creative{object_type}"));
  EXPECT_EQ(ad["adset_id"], cat.id_string(kAdSetLevel, 1));
  EXPECT_EQ(ad["creative"]["object_type"], cat.object_type(7));
  EXPECT_TRUE(ad["creative"].contains("id"));
  EXPECT_THROW((void)cat.render(kAdLevel, 7, parse_fields("id,objective")), ParamError);  // a campaign field
  EXPECT_THROW((void)cat.render(kCampaignLevel, 0, parse_fields("id,adset_id")), ParamError);
}

}  // namespace
}  // namespace herald::sandbox::facebook_ads
