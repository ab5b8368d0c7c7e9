#include "services/publishing/domain/queue_slots.hpp"

#include <gtest/gtest.h>

namespace herald::publishing {
namespace {

using namespace date::literals;  // NOLINT: 2024_y / March / 10 in tests
using date::January, date::February, date::March, date::April, date::May, date::June, date::July, date::August,
    date::September, date::October, date::November, date::December;
using std::chrono::hours;
using std::chrono::minutes;

date::sys_seconds utc(date::year_month_day d, int h, int m = 0) {
  return date::sys_seconds{date::sys_days{d}} + hours{h} + minutes{m};
}

const date::time_zone& zone(const char* name) {
  const auto* z = find_zone(name);
  EXPECT_NE(z, nullptr) << name;
  return *z;
}

std::vector<QueueSlot> weekdays_at(std::vector<std::chrono::minutes> times) {
  return weekly_slots({date::Monday, date::Tuesday, date::Wednesday, date::Thursday, date::Friday}, times);
}

std::string when(const std::optional<ResolvedTime>& t) { return t ? format_utc(t->utc) : "none"; }

TEST(QueueSlots, ParsesTimesOfDay) {
  EXPECT_EQ(parse_time_of_day("09:00"), minutes{540});
  EXPECT_EQ(parse_time_of_day("9:05"), minutes{545});
  EXPECT_EQ(parse_time_of_day("23:59"), minutes{1439});
  for (auto bad : {"24:00", "12:60", "9am", "09:0", ":30", "0900", "-1:00", "09:00:00", ""}) {
    EXPECT_FALSE(parse_time_of_day(bad)) << bad;
  }
}

TEST(QueueSlots, WeeklySlotsAreSortedAndUnique) {
  auto s = weekly_slots({date::Friday, date::Monday, date::Friday}, {hours{18}, hours{9}});
  ASSERT_EQ(s.size(), 4U);
  EXPECT_EQ(s[0], (QueueSlot{date::Monday, hours{9}}));
  EXPECT_EQ(s[3], (QueueSlot{date::Friday, hours{18}}));
  EXPECT_TRUE(validate_slots({}));
  EXPECT_TRUE(validate_slots({QueueSlot{date::Monday, hours{24}}}));
  EXPECT_FALSE(validate_slots(s));
}

// Mon-Fri 09:00 and 18:00 in Shanghai (UTC+8 all year: 01:00Z and 10:00Z).
TEST(QueueSlots, AddToQueueTakesTheNextFreeSlotInShanghai) {
  const auto& sh = zone("Asia/Shanghai");
  const auto slots = weekdays_at({hours{9}, hours{18}});
  const auto friday_10am = utc(2024_y / March / 8, 2);  // Friday 10:00 local
  EXPECT_EQ(when(next_free_slot(slots, sh, friday_10am, {})), "2024-03-08T10:00:00Z");
  // Friday 18:00 taken: over the weekend to Monday 09:00.
  std::vector<date::sys_seconds> taken{utc(2024_y / March / 8, 10)};
  EXPECT_EQ(when(next_free_slot(slots, sh, friday_10am, taken)), "2024-03-11T01:00:00Z");
  taken.push_back(utc(2024_y / March / 11, 1));
  auto next = next_free_slot(slots, sh, friday_10am, taken);
  EXPECT_EQ(when(next), "2024-03-11T10:00:00Z");
  ASSERT_TRUE(next);
  EXPECT_EQ(format_local(next->wall), "2024-03-11T18:00:00");
  // Taken slots in the past or at other times change nothing.
  EXPECT_EQ(when(next_free_slot(slots, sh, friday_10am, {utc(2024_y / March / 7, 10), utc(2024_y / March / 8, 9)})),
            "2024-03-08T10:00:00Z");
}

TEST(QueueSlots, NowAndLeadTimeAreRespected) {
  const auto& sh = zone("Asia/Shanghai");
  const auto slots = weekdays_at({hours{9}, hours{18}});
  // Exactly at a slot: that slot is already due, the next one is offered.
  EXPECT_EQ(when(next_free_slot(slots, sh, utc(2024_y / March / 11, 1), {})), "2024-03-11T10:00:00Z");
  QueueOptions o;
  o.min_lead = minutes{15};
  // 08:50 local with 15 minutes of lead: 09:00 is too close.
  EXPECT_EQ(when(next_free_slot(slots, sh, utc(2024_y / March / 11, 0, 50), {}, o)), "2024-03-11T10:00:00Z");
  EXPECT_EQ(when(next_free_slot(slots, sh, utc(2024_y / March / 11, 0, 40), {}, o)), "2024-03-11T01:00:00Z");
}

TEST(QueueSlots, APostNearASlotCanTakeIt) {
  const auto& sh = zone("Asia/Shanghai");
  const auto slots = weekdays_at({hours{9}});
  const std::vector<date::sys_seconds> taken{utc(2024_y / March / 11, 1, 2)};  // 09:02 local
  const auto now = utc(2024_y / March / 10, 0);
  EXPECT_EQ(when(next_free_slot(slots, sh, now, taken)), "2024-03-11T01:00:00Z");
  QueueOptions o;
  o.occupied_within = minutes{5};
  EXPECT_EQ(when(next_free_slot(slots, sh, now, taken, o)), "2024-03-12T01:00:00Z");
}

TEST(QueueSlots, NineOClockStaysNineOClockAcrossNewYorkDst) {
  const auto& ny = zone("America/New_York");
  const auto slots = weekdays_at({hours{9}});
  const auto friday_noon = utc(2024_y / March / 8, 17);  // 12:00 EST
  auto spring = next_free_slot(slots, ny, friday_noon, {});
  EXPECT_EQ(when(spring), "2024-03-11T13:00:00Z");  // 09:00 EDT, not 14:00Z
  ASSERT_TRUE(spring);
  EXPECT_EQ(format_local(spring->wall), "2024-03-11T09:00:00");
  auto autumn = next_free_slot(slots, ny, utc(2024_y / November / 1, 16), {});  // Friday 12:00 EDT
  EXPECT_EQ(when(autumn), "2024-11-04T14:00:00Z");                              // Monday 09:00 EST
}

TEST(QueueSlots, BerlinGapAndRepeat) {
  const auto& berlin = zone("Europe/Berlin");
  const auto slots = weekly_slots({date::Sunday}, {hours{2}, hours{2} + minutes{30}});
  // 2024-03-31: 02:00 and 02:30 do not exist; both become 03:00 CEST (01:00Z) and count once.
  auto spring = upcoming_slots(slots, berlin, utc(2024_y / March / 30, 12), 2);
  ASSERT_EQ(spring.size(), 2U);
  EXPECT_EQ(format_utc(spring[0].utc), "2024-03-31T01:00:00Z");
  EXPECT_EQ(spring[0].resolution, LocalResolution::kShiftedForward);
  EXPECT_EQ(format_local(spring[0].wall), "2024-03-31T03:00:00");
  EXPECT_EQ(format_utc(spring[1].utc), "2024-04-07T00:00:00Z");  // next Sunday 02:00 CEST
  // Taking the collapsed instant takes both slots of that night.
  EXPECT_EQ(when(next_free_slot(slots, berlin, utc(2024_y / March / 30, 12), {utc(2024_y / March / 31, 1)})),
            "2024-04-07T00:00:00Z");
  // 2024-10-27: 02:00 and 02:30 happen twice; the earlier (CEST) instants are used.
  auto autumn = upcoming_slots(slots, berlin, utc(2024_y / October / 26, 12), 2);
  ASSERT_EQ(autumn.size(), 2U);
  EXPECT_EQ(format_utc(autumn[0].utc), "2024-10-27T00:00:00Z");
  EXPECT_EQ(format_utc(autumn[1].utc), "2024-10-27T00:30:00Z");
  EXPECT_EQ(autumn[1].resolution, LocalResolution::kAmbiguousEarlier);
}

TEST(QueueSlots, FillsSeveralAndGivesUpAtTheHorizon) {
  const auto& sh = zone("Asia/Shanghai");
  const auto slots = weekdays_at({hours{9}, hours{18}});
  const auto friday_10am = utc(2024_y / March / 8, 2);
  auto three = next_free_slots(slots, sh, friday_10am, {utc(2024_y / March / 11, 1)}, 3);
  ASSERT_EQ(three.size(), 3U);
  EXPECT_EQ(format_utc(three[0].utc), "2024-03-08T10:00:00Z");
  EXPECT_EQ(format_utc(three[1].utc), "2024-03-11T10:00:00Z");
  EXPECT_EQ(format_utc(three[2].utc), "2024-03-12T01:00:00Z");

  // Every slot of the next week taken and a one-week horizon: no free slot.
  std::vector<date::sys_seconds> taken;
  for (const auto& t : upcoming_slots(slots, sh, friday_10am, 10)) taken.push_back(t.utc);  // to Fri 15 09:00
  QueueOptions o;
  o.horizon = date::days{7};
  EXPECT_FALSE(next_free_slot(slots, sh, friday_10am, taken, o));
  o.horizon = date::days{14};
  EXPECT_EQ(when(next_free_slot(slots, sh, friday_10am, taken, o)), "2024-03-15T10:00:00Z");
  EXPECT_FALSE(next_free_slot({}, sh, friday_10am, {}));
}

}  // namespace
}  // namespace herald::publishing
