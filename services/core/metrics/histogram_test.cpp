#include "services/core/metrics/histogram.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "services/core/metrics/buckets.hpp"

namespace herald::core::metrics {
namespace {

TEST(Histogram, CountsCumulativelyWithInclusiveUpperBounds) {
  Histogram h({0.1, 1, 10});
  for (const double v : {0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 11.0, 1000.0, -3.0}) h.observe(v);
  const auto s = h.snapshot();
  ASSERT_EQ(s.upper_bounds, (std::vector<double>{0.1, 1, 10}));
  // le=0.1: -3, 0.05, 0.1 | le=1: +0.5, 1 | le=10: +5, 10 | +Inf: +11, 1000
  EXPECT_EQ(s.cumulative_counts, (std::vector<std::uint64_t>{3, 5, 7, 9}));
  EXPECT_EQ(s.count, 9U);
  EXPECT_DOUBLE_EQ(s.sum, 0.05 + 0.1 + 0.5 + 1.0 + 5.0 + 10.0 + 11.0 + 1000.0 - 3.0);
}

TEST(Histogram, IgnoresNaN) {
  Histogram h({1});
  h.observe(std::numeric_limits<double>::quiet_NaN());
  h.observe(std::numeric_limits<double>::infinity());
  const auto s = h.snapshot();
  EXPECT_EQ(s.cumulative_counts, (std::vector<std::uint64_t>{0, 1}));
  EXPECT_EQ(s.count, 1U);
}

TEST(Histogram, ValidatesBounds) {
  EXPECT_THROW(Histogram({1, 1}), std::invalid_argument);
  EXPECT_THROW(Histogram({2, 1}), std::invalid_argument);
  EXPECT_THROW(Histogram({1, std::numeric_limits<double>::quiet_NaN()}), std::invalid_argument);
  EXPECT_THROW(Histogram({-std::numeric_limits<double>::infinity(), 1}), std::invalid_argument);
  const Histogram with_inf({1, 2, std::numeric_limits<double>::infinity()});
  EXPECT_EQ(with_inf.upper_bounds(), (std::vector<double>{1, 2}));
  const Histogram only_inf({});
  EXPECT_EQ(only_inf.snapshot().cumulative_counts.size(), 1U);
}

TEST(Histogram, ConcurrentObservationsAreExact) {
  Histogram h({0.5, 1.5});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < kPerThread; ++i) h.observe(t % 2 == 0 ? 1.0 : 2.0);
    });
  }
  for (auto& thread : threads) thread.join();
  const auto s = h.snapshot();
  EXPECT_EQ(s.cumulative_counts, (std::vector<std::uint64_t>{0, 2 * kPerThread, 4 * kPerThread}));
  EXPECT_EQ(s.sum, 2.0 * kPerThread * 1.0 + 2.0 * kPerThread * 2.0);
}

TEST(Histogram, LatencyBucketsSpanHalfMillisecondToTenSeconds) {
  EXPECT_EQ(kLatencySecondsBuckets.front(), 0.0005);
  EXPECT_EQ(kLatencySecondsBuckets.back(), 10.0);
  // Usable as-is: strictly increasing and finite, so the constructor accepts them.
  const Histogram h(std::vector<double>(kLatencySecondsBuckets.begin(), kLatencySecondsBuckets.end()));
  EXPECT_EQ(h.upper_bounds().size(), kLatencySecondsBuckets.size());
}

}  // namespace
}  // namespace herald::core::metrics
