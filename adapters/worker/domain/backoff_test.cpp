#include "adapters/worker/domain/backoff.hpp"

#include <gtest/gtest.h>

namespace herald::worker {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesPerAttemptWithinTheJitterBand) {
  BackoffPolicy p;  // 5 s base, 30 % jitter
  EXPECT_EQ(retry_delay(p, 1, 0.999999), milliseconds{4999});
  EXPECT_EQ(retry_delay(p, 1, 0.0), milliseconds{3500});
  EXPECT_EQ(retry_delay(p, 2, 0.0), milliseconds{7000});
  EXPECT_EQ(retry_delay(p, 3, 0.5), milliseconds{17000});  // 20 s * (0.7 + 0.15)
  for (double r : {0.0, 0.25, 0.5, 0.75, 0.99}) {
    auto d = retry_delay(p, 4, r);
    EXPECT_GE(d, milliseconds{28000});
    EXPECT_LE(d, milliseconds{40000});
  }
}

TEST(Backoff, IsCappedAndNeverOverflows) {
  BackoffPolicy p;
  p.cap = milliseconds{60'000};
  EXPECT_EQ(retry_delay(p, 10, 0.999999), milliseconds{59999});
  EXPECT_EQ(retry_delay(p, 1'000'000, 0.0), milliseconds{42000});
}

TEST(Backoff, NoJitterMeansExactDelays) {
  BackoffPolicy p;
  p.jitter = 0;
  EXPECT_EQ(retry_delay(p, 1, 0.7), milliseconds{5000});
  EXPECT_EQ(retry_delay(p, 2, 0.1), milliseconds{10000});
}

TEST(Backoff, RateLimitWaitsAtLeastRetryAfterPlusABoundedSpread) {
  BackoffPolicy p;  // spread at most 2 s, or 30 % of a short retry-after
  EXPECT_EQ(retry_delay(p, 1, 0.0, milliseconds{120'000}), milliseconds{120'000});
  EXPECT_EQ(retry_delay(p, 1, 0.5, milliseconds{120'000}), milliseconds{121'000});
  EXPECT_EQ(retry_delay(p, 4, 0.5, milliseconds{1000}), milliseconds{1150});  // attempt does not matter
  EXPECT_EQ(retry_delay(p, 1, 0.9, milliseconds{0}), milliseconds{0});
}

}  // namespace
}  // namespace herald::worker
