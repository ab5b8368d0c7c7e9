#include "services/publishing/domain/recurrence.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <iterator>
#include <set>
#include <utility>

namespace herald::publishing {
namespace {

using date::days;
using date::local_days;
using date::months;

constexpr std::array<std::string_view, 7> kWeekdayCodes{"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
constexpr std::string_view kSupportedParts = "FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL, WKST";
// A rule that matches nothing for this many periods in a row is treated as exhausted (for example
// BYMONTHDAY=31 every 12 months from April). 1200 periods is 100 years of a monthly rule.
constexpr int kMaxEmptyPeriods = 1200;
constexpr date::year kLastYear{9999};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<date::weekday> parse_weekday(std::string_view code) {
  for (unsigned i = 0; i < kWeekdayCodes.size(); ++i) {
    if (kWeekdayCodes[i] == code) return date::weekday{i};
  }
  return std::nullopt;
}

std::string_view weekday_code(date::weekday wd) { return kWeekdayCodes[wd.c_encoding()]; }

std::optional<Until> parse_until(std::string_view v) {
  auto digits = [&](std::size_t pos, std::size_t n) -> std::optional<int> {
    if (pos + n > v.size()) return std::nullopt;
    int out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(v[i]))) return std::nullopt;
      out = out * 10 + (v[i] - '0');
    }
    return out;
  };
  if (v.size() != 8 && v.size() != 15 && v.size() != 16) return std::nullopt;
  auto y = digits(0, 4), mo = digits(4, 2), d = digits(6, 2);
  if (!y || !mo || !d) return std::nullopt;
  date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*mo)},
                           date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  Until u;
  if (v.size() == 8) {
    u.kind = Until::Kind::kLocalDate;
    u.local = date::local_seconds{local_days{ymd}};
    return u;
  }
  if (v[8] != 'T') return std::nullopt;
  auto h = digits(9, 2), mi = digits(11, 2), s = digits(13, 2);
  if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  const auto tod = std::chrono::hours{*h} + std::chrono::minutes{*mi} + std::chrono::seconds{*s};
  if (v.size() == 16) {
    if (v[15] != 'Z') return std::nullopt;
    u.kind = Until::Kind::kUtc;
    u.utc = date::sys_seconds{date::sys_days{ymd}} + tod;
  } else {
    u.kind = Until::Kind::kLocalDateTime;
    u.local = date::local_seconds{local_days{ymd}} + tod;
  }
  return u;
}

RuleOrError fail(std::string message) { return RuleOrError{std::nullopt, std::move(message)}; }

// Parses one BYDAY item ("MO", "2TU", "-1FR") or explains why not.
std::optional<std::string> parse_by_day(std::string_view item, ByDay& out) {
  if (item.size() < 2) return "BYDAY value '" + std::string(item) + "' is not a weekday (MO, TU, WE, TH, FR, SA, SU)";
  auto wd = parse_weekday(item.substr(item.size() - 2));
  if (!wd) return "BYDAY value '" + std::string(item) + "' is not a weekday (MO, TU, WE, TH, FR, SA, SU)";
  out.weekday = *wd;
  out.ordinal = 0;
  if (item.size() > 2) {
    auto n = parse_int(item.substr(0, item.size() - 2));
    if (!n || *n == 0) return "BYDAY value '" + std::string(item) + "' has a bad ordinal (use e.g. 2TU or -1FR)";
    if (*n < -5 || *n > 5) return "BYDAY value '" + std::string(item) + "': a monthly ordinal must be 1..5 or -1..-5";
    out.ordinal = static_cast<int>(*n);
  }
  return std::nullopt;
}

date::day day_of(int d) { return date::day{static_cast<unsigned>(d)}; }

// The candidate dates of one period, sorted and unique.
std::vector<local_days> monthly_days(const Rule& rule, date::year_month ym, date::day dtstart_day) {
  const auto last = static_cast<int>(static_cast<unsigned>((ym / date::last).day()));
  std::set<int> by_month_day;
  for (int d : rule.by_month_day) {
    int actual = d > 0 ? d : last + 1 + d;
    if (actual >= 1 && actual <= last) by_month_day.insert(actual);
  }
  std::set<int> by_day;
  for (const auto& bd : rule.by_day) {
    std::vector<int> matches;
    for (int d = 1; d <= last; ++d) {
      if (date::weekday{local_days{ym / day_of(d)}} == bd.weekday) matches.push_back(d);
    }
    if (bd.ordinal == 0) {
      by_day.insert(matches.begin(), matches.end());
    } else {
      auto n = static_cast<int>(matches.size());
      int idx = bd.ordinal > 0 ? bd.ordinal - 1 : n + bd.ordinal;
      if (idx >= 0 && idx < n) by_day.insert(matches[static_cast<std::size_t>(idx)]);
    }
  }
  std::set<int> chosen;
  if (!rule.by_month_day.empty() && !rule.by_day.empty()) {
    std::set_intersection(by_month_day.begin(), by_month_day.end(), by_day.begin(), by_day.end(),
                          std::inserter(chosen, chosen.end()));
  } else if (!rule.by_month_day.empty()) {
    chosen = by_month_day;
  } else if (!rule.by_day.empty()) {
    chosen = by_day;
  } else if (static_cast<int>(static_cast<unsigned>(dtstart_day)) <= last) {
    chosen.insert(static_cast<int>(static_cast<unsigned>(dtstart_day)));
  }
  std::vector<local_days> out;
  for (int d : chosen) out.push_back(local_days{ym / day_of(d)});
  return out;
}

std::vector<local_days> period_days(const Rule& rule, local_days start_day, std::int64_t k) {
  const auto step = k * rule.interval;
  std::vector<local_days> out;
  switch (rule.frequency) {
    case Frequency::kDaily: {
      local_days d = start_day + days{step};
      bool ok = rule.by_day.empty();
      for (const auto& bd : rule.by_day) ok = ok || date::weekday{d} == bd.weekday;
      if (ok) out.push_back(d);
      break;
    }
    case Frequency::kWeekly: {
      const local_days week = start_day - (date::weekday{start_day} - rule.week_start) + days{7 * step};
      std::set<int> offsets;
      if (rule.by_day.empty()) offsets.insert(static_cast<int>((date::weekday{start_day} - rule.week_start).count()));
      for (const auto& bd : rule.by_day) offsets.insert(static_cast<int>((bd.weekday - rule.week_start).count()));
      for (int o : offsets) out.push_back(week + days{o});
      break;
    }
    case Frequency::kMonthly: {
      const date::year_month_day ymd{start_day};
      const date::year_month ym = date::year_month{ymd.year(), ymd.month()} + months{step};
      out = monthly_days(rule, ym, ymd.day());
      break;
    }
  }
  return out;
}

// The first period worth looking at for occurrences after `after_day` (only without COUNT, which
// has to be counted from the start). One period of margin covers the zone offset.
std::int64_t first_period(const Rule& rule, local_days start_day, local_days after_day) {
  if (rule.count || after_day <= start_day) return 0;
  std::int64_t elapsed = 0;
  switch (rule.frequency) {
    case Frequency::kDaily:
      elapsed = (after_day - start_day).count();
      break;
    case Frequency::kWeekly:
      elapsed = (after_day - start_day).count() / 7;
      break;
    case Frequency::kMonthly: {
      const date::year_month_day a{after_day}, s{start_day};
      elapsed = (date::year_month{a.year(), a.month()} - date::year_month{s.year(), s.month()}).count();
      break;
    }
  }
  return std::max<std::int64_t>(0, elapsed / rule.interval - 1);
}

bool within_until(const Until& until, const ResolvedTime& t) {
  switch (until.kind) {
    case Until::Kind::kUtc:
      return t.utc <= until.utc;
    case Until::Kind::kLocalDate:
      return date::floor<days>(t.intended) <= date::floor<days>(until.local);
    case Until::Kind::kLocalDateTime:
      return t.intended <= until.local;
  }
  return false;
}

}  // namespace

RuleOrError parse_rrule(std::string_view text) {
  std::string s = upper(text);
  std::string_view body = s;
  if (body.substr(0, 6) == "RRULE:") body.remove_prefix(6);
  if (!body.empty() && body.back() == ';') body.remove_suffix(1);
  if (body.empty()) return fail("the rule is empty; it needs at least FREQ=DAILY, WEEKLY or MONTHLY");

  Rule rule;
  std::set<std::string> seen;
  bool has_freq = false;
  for (auto part : split(body, ';')) {
    auto eq = part.find('=');
    if (part.empty()) return fail("the rule has an empty part (two ';' in a row)");
    if (eq == std::string_view::npos) return fail("'" + std::string(part) + "' is not NAME=VALUE");
    const std::string name(part.substr(0, eq));
    const std::string_view value = part.substr(eq + 1);
    if (!seen.insert(name).second) return fail(name + " is given twice");
    if (value.empty()) return fail(name + " has no value");

    if (name == "FREQ") {
      has_freq = true;
      if (value == "DAILY") {
        rule.frequency = Frequency::kDaily;
      } else if (value == "WEEKLY") {
        rule.frequency = Frequency::kWeekly;
      } else if (value == "MONTHLY") {
        rule.frequency = Frequency::kMonthly;
      } else if (value == "YEARLY" || value == "HOURLY" || value == "MINUTELY" || value == "SECONDLY") {
        return fail("FREQ=" + std::string(value) + " is not supported (use DAILY, WEEKLY or MONTHLY)");
      } else {
        return fail("FREQ=" + std::string(value) + " is not a frequency (use DAILY, WEEKLY or MONTHLY)");
      }
    } else if (name == "INTERVAL") {
      auto n = parse_int(value);
      if (!n || *n < 1 || *n > 1000)
        return fail("INTERVAL must be a whole number from 1 to 1000, not '" + std::string(value) + "'");
      rule.interval = static_cast<int>(*n);
    } else if (name == "COUNT") {
      auto n = parse_int(value);
      if (!n || *n < 1) return fail("COUNT must be a whole number of at least 1, not '" + std::string(value) + "'");
      rule.count = *n;
    } else if (name == "UNTIL") {
      auto u = parse_until(value);
      if (!u) {
        return fail("UNTIL '" + std::string(value) +
                    "' is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS, or with Z for UTC)");
      }
      rule.until = *u;
    } else if (name == "BYDAY") {
      for (auto item : split(value, ',')) {
        ByDay bd;
        if (auto err = parse_by_day(item, bd)) return fail(*err);
        if (std::find(rule.by_day.begin(), rule.by_day.end(), bd) == rule.by_day.end()) rule.by_day.push_back(bd);
      }
    } else if (name == "BYMONTHDAY") {
      for (auto item : split(value, ',')) {
        auto n = parse_int(item);
        if (!n || *n == 0 || *n < -31 || *n > 31) {
          return fail("BYMONTHDAY value '" + std::string(item) + "' must be 1..31 or -31..-1");
        }
        const int d = static_cast<int>(*n);
        if (std::find(rule.by_month_day.begin(), rule.by_month_day.end(), d) == rule.by_month_day.end()) {
          rule.by_month_day.push_back(d);
        }
      }
    } else if (name == "WKST") {
      auto wd = parse_weekday(value);
      if (!wd) return fail("WKST '" + std::string(value) + "' is not a weekday (MO, TU, WE, TH, FR, SA, SU)");
      rule.week_start = *wd;
    } else if (name == "BYSECOND" || name == "BYMINUTE" || name == "BYHOUR" || name == "BYYEARDAY" ||
               name == "BYWEEKNO" || name == "BYMONTH" || name == "BYSETPOS" || name == "RSCALE" || name == "SKIP") {
      return fail(name + " is not supported (supported: " + std::string(kSupportedParts) + ")");
    } else {
      return fail(name + " is not an RRULE part (supported: " + std::string(kSupportedParts) + ")");
    }
  }
  if (!has_freq) return fail("FREQ is missing (DAILY, WEEKLY or MONTHLY)");
  if (rule.count && rule.until) return fail("COUNT and UNTIL cannot both be given (RFC 5545 section 3.3.10)");
  if (!rule.by_month_day.empty() && rule.frequency != Frequency::kMonthly) {
    return fail("BYMONTHDAY is only supported with FREQ=MONTHLY");
  }
  if (rule.frequency != Frequency::kMonthly) {
    for (const auto& bd : rule.by_day) {
      if (bd.ordinal != 0) {
        return fail("BYDAY=" + std::to_string(bd.ordinal) + std::string(weekday_code(bd.weekday)) +
                    ": ordinal weekdays are only allowed with FREQ=MONTHLY");
      }
    }
  }
  return RuleOrError{std::move(rule), {}};
}

std::string to_string(const Rule& rule) {
  std::string out = "FREQ=";
  out += rule.frequency == Frequency::kDaily ? "DAILY" : rule.frequency == Frequency::kWeekly ? "WEEKLY" : "MONTHLY";
  if (rule.interval != 1) out += ";INTERVAL=" + std::to_string(rule.interval);
  if (!rule.by_day.empty()) {
    out += ";BYDAY=";
    for (std::size_t i = 0; i < rule.by_day.size(); ++i) {
      if (i) out += ',';
      if (rule.by_day[i].ordinal != 0) out += std::to_string(rule.by_day[i].ordinal);
      out += weekday_code(rule.by_day[i].weekday);
    }
  }
  if (!rule.by_month_day.empty()) {
    out += ";BYMONTHDAY=";
    for (std::size_t i = 0; i < rule.by_month_day.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(rule.by_month_day[i]);
    }
  }
  if (rule.count) out += ";COUNT=" + std::to_string(*rule.count);
  if (rule.until) {
    switch (rule.until->kind) {
      case Until::Kind::kUtc:
        out += ";UNTIL=" + date::format("%Y%m%dT%H%M%SZ", rule.until->utc);
        break;
      case Until::Kind::kLocalDate:
        out += ";UNTIL=" + date::format("%Y%m%d", rule.until->local);
        break;
      case Until::Kind::kLocalDateTime:
        out += ";UNTIL=" + date::format("%Y%m%dT%H%M%S", rule.until->local);
        break;
    }
  }
  if (rule.week_start != date::Monday) out += ";WKST=" + std::string(weekday_code(rule.week_start));
  return out;
}

std::vector<Occurrence> next_occurrences(const Rule& rule, date::local_seconds dtstart_local,
                                         const date::time_zone& zone, date::sys_seconds after_utc, std::size_t limit) {
  std::vector<Occurrence> out;
  limit = std::min(limit, kMaxOccurrencesPerCall);
  if (limit == 0 || rule.interval < 1) return out;
  const local_days start_day = date::floor<days>(dtstart_local);
  const auto time_of_day = dtstart_local - date::local_seconds{start_day};
  const local_days after_day = date::floor<days>(zone.to_local(after_utc));

  std::int64_t number = 0;
  int empty_streak = 0;
  for (std::int64_t k = first_period(rule, start_day, after_day); empty_streak < kMaxEmptyPeriods; ++k) {
    bool any = false;
    for (local_days d : period_days(rule, start_day, k)) {
      if (date::year_month_day{d}.year() > kLastYear) return out;
      const date::local_seconds intended = date::local_seconds{d} + time_of_day;
      if (intended < dtstart_local) continue;
      const ResolvedTime t = resolve_local(zone, intended);
      if (rule.until && !within_until(*rule.until, t)) return out;  // candidates only grow from here
      any = true;
      ++number;
      if (rule.count && number > *rule.count) return out;
      if (t.utc > after_utc) {
        out.push_back(Occurrence{t.utc, t.wall, t.intended, t.resolution, rule.count ? number : 0});
        if (out.size() == limit) return out;
      }
    }
    empty_streak = any ? 0 : empty_streak + 1;
  }
  return out;
}

}  // namespace herald::publishing
