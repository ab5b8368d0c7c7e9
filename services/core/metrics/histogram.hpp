#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace herald::core::metrics {

// Counts observations into buckets with fixed upper bounds (plus the implicit +Inf bucket).
// observe() is lock-free: one atomic bucket increment and one atomic add to the sum.
class Histogram {
 public:
  struct Snapshot {
    std::vector<double> upper_bounds;             // without +Inf
    std::vector<std::uint64_t> cumulative_counts;  // one per bound, then one for +Inf
    double sum = 0;
    std::uint64_t count = 0;                      // == cumulative_counts.back()
  };

  // Bounds must be finite and strictly increasing; a trailing +Inf is accepted and dropped.
  // Throws std::invalid_argument otherwise.
  explicit Histogram(std::vector<double> upper_bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Records one observation. NaN is ignored.
  void observe(double value);

  [[nodiscard]] const std::vector<double>& upper_bounds() const { return bounds_; }
  // A consistent-enough view for exposition: the count is derived from the buckets, so the
  // +Inf bucket always equals the count; the sum may lag by in-flight observations.
  [[nodiscard]] Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1, non-cumulative
  std::atomic<double> sum_{0.0};
};

}  // namespace herald::core::metrics
