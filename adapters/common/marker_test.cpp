#include "herald/adapters/marker.hpp"

#include <gtest/gtest.h>

#include "herald/adapters/capabilities.hpp"

namespace herald::adapters {
namespace {

TEST(Marker, InvisibleFixedLengthAndDistinct) {
  auto s = invisible_marker("tgt_123");
  EXPECT_EQ(count_text(TextCounting::kCodePoints, s), kInvisibleMarkerCodePoints);
  EXPECT_EQ(count_text(TextCounting::kUtf16, s), kInvisibleMarkerCodePoints);
  EXPECT_EQ(s.size(), static_cast<std::size_t>(kInvisibleMarkerCodePoints) * 3);  // 3 UTF-8 bytes each
  for (std::size_t i = 0; i < s.size(); i += 3) {
    auto cp = s.substr(i, 3);
    EXPECT_TRUE(cp == "\xE2\x80\x8B" || cp == "\xE2\x80\x8C" || cp == "\xE2\x80\x8D" || cp == "\xE2\x81\xA0");
  }
  EXPECT_TRUE(invisible_marker("").empty());
  EXPECT_EQ(invisible_marker("a"), invisible_marker("a"));
  EXPECT_NE(invisible_marker("a"), invisible_marker("b"));
}

}  // namespace
}  // namespace herald::adapters
