#pragma once
// The injectable clock. Production code asks a Clock for the time; tests hand in a ManualClock
// (tests/support/manual_clock.hpp) and move it forward instead of sleeping.
#include <chrono>
#include <cstdint>

namespace herald::core {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  // Wall-clock UTC instant.
  [[nodiscard]] virtual time_point now() const = 0;
  // Monotonic time for measuring durations and timeouts.
  [[nodiscard]] virtual std::chrono::steady_clock::time_point steady_now() const = 0;
  // now() as milliseconds since the Unix epoch (Redis scores, JSON timestamps).
  [[nodiscard]] std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override { return std::chrono::system_clock::now(); }
  [[nodiscard]] std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::now();
  }
};

}  // namespace herald::core
