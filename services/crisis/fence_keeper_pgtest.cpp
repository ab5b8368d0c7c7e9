// The fence keeper against real PostgreSQL and Redis: the fence is rebuilt from the freezes table
// when Redis loses it, follows freezes and their expiry, and never goes back in epochs.
#include "services/crisis/fence_keeper.hpp"

#include <gtest/gtest.h>

#include "services/crisis/crisis_module.hpp"
#include "services/core/redis/options.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/service_db.hpp"

namespace herald::crisis {
namespace {

using contracts::gate::Fence;
using contracts::gate::FenceKeys;

class FenceKeeperLive : public ::testing::Test {
 protected:
  FenceKeeperLive()
      : db_(CrisisModule::schema()),
        redis_(core::redis::parse_url(herald::testing::redis_url()), 2),
        keys_(herald::testing::unique_name("crisis")),
        keeper_(db_.pool(), redis_, keys_, clock_) {}
  ~FenceKeeperLive() override {
    auto l = redis_.lease();
    Fence(keys_).clear(*l);
  }

  void freeze(const std::string& kind, const std::string& value, const std::string& expires = "NULL") {
    db_.pool().transact([&](pqxx::work& tx) {
      auto epoch = tx.exec1("UPDATE crisis_fence SET epoch = epoch + 1 RETURNING epoch")[0].as<long>();
      tx.exec("INSERT INTO freezes (org_id, scope_kind, scope_value, reason, epoch, expires_at) VALUES ('" + kOrg +
              "', " + tx.quote(kind) + ", " + tx.quote(value) + ", 'test', " + std::to_string(epoch) + ", " + expires +
              ")");
    });
  }

  static inline const std::string kOrg = "00000000-0000-4000-8000-000000000001";
  testing::ServiceDb db_;
  core::redis::Pool redis_;
  FenceKeys keys_;
  testing::ManualClock clock_;
  FenceKeeper keeper_;
};

TEST_F(FenceKeeperLive, LoadsAnEmptyFenceThenFollowsFreezes) {
  EXPECT_FALSE(keeper_.loaded());
  auto s = keeper_.sync();
  EXPECT_TRUE(s.published);
  EXPECT_EQ(s.epoch, 1);
  EXPECT_TRUE(s.scopes.empty());
  EXPECT_TRUE(keeper_.loaded());
  EXPECT_FALSE(keeper_.sync().published);  // nothing changed

  freeze("all", "");
  freeze("platform", "x");
  freeze("brand", "b1");
  EXPECT_FALSE(keeper_.loaded());  // PostgreSQL is ahead: the gate fails closed until the reload
  s = keeper_.sync();
  EXPECT_TRUE(s.published);
  EXPECT_EQ(s.epoch, 4);
  EXPECT_EQ(s.scopes, (std::vector<std::string>{"brand:b1", "org:" + kOrg, "org:" + kOrg + ":platform:x"}));
  auto l = redis_.lease();
  EXPECT_EQ(Fence(keys_).epoch(*l), 4);
  EXPECT_EQ(Fence(keys_).scopes(*l).size(), 3U);
}

TEST_F(FenceKeeperLive, RedisLosingTheFenceIsRepairedFromPostgres) {
  freeze("account", "a1");
  keeper_.sync();
  {
    auto l = redis_.lease();
    Fence(keys_).clear(*l);  // FLUSHALL, a fail-over to an empty replica, ...
  }
  EXPECT_FALSE(keeper_.loaded());
  auto s = keeper_.sync();
  EXPECT_TRUE(s.published);
  auto l = redis_.lease();
  EXPECT_EQ(Fence(keys_).scopes(*l), (std::vector<std::string>{"account:a1"}));
}

TEST_F(FenceKeeperLive, AnExpiredFreezeLiftsUnderANewEpoch) {
  freeze("tag", "launch", "now() + interval '1 hour'");
  freeze("campaign", "c1", "now() - interval '1 second'");  // already expired
  auto s = keeper_.sync();
  EXPECT_EQ(s.scopes, (std::vector<std::string>{"org:" + kOrg + ":tag:launch"}));
  auto before = s.epoch;
  db_.pool().transact([](pqxx::work& tx) { tx.exec("UPDATE freezes SET expires_at = now() - interval '1 second'"); });
  s = keeper_.sync();
  EXPECT_TRUE(s.scopes.empty());
  EXPECT_EQ(s.epoch, before + 1);
  EXPECT_TRUE(s.published);
  EXPECT_TRUE(keeper_.loaded());
}

TEST_F(FenceKeeperLive, ANewerFenceInRedisIsNeverLowered) {
  keeper_.sync();
  {
    auto l = redis_.lease();
    Fence(keys_).publish(*l, 50, {"all"}, 0);  // someone with a newer view raised it
  }
  auto s = keeper_.sync();
  EXPECT_FALSE(s.published);
  auto l = redis_.lease();
  EXPECT_EQ(Fence(keys_).epoch(*l), 50);
  EXPECT_EQ(Fence(keys_).scopes(*l), (std::vector<std::string>{"all"}));
}

}  // namespace
}  // namespace herald::crisis
