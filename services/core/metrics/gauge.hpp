#pragma once
#include <atomic>

namespace herald::core::metrics {

// A value that goes up and down (queue depth, open connections). All operations are lock-free.
class Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void set(double value);
  void inc(double amount = 1.0);
  void dec(double amount = 1.0);
  [[nodiscard]] double value() const;

 private:
  static_assert(std::atomic<double>::is_always_lock_free);
  std::atomic<double> value_{0.0};
};

}  // namespace herald::core::metrics
