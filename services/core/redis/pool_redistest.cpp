#include "services/core/redis/pool.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "services/core/redis/error.hpp"
#include "tests/support/test_env.hpp"

namespace herald::core::redis {
namespace {

using std::chrono::milliseconds;

Options test_options() { return parse_url(herald::testing::redis_url()); }

TEST(RedisPool, LeaseAndReturn) {
  Pool pool(test_options(), 2, milliseconds{100});
  EXPECT_EQ(pool.size(), 2U);
  EXPECT_EQ(pool.available(), 2U);
  Client* first = nullptr;
  {
    Pool::Lease a = pool.lease();
    first = &a.client();
    a->ping();
    EXPECT_EQ(pool.available(), 1U);
    Pool::Lease b = pool.lease();
    EXPECT_NE(&b.client(), first);
    EXPECT_EQ(pool.available(), 0U);
  }
  EXPECT_EQ(pool.available(), 2U);
  // Moving a lease does not return the client twice.
  Pool::Lease moved = pool.lease();
  Pool::Lease target = std::move(moved);
  EXPECT_EQ(pool.available(), 1U);
  target.release();
  target.release();
  EXPECT_EQ(pool.available(), 2U);
}

TEST(RedisPool, ThrowsWhenExhaustedWithinTheTimeout) {
  Pool pool(test_options(), 1, milliseconds{150});
  Pool::Lease held = pool.lease();
  const auto start = std::chrono::steady_clock::now();
  try {
    (void)pool.lease();
    FAIL() << "the only client is leased";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::kPoolExhausted) << e.what();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds{140});
  EXPECT_LT(elapsed, milliseconds{1000});
  EXPECT_THROW((void)pool.lease(milliseconds{0}), Error);
  held.release();
  EXPECT_NO_THROW((void)pool.lease(milliseconds{0}));
}

TEST(RedisPool, WaiterGetsTheClientWhenItIsReturned) {
  Pool pool(test_options(), 1, milliseconds{5000});
  Pool::Lease held = pool.lease();
  Client* const client = &held.client();
  Client* got = nullptr;
  std::thread waiter([&] {
    Pool::Lease lease = pool.lease();
    got = &lease.client();
    lease->ping();
  });
  held.release();
  waiter.join();
  EXPECT_EQ(got, client);
  EXPECT_EQ(pool.available(), 1U);
}

TEST(RedisPool, ClientWithAnIoErrorDoesNotPoisonThePool) {
  Options options = test_options();
  options.command_timeout = milliseconds{100};
  Pool pool(options, 1, milliseconds{100});
  const std::string key = herald::testing::unique_name("pool_poison");
  {
    Pool::Lease lease = pool.lease();
    EXPECT_THROW(lease->command({"BLPOP", key, "2"}), Error);
  }
  {
    Pool::Lease lease = pool.lease();
    EXPECT_NO_THROW(lease->ping());
    EXPECT_EQ(lease->connection_count(), 2U);
  }
  // Killed from outside while idle in the pool: the next borrower does not notice.
  Client killer(test_options());
  std::int64_t id = 0;
  {
    Pool::Lease lease = pool.lease();
    id = lease->command({"CLIENT", "ID"}).as_integer();
  }
  killer.checked({"CLIENT", "KILL", "ID", std::to_string(id)});
  Pool::Lease lease = pool.lease();
  EXPECT_NE(lease->command({"CLIENT", "ID"}).as_integer(), id);
}

TEST(RedisPool, ReturnedClientGetsItsDefaultTimeoutBack) {
  Pool pool(test_options(), 1);
  {
    Pool::Lease lease = pool.lease();
    lease->set_command_timeout(milliseconds{5});
  }
  Pool::Lease lease = pool.lease();
  EXPECT_EQ(lease->command_timeout(), pool.options().command_timeout);
}

TEST(RedisPool, DiscardDropsTheConnection) {
  Pool pool(test_options(), 1);
  {
    Pool::Lease lease = pool.lease();
    lease->checked({"MULTI"});
    lease.discard();
  }
  Pool::Lease lease = pool.lease();
  EXPECT_FALSE(lease->connected());
  // Not inside the abandoned MULTI: PING answers PONG, not QUEUED.
  EXPECT_NO_THROW(lease->ping());
}

TEST(RedisPool, Ping) {
  Pool ready(test_options(), 2);
  EXPECT_TRUE(ready.ping());
  EXPECT_EQ(ready.available(), 2U);

  Options nowhere = test_options();
  nowhere.port = 1;
  nowhere.connect_timeout = milliseconds{200};
  int errors = 0;
  Pool down(nowhere, 1, milliseconds{100}, [&](const Error&) { ++errors; });
  EXPECT_FALSE(down.ping());
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(down.available(), 1U);

  Pool busy(test_options(), 1, milliseconds{50});
  Pool::Lease held = busy.lease();
  EXPECT_FALSE(busy.ping());
}

}  // namespace
}  // namespace herald::core::redis
