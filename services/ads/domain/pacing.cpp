#include "services/ads/domain/pacing.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace herald::ads::domain {
namespace {

__extension__ typedef __int128 Int128;  // NOLINT: budget * days exceeds int64 only for absurd budgets

constexpr std::size_t kMinHistoryDays = 5;

std::string money(double minor) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", minor);
  return buf;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

Pacing pace(std::int64_t budget_minor, int start_day, int end_day, int today, std::int64_t spent_minor,
            double tolerance) {
  if (budget_minor < 0) throw std::invalid_argument("budget: must not be negative");
  if (spent_minor < 0) throw std::invalid_argument("spent: must not be negative");
  if (end_day < start_day) throw std::invalid_argument("end_day: the flight ends before it starts");
  if (!(tolerance >= 0 && tolerance < 1)) throw std::invalid_argument("tolerance: must be at least 0 and below 1");

  Pacing p;
  if (today < start_day) {
    p.status = "not_started";
    return p;
  }
  if (today > end_day) {
    p.status = "ended";
    p.expected_minor = budget_minor;
    p.ratio = budget_minor > 0 ? static_cast<double>(spent_minor) / static_cast<double>(budget_minor) : 0;
    return p;
  }
  const std::int64_t total = std::int64_t{end_day} - start_day + 1;
  const std::int64_t elapsed = std::int64_t{today} - start_day + 1;
  // budget * elapsed / total, rounded half-to-even, exactly.
  const Int128 n = static_cast<Int128>(budget_minor) * elapsed;
  Int128 q = n / total;
  const Int128 twice_r = (n % total) * 2;
  if (twice_r > total || (twice_r == total && q % 2 != 0)) ++q;
  p.expected_minor = static_cast<std::int64_t>(q);

  if (budget_minor == 0) {
    p.status = spent_minor > 0 ? "ahead" : "on_track";
    return p;
  }
  p.ratio = static_cast<double>(spent_minor) * static_cast<double>(total) /
            (static_cast<double>(budget_minor) * static_cast<double>(elapsed));
  if (p.ratio > 1 + tolerance) {
    p.status = "ahead";
  } else if (p.ratio < 1 - tolerance) {
    p.status = "behind";
  } else {
    p.status = "on_track";
  }
  return p;
}

Spike cpc_spike(const std::vector<std::pair<std::int64_t, std::int64_t>>& previous,
                std::pair<std::int64_t, std::int64_t> today, double k, double min_rise) {
  if (!(std::isfinite(k) && k >= 0)) throw std::invalid_argument("k: must be a number >= 0");
  if (!(std::isfinite(min_rise) && min_rise >= 0)) throw std::invalid_argument("min_rise: must be a number >= 0");
  auto check = [](std::pair<std::int64_t, std::int64_t> day, const char* which) {
    if (day.first < 0) throw std::invalid_argument(std::string(which) + ": spend must not be negative");
    if (day.second < 0) throw std::invalid_argument(std::string(which) + ": clicks must not be negative");
  };
  check(today, "today");
  std::vector<double> cpcs;
  for (const auto& day : previous) {
    check(day, "previous");
    if (day.second > 0) cpcs.push_back(static_cast<double>(day.first) / static_cast<double>(day.second));
  }

  Spike s;
  if (!cpcs.empty()) {
    double sum = 0;
    for (double c : cpcs) sum += c;
    s.mean = sum / static_cast<double>(cpcs.size());
    if (cpcs.size() > 1) {
      double squares = 0;
      for (double c : cpcs) squares += (c - s.mean) * (c - s.mean);
      s.stddev = std::sqrt(squares / static_cast<double>(cpcs.size() - 1));
    }
  }
  if (today.second == 0) {
    s.reason = "no clicks today, so no CPC to compare";
    return s;
  }
  s.today = static_cast<double>(today.first) / static_cast<double>(today.second);
  const auto days = std::to_string(cpcs.size());
  if (cpcs.size() < kMinHistoryDays) {
    s.reason = "not enough history: " + days + " previous days with clicks, " + std::to_string(kMinHistoryDays) +
               " needed";
    return s;
  }
  const double band = s.mean + k * s.stddev;
  const double rise = (1 + min_rise) * s.mean;
  const bool above_band = s.today > band;
  const bool above_rise = s.today > rise;
  s.spike = above_band && above_rise;
  const std::string head = "today's CPC " + money(s.today) + " vs a mean of " + money(s.mean) + " (stddev " +
                           money(s.stddev) + ") over " + days + " days: ";
  const std::string band_text = "mean + " + number(k) + " x stddev = " + money(band);
  const std::string rise_text = "mean + " + number(min_rise * 100) + "% = " + money(rise);
  if (s.spike) {
    s.reason = head + "above " + band_text + " and above " + rise_text;
  } else if (above_band) {
    s.reason = head + "above " + band_text + " but not above " + rise_text;
  } else if (above_rise) {
    s.reason = head + "above " + rise_text + " but within " + band_text;
  } else {
    s.reason = head + "within the usual range";
  }
  return s;
}

}  // namespace herald::ads::domain
