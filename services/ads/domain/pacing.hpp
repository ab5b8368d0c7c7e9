#pragma once
// Budget pacing and CPC spike alerts for ad campaigns. Pacing compares the spend so far with a straight-line
// share of the flight budget; the spike alert compares today's cost per click with the trailing days (mean
// and sample standard deviation of the daily CPCs). Money is in minor units. Pure; unit-tested in
// pacing_test.cpp.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace herald::ads::domain {

struct Pacing {
  std::int64_t expected_minor = 0;  // what should have been spent by the end of `today`
  double ratio = 0;                 // spent / expected (spent / budget once ended; 0 before the start)
  std::string status;               // ahead | on_track | behind | not_started | ended
};

// budget_minor for the whole flight [start_day, end_day] (inclusive; days as integers, e.g. days since the
// epoch), spent_minor up to and including `today`. Within the flight, elapsed_days counts today:
// expected = budget * (today - start_day + 1) / (end_day - start_day + 1), rounded half-to-even; the ratio
// uses the unrounded expectation. ahead when ratio > 1 + tolerance, behind when < 1 - tolerance, else
// on_track. With a zero budget the ratio is 0 and any spend is "ahead". Throws invalid_argument for a
// negative budget or spend, end_day < start_day, or a tolerance outside [0, 1).
Pacing pace(std::int64_t budget_minor, int start_day, int end_day, int today, std::int64_t spent_minor,
            double tolerance = 0.15);

struct Spike {
  bool spike = false;
  double today = 0, mean = 0, stddev = 0;  // CPCs in minor units; today 0 when there were no clicks today
  std::string reason;                      // plain words, also when there is no spike
};

// CPC spike: today's CPC vs the trailing window (`previous`: (spend_minor, clicks) per day, oldest first).
// Days without clicks have no CPC and are skipped. A spike when there are at least 5 previous days with
// clicks, and today's CPC > mean + k * stddev and > (1 + min_rise) * mean. stddev is the sample standard
// deviation (n - 1). No clicks today is never a spike. Throws invalid_argument for negative counts or a
// negative or non-finite k or min_rise.
Spike cpc_spike(const std::vector<std::pair<std::int64_t, std::int64_t>>& previous,
                std::pair<std::int64_t, std::int64_t> today, double k = 3.0, double min_rise = 0.5);

}  // namespace herald::ads::domain
