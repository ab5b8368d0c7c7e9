#include "services/core/util/instant.hpp"

#include <chrono>

#include <date/date.h>

namespace herald::core {

std::optional<std::int64_t> parse_instant_ms(const std::string& text) {
  // YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)
  std::size_t i = 0;
  auto digits = [&](std::size_t n, int& out) {
    if (i + n > text.size()) return false;
    out = 0;
    for (std::size_t k = 0; k < n; ++k) {
      char c = text[i + k];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    i += n;
    return true;
  };
  auto expect = [&](char c) {
    if (i >= text.size() || (text[i] != c && !(c == 'T' && text[i] == 't'))) return false;
    ++i;
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(4, y) || !expect('-') || !digits(2, mo) || !expect('-') || !digits(2, d) || !expect('T') ||
      !digits(2, h) || !expect(':') || !digits(2, mi) || !expect(':') || !digits(2, sec)) {
    return std::nullopt;
  }
  int ms = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int scale = 100;
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ms += (text[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  int offset_min = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int sign = text[i] == '-' ? -1 : 1;
    ++i;
    int oh = 0, om = 0;
    if (!digits(2, oh) || !expect(':') || !digits(2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (i != text.size() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  auto days = date::sys_days{ymd}.time_since_epoch();
  std::int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(days).count() + h * 3600 + mi * 60 + sec -
                         offset_min * 60;
  return seconds * 1000 + ms;
}

std::string format_instant_ms(std::int64_t ms) {
  date::sys_time<std::chrono::milliseconds> tp{std::chrono::milliseconds{ms}};
  return date::format("%FT%TZ", tp);
}

}  // namespace herald::core
