#include "services/core/redis/client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "services/core/redis/error.hpp"
#include "tests/support/test_env.hpp"

namespace herald::core::redis {
namespace {

using namespace std::string_literals;
using std::chrono::milliseconds;

Options test_options() { return parse_url(herald::testing::redis_url()); }

TEST(RedisClient, ConnectsLazily) {
  Client client(test_options());
  EXPECT_FALSE(client.connected());
  EXPECT_EQ(client.connection_count(), 0U);
  client.ping();
  EXPECT_TRUE(client.connected());
  EXPECT_EQ(client.connection_count(), 1U);
}

TEST(RedisClient, ReplyKinds) {
  Client client(test_options());
  const std::string key = herald::testing::unique_name("client_kinds");
  const std::string list = key + ":list";
  EXPECT_EQ(client.command({"SET", key, "v"}), Reply::status("OK"));
  EXPECT_EQ(client.command({"GET", key}).as_optional_string(), std::optional<std::string>("v"));
  EXPECT_TRUE(client.command({"GET", key + ":missing"}).is_nil());
  EXPECT_EQ(client.command({"INCRBY", key + ":n", "41"}).as_integer(), 41);
  EXPECT_EQ(client.command({"RPUSH", list, "a", "b"}).as_integer(), 2);
  const Reply range = client.command({"LRANGE", list, "0", "-1"});
  ASSERT_TRUE(range.is_array());
  EXPECT_EQ(range, Reply::array({Reply::string("a"), Reply::string("b")}));
  client.command({"DEL", key, key + ":n", list});
}

TEST(RedisClient, BinarySafeArgumentsAndReplies) {
  Client client(test_options());
  const std::string key = herald::testing::unique_name("client_bin") + "\0key\xff"s;
  const std::string value = "\0\r\n\xff\x01 payload \0"s;
  ASSERT_EQ(value.size(), 15U);
  // vector<string> overload
  EXPECT_TRUE(client.command(std::vector<std::string>{"SET", key, value}).is_status());
  const Reply got = client.command(std::vector<std::string>{"GET", key});
  ASSERT_TRUE(got.is_string());
  EXPECT_EQ(got.as_string(), value);
  EXPECT_EQ(client.command({"STRLEN", key}).as_integer(), 15);
  // initializer_list<string_view> overload with embedded NULs
  const std::string_view view_value("x\0y", 3);
  EXPECT_TRUE(client.command({"SET", key, view_value}).is_status());
  EXPECT_EQ(client.command({"GET", key}).as_string(), "x\0y"s);
  // The key with a NUL in it is distinct from its prefix.
  EXPECT_EQ(client.command({"EXISTS", key.substr(0, key.find('\0'))}).as_integer(), 0);
  client.command({"DEL", key});
}

TEST(RedisClient, ErrorRepliesAreValuesButCheckedThrows) {
  Client client(test_options());
  const std::string key = herald::testing::unique_name("client_err");
  client.command({"SET", key, "not a number"});
  const Reply incr = client.command({"INCR", key});
  ASSERT_TRUE(incr.is_error());
  EXPECT_NE(incr.str().find("not an integer"), std::string::npos) << incr.str();
  EXPECT_TRUE(client.command({"NOSUCHCOMMAND", "x"}).is_error_with_prefix("ERR"));
  EXPECT_THROW(client.checked({"INCR", key}), ReplyError);
  EXPECT_THROW(client.checked(std::vector<std::string>{"INCR", key}), ReplyError);
  // An error reply does not hurt the connection.
  EXPECT_EQ(client.connection_count(), 1U);
  EXPECT_EQ(client.checked({"GET", key}).as_string(), "not a number");
  EXPECT_THROW(client.command(std::vector<std::string>{}), std::invalid_argument);
  client.command({"DEL", key});
}

TEST(RedisClient, PipelineKeepsOrderAndErrors) {
  Client client(test_options());
  const std::string key = herald::testing::unique_name("client_pipe");
  const std::vector<Reply> replies = client.pipeline({
      {"SET", key, "5"},
      {"INCR", key},
      {"HGET", key, "field"},  // WRONGTYPE in the middle
      {"INCRBY", key, "10"},
      {"GET", key},
  });
  ASSERT_EQ(replies.size(), 5U);
  EXPECT_EQ(replies[0], Reply::status("OK"));
  EXPECT_EQ(replies[1], Reply::integer(6));
  EXPECT_TRUE(replies[2].is_error_with_prefix("WRONGTYPE")) << replies[2].describe();
  EXPECT_EQ(replies[3], Reply::integer(16));
  EXPECT_EQ(replies[4], Reply::string("16"));
  EXPECT_TRUE(client.pipeline({}).empty());
  // The connection is still in step after the pipeline.
  EXPECT_EQ(client.command({"GET", key}).as_string(), "16");
  client.command({"DEL", key});
}

TEST(RedisClient, ReconnectsAfterClientKill) {
  Client victim(test_options());
  Client killer(test_options());
  const std::int64_t id_before = victim.command({"CLIENT", "ID"}).as_integer();
  EXPECT_EQ(killer.command({"CLIENT", "KILL", "ID", std::to_string(id_before)}).as_integer(), 1);

  // The very next command on the killed client succeeds, on a new connection.
  const std::int64_t id_after = victim.command({"CLIENT", "ID"}).as_integer();
  EXPECT_NE(id_after, id_before);
  EXPECT_EQ(victim.connection_count(), 2U);
  victim.ping();
}

TEST(RedisClient, ReselectsTheDatabaseAfterReconnect) {
  Options options = test_options();
  options.db = options.db == 1 ? 2 : 1;
  Client other_db(options);
  Client default_db(test_options());
  Client killer(test_options());
  const std::string key = herald::testing::unique_name("client_db");
  other_db.checked({"SET", key, "here"});
  EXPECT_TRUE(default_db.command({"GET", key}).is_nil());

  killer.checked({"CLIENT", "KILL", "ID", std::to_string(other_db.command({"CLIENT", "ID"}).as_integer())});
  EXPECT_EQ(other_db.command({"GET", key}).as_string(), "here");
  EXPECT_EQ(other_db.connection_count(), 2U);
  other_db.command({"DEL", key});
}

TEST(RedisClient, CommandTimeoutDropsTheConnectionAndTheNextCallReconnects) {
  Options options = test_options();
  options.command_timeout = milliseconds{200};
  std::vector<std::string> seen_errors;
  Client client(options, [&](const Error& e) { seen_errors.emplace_back(e.what()); });
  const std::string key = herald::testing::unique_name("client_timeout");
  client.ping();

  const auto start = std::chrono::steady_clock::now();
  try {
    client.command({"BLPOP", key, "5"});
    FAIL() << "BLPOP on an empty list must time out";
  } catch (const Error& e) {
    EXPECT_TRUE(e.is_timeout()) << e.what();
    EXPECT_EQ(e.kind(), Error::Kind::kTimeout);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds{150});
  EXPECT_LT(elapsed, milliseconds{1500});
  EXPECT_FALSE(client.connected());
  ASSERT_EQ(seen_errors.size(), 1U);

  // The next call works, on a fresh connection, and sees no stale BLPOP reply.
  EXPECT_EQ(client.command({"RPUSH", key, "x"}).as_integer(), 1);
  EXPECT_EQ(client.connection_count(), 2U);
  EXPECT_EQ(client.command({"LPOP", key}).as_string(), "x");
  client.command({"DEL", key});
}

TEST(RedisClient, SetCommandTimeoutAppliesToTheLiveConnection) {
  Client client(test_options());
  client.ping();
  client.set_command_timeout(milliseconds{100});
  EXPECT_EQ(client.command_timeout(), milliseconds{100});
  const std::string key = herald::testing::unique_name("client_settimeout");
  EXPECT_THROW(client.command({"BLPOP", key, "3"}), Error);
  client.set_command_timeout(milliseconds{3000});
  // BLOCK 0.3 s now fits into the timeout.
  EXPECT_TRUE(client.command({"BLPOP", key, "0.3"}).is_nil());
}

TEST(RedisClient, ConnectFailureIsAnErrorAndRetriedOnTheNextCall) {
  Options options = test_options();
  options.port = 1;  // nothing listens there
  options.connect_timeout = milliseconds{300};
  Client client(options);
  try {
    client.ping();
    FAIL() << "connecting to port 1 must fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::kConnect) << e.what();
  }
  EXPECT_THROW(client.ping(), Error);
  EXPECT_EQ(client.connection_count(), 0U);
}

TEST(RedisClient, AuthFailureDoesNotLeakThePassword) {
  Options options = test_options();
  options.password = "hunter2-very-secret";  // the test server has no password: AUTH is refused
  Client client(options);
  try {
    client.ping();
    FAIL() << "AUTH against a server without a password must fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::kConnect);
    EXPECT_NE(std::string(e.what()).find("AUTH"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(client.connected());
}

}  // namespace
}  // namespace herald::core::redis
