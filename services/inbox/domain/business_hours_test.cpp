#include "services/inbox/domain/business_hours.hpp"

#include <gtest/gtest.h>

namespace herald::inbox {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

BusinessHours hours(const json& j) {
  BusinessHours h;
  HoursError e;
  EXPECT_TRUE(parse_business_hours(j, h, e)) << e.field << ": " << e.message;
  return h;
}

// A day's opening hours as JSON ([["09:00", "18:00"], ...]); spelled out because a braced list
// of string pairs would make nlohmann::json build an object.
nlohmann::json spans(std::initializer_list<std::pair<const char*, const char*>> list) {
  auto out = nlohmann::json::array();
  for (const auto& [a, b] : list) out.push_back(nlohmann::json::array({a, b}));
  return out;
}

date::sys_seconds utc(const std::string& s) {
  std::istringstream in(s);
  date::sys_seconds t{};
  in >> date::parse("%FT%TZ", t);
  EXPECT_FALSE(in.fail()) << s;
  return t;
}

std::string iso(date::sys_seconds t) { return date::format("%FT%TZ", t); }

const json kOffice = {{"timezone", "Asia/Shanghai"},
                      {"weekly",
                       {{"mon", spans({{"09:00", "18:00"}})},
                        {"tue", spans({{"09:00", "12:00"}, {"13:00", "18:00"}})},
                        {"wed", spans({{"09:00", "18:00"}})},
                        {"thu", spans({{"09:00", "18:00"}})},
                        {"fri", spans({{"09:00", "18:00"}})}}},
                      {"holidays", json::array({"2026-10-01"})}};

TEST(BusinessHours, AlwaysOpenIsPlainElapsedTime) {
  EXPECT_EQ(iso(add_business_time(utc("2026-12-04T10:00:00Z"), 3600s, nullptr)), "2026-12-04T11:00:00Z");
}

TEST(BusinessHours, TheClockStopsOutsideOpeningHours) {
  auto h = hours(kOffice);
  // Friday 17:00 in Shanghai (09:00 UTC) + 2 h: one hour on Friday, one on Monday from 09:00.
  EXPECT_EQ(iso(add_business_time(utc("2026-12-04T09:00:00Z"), 2h, &h)), "2026-12-07T02:00:00Z");
  // Arriving on a Sunday, or before opening on a Monday: counted from 09:00 Monday.
  EXPECT_EQ(iso(add_business_time(utc("2026-12-06T03:00:00Z"), 1h, &h)), "2026-12-07T02:00:00Z");
  EXPECT_EQ(iso(add_business_time(utc("2026-12-06T23:00:00Z"), 30min, &h)), "2026-12-07T01:30:00Z");
  // Tuesday 11:30 + 1 h: the lunch break does not count, so 13:30.
  EXPECT_EQ(iso(add_business_time(utc("2026-12-08T03:30:00Z"), 1h, &h)), "2026-12-08T05:30:00Z");
  // At closing time the clock resumes on the next open day; a whole Monday (9 h) ends at its close.
  EXPECT_EQ(iso(add_business_time(utc("2026-12-07T10:00:00Z"), 9h, &h)), "2026-12-09T02:00:00Z");  // Tuesday has 8 h
  EXPECT_EQ(iso(add_business_time(utc("2026-12-07T01:00:00Z"), 9h, &h)), "2026-12-07T10:00:00Z");
}

TEST(BusinessHours, HolidaysAreClosedAllDay) {
  auto h = hours(kOffice);
  // Wednesday 30 September 17:00 + 2 h: 1 October (a Thursday) is a holiday, so Friday 10:00.
  EXPECT_EQ(iso(add_business_time(utc("2026-09-30T09:00:00Z"), 2h, &h)), "2026-10-02T02:00:00Z");
  EXPECT_FALSE(is_open(utc("2026-10-01T03:00:00Z"), h));
  EXPECT_TRUE(is_open(utc("2026-10-02T03:00:00Z"), h));
  EXPECT_FALSE(is_open(utc("2026-10-02T04:30:00Z") - 24h * 3, h));  // Tuesday 12:30, lunch
}

TEST(BusinessHours, ADaylightSavingChangeNeitherAddsNorLosesBusinessTime) {
  // Open around the clock in New York: business time is elapsed time, even across the night
  // of 10 March 2024 that has 23 hours.
  auto always = hours({{"timezone", "America/New_York"},
                       {"weekly", {{"mon", spans({{"00:00", "24:00"}})}, {"tue", spans({{"00:00", "24:00"}})}, {"wed", spans({{"00:00", "24:00"}})},
                                   {"thu", spans({{"00:00", "24:00"}})}, {"fri", spans({{"00:00", "24:00"}})}, {"sat", spans({{"00:00", "24:00"}})},
                                   {"sun", spans({{"00:00", "24:00"}})}}}});
  auto start = utc("2024-03-09T17:00:00Z");  // Saturday 12:00 EST
  EXPECT_EQ(add_business_time(start, 24h, &always), start + 24h);
  // 09:00-17:00 on weekdays: Friday 16:00 EST + 2 h is Monday 10:00 EDT (14:00 UTC, not 15:00).
  auto office = hours({{"timezone", "America/New_York"},
                       {"weekly", {{"mon", spans({{"09:00", "17:00"}})}, {"fri", spans({{"09:00", "17:00"}})}}}});
  EXPECT_EQ(iso(add_business_time(utc("2024-03-08T21:00:00Z"), 2h, &office)), "2024-03-11T14:00:00Z");
}

TEST(BusinessHours, BadHoursAreRefusedNamingTheField) {
  auto refused = [](const json& j) {
    BusinessHours h;
    HoursError e;
    EXPECT_FALSE(parse_business_hours(j, h, e)) << j.dump();
    return e.field + ": " + e.message;
  };
  EXPECT_EQ(refused(json::array()).rfind("business_hours: ", 0), 0u);
  EXPECT_NE(refused({{"weekly", {{"mon", spans({{"09:00", "18:00"}})}}}}).find("business_hours.timezone"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "Mars/Base"}, {"weekly", {{"mon", spans({{"09:00", "18:00"}})}}}}).find("unknown time zone 'Mars/Base'"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "UTC"}, {"weekly", {{"monday", json::array()}}}}).find("business_hours.weekly.monday"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "UTC"}, {"weekly", {{"mon", spans({{"18:00", "09:00"}})}}}}).find("business_hours.weekly.mon[0]: opens before it closes"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "UTC"}, {"weekly", {{"mon", {{"9:00", "18:00"}}}}}}).find("HH:MM"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "UTC"}, {"weekly", {{"mon", spans({{"24:30", "24:40"}})}}}}).find("HH:MM"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "UTC"}, {"weekly", {{"mon", spans({{"09:00", "13:00"}, {"12:00", "18:00"}})}}}}).find("overlap"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "UTC"}, {"weekly", json::object()}}).find("opens at no time"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "UTC"}, {"weekly", {{"mon", spans({{"09:00", "18:00"}})}}}, {"holidays", json::array({"2026-02-30"})}}).find("business_hours.holidays[0]"), std::string::npos);
  EXPECT_NE(refused({{"timezone", "UTC"}, {"weekly", {{"mon", spans({{"09:00", "18:00"}})}}}, {"extra", 1}}).find("business_hours.extra: unknown field"), std::string::npos);
}

TEST(BusinessHours, TheJsonFormRoundTrips) {
  auto h = hours(kOffice);
  auto j = to_json(h);
  EXPECT_EQ(j["timezone"], "Asia/Shanghai");
  EXPECT_EQ(j["weekly"]["tue"], spans({{"09:00", "12:00"}, {"13:00", "18:00"}}));
  EXPECT_FALSE(j["weekly"].contains("sat"));
  EXPECT_EQ(j["holidays"], json::array({"2026-10-01"}));
  auto again = hours(j);
  EXPECT_EQ(to_json(again), j);
}

}  // namespace
}  // namespace herald::inbox
