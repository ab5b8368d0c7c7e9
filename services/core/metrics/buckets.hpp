#pragma once
#include <array>

namespace herald::core::metrics {

// Default histogram buckets for request/operation latency in seconds: 0.5 ms .. 10 s.
// Pass to Registry::histogram directly (it accepts a span) or copy into a vector.
inline constexpr std::array<double, 14> kLatencySecondsBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

}  // namespace herald::core::metrics
