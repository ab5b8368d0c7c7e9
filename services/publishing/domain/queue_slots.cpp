#include "services/publishing/domain/queue_slots.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace herald::publishing {
namespace {

constexpr std::chrono::minutes kDay{24 * 60};

// Monday first, so the sorted list reads like a calendar week.
unsigned monday_first(date::weekday wd) { return wd.iso_encoding(); }

bool occupied(const std::set<date::sys_seconds>& taken, date::sys_seconds slot, std::chrono::seconds within) {
  auto it = taken.lower_bound(slot - within);
  return it != taken.end() && *it <= slot + within;
}

}  // namespace

std::vector<QueueSlot> weekly_slots(const std::vector<date::weekday>& days,
                                    const std::vector<std::chrono::minutes>& times) {
  std::vector<QueueSlot> out;
  for (auto d : days) {
    for (auto t : times) out.push_back(QueueSlot{d, t});
  }
  std::sort(out.begin(), out.end(), [](const QueueSlot& a, const QueueSlot& b) {
    if (a.weekday != b.weekday) return monday_first(a.weekday) < monday_first(b.weekday);
    return a.time_of_day < b.time_of_day;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<int> {
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
    return v;
  };
  auto h = number(text.substr(0, colon));
  auto m = number(text.substr(colon + 1));
  if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
  return std::chrono::hours{*h} + std::chrono::minutes{*m};
}

std::optional<std::string> validate_slots(const std::vector<QueueSlot>& slots) {
  if (slots.empty()) return "the queue has no slots; add at least one day and time";
  for (const auto& s : slots) {
    if (!s.weekday.ok()) return "a slot has an invalid weekday";
    if (s.time_of_day < std::chrono::minutes{0} || s.time_of_day >= kDay) {
      return "a slot's time must be from 00:00 to 23:59";
    }
  }
  return std::nullopt;
}

std::vector<ResolvedTime> upcoming_slots(const std::vector<QueueSlot>& slots, const date::time_zone& zone,
                                         date::sys_seconds after_utc, std::size_t limit, date::days horizon) {
  std::vector<ResolvedTime> out;
  if (limit == 0 || validate_slots(slots)) return out;
  std::vector<QueueSlot> sorted = slots;
  std::sort(sorted.begin(), sorted.end(),
            [](const QueueSlot& a, const QueueSlot& b) { return a.time_of_day < b.time_of_day; });
  // One day of margin: the local date at `after_utc` may start before it in UTC.
  const date::local_days first = date::floor<date::days>(zone.to_local(after_utc)) - date::days{1};
  for (date::local_days day = first; day <= first + horizon + date::days{1}; day += date::days{1}) {
    const date::weekday wd{day};
    for (const auto& s : sorted) {
      if (s.weekday != wd) continue;
      ResolvedTime t = resolve_local(zone, date::local_seconds{day} + s.time_of_day);
      if (t.utc <= after_utc) continue;
      if (!out.empty() && out.back().utc == t.utc) continue;  // two slots collapsed into one instant
      out.push_back(t);
      if (out.size() == limit) return out;
    }
  }
  return out;
}

std::vector<ResolvedTime> next_free_slots(const std::vector<QueueSlot>& slots, const date::time_zone& zone,
                                          date::sys_seconds now_utc, const std::vector<date::sys_seconds>& taken,
                                          std::size_t count, const QueueOptions& options) {
  std::vector<ResolvedTime> out;
  if (count == 0 || validate_slots(slots)) return out;
  const std::set<date::sys_seconds> taken_set(taken.begin(), taken.end());
  const date::sys_seconds after = now_utc + std::max(options.min_lead, std::chrono::seconds{0});
  // Walk the slots in batches: every slot of a week at a time, until enough are free or the
  // horizon ends.
  const std::size_t batch = slots.size() + 1;
  date::sys_seconds cursor = after;
  const date::sys_seconds end = after + options.horizon;
  while (out.size() < count && cursor < end) {
    auto next = upcoming_slots(slots, zone, cursor, batch, date::days{8});
    if (next.empty()) break;
    for (const auto& t : next) {
      if (t.utc > end) return out;
      cursor = t.utc;
      if (occupied(taken_set, t.utc, options.occupied_within)) continue;
      out.push_back(t);
      if (out.size() == count) return out;
    }
  }
  return out;
}

std::optional<ResolvedTime> next_free_slot(const std::vector<QueueSlot>& slots, const date::time_zone& zone,
                                           date::sys_seconds now_utc, const std::vector<date::sys_seconds>& taken,
                                           const QueueOptions& options) {
  auto found = next_free_slots(slots, zone, now_utc, taken, 1, options);
  if (found.empty()) return std::nullopt;
  return found.front();
}

}  // namespace herald::publishing
