#include "services/inbox/domain/business_hours.hpp"

#include <algorithm>
#include <cstdio>

namespace herald::inbox {

using nlohmann::json;

namespace {

constexpr std::array<const char*, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// "HH:MM" -> minutes (0 .. 1440); -1 when malformed.
int parse_clock(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return -1;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
  return h * 60 + m;
}

std::string format_clock(int minutes) {
  std::string out(5, '0');
  out[0] = static_cast<char>('0' + minutes / 600);
  out[1] = static_cast<char>('0' + minutes / 60 % 10);
  out[2] = ':';
  out[3] = static_cast<char>('0' + minutes % 60 / 10);
  out[4] = static_cast<char>('0' + minutes % 10);
  return out;
}

// Monday = 0 for a local day.
int weekday_index(date::local_days d) {
  return static_cast<int>((date::weekday(d).c_encoding() + 6) % 7);
}

// The UTC instant of a local wall time: a time in a spring-forward gap is the transition, a time
// that happens twice the earlier one.
date::sys_seconds to_utc(const date::time_zone& zone, date::local_seconds t) {
  return zone.to_sys(t, date::choose::earliest);
}

}  // namespace

bool parse_business_hours(const json& j, BusinessHours& out, HoursError& error) {
  out = BusinessHours{};
  auto fail = [&](std::string field, std::string message) {
    error = {"business_hours" + (field.empty() ? "" : "." + field), std::move(message)};
    return false;
  };
  if (!j.is_object()) return fail("", "must be an object with timezone and weekly, or null for always open");
  for (const auto& [key, _] : j.items()) {
    if (key != "timezone" && key != "weekly" && key != "holidays") return fail(key, "unknown field");
  }
  if (!j.contains("timezone") || !j["timezone"].is_string()) return fail("timezone", "is required: an IANA zone such as Asia/Shanghai");
  out.timezone = j["timezone"].get<std::string>();
  try {
    out.zone = date::locate_zone(out.timezone);
  } catch (const std::exception&) {
    return fail("timezone", "unknown time zone '" + out.timezone + "'");
  }
  if (!j.contains("weekly") || !j["weekly"].is_object()) return fail("weekly", "is required: opening hours per day, e.g. {\"mon\": [[\"09:00\", \"18:00\"]]}");
  int intervals = 0;
  for (const auto& [key, list] : j["weekly"].items()) {
    auto it = std::find(kDays.begin(), kDays.end(), key);
    if (it == kDays.end()) return fail("weekly." + key, "unknown day: use mon, tue, wed, thu, fri, sat, sun");
    auto day = static_cast<std::size_t>(it - kDays.begin());
    if (!list.is_array() || list.size() > 12) return fail("weekly." + key, "must be a list of at most 12 [\"HH:MM\", \"HH:MM\"] pairs");
    auto& spans = out.weekly[day];
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto field = "weekly." + key + "[" + std::to_string(i) + "]";
      const auto& pair = list[i];
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return fail(field, "must be [\"HH:MM\", \"HH:MM\"]");
      }
      int a = parse_clock(pair[0].get<std::string>()), b = parse_clock(pair[1].get<std::string>());
      if (a < 0 || b < 0) return fail(field, "times are HH:MM from 00:00 to 24:00");
      if (a >= b) return fail(field, "opens before it closes (" + pair[0].get<std::string>() + " is not before " + pair[1].get<std::string>() + ")");
      spans.emplace_back(a, b);
    }
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i) {
      if (spans[i].first < spans[i - 1].second) return fail("weekly." + key, "opening hours overlap");
    }
    intervals += static_cast<int>(spans.size());
  }
  if (intervals == 0) return fail("weekly", "opens at no time of the week: give some hours, or null for always open");
  if (j.contains("holidays")) {
    const auto& h = j["holidays"];
    if (!h.is_array() || h.size() > 400) return fail("holidays", "must be a list of at most 400 dates YYYY-MM-DD");
    for (std::size_t i = 0; i < h.size(); ++i) {
      auto field = "holidays[" + std::to_string(i) + "]";
      if (!h[i].is_string()) return fail(field, "must be a date YYYY-MM-DD");
      auto s = h[i].get<std::string>();
      int y = 0, m = 0, d = 0;
      char tail = 0;
      if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return fail(field, "must be a date YYYY-MM-DD");
      date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
      if (!ymd.ok() || y < 2000 || y > 2200) return fail(field, "is not a date");
      out.holidays.insert(date::sys_days{ymd});
    }
  }
  return true;
}

json to_json(const BusinessHours& h) {
  json weekly = json::object();
  for (std::size_t d = 0; d < 7; ++d) {
    if (h.weekly[d].empty()) continue;
    json spans = json::array();
    for (const auto& [a, b] : h.weekly[d]) spans.push_back({format_clock(a), format_clock(b)});
    weekly[kDays[d]] = spans;
  }
  json holidays = json::array();
  for (const auto& day : h.holidays) holidays.push_back(date::format("%F", day));
  return {{"timezone", h.timezone}, {"weekly", weekly}, {"holidays", holidays}};
}

date::sys_seconds add_business_time(date::sys_seconds start, std::chrono::seconds amount, const BusinessHours* hours) {
  if (hours == nullptr || hours->zone == nullptr) return start + amount;
  const auto& zone = *hours->zone;
  auto remaining = amount;
  auto day = date::floor<date::days>(zone.to_local(start));
  // At least one interval a week, so the clock runs out within amount / (an interval) weeks;
  // bounded anyway (holidays could close every open day for a while).
  for (int guard = 0; guard < 3660; ++guard, day += date::days{1}) {
    if (hours->holidays.count(date::sys_days{day.time_since_epoch()}) != 0) continue;
    for (const auto& [a, b] : hours->weekly[static_cast<std::size_t>(weekday_index(day))]) {
      auto open = to_utc(zone, day + std::chrono::minutes{a});
      auto close = to_utc(zone, day + std::chrono::minutes{b});
      if (close <= start) continue;
      auto from = std::max(open, start);
      auto span = close - from;
      if (remaining <= span) return from + remaining;
      remaining -= std::chrono::duration_cast<std::chrono::seconds>(span);
    }
  }
  return start + amount;  // not reached with a valid schedule
}

bool is_open(date::sys_seconds t, const BusinessHours& hours) {
  if (hours.zone == nullptr) return true;
  auto local = hours.zone->to_local(t);
  auto day = date::floor<date::days>(local);
  if (hours.holidays.count(date::sys_days{day.time_since_epoch()}) != 0) return false;
  auto minute = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  for (const auto& [a, b] : hours.weekly[static_cast<std::size_t>(weekday_index(day))]) {
    if (minute >= a && minute < b) return true;
  }
  return false;
}

}  // namespace herald::inbox
