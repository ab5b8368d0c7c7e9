#pragma once
// Local wall time <-> UTC for recurrence and queue slots (DESIGN.md section 6). We store the UTC
// instant, the IANA zone and the wall time the user meant; this file decides the instant for a
// wall time, including the two daylight-saving edge cases, in one place:
//
//  - A wall time that does not exist (the spring-forward gap, e.g. 02:30 on 2024-03-10 in
//    America/New_York) moves forward to the first valid instant: the transition itself, shown as
//    03:00 local. The post goes out as soon as that local time exists, never an hour early.
//  - A wall time that happens twice (the autumn fall-back, e.g. 01:30 on 2024-11-03 in New York)
//    takes the earlier instant (01:30 EDT, 05:30 UTC): the first time the clock shows it.
//
// Zones come from the system tz database (/usr/share/zoneinfo; date-tz built with USE_OS_TZDB).
#include <date/tz.h>

#include <string>
#include <string_view>

namespace herald::publishing {

enum class LocalResolution {
  kExact,             // the wall time exists exactly once
  kShiftedForward,    // it fell in a spring gap; moved to the end of the gap
  kAmbiguousEarlier,  // it happens twice; the earlier instant was taken
};

struct ResolvedTime {
  date::sys_seconds utc;
  date::local_seconds wall;      // the wall time the clock shows at `utc` (differs when shifted)
  date::local_seconds intended;  // the wall time the user asked for
  LocalResolution resolution = LocalResolution::kExact;
};

ResolvedTime resolve_local(const date::time_zone& zone, date::local_seconds intended);

// The zone for an IANA name ("Europe/Berlin"), or nullptr when the name is unknown.
const date::time_zone* find_zone(std::string_view iana_name);

// "2024-03-10T09:00:00" and "2024-03-10T13:00:00Z" (for messages, the API and tests).
std::string format_local(date::local_seconds t);
std::string format_utc(date::sys_seconds t);

}  // namespace herald::publishing
