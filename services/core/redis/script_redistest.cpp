#include "services/core/redis/script.hpp"

#include <gtest/gtest.h>

#include <string>

#include "services/core/redis/error.hpp"
#include "tests/support/test_env.hpp"

namespace herald::core::redis {
namespace {

using namespace std::string_literals;

Options test_options() { return parse_url(herald::testing::redis_url()); }

// A unique source per test, so tests running in parallel never share a SHA.
std::string unique_source(const std::string& body) {
  return "-- " + herald::testing::unique_name("script") + "\n" + body;
}

TEST(RedisScriptLive, ShaMatchesScriptLoad) {
  Client client(test_options());
  const Script script("sum", unique_source("return tonumber(ARGV[1]) + tonumber(ARGV[2])"));
  const Reply loaded = client.checked({"SCRIPT", "LOAD", script.source()});
  EXPECT_EQ(loaded.as_string(), script.sha());
  EXPECT_NO_THROW(script.load(client));
}

TEST(RedisScriptLive, EvalWithKeysAndBinaryArgs) {
  Client client(test_options());
  const Script script("setget", unique_source("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])"));
  const std::string key = herald::testing::unique_name("script_key");
  const std::string value = "bin\0\xff\r\n"s;
  const Reply reply = script.eval(client, {key}, {value});
  ASSERT_TRUE(reply.is_string()) << reply.describe();
  EXPECT_EQ(reply.as_string(), value);
  EXPECT_EQ(client.command({"GET", key}).as_string(), value);
  client.command({"DEL", key});
}

TEST(RedisScriptLive, FirstEvalLoadsAnUnknownScript) {
  Client client(test_options());
  const Script script("fresh", unique_source("return 7"));
  EXPECT_EQ(client.command({"SCRIPT", "EXISTS", script.sha()}), Reply::array({Reply::integer(0)}));
  EXPECT_EQ(script.eval(client, {}, {}), Reply::integer(7));
  EXPECT_EQ(client.command({"SCRIPT", "EXISTS", script.sha()}), Reply::array({Reply::integer(1)}));
}

TEST(RedisScriptLive, RecoversFromScriptFlush) {
  Client client(test_options());
  const Script script("echo", unique_source("return ARGV[1]"));
  EXPECT_EQ(script.eval(client, {}, {"a"}), Reply::string("a"));
  client.checked({"SCRIPT", "FLUSH"});
  EXPECT_EQ(client.command({"SCRIPT", "EXISTS", script.sha()}), Reply::array({Reply::integer(0)}));
  EXPECT_EQ(script.eval(client, {}, {"b"}), Reply::string("b"));
}

TEST(RedisScriptLive, LuaErrorsAreErrorReplies) {
  Client client(test_options());
  const Script script("fails", unique_source("return redis.error_reply('HERALD_FENCE down')"));
  const Reply reply = script.eval(client, {}, {});
  EXPECT_TRUE(reply.is_error_with_prefix("HERALD_FENCE")) << reply.describe();

  const Script broken("broken", "this is not lua(");
  EXPECT_THROW(broken.load(client), ReplyError);
  EXPECT_THROW(broken.eval(client, {}, {}), ReplyError);
  client.ping();  // still usable
}

}  // namespace
}  // namespace herald::core::redis
