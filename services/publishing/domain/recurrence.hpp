#pragma once
// Recurring posts: a subset of RFC 5545 RRULE (section 3.3.10), expanded in the user's IANA zone
// so that "every Monday at 09:00" stays at 09:00 local across daylight-saving changes (DESIGN.md
// section 6). The UTC instant moves; the wall time does not.
//
// Supported parts (anything else is refused with a message naming the part):
//   FREQ=DAILY|WEEKLY|MONTHLY   required
//   INTERVAL=n                  every n days/weeks/months (default 1)
//   BYDAY=MO,TU,...             DAILY: only those weekdays; WEEKLY: those days of each week
//                               (default: DTSTART's weekday); MONTHLY: every such weekday of the
//                               month, or with an ordinal: 2TU (second Tuesday), -1FR (last Friday)
//   BYMONTHDAY=1,15,-1          MONTHLY only; -1 is the last day of the month
//   COUNT=n | UNTIL=...         not both (RFC 5545); UNTIL as YYYYMMDD (through that local date),
//                               YYYYMMDDTHHMMSS (local wall time) or YYYYMMDDTHHMMSSZ (UTC instant)
//   WKST=MO..SU                 week start for WEEKLY with INTERVAL > 1 (default MO)
// Both BYDAY and BYMONTHDAY with MONTHLY: days that match both (FR + 13 = Friday the 13th).
// An optional "RRULE:" prefix is accepted; parts and values are case-insensitive.
//
// Semantics we chose where RFC 5545 leaves room:
//  - The time of day of every occurrence is DTSTART's local wall time.
//  - Occurrences are the rule's days on or after DTSTART; DTSTART itself is an occurrence only if
//    it matches the rule (the UI keeps DTSTART on a matching day). COUNT counts occurrences.
//  - A monthly day that does not exist in a month (the 31st in April, a 5th Tuesday) is skipped
//    for that month, as RFC 5545 says; it is not moved to another day.
//  - Wall times in a spring-forward gap move forward to the first valid instant; wall times that
//    happen twice take the earlier instant (see local_time.hpp). Each occurrence reports both the
//    wall time meant and the wall time shown.
#include <date/tz.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/publishing/domain/local_time.hpp"

namespace herald::publishing {

enum class Frequency { kDaily, kWeekly, kMonthly };

struct ByDay {
  date::weekday weekday;
  int ordinal = 0;  // 0: every such weekday; 1..5: the nth of the month; -1..-5: the nth from the end

  friend bool operator==(const ByDay&, const ByDay&) = default;
};

struct Until {
  enum class Kind {
    kUtc,            // YYYYMMDDTHHMMSSZ: occurrences at or before this instant
    kLocalDate,      // YYYYMMDD: occurrences on or before this local date
    kLocalDateTime,  // YYYYMMDDTHHMMSS: occurrences whose wall time is at or before this
  };
  Kind kind = Kind::kUtc;
  date::sys_seconds utc{};
  date::local_seconds local{};  // kLocalDate: midnight of that date

  friend bool operator==(const Until&, const Until&) = default;
};

struct Rule {
  Frequency frequency = Frequency::kDaily;
  int interval = 1;
  std::vector<ByDay> by_day;
  std::vector<int> by_month_day;
  std::optional<std::int64_t> count;
  std::optional<Until> until;
  date::weekday week_start = date::Monday;

  friend bool operator==(const Rule&, const Rule&) = default;
};

struct RuleOrError {
  std::optional<Rule> rule;
  std::string error;  // set when `rule` is not

  [[nodiscard]] bool ok() const { return rule.has_value(); }
};

RuleOrError parse_rrule(std::string_view text);
// The canonical text ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10"); parse_rrule reads it back.
std::string to_string(const Rule& rule);

struct Occurrence {
  date::sys_seconds utc;
  date::local_seconds wall;      // shown on the local clock at `utc`
  date::local_seconds intended;  // DTSTART's time of day on the occurrence's date
  LocalResolution resolution = LocalResolution::kExact;
  // With COUNT: the 1-based position in the series ("3 of 10"). Without COUNT it is 0: the
  // expansion jumps ahead to `after_utc` instead of counting from DTSTART.
  std::int64_t number = 0;
};

inline constexpr std::size_t kMaxOccurrencesPerCall = 1000;

// Up to `limit` (at most kMaxOccurrencesPerCall) occurrences whose UTC instant is strictly after
// `after_utc`, in order. `dtstart_local` is the first wall time the user chose, in `zone`.
std::vector<Occurrence> next_occurrences(const Rule& rule, date::local_seconds dtstart_local,
                                         const date::time_zone& zone, date::sys_seconds after_utc, std::size_t limit);

}  // namespace herald::publishing
