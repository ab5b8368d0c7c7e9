#pragma once
// SLA clocks in business hours (issue #6, "Work"): a brand's opening hours per weekday in its
// time zone, with closed days (holidays), and the instant a target measured in business time
// falls due. Computed in the local zone with Howard Hinnant's date/tz (DESIGN.md section 6), so a
// daylight-saving change neither adds nor loses an hour of business time. Pure.
//
// JSON form (the API's `business_hours`):
//   {"timezone": "Asia/Shanghai",
//    "weekly": {"mon": [["09:00", "18:00"]], "tue": [["09:00", "12:00"], ["13:00", "18:00"]], ...},
//    "holidays": ["2026-10-01", ...]}
// A day left out of `weekly` (or with an empty list) is closed; "24:00" ends a day.
#include <date/tz.h>

#include <array>
#include <chrono>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::inbox {

struct BusinessHours {
  const date::time_zone* zone = nullptr;
  std::string timezone;
  // Monday = 0 .. Sunday = 6; [start, end) in minutes after local midnight, sorted, disjoint.
  std::array<std::vector<std::pair<int, int>>, 7> weekly;
  std::set<date::sys_days> holidays;  // local dates, closed all day
};

struct HoursError {
  std::string field;  // e.g. "business_hours.weekly.mon[1]"
  std::string message;
};

// Parses and checks the JSON form; on error returns false and fills `error`. At least one
// opening interval a week; intervals of a day may not overlap; at most 400 holidays.
bool parse_business_hours(const nlohmann::json& j, BusinessHours& out, HoursError& error);
nlohmann::json to_json(const BusinessHours& h);

// The instant `amount` of business time after `start` (the start itself counts from the moment
// the brand is next open). `hours` nullptr: always open, start + amount.
date::sys_seconds add_business_time(date::sys_seconds start, std::chrono::seconds amount, const BusinessHours* hours);

// Whether the brand is open at `t`.
bool is_open(date::sys_seconds t, const BusinessHours& hours);

}  // namespace herald::inbox
