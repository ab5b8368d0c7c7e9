#pragma once
#include <atomic>

namespace herald::core::metrics {

// A monotonically increasing value. inc() is lock-free; owned by a Registry, which hands out
// references that stay valid for the registry's lifetime.
class Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  // Adds `amount` (default 1). Throws std::invalid_argument if it is negative: counters never
  // go down (use a Gauge). NaN is ignored.
  void inc(double amount = 1.0);
  [[nodiscard]] double value() const;

 private:
  static_assert(std::atomic<double>::is_always_lock_free);
  std::atomic<double> value_{0.0};
};

}  // namespace herald::core::metrics
