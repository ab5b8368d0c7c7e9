#include "services/core/util/instant.hpp"

#include <gtest/gtest.h>

namespace herald::core {
namespace {

TEST(Instant, ParsesUtcAndOffsets) {
  EXPECT_EQ(parse_instant_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_instant_ms("2026-12-01T18:00:00Z"), 1796148000000);
  EXPECT_EQ(parse_instant_ms("2026-12-02T02:00:00+08:00"), 1796148000000);
  EXPECT_EQ(parse_instant_ms("2026-12-01T13:00:00.5-05:00"), 1796148000500);
  EXPECT_EQ(parse_instant_ms("2026-12-01t18:00:00.123z"), 1796148000123);
}

TEST(Instant, RefusesMalformed) {
  for (const char* bad : {"", "2026-12-01", "2026-12-01T18:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-12-01T24:00:00Z", "2026-12-01T18:00:00+8:00", "2026-12-01T18:00:00.Z",
                          "2026-12-01T18:00:00Zjunk"}) {
    EXPECT_FALSE(parse_instant_ms(bad).has_value()) << bad;
  }
}

TEST(Instant, FormatsWhatItParses) {
  EXPECT_EQ(format_instant_ms(1796148000123), "2026-12-01T18:00:00.123Z");
  EXPECT_EQ(format_instant_ms(0), "1970-01-01T00:00:00.000Z");
  for (std::int64_t ms : {std::int64_t{1}, std::int64_t{1796148000999}, std::int64_t{4102444800000}}) {
    EXPECT_EQ(parse_instant_ms(format_instant_ms(ms)), ms);
  }
}

}  // namespace
}  // namespace herald::core
