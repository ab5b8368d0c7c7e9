#pragma once
#include <atomic>
#include <chrono>

#include "services/core/util/clock.hpp"

namespace herald::testing {

// A Clock that only moves when the test says so.
class ManualClock final : public core::Clock {
 public:
  explicit ManualClock(time_point start = time_point{std::chrono::seconds{1'800'000'000}})
      : now_ns_(start.time_since_epoch().count()) {}
  [[nodiscard]] time_point now() const override { return time_point{time_point::duration{now_ns_.load()}}; }
  [[nodiscard]] std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::time_point{
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(time_point::duration{now_ns_.load()})};
  }
  void advance(std::chrono::nanoseconds d) {
    now_ns_ += std::chrono::duration_cast<time_point::duration>(d).count();
  }

 private:
  std::atomic<time_point::duration::rep> now_ns_;
};

}  // namespace herald::testing
