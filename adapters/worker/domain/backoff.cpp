#include "adapters/worker/domain/backoff.hpp"

#include <algorithm>

namespace herald::worker {

std::chrono::milliseconds retry_delay(const BackoffPolicy& p, std::int64_t attempt, double random01,
                                      std::optional<std::chrono::milliseconds> retry_after) {
  const double r = std::clamp(random01, 0.0, 1.0);
  const double jitter = std::clamp(p.jitter, 0.0, 1.0);
  if (retry_after) {
    auto after = std::max(*retry_after, std::chrono::milliseconds{0});
    double spread = std::min(static_cast<double>(after.count()) * jitter,
                             static_cast<double>(p.rate_limit_spread.count()));
    return after + std::chrono::milliseconds{static_cast<std::int64_t>(spread * r)};
  }
  const auto cap = static_cast<double>(p.cap.count());
  double d = static_cast<double>(p.base.count());
  for (std::int64_t i = 1; i < attempt && d < cap; ++i) d *= 2;
  d = std::min(d, cap);
  return std::chrono::milliseconds{static_cast<std::int64_t>(d * (1.0 - jitter) + d * jitter * r)};
}

}  // namespace herald::worker
