#pragma once
// Queue slots: each account's weekly posting times in its own local zone (for example Mon-Fri
// 09:00 and 18:00 in Asia/Shanghai), and "add to queue": the next slot after now that no post of
// the account has taken. Computed in the zone with date/tz like recurrence (DESIGN.md section 6):
// a 09:00 slot is at 09:00 local in summer and in winter. A slot in a spring-forward gap moves to
// the end of the gap; one in the autumn repeat takes the earlier instant (local_time.hpp). Two slots
// that land on the same instant (02:00 and 02:30 in the gap) count as one.
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/publishing/domain/local_time.hpp"

namespace herald::publishing {

struct QueueSlot {
  date::weekday weekday;
  std::chrono::minutes time_of_day{0};  // since local midnight, [00:00, 24:00)

  friend bool operator==(const QueueSlot&, const QueueSlot&) = default;
};

// Every day in `days` at every time in `times`, sorted by weekday (Monday first) then time,
// duplicates removed.
std::vector<QueueSlot> weekly_slots(const std::vector<date::weekday>& days,
                                    const std::vector<std::chrono::minutes>& times);

// "09:00" or "9:00" -> 540 minutes; nullopt for anything else (24:00, 12:60, "9am").
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text);

// nullopt when the slots are usable; otherwise why not (no slots, a time outside the day).
std::optional<std::string> validate_slots(const std::vector<QueueSlot>& slots);

struct QueueOptions {
  // A slot must start more than this after now (time to approve and dispatch). Default: none.
  std::chrono::seconds min_lead{0};
  // A slot is taken when a scheduled post of the account is within this distance of it. Default:
  // only a post at exactly the slot's instant takes it.
  std::chrono::seconds occupied_within{0};
  // How far ahead to look before giving up (every slot taken, or no slots).
  date::days horizon{366};
};

// The slot instants strictly after `after_utc`, in order, at most `limit`, within `horizon`.
std::vector<ResolvedTime> upcoming_slots(const std::vector<QueueSlot>& slots, const date::time_zone& zone,
                                         date::sys_seconds after_utc, std::size_t limit,
                                         date::days horizon = date::days{366});

// Add to queue: the first slot strictly after `now_utc + min_lead` that `taken` does not occupy.
std::optional<ResolvedTime> next_free_slot(const std::vector<QueueSlot>& slots, const date::time_zone& zone,
                                           date::sys_seconds now_utc, const std::vector<date::sys_seconds>& taken,
                                           const QueueOptions& options = {});

// Add `count` posts to the queue at once: the next `count` free slots, in order (fewer when the
// horizon runs out).
std::vector<ResolvedTime> next_free_slots(const std::vector<QueueSlot>& slots, const date::time_zone& zone,
                                          date::sys_seconds now_utc, const std::vector<date::sys_seconds>& taken,
                                          std::size_t count, const QueueOptions& options = {});

}  // namespace herald::publishing
