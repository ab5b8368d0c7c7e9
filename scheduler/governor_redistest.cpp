#include "scheduler/governor.hpp"

#include <gtest/gtest.h>

#include "herald/adapters/adapter.hpp"
#include "scheduler/test_fixture.hpp"

namespace herald::scheduler {
namespace {

class GovernorLive : public ::testing::Test, protected testing::RedisFixture {
 protected:
  GovernorOptions options() {
    GovernorOptions o;
    PlatformLimits p;
    p.app = {3, 1};          // 3 per second per app
    p.account = {2, 60};     // 2 per minute per account
    p.endpoints["media"] = {1, 10};
    o.overrides["mastodon"] = p;
    return o;
  }
};

TEST_F(GovernorLive, AccountBucketEmptiesAndRefillsAtItsRate) {
  Governor g(prefix_, options());
  auto l = redis_.lease();
  const std::int64_t t0 = 1'000'000;
  EXPECT_TRUE(g.take(*l, "mastodon", "a1", "statuses", t0).ok);
  EXPECT_TRUE(g.take(*l, "mastodon", "a1", "statuses", t0 + 1000).ok);
  auto refused = g.take(*l, "mastodon", "a1", "statuses", t0 + 2000);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.limited_by, "account");
  // 2 per 60 s: one token every 30 s; 2 s of refill so far -> 28 s to wait.
  EXPECT_NEAR(static_cast<double>(refused.wait_ms), 28000.0, 2.0);
  EXPECT_FALSE(g.take(*l, "mastodon", "a1", "statuses", t0 + 29000).ok);
  EXPECT_TRUE(g.take(*l, "mastodon", "a1", "statuses", t0 + 30001).ok);
  // Another account has its own bucket.
  EXPECT_TRUE(g.take(*l, "mastodon", "a2", "statuses", t0 + 30001).ok);
}

TEST_F(GovernorLive, AppBucketIsSharedByEveryAccountAndARefusalTakesNothing) {
  Governor g(prefix_, options());
  auto l = redis_.lease();
  const std::int64_t t0 = 5'000'000;
  EXPECT_TRUE(g.take(*l, "mastodon", "a1", "s", t0).ok);
  EXPECT_TRUE(g.take(*l, "mastodon", "a2", "s", t0).ok);
  EXPECT_TRUE(g.take(*l, "mastodon", "a3", "s", t0).ok);
  auto r = g.take(*l, "mastodon", "a4", "s", t0);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.limited_by, "app");
  EXPECT_NEAR(static_cast<double>(r.wait_ms), 334.0, 1.0);  // 3 per 1000 ms
  // The refusal took no token from a4's account bucket: after the app refills, a4 has both.
  EXPECT_TRUE(g.take(*l, "mastodon", "a4", "s", t0 + 1000).ok);
  EXPECT_TRUE(g.take(*l, "mastodon", "a4", "s", t0 + 1000).ok);
  EXPECT_EQ(g.take(*l, "mastodon", "a4", "s", t0 + 1000).limited_by, "account");
}

TEST_F(GovernorLive, EndpointBucketLimitsOneEndpointOnly) {
  Governor g(prefix_, options());
  auto l = redis_.lease();
  const std::int64_t t0 = 9'000'000;
  EXPECT_TRUE(g.take(*l, "mastodon", "a1", "media", t0).ok);
  auto r = g.take(*l, "mastodon", "a1", "media", t0 + 1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.limited_by, "endpoint");
  EXPECT_TRUE(g.take(*l, "mastodon", "a1", "statuses", t0 + 1).ok);
}

TEST_F(GovernorLive, RateLimitHeadersCorrectTheBucket) {
  Governor g(prefix_, options());
  auto l = redis_.lease();
  const std::int64_t t0 = 20'000'000;
  // The platform says: nothing left until t0 + 5 s.
  g.observe(*l, "mastodon", "a1", 0, t0 + 5000, t0);
  auto r = g.take(*l, "mastodon", "a1", "s", t0 + 1000);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.limited_by, "account");
  EXPECT_EQ(r.wait_ms, 4000);
  // After the reset the bucket refills at its own rate from the 0 the header reported: one token
  // 30 s after the observation (2 per minute), not at once.
  EXPECT_FALSE(g.take(*l, "mastodon", "a1", "s", t0 + 6000).ok);
  EXPECT_TRUE(g.take(*l, "mastodon", "a1", "s", t0 + 30000).ok);
  // A platform without a documented limit still honours its headers (endpoint bucket here).
  g.observe(*l, "mastodon", "a5", 0, t0 + 50000, t0 + 40000, "other");
  auto ep = g.take(*l, "mastodon", "a5", "other", t0 + 41000);
  EXPECT_EQ(ep.wait_ms, 9000);
  EXPECT_EQ(ep.limited_by, "endpoint");
  EXPECT_TRUE(g.take(*l, "mastodon", "a5", "other", t0 + 50000).ok);
}

TEST_F(GovernorLive, LimitsComeFromCapabilitiesAndCanBeScaled) {
  GovernorOptions o;
  o.capabilities = [](const std::string& p) -> std::optional<adapters::Capabilities> {
    if (p != "demo") return std::nullopt;
    adapters::Capabilities c;
    c.publish_limit = {1, 60};
    c.app_limit = {100, 60};
    return c;
  };
  Governor plain(prefix_, o);
  EXPECT_EQ(plain.limits("demo").account.requests, 1);
  EXPECT_EQ(plain.limits("demo").app.requests, 100);
  EXPECT_EQ(plain.limits("unknown").account.requests, 0);
  auto l = redis_.lease();
  EXPECT_TRUE(plain.take(*l, "demo", "a1", "s", 1000).ok);
  EXPECT_FALSE(plain.take(*l, "demo", "a1", "s", 1001).ok);
  EXPECT_TRUE(plain.take(*l, "unknown", "a1", "s", 1001).ok);  // no known limit: no bucket

  o.scale = 1000;
  Governor relaxed(prefix_ + "r", o);
  EXPECT_EQ(relaxed.limits("demo").account.requests, 1000);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(relaxed.take(*l, "demo", "a1", "s", 1000).ok) << i;
  EXPECT_FALSE(relaxed.take(*l, "demo", "a1", "s", 1000).ok);
}

TEST_F(GovernorLive, DefaultLimitsAreTheRegistryCapabilities) {
  Governor g(prefix_);
  auto caps = adapters::make_adapter("x", adapters::Endpoint{})->capabilities();
  EXPECT_EQ(g.limits("x").account.requests, caps.publish_limit.requests);
  EXPECT_EQ(g.limits("x").app.requests, caps.app_limit.requests);
}

}  // namespace
}  // namespace herald::scheduler
