#include "services/ads/domain/pacing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace herald::ads::domain {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A 30-day flight, days 100..129, with a budget of 300.00.
constexpr int kStart = 100;
constexpr int kEnd = 129;
constexpr std::int64_t kBudget = 30'000;

TEST(Pace, ComparesSpendWithAStraightLine) {
  // Day 109 is the 10th day: a third of the flight, so 100.00 should be spent.
  auto on = pace(kBudget, kStart, kEnd, 109, 10'000);
  EXPECT_EQ(on.expected_minor, 10'000);
  EXPECT_DOUBLE_EQ(on.ratio, 1.0);
  EXPECT_EQ(on.status, "on_track");

  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 11'490).status, "on_track");  // ratio 1.149
  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 11'510).status, "ahead");     // ratio 1.151
  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 8'510).status, "on_track");   // ratio 0.851
  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 8'490).status, "behind");     // ratio 0.849
  EXPECT_DOUBLE_EQ(pace(kBudget, kStart, kEnd, 109, 5'000).ratio, 0.5);
  EXPECT_DOUBLE_EQ(pace(kBudget, kStart, kEnd, 109, 0).ratio, 0.0);
  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 0).status, "behind");
}

TEST(Pace, TheToleranceIsAParameter) {
  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 10'600, 0.05).status, "ahead");
  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 10'400, 0.05).status, "on_track");
  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 10'001, 0.0).status, "ahead");
  EXPECT_EQ(pace(kBudget, kStart, kEnd, 109, 10'000, 0.0).status, "on_track");
}

TEST(Pace, CountsTodayAsElapsed) {
  auto first = pace(kBudget, kStart, kEnd, kStart, 1'000);  // day 1 of 30
  EXPECT_EQ(first.expected_minor, 1'000);
  EXPECT_EQ(first.status, "on_track");
  auto last = pace(kBudget, kStart, kEnd, kEnd, 29'000);  // the last day: the whole budget is expected
  EXPECT_EQ(last.expected_minor, kBudget);
  EXPECT_EQ(last.status, "on_track");
  auto one_day = pace(500, 7, 7, 7, 500);
  EXPECT_EQ(one_day.expected_minor, 500);
  EXPECT_DOUBLE_EQ(one_day.ratio, 1.0);
}

TEST(Pace, RoundsTheExpectationHalfToEvenButNotTheRatio) {
  EXPECT_EQ(pace(100, 0, 2, 0, 0).expected_minor, 33);  // 33.33
  EXPECT_EQ(pace(100, 0, 2, 1, 0).expected_minor, 67);  // 66.67
  EXPECT_EQ(pace(1, 0, 1, 0, 0).expected_minor, 0);     // 0.5 -> 0
  EXPECT_EQ(pace(3, 0, 1, 0, 0).expected_minor, 2);     // 1.5 -> 2
  EXPECT_DOUBLE_EQ(pace(100, 0, 2, 0, 33).ratio, 0.99);  // 33 / 33.33, not 33 / 33
  const auto max = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(pace(max, 0, 2, 1, 0).expected_minor, 6'148'914'691'236'517'205);  // 2/3 of 9223372036854775807
}

TEST(Pace, BeforeAndAfterTheFlight) {
  auto before = pace(kBudget, kStart, kEnd, kStart - 1, 0);
  EXPECT_EQ(before.status, "not_started");
  EXPECT_EQ(before.expected_minor, 0);
  EXPECT_DOUBLE_EQ(before.ratio, 0);
  auto after = pace(kBudget, kStart, kEnd, kEnd + 1, 27'000);
  EXPECT_EQ(after.status, "ended");
  EXPECT_EQ(after.expected_minor, kBudget);
  EXPECT_DOUBLE_EQ(after.ratio, 0.9);
}

TEST(Pace, AZeroBudget) {
  auto idle = pace(0, kStart, kEnd, 110, 0);
  EXPECT_EQ(idle.status, "on_track");
  EXPECT_DOUBLE_EQ(idle.ratio, 0);
  EXPECT_TRUE(std::isfinite(pace(0, kStart, kEnd, 110, 5).ratio));
  EXPECT_EQ(pace(0, kStart, kEnd, 110, 5).status, "ahead");
}

TEST(Pace, RefusesNonsense) {
  EXPECT_THROW(pace(-1, kStart, kEnd, 110, 0), std::invalid_argument);
  EXPECT_THROW(pace(kBudget, kStart, kEnd, 110, -1), std::invalid_argument);
  EXPECT_THROW(pace(kBudget, kEnd, kStart, 110, 0), std::invalid_argument);
  EXPECT_THROW(pace(kBudget, kStart, kEnd, 110, 0, -0.1), std::invalid_argument);
  EXPECT_THROW(pace(kBudget, kStart, kEnd, 110, 0, 1.0), std::invalid_argument);
  EXPECT_THROW(pace(kBudget, kStart, kEnd, 110, 0, std::nan("")), std::invalid_argument);
}

// Daily CPCs 100, 110, 90, 100, 105, 95, 100: mean 100; squared deviations 0+100+100+0+25+25+0 = 250;
// sample variance 250 / 6; stddev 6.455.
const std::vector<std::pair<std::int64_t, std::int64_t>> kSteady = {
    {1'000, 10}, {1'100, 10}, {900, 10}, {1'000, 10}, {2'100, 20}, {950, 10}, {500, 5},
};

TEST(CpcSpike, ComputesMeanAndSampleStddevOfDailyCpcs) {
  auto s = cpc_spike(kSteady, {1'000, 10});
  EXPECT_DOUBLE_EQ(s.mean, 100.0);
  EXPECT_NEAR(s.stddev, std::sqrt(250.0 / 6.0), 1e-12);
  EXPECT_DOUBLE_EQ(s.today, 100.0);
  EXPECT_FALSE(s.spike);
  EXPECT_TRUE(contains(s.reason, "within the usual range")) << s.reason;
}

TEST(CpcSpike, FlagsACpcFarAboveTheTrailingDays) {
  auto s = cpc_spike(kSteady, {3'000, 10});
  EXPECT_TRUE(s.spike);
  EXPECT_DOUBLE_EQ(s.today, 300.0);
  EXPECT_TRUE(contains(s.reason, "today's CPC 300.00 vs a mean of 100.00 (stddev 6.45) over 7 days")) << s.reason;
  EXPECT_TRUE(contains(s.reason, "mean + 3 x stddev = 119.36")) << s.reason;
  EXPECT_TRUE(contains(s.reason, "and above mean + 50% = 150.00")) << s.reason;
}

TEST(CpcSpike, NeedsBothConditions) {
  // 140 is beyond mean + 3 sd (119.36) but only 40% above the mean.
  auto modest = cpc_spike(kSteady, {1'400, 10});
  EXPECT_FALSE(modest.spike);
  EXPECT_TRUE(contains(modest.reason, "but not above mean + 50% = 150.00")) << modest.reason;
  EXPECT_TRUE(cpc_spike(kSteady, {1'250, 10}, 3.0, 0.2).spike);  // 125 > 119.36 and > 120
  EXPECT_FALSE(cpc_spike(kSteady, {1'190, 10}, 3.0, 0.1).spike);  // 119 > 110 but within 119.36

  // A noisy history: CPCs 50/150 alternate, mean 100, stddev sqrt(6 * 2500 / 5) = 54.77, band 264.3.
  std::vector<std::pair<std::int64_t, std::int64_t>> noisy = {{500, 10}, {1'500, 10}, {500, 10},
                                                              {1'500, 10}, {500, 10}, {1'500, 10}};
  auto s = cpc_spike(noisy, {2'000, 10});
  EXPECT_NEAR(s.stddev, std::sqrt(3'000.0), 1e-9);
  EXPECT_FALSE(s.spike);  // 200 is 100% above the mean, but ordinary for this campaign
  EXPECT_TRUE(contains(s.reason, "but within mean + 3 x stddev")) << s.reason;
  EXPECT_TRUE(cpc_spike(noisy, {2'700, 10}).spike);
}

TEST(CpcSpike, AFlatHistoryHasZeroStddev) {
  std::vector<std::pair<std::int64_t, std::int64_t>> flat(5, {1'000, 10});
  EXPECT_DOUBLE_EQ(cpc_spike(flat, {1'510, 10}).stddev, 0.0);
  EXPECT_TRUE(cpc_spike(flat, {1'510, 10}).spike);   // 151 > 150
  EXPECT_FALSE(cpc_spike(flat, {1'500, 10}).spike);  // exactly 50% above is not more than 50%
}

TEST(CpcSpike, NeedsFiveDaysWithClicks) {
  std::vector<std::pair<std::int64_t, std::int64_t>> history = {{1'000, 10}, {300, 0}, {1'000, 10}, {0, 0},
                                                                {1'000, 10}, {700, 0}, {1'000, 10}};
  auto s = cpc_spike(history, {9'000, 10});
  EXPECT_FALSE(s.spike);
  EXPECT_DOUBLE_EQ(s.mean, 100.0) << "days without clicks have no CPC and are skipped";
  EXPECT_TRUE(contains(s.reason, "not enough history: 4 previous days with clicks, 5 needed")) << s.reason;
  history.emplace_back(1'000, 10);
  EXPECT_TRUE(cpc_spike(history, {9'000, 10}).spike);
  EXPECT_FALSE(cpc_spike({}, {9'000, 10}).spike);
}

TEST(CpcSpike, NoClicksTodayIsNotASpike) {
  auto s = cpc_spike(kSteady, {5'000, 0});
  EXPECT_FALSE(s.spike);
  EXPECT_DOUBLE_EQ(s.today, 0);
  EXPECT_DOUBLE_EQ(s.mean, 100.0);
  EXPECT_TRUE(contains(s.reason, "no clicks today")) << s.reason;
}

TEST(CpcSpike, RefusesNonsense) {
  EXPECT_THROW(cpc_spike(kSteady, {-1, 10}), std::invalid_argument);
  EXPECT_THROW(cpc_spike(kSteady, {100, -1}), std::invalid_argument);
  EXPECT_THROW(cpc_spike({{100, -2}}, {100, 1}), std::invalid_argument);
  EXPECT_THROW(cpc_spike(kSteady, {100, 1}, -1), std::invalid_argument);
  EXPECT_THROW(cpc_spike(kSteady, {100, 1}, 3, -0.5), std::invalid_argument);
  EXPECT_THROW(cpc_spike(kSteady, {100, 1}, std::numeric_limits<double>::infinity()), std::invalid_argument);
}

}  // namespace
}  // namespace herald::ads::domain
