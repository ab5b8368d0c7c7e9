#include "services/core/metrics/counter.hpp"

#include <cmath>
#include <stdexcept>

namespace herald::core::metrics {

void Counter::inc(double amount) {
  if (std::isnan(amount)) return;
  if (amount < 0) {
    throw std::invalid_argument("counter increment must not be negative");
  }
  value_.fetch_add(amount, std::memory_order_relaxed);
}

double Counter::value() const { return value_.load(std::memory_order_relaxed); }

}  // namespace herald::core::metrics
