#include "services/ads/domain/abtest.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace herald::ads::domain {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(Compare, MatchesTheTwoProportionZTestByHand) {
  // a = 200/10000 = 2.0%, b = 260/10000 = 2.6%. Pooled p = 460/20000 = 0.023;
  // se = sqrt(0.023 * 0.977 * (1/10000 + 1/10000)) = 0.0021199; z = 0.006 / 0.0021199 = 2.8303;
  // two-sided p = erfc(2.8303 / sqrt 2) = 0.00465.
  auto r = compare({"A", 10'000, 200}, {"B", 10'000, 260}, "CTR");
  EXPECT_DOUBLE_EQ(r.rate_a, 0.02);
  EXPECT_DOUBLE_EQ(r.rate_b, 0.026);
  ASSERT_TRUE(r.lift);
  EXPECT_NEAR(*r.lift, 0.30, 1e-12);
  EXPECT_NEAR(r.z, 2.8303, 1e-4);
  EXPECT_NEAR(r.p_value, 0.00465, 1e-5);
  EXPECT_TRUE(r.enough_data);
  EXPECT_TRUE(r.significant);
  EXPECT_EQ(r.winner, "B");
  EXPECT_TRUE(contains(r.verdict, "B has a higher CTR than A: 2.6% vs 2.0% (+30%).")) << r.verdict;
  EXPECT_TRUE(contains(r.verdict, "less than 1 time in 100 (p = 0.0047). Use B.")) << r.verdict;
}

TEST(Compare, IsSymmetricWhenTheArmsSwap) {
  auto ab = compare({"Red", 10'000, 200}, {"Blue", 10'000, 260}, "CTR");
  auto ba = compare({"Blue", 10'000, 260}, {"Red", 10'000, 200}, "CTR");
  EXPECT_DOUBLE_EQ(ab.z, -ba.z);
  EXPECT_DOUBLE_EQ(ab.p_value, ba.p_value);
  EXPECT_EQ(ab.winner, "Blue");
  EXPECT_EQ(ba.winner, "Blue");
  ASSERT_TRUE(ba.lift);
  EXPECT_NEAR(*ba.lift, (0.02 - 0.026) / 0.026, 1e-12);  // lift is always b relative to a
  EXPECT_TRUE(contains(ba.verdict, "Blue has a higher CTR than Red: 2.6% vs 2.0% (+30%)")) << ba.verdict;
}

TEST(Compare, AlphaDecidesSignificance) {
  // 10% vs 13% of 1000: pooled 0.115, se = sqrt(0.115 * 0.885 * 0.002) = 0.014267, z = 2.1027, p = 0.0355.
  Arm a{"A", 1'000, 100};
  Arm b{"B", 1'000, 130};
  auto loose = compare(a, b, "conversion rate");
  EXPECT_NEAR(loose.z, 2.1027, 1e-4);
  EXPECT_NEAR(loose.p_value, 0.0355, 1e-4);
  EXPECT_TRUE(loose.significant);
  EXPECT_TRUE(contains(loose.verdict, "less than 1 time in 20 (p = 0.035)")) << loose.verdict;
  auto strict = compare(a, b, "conversion rate", 0.01);
  EXPECT_FALSE(strict.significant);
  EXPECT_EQ(strict.winner, "");
  EXPECT_DOUBLE_EQ(strict.p_value, loose.p_value);
  EXPECT_EQ(strict.verdict.rfind("No clear winner: B 13.0% vs A 10.0% (+30%).", 0), 0u) << strict.verdict;
}

TEST(Compare, NoClearWinnerForASmallDifference) {
  // 2.0% vs 2.14% of 10000: pooled 0.0207, se = sqrt(0.0207 * 0.9793 * 0.0002) = 0.0020135,
  // z = 0.0014 / 0.0020135 = 0.6953, p = 0.4869.
  auto r = compare({"A", 10'000, 200}, {"B", 10'000, 214}, "CTR");
  EXPECT_TRUE(r.enough_data);
  EXPECT_NEAR(r.z, 0.6953, 1e-4);
  EXPECT_NEAR(r.p_value, 0.4869, 1e-4);
  EXPECT_FALSE(r.significant);
  EXPECT_EQ(r.winner, "");
  EXPECT_TRUE(contains(r.verdict, "No clear winner: B 2.1% vs A 2.0% (+7%)")) << r.verdict;
  EXPECT_TRUE(contains(r.verdict, "about 5 times in 10 (p = 0.49)")) << r.verdict;
}

TEST(Compare, EqualRatesGiveZeroAndPOne) {
  auto r = compare({"A", 5'000, 150}, {"B", 5'000, 150}, "CTR");
  EXPECT_DOUBLE_EQ(r.z, 0);
  EXPECT_DOUBLE_EQ(r.p_value, 1);
  EXPECT_FALSE(r.significant);
  EXPECT_EQ(r.verdict, "No clear winner: A and B have the same CTR (3.0%).");
}

TEST(Compare, ZeroCases) {
  auto none = compare({"A", 0, 0}, {"B", 0, 0}, "CTR");
  EXPECT_DOUBLE_EQ(none.rate_a, 0);
  EXPECT_FALSE(none.lift);
  EXPECT_DOUBLE_EQ(none.z, 0);
  EXPECT_DOUBLE_EQ(none.p_value, 1);
  EXPECT_FALSE(none.enough_data);
  EXPECT_FALSE(none.significant);

  auto no_successes = compare({"A", 10'000, 0}, {"B", 10'000, 0}, "CTR");
  EXPECT_DOUBLE_EQ(no_successes.z, 0);
  EXPECT_DOUBLE_EQ(no_successes.p_value, 1);
  EXPECT_FALSE(no_successes.enough_data);  // no expected successes at all
  EXPECT_FALSE(no_successes.lift);

  auto all_successes = compare({"A", 500, 500}, {"B", 500, 500}, "open rate");
  EXPECT_DOUBLE_EQ(all_successes.p_value, 1);
  EXPECT_FALSE(all_successes.enough_data);  // no expected failures

  // A scored nothing, B did: no lift (undefined), but the test still decides. Pooled 0.01, expected
  // successes 10 per arm; z = 0.02 / sqrt(0.01 * 0.99 * 0.002) = 4.4947, p = 7.0e-6.
  auto from_zero = compare({"A", 1'000, 0}, {"B", 1'000, 20}, "CTR");
  EXPECT_FALSE(from_zero.lift);
  EXPECT_TRUE(from_zero.enough_data);
  EXPECT_NEAR(from_zero.z, 4.4947, 1e-4);
  EXPECT_NEAR(from_zero.p_value, 6.97e-6, 1e-7);
  EXPECT_EQ(from_zero.winner, "B");
  EXPECT_TRUE(contains(from_zero.verdict, "B has a higher CTR than A: 2.0% vs 0%. ")) << from_zero.verdict;
  EXPECT_TRUE(contains(from_zero.verdict, "less than 1 time in 1,000 (p < 0.001)")) << from_zero.verdict;
}

TEST(Compare, NeedsEnoughData) {
  // A big difference on tiny samples is not significant: 99 trials is under the minimum.
  auto small = compare({"A", 99, 10}, {"B", 99, 60}, "CTR");
  EXPECT_FALSE(small.enough_data);
  EXPECT_FALSE(small.significant);
  EXPECT_LT(small.p_value, 0.001) << "the z-test alone would call it";
  EXPECT_EQ(small.winner, "");
  EXPECT_EQ(small.verdict.rfind("Not enough data yet: A 10/99 (10.1%), B 60/99 (60.6%).", 0), 0u) << small.verdict;

  // Plenty of trials but too few expected successes: pooled 5/2000 gives 2.5 per arm.
  auto rare = compare({"A", 1'000, 1}, {"B", 1'000, 4}, "CTR");
  EXPECT_FALSE(rare.enough_data);

  // At the boundary: 100 trials each, pooled 0.05, exactly 5 expected successes per arm.
  auto edge = compare({"A", 100, 4}, {"B", 100, 6}, "CTR");
  EXPECT_TRUE(edge.enough_data);
  auto under = compare({"A", 100, 4}, {"B", 100, 5}, "CTR");  // pooled 0.045: 4.5 expected
  EXPECT_FALSE(under.enough_data);
}

TEST(Compare, UsesTheArmLabelsAndDefaults) {
  auto r = compare({"", 10'000, 260}, {"", 10'000, 200}, "CTR");
  EXPECT_EQ(r.winner, "A");
  auto named = compare({"Photo", 10'000, 200}, {"Video", 10'000, 260}, "click rate");
  EXPECT_EQ(named.winner, "Video");
  EXPECT_TRUE(contains(named.verdict, "Video has a higher click rate than Photo")) << named.verdict;
  EXPECT_TRUE(contains(named.verdict, "Use Video.")) << named.verdict;
}

TEST(Compare, RefusesImpossibleCounts) {
  EXPECT_THROW(compare({"A", -1, 0}, {"B", 10, 1}, "CTR"), std::invalid_argument);
  EXPECT_THROW(compare({"A", 10, -1}, {"B", 10, 1}, "CTR"), std::invalid_argument);
  try {
    compare({"A", 10, 1}, {"B", 10, 11}, "CTR");
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_TRUE(contains(e.what(), "b.successes")) << e.what();
  }
  EXPECT_THROW(compare({"A", 10, 1}, {"B", 10, 1}, "CTR", 0), std::invalid_argument);
  EXPECT_THROW(compare({"A", 10, 1}, {"B", 10, 1}, "CTR", 1), std::invalid_argument);
  EXPECT_THROW(compare({"A", 10, 1}, {"B", 10, 1}, "CTR", std::numeric_limits<double>::quiet_NaN()),
               std::invalid_argument);
}

}  // namespace
}  // namespace herald::ads::domain
