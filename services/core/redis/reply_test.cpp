#include "services/core/redis/reply.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <string_view>

#include "services/core/redis/error.hpp"
#include "services/core/redis/reply_conversion.hpp"

namespace herald::core::redis {
namespace {

using namespace std::string_literals;

// Parses raw RESP bytes with hiredis' own reader, then converts: the same path as a live reply.
Reply parse_resp(std::string_view bytes) {
  std::unique_ptr<redisReader, void (*)(redisReader*)> reader(redisReaderCreate(), redisReaderFree);
  EXPECT_EQ(redisReaderFeed(reader.get(), bytes.data(), bytes.size()), REDIS_OK);
  void* raw = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader.get(), &raw), REDIS_OK);
  EXPECT_NE(raw, nullptr) << "incomplete RESP";
  if (raw == nullptr) {
    return Reply::error("incomplete");
  }
  Reply reply = detail::convert_reply(*static_cast<const redisReply*>(raw));
  detail::free_reply(raw);
  return reply;
}

TEST(RedisReply, DefaultIsNil) {
  const Reply r;
  EXPECT_TRUE(r.is_nil());
  EXPECT_EQ(r.kind(), Reply::Kind::kNil);
  EXPECT_EQ(r.as_optional_string(), std::nullopt);
  EXPECT_THROW((void)r.as_string(), ReplyError);
  EXPECT_THROW((void)r.as_integer(), ReplyError);
  EXPECT_THROW((void)r.elements(), ReplyError);
}

TEST(RedisReply, TypedAccessors) {
  EXPECT_EQ(Reply::integer(-42).as_integer(), -42);
  EXPECT_EQ(Reply::string("abc").as_string(), "abc");
  EXPECT_EQ(Reply::status("OK").as_string(), "OK");
  EXPECT_EQ(Reply::string("x").as_optional_string(), std::optional<std::string>("x"));
  const Reply arr = Reply::array({Reply::integer(1), Reply::nil()});
  ASSERT_EQ(arr.elements().size(), 2U);
  EXPECT_EQ(arr.elements()[0], Reply::integer(1));
  EXPECT_TRUE(arr.elements()[1].is_nil());
  EXPECT_THROW((void)Reply::string("1").as_integer(), ReplyError);
  EXPECT_THROW((void)Reply::integer(1).as_string(), ReplyError);
}

TEST(RedisReply, ErrorReplyCarriesItsText) {
  const Reply e = Reply::error("WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_TRUE(e.is_error());
  EXPECT_EQ(e.str(), "WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_TRUE(e.is_error_with_prefix("WRONGTYPE"));
  EXPECT_FALSE(e.is_error_with_prefix("NOSCRIPT"));
  EXPECT_FALSE(Reply::string("NOSCRIPT").is_error_with_prefix("NOSCRIPT"));
  try {
    (void)e.as_string();
    FAIL() << "as_string on an error reply must throw";
  } catch (const ReplyError& ex) {
    EXPECT_NE(std::string(ex.what()).find("WRONGTYPE"), std::string::npos);
  }
}

TEST(RedisReply, DescribeEscapesAndTruncates) {
  EXPECT_EQ(Reply::string("a\0b"s).describe(), "string \"a\\x00b\"");
  EXPECT_EQ(Reply::integer(7).describe(), "integer 7");
  const std::string long_text(500, 'x');
  EXPECT_LT(Reply::string(long_text).describe().size(), 120U);
}

TEST(RedisReplyConversion, Scalars) {
  EXPECT_EQ(parse_resp("+OK\r\n"), Reply::status("OK"));
  EXPECT_EQ(parse_resp("-ERR boom\r\n"), Reply::error("ERR boom"));
  EXPECT_EQ(parse_resp(":-9223372036854775808\r\n"), Reply::integer(INT64_MIN));
  EXPECT_EQ(parse_resp("$-1\r\n"), Reply::nil());
  EXPECT_EQ(parse_resp("$0\r\n\r\n"), Reply::string(""));
}

TEST(RedisReplyConversion, BinarySafeStrings) {
  const Reply r = parse_resp("$5\r\na\0\r\n\xff\r\n"s);
  ASSERT_TRUE(r.is_string());
  EXPECT_EQ(r.as_string(), "a\0\r\n\xff"s);
  EXPECT_EQ(r.as_string().size(), 5U);
}

TEST(RedisReplyConversion, NestedArrays) {
  const Reply r = parse_resp("*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n*-1\r\n");
  const Reply expected = Reply::array(
      {Reply::integer(1), Reply::array({Reply::string("a"), Reply::nil()}), Reply::nil()});
  EXPECT_EQ(r, expected);
  EXPECT_EQ(parse_resp("*0\r\n"), Reply::array({}));
}

}  // namespace
}  // namespace herald::core::redis
