#include "herald/adapters/capabilities.hpp"

#include <gtest/gtest.h>

namespace herald::adapters {
namespace {

TEST(CountText, CodePointsAndUtf16DifferOnAstralCharacters) {
  EXPECT_EQ(count_text(TextCounting::kCodePoints, "héllo"), 5);
  EXPECT_EQ(count_text(TextCounting::kCodePoints, "你好"), 2);
  EXPECT_EQ(count_text(TextCounting::kCodePoints, "\xF0\x9F\x98\x80"), 1);  // 😀
  EXPECT_EQ(count_text(TextCounting::kUtf16, "\xF0\x9F\x98\x80"), 2);
  EXPECT_EQ(count_text(TextCounting::kBytes, "你好"), 6);
}

TEST(CountText, TwitterWeighsCjkTwiceAndUrlsAs23) {
  EXPECT_EQ(count_text(TextCounting::kTwitterWeighted, "hello"), 5);
  EXPECT_EQ(count_text(TextCounting::kTwitterWeighted, "你好"), 4);
  EXPECT_EQ(count_text(TextCounting::kTwitterWeighted, "see https://example.com/a/very/long/path/indeed"), 4 + 23);
  EXPECT_EQ(count_text(TextCounting::kTwitterWeighted, "\xF0\x9F\x98\x80"), 2);
}

TEST(CountText, WeiboCountsAsciiAsHalves) {
  EXPECT_EQ(count_text(TextCounting::kWeibo, "微博"), 2);
  EXPECT_EQ(count_text(TextCounting::kWeibo, "ab"), 1);
  EXPECT_EQ(count_text(TextCounting::kWeibo, "abc"), 2);
  EXPECT_EQ(count_text(TextCounting::kWeibo, "微博ab"), 3);
}

TEST(CountText, InvalidUtf8CountsEachBadByte) {
  EXPECT_EQ(count_text(TextCounting::kCodePoints, std::string("a\xFF" "b")), 3);
  EXPECT_EQ(count_text(TextCounting::kCodePoints, std::string("\xE4\xBD")), 2);  // truncated sequence
}

}  // namespace
}  // namespace herald::adapters
