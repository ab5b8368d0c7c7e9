#include "services/contracts/gate/send_gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "services/core/redis/options.hpp"
#include "tests/support/test_env.hpp"

namespace herald::contracts::gate {
namespace {

using core::redis::Client;

class SendGateLive : public ::testing::Test {
 protected:
  SendGateLive() : keys_(herald::testing::unique_name("gate")), gate_(keys_), fence_(keys_) {}
  ~SendGateLive() override { fence_.clear(redis_); }

  BeginRequest request(const std::string& key, std::int64_t now = 1000) const {
    BeginRequest r;
    r.send_key = key;
    r.scope = SendScope{"b1", "mastodon", "a1", "c1", {"launch"}, false};
    r.worker = "w1";
    r.now_ms = now;
    r.lease_ms = 500;
    return r;
  }

  Client redis_{core::redis::parse_url(herald::testing::redis_url())};
  FenceKeys keys_;
  SendGate gate_;
  Fence fence_;
};

TEST_F(SendGateLive, FailsClosedUntilTheFenceIsLoaded) {
  EXPECT_EQ(gate_.begin(redis_, request("t1:1")).verdict, Verdict::kFenceAbsent);
  EXPECT_TRUE(gate_.in_flight(redis_, 1000).empty());  // a refused send is not in flight
  EXPECT_TRUE(fence_.ensure_loaded(redis_, 3, 1000));
  EXPECT_FALSE(fence_.ensure_loaded(redis_, 9, 1000));  // already loaded: epoch kept
  EXPECT_EQ(fence_.epoch(redis_), 3);
  auto d = gate_.begin(redis_, request("t1:1"));
  EXPECT_TRUE(d.open());
  EXPECT_EQ(d.epoch, 3);
}

TEST_F(SendGateLive, StaleFenceIsRefused) {
  fence_.ensure_loaded(redis_, 3, 1000);
  auto r = request("t1:1");
  r.min_epoch = 4;  // PostgreSQL knows a newer freeze than Redis holds
  EXPECT_EQ(gate_.begin(redis_, r).verdict, Verdict::kFenceStale);
  r.min_epoch = 3;
  EXPECT_TRUE(gate_.begin(redis_, r).open());
}

TEST_F(SendGateLive, EveryScopeKindFreezesAndTheExemptionLanePasses) {
  fence_.ensure_loaded(redis_, 1, 1000);
  const std::vector<std::string> scopes{"all", "brand:b1", "platform:mastodon", "account:a1", "campaign:c1",
                                        "tag:launch"};
  int n = 0;
  for (const auto& s : scopes) {
    ASSERT_TRUE(fence_.publish(redis_, 2 + n, {s}, 1000).applied);
    auto d = gate_.begin(redis_, request("k" + std::to_string(n) + ":1"));
    EXPECT_EQ(d.verdict, Verdict::kFrozen) << s;
    EXPECT_EQ(d.matched, s);
    auto exempt = request("x" + std::to_string(n) + ":1");
    exempt.scope.exempt = true;
    EXPECT_TRUE(gate_.begin(redis_, exempt).open()) << s;
    ++n;
  }
  // A freeze elsewhere does not touch this send.
  ASSERT_TRUE(fence_.publish(redis_, 20, {"brand:other", "platform:x", "tag:other"}, 1000).applied);
  EXPECT_TRUE(gate_.begin(redis_, request("free:1")).open());
  // An older epoch cannot lower a newer fence.
  auto old = fence_.publish(redis_, 5, {}, 1000);
  EXPECT_FALSE(old.applied);
  EXPECT_EQ(old.epoch, 20);
  EXPECT_EQ(fence_.scopes(redis_).size(), 3U);
}

TEST_F(SendGateLive, OneLeasePerKeyAndSettledKeysNeverBeginAgain) {
  fence_.ensure_loaded(redis_, 1, 1000);
  ASSERT_TRUE(gate_.begin(redis_, request("t1:1", 1000)).open());
  auto second = request("t1:1", 1100);
  second.worker = "w2";
  EXPECT_EQ(gate_.begin(redis_, second).verdict, Verdict::kInFlight);
  // w2 cannot release w1's lease.
  EXPECT_FALSE(gate_.end(redis_, "t1:1", "w2", Settle::kRelease, 1100));
  EXPECT_EQ(gate_.in_flight(redis_, 1100).size(), 1U);
  EXPECT_TRUE(gate_.end(redis_, "t1:1", "w1", Settle::kDone, 1200));
  EXPECT_TRUE(gate_.done(redis_, "t1:1"));
  EXPECT_EQ(gate_.begin(redis_, request("t1:1", 1300)).verdict, Verdict::kAlreadyDone);
  // A new content version is another send.
  EXPECT_TRUE(gate_.begin(redis_, request("t1:2", 1300)).open());
  // Released (retry) keys may begin again.
  EXPECT_TRUE(gate_.end(redis_, "t1:2", "w1", Settle::kRelease, 1400));
  EXPECT_TRUE(gate_.begin(redis_, request("t1:2", 1500)).open());
  EXPECT_EQ(gate_.trim_done(redis_, 1201), 1);
  EXPECT_FALSE(gate_.done(redis_, "t1:1"));
}

TEST_F(SendGateLive, ExpiredLeaseNeedsReconciliationThenTakeOver) {
  fence_.ensure_loaded(redis_, 1, 1000);
  ASSERT_TRUE(gate_.begin(redis_, request("t1:1", 1000)).open());  // lease until 1500; w1 dies
  auto later = request("t1:1", 2000);
  later.worker = "w2";
  auto d = gate_.begin(redis_, later);
  EXPECT_EQ(d.verdict, Verdict::kLeaseExpired);
  EXPECT_NE(d.matched.find("|w1|"), std::string::npos);
  EXPECT_TRUE(gate_.in_flight(redis_, 2000).empty());  // expired leases are not "in flight"
  later.take_over = true;
  EXPECT_TRUE(gate_.begin(redis_, later).open());
  auto live = gate_.in_flight(redis_, 2000);
  ASSERT_EQ(live.size(), 1U);
  EXPECT_EQ(live[0].worker, "w2");
  EXPECT_EQ(live[0].started_ms, 2000);
  EXPECT_EQ(live[0].lease_until_ms, 2500);
  // Take-over still respects a freeze.
  fence_.publish(redis_, 2, {"all"}, 2600);
  auto third = request("t1:1", 3000);
  third.worker = "w3";
  third.take_over = true;
  EXPECT_EQ(gate_.begin(redis_, third).verdict, Verdict::kFrozen);
}

TEST_F(SendGateLive, FreezeAcknowledgementListsSendsInFlightAtThatInstant) {
  fence_.ensure_loaded(redis_, 1, 1000);
  ASSERT_TRUE(gate_.begin(redis_, request("a:1", 1000)).open());
  ASSERT_TRUE(gate_.begin(redis_, request("b:1", 1000)).open());
  gate_.end(redis_, "b:1", "w1", Settle::kDone, 1050);
  auto applied = fence_.publish(redis_, 2, {"all"}, 1100);
  ASSERT_TRUE(applied.applied);
  ASSERT_EQ(applied.in_flight.size(), 1U);
  EXPECT_EQ(applied.in_flight[0].send_key, "a:1");
  EXPECT_EQ(gate_.begin(redis_, request("c:1", 1100)).verdict, Verdict::kFrozen);
}

TEST_F(SendGateLive, RacingWorkersGetOneLeaseAndNoneAfterTheFreeze) {
  fence_.ensure_loaded(redis_, 1, 1000);
  std::atomic<int> opened{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      Client c(core::redis::parse_url(herald::testing::redis_url()));
      for (int i = 0; i < 200; ++i) {
        auto r = request("race" + std::to_string(i) + ":1");
        r.worker = "w" + std::to_string(w);
        if (gate_.begin(c, r).open()) ++opened;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened.load(), 200);  // each of the 200 keys opened exactly once across 4 workers
}

TEST(SendGateScope, KeysNameEveryNonEmptyPart) {
  auto keys = scope_keys(SendScope{"b", "x", "a", "", {"t1", "", "t2"}, false});
  EXPECT_EQ(keys, (std::vector<std::string>{"all", "brand:b", "platform:x", "account:a", "tag:t1", "tag:t2"}));
  auto org = scope_keys(SendScope{"b", "x", "a", "c", {"t1"}, false, "o"});
  EXPECT_EQ(org, (std::vector<std::string>{"all", "org:o", "brand:b", "platform:x", "org:o:platform:x", "account:a",
                                           "campaign:c", "tag:t1", "org:o:tag:t1"}));
}

}  // namespace
}  // namespace herald::contracts::gate
