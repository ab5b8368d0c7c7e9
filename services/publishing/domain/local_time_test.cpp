#include "services/publishing/domain/local_time.hpp"

#include <gtest/gtest.h>

namespace herald::publishing {
namespace {

using namespace date::literals;  // NOLINT: 2024_y / March / 10 in tests
using date::January, date::February, date::March, date::April, date::May, date::June, date::July, date::August,
    date::September, date::October, date::November, date::December;
using std::chrono::hours;
using std::chrono::minutes;

date::local_seconds at(date::year_month_day d, int h, int m) {
  return date::local_seconds{date::local_days{d}} + hours{h} + minutes{m};
}

const date::time_zone& zone(const char* name) {
  const auto* z = find_zone(name);
  EXPECT_NE(z, nullptr) << name;
  return *z;
}

TEST(LocalTime, UnknownZonesAreNull) {
  EXPECT_EQ(find_zone("Mars/Olympus_Mons"), nullptr);
  EXPECT_EQ(find_zone(""), nullptr);
  EXPECT_NE(find_zone("Asia/Shanghai"), nullptr);
}

TEST(LocalTime, ExactTimesUseTheOffsetInForceThatDay) {
  const auto& ny = zone("America/New_York");
  auto winter = resolve_local(ny, at(2024_y / January / 15, 9, 0));
  EXPECT_EQ(format_utc(winter.utc), "2024-01-15T14:00:00Z");
  EXPECT_EQ(winter.resolution, LocalResolution::kExact);
  auto summer = resolve_local(ny, at(2024_y / July / 15, 9, 0));
  EXPECT_EQ(format_utc(summer.utc), "2024-07-15T13:00:00Z");
  EXPECT_EQ(summer.wall, summer.intended);
}

TEST(LocalTime, TheSpringGapMovesForwardToItsEnd) {
  const auto& ny = zone("America/New_York");
  auto r = resolve_local(ny, at(2024_y / March / 10, 2, 30));
  EXPECT_EQ(r.resolution, LocalResolution::kShiftedForward);
  EXPECT_EQ(format_utc(r.utc), "2024-03-10T07:00:00Z");
  EXPECT_EQ(format_local(r.wall), "2024-03-10T03:00:00");
  EXPECT_EQ(format_local(r.intended), "2024-03-10T02:30:00");
  const auto& berlin = zone("Europe/Berlin");
  auto b = resolve_local(berlin, at(2024_y / March / 31, 2, 15));
  EXPECT_EQ(b.resolution, LocalResolution::kShiftedForward);
  EXPECT_EQ(format_utc(b.utc), "2024-03-31T01:00:00Z");
  EXPECT_EQ(format_local(b.wall), "2024-03-31T03:00:00");
}

TEST(LocalTime, TheAutumnRepeatTakesTheEarlierInstant) {
  const auto& ny = zone("America/New_York");
  auto r = resolve_local(ny, at(2024_y / November / 3, 1, 30));
  EXPECT_EQ(r.resolution, LocalResolution::kAmbiguousEarlier);
  EXPECT_EQ(format_utc(r.utc), "2024-11-03T05:30:00Z");  // 01:30 EDT, not 06:30 (EST)
  EXPECT_EQ(r.wall, r.intended);
  const auto& berlin = zone("Europe/Berlin");
  auto b = resolve_local(berlin, at(2024_y / October / 27, 2, 30));
  EXPECT_EQ(b.resolution, LocalResolution::kAmbiguousEarlier);
  EXPECT_EQ(format_utc(b.utc), "2024-10-27T00:30:00Z");  // 02:30 CEST
}

}  // namespace
}  // namespace herald::publishing
