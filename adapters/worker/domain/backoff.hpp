#pragma once
// When a retryable send is due again (DESIGN.md section 4: retry with backoff and jitter only
// for retryable errors; rate-limited sends wait at least the platform's retry-after). Pure.
#include <chrono>
#include <cstdint>
#include <optional>

namespace herald::worker {

struct BackoffPolicy {
  std::chrono::milliseconds base{5000};           // the delay after the first attempt (default 5 s)
  std::chrono::milliseconds cap{15 * 60 * 1000};  // never longer than this (default 15 min)
  double jitter = 0.3;  // the delay is drawn from [d * (1 - jitter), d] (default 30 %)
  // Added on top of a platform's retry-after, drawn from [0, min(retry_after * jitter, this)],
  // so that the sends one 429 pushed back do not all return in the same instant (default 2 s).
  std::chrono::milliseconds rate_limit_spread{2000};
};

// The delay after attempt `attempt` (1-based) failed: base * 2^(attempt-1), capped, with jitter.
// `random01` is a draw from [0, 1). With `retry_after` (a rate limit) the delay is at least it.
std::chrono::milliseconds retry_delay(const BackoffPolicy& policy, std::int64_t attempt, double random01,
                                      std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

}  // namespace herald::worker
