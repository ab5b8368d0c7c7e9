#include "services/publishing/domain/recurrence.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace herald::publishing {
namespace {

using namespace date::literals;  // NOLINT: 2024_y / March / 10 in tests
using date::January, date::February, date::March, date::April, date::May, date::June, date::July, date::August,
    date::September, date::October, date::November, date::December;
using std::chrono::hours;
using std::chrono::minutes;

date::local_seconds at(date::year_month_day d, int h, int m = 0) {
  return date::local_seconds{date::local_days{d}} + hours{h} + minutes{m};
}
date::sys_seconds utc(date::year_month_day d, int h, int m = 0) {
  return date::sys_seconds{date::sys_days{d}} + hours{h} + minutes{m};
}

const date::time_zone& zone(const char* name) {
  const auto* z = find_zone(name);
  EXPECT_NE(z, nullptr) << name;
  return *z;
}

Rule rule(std::string_view text) {
  auto r = parse_rrule(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error;
  return r.rule.value_or(Rule{});
}

std::vector<std::string> utc_strings(const std::vector<Occurrence>& occ) {
  std::vector<std::string> out;
  for (const auto& o : occ) out.push_back(format_utc(o.utc));
  return out;
}
std::vector<std::string> wall_strings(const std::vector<Occurrence>& occ) {
  std::vector<std::string> out;
  for (const auto& o : occ) out.push_back(format_local(o.wall));
  return out;
}

// Just before DTSTART, so the first occurrence is included.
const date::sys_seconds kLongAgo = utc(1970_y / January / 1, 0);

TEST(RecurrenceParse, AcceptsTheSubsetAndPrintsItCanonically) {
  auto r = rule("RRULE:freq=weekly;interval=2;byday=mo,we;count=10");
  EXPECT_EQ(r.frequency, Frequency::kWeekly);
  EXPECT_EQ(r.interval, 2);
  ASSERT_EQ(r.by_day.size(), 2U);
  EXPECT_EQ(r.by_day[1].weekday, date::Wednesday);
  EXPECT_EQ(r.count, 10);
  EXPECT_EQ(to_string(r), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10");

  for (std::string_view text : {"FREQ=MONTHLY;BYDAY=2TU,-1FR", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1;UNTIL=20241231",
                                "FREQ=DAILY;UNTIL=20240310T090000Z", "FREQ=DAILY;UNTIL=20240310T090000",
                                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"}) {
    auto parsed = rule(text);
    EXPECT_EQ(to_string(parsed), text);
    EXPECT_EQ(rule(to_string(parsed)), parsed) << text;
  }
  auto monthly = rule("FREQ=MONTHLY;BYDAY=-1FR");
  EXPECT_EQ(monthly.by_day[0].ordinal, -1);
  EXPECT_EQ(monthly.by_day[0].weekday, date::Friday);
}

TEST(RecurrenceParse, ExplainsWhatIsWrong) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "empty"},
      {"RRULE:", "empty"},
      {"INTERVAL=2", "FREQ is missing"},
      {"FREQ=YEARLY", "FREQ=YEARLY is not supported"},
      {"FREQ=FORTNIGHTLY", "not a frequency"},
      {"FREQ=DAILY;INTERVAL=0", "INTERVAL must be a whole number from 1 to 1000, not '0'"},
      {"FREQ=DAILY;INTERVAL=two", "INTERVAL must be"},
      {"FREQ=DAILY;COUNT=-3", "COUNT must be"},
      {"FREQ=DAILY;COUNT=3;UNTIL=20240101", "COUNT and UNTIL cannot both be given"},
      {"FREQ=WEEKLY;BYDAY=MO,XX", "BYDAY value 'XX' is not a weekday"},
      {"FREQ=WEEKLY;BYDAY=2TU", "ordinal weekdays are only allowed with FREQ=MONTHLY"},
      {"FREQ=MONTHLY;BYDAY=6TU", "a monthly ordinal must be 1..5 or -1..-5"},
      {"FREQ=MONTHLY;BYDAY=0TU", "bad ordinal"},
      {"FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY is only supported with FREQ=MONTHLY"},
      {"FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY value '0' must be 1..31 or -31..-1"},
      {"FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY value '32'"},
      {"FREQ=DAILY;UNTIL=20240230", "UNTIL '20240230' is not a date"},
      {"FREQ=DAILY;UNTIL=20240301T250000Z", "is not a date"},
      {"FREQ=DAILY;BYHOUR=9", "BYHOUR is not supported"},
      {"FREQ=DAILY;COLOR=RED", "COLOR is not an RRULE part"},
      {"FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice"},
      {"FREQ=DAILY;;COUNT=2", "empty part"},
      {"FREQ=DAILY;COUNT", "is not NAME=VALUE"},
      {"FREQ=DAILY;COUNT=", "COUNT has no value"},
      {"FREQ=DAILY;WKST=XY", "WKST 'XY' is not a weekday"},
  };
  for (const auto& [text, expected] : cases) {
    auto r = parse_rrule(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error.find(expected), std::string::npos) << text << " -> " << r.error;
  }
}

TEST(Recurrence, WeeklyAtNineStaysAtNineAcrossNewYorkTransitions) {
  const auto& ny = zone("America/New_York");
  auto r = rule("FREQ=WEEKLY;BYDAY=MO");
  auto spring = next_occurrences(r, at(2024_y / March / 4, 9), ny, kLongAgo, 3);
  EXPECT_EQ(utc_strings(spring),
            (std::vector<std::string>{"2024-03-04T14:00:00Z", "2024-03-11T13:00:00Z", "2024-03-18T13:00:00Z"}));
  EXPECT_EQ(wall_strings(spring),
            (std::vector<std::string>{"2024-03-04T09:00:00", "2024-03-11T09:00:00", "2024-03-18T09:00:00"}));
  auto autumn = next_occurrences(r, at(2024_y / October / 28, 9), ny, kLongAgo, 2);
  EXPECT_EQ(utc_strings(autumn), (std::vector<std::string>{"2024-10-28T13:00:00Z", "2024-11-04T14:00:00Z"}));
  for (const auto& o : autumn) EXPECT_EQ(o.resolution, LocalResolution::kExact);
}

TEST(Recurrence, DailyAtNineAcrossBerlinTransitions) {
  const auto& berlin = zone("Europe/Berlin");
  auto r = rule("FREQ=DAILY");
  EXPECT_EQ(utc_strings(next_occurrences(r, at(2024_y / March / 30, 9), berlin, kLongAgo, 2)),
            (std::vector<std::string>{"2024-03-30T08:00:00Z", "2024-03-31T07:00:00Z"}));
  EXPECT_EQ(utc_strings(next_occurrences(r, at(2024_y / October / 26, 9), berlin, kLongAgo, 2)),
            (std::vector<std::string>{"2024-10-26T07:00:00Z", "2024-10-27T08:00:00Z"}));
}

TEST(Recurrence, ShanghaiHasNoDaylightSaving) {
  const auto& sh = zone("Asia/Shanghai");
  auto r = rule("FREQ=WEEKLY;BYDAY=MO,FR");
  auto occ = next_occurrences(r, at(2024_y / March / 8, 9), sh, kLongAgo, 4);  // a Friday
  EXPECT_EQ(utc_strings(occ), (std::vector<std::string>{"2024-03-08T01:00:00Z", "2024-03-11T01:00:00Z",
                                                        "2024-03-15T01:00:00Z", "2024-03-18T01:00:00Z"}));
  auto nov = next_occurrences(rule("FREQ=DAILY"), at(2024_y / November / 2, 9), sh, kLongAgo, 3);
  for (const auto& o : nov) EXPECT_EQ(date::format("%H:%M", o.utc), "01:00");
}

TEST(Recurrence, ANonexistentTimeMovesForwardAndAnAmbiguousOneTakesTheEarlierInstant) {
  const auto& ny = zone("America/New_York");
  auto gap = next_occurrences(rule("FREQ=DAILY"), at(2024_y / March / 9, 2, 30), ny, kLongAgo, 3);
  ASSERT_EQ(gap.size(), 3U);
  EXPECT_EQ(utc_strings(gap),
            (std::vector<std::string>{"2024-03-09T07:30:00Z", "2024-03-10T07:00:00Z", "2024-03-11T06:30:00Z"}));
  EXPECT_EQ(gap[1].resolution, LocalResolution::kShiftedForward);
  EXPECT_EQ(format_local(gap[1].wall), "2024-03-10T03:00:00");
  EXPECT_EQ(format_local(gap[1].intended), "2024-03-10T02:30:00");
  EXPECT_EQ(format_local(gap[2].wall), "2024-03-11T02:30:00");  // back to the wall time meant

  auto twice = next_occurrences(rule("FREQ=DAILY"), at(2024_y / November / 2, 1, 30), ny, kLongAgo, 3);
  EXPECT_EQ(utc_strings(twice),
            (std::vector<std::string>{"2024-11-02T05:30:00Z", "2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z"}));
  EXPECT_EQ(twice[1].resolution, LocalResolution::kAmbiguousEarlier);

  const auto& berlin = zone("Europe/Berlin");
  auto b = next_occurrences(rule("FREQ=WEEKLY"), at(2024_y / March / 24, 2, 30), berlin, kLongAgo, 2);
  EXPECT_EQ(utc_strings(b), (std::vector<std::string>{"2024-03-24T01:30:00Z", "2024-03-31T01:00:00Z"}));
}

TEST(Recurrence, MonthlyOrdinalWeekdays) {
  const auto& berlin = zone("Europe/Berlin");
  auto second_tuesday =
      next_occurrences(rule("FREQ=MONTHLY;BYDAY=2TU"), at(2024_y / January / 1, 9), berlin, kLongAgo, 4);
  EXPECT_EQ(wall_strings(second_tuesday), (std::vector<std::string>{"2024-01-09T09:00:00", "2024-02-13T09:00:00",
                                                                    "2024-03-12T09:00:00", "2024-04-09T09:00:00"}));
  auto last_friday =
      next_occurrences(rule("FREQ=MONTHLY;BYDAY=-1FR"), at(2024_y / January / 1, 9), berlin, kLongAgo, 4);
  EXPECT_EQ(utc_strings(last_friday), (std::vector<std::string>{"2024-01-26T08:00:00Z", "2024-02-23T08:00:00Z",
                                                                "2024-03-29T08:00:00Z", "2024-04-26T07:00:00Z"}));
  // A 5th Monday exists only in some months; the others are skipped.
  auto fifth_monday =
      next_occurrences(rule("FREQ=MONTHLY;BYDAY=5MO"), at(2024_y / January / 1, 9), berlin, kLongAgo, 3);
  EXPECT_EQ(wall_strings(fifth_monday),
            (std::vector<std::string>{"2024-01-29T09:00:00", "2024-04-29T09:00:00", "2024-07-29T09:00:00"}));
}

TEST(Recurrence, MonthDaysThatDoNotExistAreSkipped) {
  const auto& sh = zone("Asia/Shanghai");
  auto d31 = next_occurrences(rule("FREQ=MONTHLY;BYMONTHDAY=31"), at(2024_y / January / 31, 9), sh, kLongAgo, 4);
  EXPECT_EQ(wall_strings(d31), (std::vector<std::string>{"2024-01-31T09:00:00", "2024-03-31T09:00:00",
                                                         "2024-05-31T09:00:00", "2024-07-31T09:00:00"}));
  auto plain = next_occurrences(rule("FREQ=MONTHLY"), at(2024_y / January / 31, 9), sh, kLongAgo, 2);
  EXPECT_EQ(wall_strings(plain), (std::vector<std::string>{"2024-01-31T09:00:00", "2024-03-31T09:00:00"}));
  auto last = next_occurrences(rule("FREQ=MONTHLY;BYMONTHDAY=-1"), at(2024_y / January / 31, 9), sh, kLongAgo, 4);
  EXPECT_EQ(wall_strings(last), (std::vector<std::string>{"2024-01-31T09:00:00", "2024-02-29T09:00:00",
                                                          "2024-03-31T09:00:00", "2024-04-30T09:00:00"}));
  auto friday13 =
      next_occurrences(rule("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13"), at(2024_y / January / 1, 9), sh, kLongAgo, 3);
  EXPECT_EQ(wall_strings(friday13),
            (std::vector<std::string>{"2024-09-13T09:00:00", "2024-12-13T09:00:00", "2025-06-13T09:00:00"}));
}

// RFC 5545 section 3.3.10's own WKST example: the week start changes which days an
// every-other-week rule picks.
TEST(Recurrence, WeekStartMattersForEveryOtherWeek) {
  const auto& ny = zone("America/New_York");
  auto mo = next_occurrences(rule("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO"), at(1997_y / August / 5, 9), ny,
                             kLongAgo, 10);
  EXPECT_EQ(wall_strings(mo), (std::vector<std::string>{"1997-08-05T09:00:00", "1997-08-10T09:00:00",
                                                        "1997-08-19T09:00:00", "1997-08-24T09:00:00"}));
  auto su = next_occurrences(rule("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU"), at(1997_y / August / 5, 9), ny,
                             kLongAgo, 10);
  EXPECT_EQ(wall_strings(su), (std::vector<std::string>{"1997-08-05T09:00:00", "1997-08-17T09:00:00",
                                                        "1997-08-19T09:00:00", "1997-08-31T09:00:00"}));
}

TEST(Recurrence, CountIsCountedFromTheStartEvenWhenAskingLater) {
  const auto& sh = zone("Asia/Shanghai");
  auto r = rule("FREQ=WEEKLY;COUNT=3");
  auto all = next_occurrences(r, at(2024_y / March / 4, 9), sh, kLongAgo, 10);
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[2].number, 3);
  auto rest = next_occurrences(r, at(2024_y / March / 4, 9), sh, all[1].utc, 10);
  ASSERT_EQ(rest.size(), 1U);
  EXPECT_EQ(rest[0].utc, all[2].utc);
  EXPECT_EQ(rest[0].number, 3);
  EXPECT_TRUE(next_occurrences(r, at(2024_y / March / 4, 9), sh, all[2].utc, 10).empty());
}

TEST(Recurrence, UntilInItsThreeForms) {
  const auto& ny = zone("America/New_York");
  const auto start = at(2024_y / March / 8, 9);
  // UTC instant, inclusive: 2024-03-11 09:00 EDT is 13:00Z.
  EXPECT_EQ(next_occurrences(rule("FREQ=DAILY;UNTIL=20240311T130000Z"), start, ny, kLongAgo, 10).size(), 4U);
  EXPECT_EQ(next_occurrences(rule("FREQ=DAILY;UNTIL=20240311T125959Z"), start, ny, kLongAgo, 10).size(), 3U);
  // A local date: through that day.
  EXPECT_EQ(next_occurrences(rule("FREQ=DAILY;UNTIL=20240311"), start, ny, kLongAgo, 10).size(), 4U);
  // A local wall time.
  EXPECT_EQ(next_occurrences(rule("FREQ=DAILY;UNTIL=20240311T085959"), start, ny, kLongAgo, 10).size(), 3U);
}

TEST(Recurrence, DtstartOffTheRuleIsNotAnOccurrence) {
  const auto& sh = zone("Asia/Shanghai");
  auto occ = next_occurrences(rule("FREQ=WEEKLY;BYDAY=MO"), at(2024_y / March / 6, 9), sh, kLongAgo, 1);  // Wed
  ASSERT_EQ(occ.size(), 1U);
  EXPECT_EQ(format_local(occ[0].wall), "2024-03-11T09:00:00");
  auto weekdays = next_occurrences(rule("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"), at(2024_y / March / 8, 9), sh, kLongAgo, 2);
  EXPECT_EQ(wall_strings(weekdays), (std::vector<std::string>{"2024-03-08T09:00:00", "2024-03-11T09:00:00"}));
}

TEST(Recurrence, AfterIsStrictAndFarFutureQueriesJumpAhead) {
  const auto& sh = zone("Asia/Shanghai");
  auto r = rule("FREQ=DAILY;INTERVAL=3");
  const auto start = at(2020_y / January / 1, 9);
  auto occ = next_occurrences(r, start, sh, utc(2020_y / January / 4, 1), 2);  // exactly the 2nd occurrence
  EXPECT_EQ(utc_strings(occ), (std::vector<std::string>{"2020-01-07T01:00:00Z", "2020-01-10T01:00:00Z"}));
  // 2030-06-15 is day 3818 after the start; 3819 (2030-06-16) is the next multiple of 3.
  auto later = next_occurrences(r, start, sh, utc(2030_y / June / 15, 12), 1);
  ASSERT_EQ(later.size(), 1U);
  EXPECT_EQ(format_utc(later[0].utc), "2030-06-16T01:00:00Z");
  auto monthly =
      next_occurrences(rule("FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=10"), start, sh, utc(2031_y / January / 1, 0), 1);
  ASSERT_EQ(monthly.size(), 1U);
  EXPECT_EQ(format_local(monthly[0].wall), "2031-04-10T09:00:00");  // 2020-01 + 135 months
}

TEST(Recurrence, ARuleThatNeverMatchesEndsAndLimitsHold) {
  const auto& sh = zone("Asia/Shanghai");
  EXPECT_TRUE(
      next_occurrences(rule("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31"), at(2024_y / April / 30, 9), sh, kLongAgo, 5)
          .empty());
  EXPECT_EQ(next_occurrences(rule("FREQ=DAILY"), at(2024_y / April / 30, 9), sh, kLongAgo, 5).size(), 5U);
  EXPECT_TRUE(next_occurrences(rule("FREQ=DAILY"), at(2024_y / April / 30, 9), sh, kLongAgo, 0).empty());
  EXPECT_EQ(next_occurrences(rule("FREQ=DAILY"), at(2024_y / April / 30, 9), sh, kLongAgo, 5000).size(),
            kMaxOccurrencesPerCall);
}

}  // namespace
}  // namespace herald::publishing
