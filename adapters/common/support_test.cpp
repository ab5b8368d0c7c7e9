#include "herald/adapters/support.hpp"

#include <gtest/gtest.h>

namespace herald::adapters {
namespace {

TEST(Support, JsonFieldsAcceptStringsAndNumbers) {
  auto j = nlohmann::json::parse(R"({"id":"17","n":42,"s":"9","f":1.5,"o":{}})");
  EXPECT_EQ(json_string(j, "id"), "17");
  EXPECT_EQ(json_string(j, "n"), "42");
  EXPECT_EQ(json_string(j, "o"), "");
  EXPECT_EQ(json_string(j, "missing"), "");
  EXPECT_EQ(json_int(j, "s"), 9);
  EXPECT_EQ(json_int(j, "n"), 42);
  EXPECT_EQ(json_int(j, "f"), 1);
  EXPECT_FALSE(json_int(j, "id2"));
  EXPECT_EQ(json_string(nlohmann::json::array(), "id"), "");
  EXPECT_TRUE(json_at(j, "missing").is_null());
  EXPECT_TRUE(json_at(nlohmann::json::array(), "o").is_null());
  EXPECT_TRUE(json_at(j, "o").is_object());
  auto b = nlohmann::json::parse(R"({"t":true,"n":null})");
  EXPECT_TRUE(json_bool(b, "t"));
  EXPECT_FALSE(json_bool(b, "n"));
  EXPECT_TRUE(json_bool(b, "n", true));
}

TEST(Support, ParsesPlatformTimestamps) {
  EXPECT_EQ(parse_time("1970-01-01T00:01:40Z"), 100);
  EXPECT_EQ(parse_time("2024-05-01T12:00:00.123Z"), 1714564800);
  EXPECT_EQ(parse_time("2024-05-01T12:00:00+0000"), 1714564800);  // Graph API
  EXPECT_EQ(parse_time("2024-05-01T14:00:00+02:00"), 1714564800);
  EXPECT_FALSE(parse_time("2024-05-01"));
  EXPECT_FALSE(parse_time("2024-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_time("2024-05-01T12:00:00Zjunk"));
  EXPECT_EQ(format_time(1714564800), "2024-05-01T12:00:00.000Z");
}

TEST(Support, BasicAuthIsRfc7617) {
  EXPECT_EQ(basic_auth("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

}  // namespace
}  // namespace herald::adapters
