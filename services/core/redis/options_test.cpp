#include "services/core/redis/options.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace herald::core::redis {
namespace {

constexpr const char* kSecret = "s3cr3t-P4ss";

// The message of the std::invalid_argument thrown by parse_url(url), or "" if it did not throw.
std::string parse_error(const std::string& url) {
  try {
    (void)parse_url(url);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(RedisOptions, ParsesFullUrl) {
  const Options o = parse_url(std::string("redis://:") + kSecret + "@cache.internal:6380/3");
  EXPECT_EQ(o.host, "cache.internal");
  EXPECT_EQ(o.port, 6380);
  EXPECT_EQ(o.password, kSecret);
  EXPECT_EQ(o.db, 3);
  EXPECT_EQ(o.connect_timeout, std::chrono::milliseconds{1000});
  EXPECT_EQ(o.command_timeout, std::chrono::milliseconds{2000});
}

TEST(RedisOptions, DefaultsForOmittedParts) {
  const Options o = parse_url("redis://10.0.0.5");
  EXPECT_EQ(o.host, "10.0.0.5");
  EXPECT_EQ(o.port, 6379);
  EXPECT_EQ(o.password, "");
  EXPECT_EQ(o.db, 0);

  const Options trailing = parse_url("redis://localhost:7000/");
  EXPECT_EQ(trailing.port, 7000);
  EXPECT_EQ(trailing.db, 0);

  const Options db_only = parse_url("REDIS://localhost/15");
  EXPECT_EQ(db_only.port, 6379);
  EXPECT_EQ(db_only.db, 15);
}

TEST(RedisOptions, PasswordWithSpecialCharacters) {
  EXPECT_EQ(parse_url("redis://:p%40ss%3Aw%2Fd@h:1/0").password, "p@ss:w/d");
  // Unencoded '@' and ':' still work: the userinfo ends at the last '@'.
  EXPECT_EQ(parse_url("redis://:a@b:c@h:1/0").password, "a@b:c");
  EXPECT_EQ(parse_url("redis://:a@b:c@h:1/0").host, "h");
  EXPECT_EQ(parse_url("redis://default:pw@h").password, "pw");
}

TEST(RedisOptions, Ipv6Host) {
  const Options o = parse_url("redis://[::1]:6390/2");
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 6390);
  EXPECT_EQ(o.db, 2);
  EXPECT_EQ(parse_url("redis://[fe80::1]").port, 6379);
  EXPECT_EQ(redacted_url(o), "redis://[::1]:6390/2");
}

TEST(RedisOptions, RejectsMalformedUrls) {
  for (const char* url : {"", "http://h:6379", "rediss://h:6379", "redis://", "redis://:6379", "redis://h:",
                          "redis://h:0", "redis://h:65536", "redis://h:12ab", "redis://h/-1", "redis://h/x",
                          "redis://h/1/2", "redis://h?timeout=1", "redis://[::1", "redis://[::1]x",
                          "redis://h:6379:1"}) {
    EXPECT_FALSE(parse_error(url).empty()) << url;
  }
}

TEST(RedisOptions, ErrorMessagesNeverContainThePassword) {
  const std::string secret = kSecret;
  for (const std::string& url :
       {"redis://:" + secret + "@h:notaport/0", "redis://:" + secret + "@h:6379/notadb",
        "redis://:" + secret + "@:6379/0", "redis://" + secret + "@h:6379/0", "redis://admin:" + secret + "@h/0",
        "redis://:" + secret + "%zz@h/0", "redis://:" + secret + "%4@h/0", "rediss://:" + secret + "@h/0",
        "redis://:" + secret + "@h/0?x=1"}) {
    const std::string message = parse_error(url);
    ASSERT_FALSE(message.empty()) << "expected a parse error";
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
  }
}

TEST(RedisOptions, RedactedUrlHidesThePassword) {
  const Options with = parse_url(std::string("redis://:") + kSecret + "@cache:6380/4");
  EXPECT_EQ(redacted_url(with), "redis://:***@cache:6380/4");
  EXPECT_EQ(redacted_url(with).find(kSecret), std::string::npos);

  const Options without = parse_url("redis://cache");
  EXPECT_EQ(redacted_url(without), "redis://cache:6379/0");
  EXPECT_EQ(endpoint(without), "cache:6379");
}

}  // namespace
}  // namespace herald::core::redis
