#pragma once
// Time for adapters, injectable (STYLE.md 10): `now` turns a platform's expires_in into an
// expires_at and a rate-limit reset into a retry_after; `sleep` paces the few flows that must
// wait on the platform (Instagram's container status, Mastodon's media processing). Tests pass
// a fixed now and a sleep that returns at once.
#include <chrono>
#include <cstdint>
#include <functional>

namespace herald::adapters {

struct Clock {
  std::function<std::int64_t()> now;                     // unix seconds
  std::function<void(std::chrono::milliseconds)> sleep;  // blocks the calling (blocking-pool) thread
};

// The system clock and std::this_thread::sleep_for.
Clock system_clock();

}  // namespace herald::adapters
