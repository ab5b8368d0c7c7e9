#pragma once
// The set of metrics one process exposes on /metrics, rendered in the Prometheus text format.
// Components declare their metrics once (typically in a stats struct built in the constructor)
// and keep the returned references; the hot path then touches only atomics.
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "services/core/metrics/counter.hpp"
#include "services/core/metrics/gauge.hpp"
#include "services/core/metrics/histogram.hpp"
#include "services/core/metrics/labels.hpp"

namespace herald::core::metrics {

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each returns the metric for (name, labels), creating it on first use; the same name and
  // labels (in any order) return the same object, valid as long as the Registry. The HELP text
  // of the first registration wins. Throws std::invalid_argument for an invalid metric or label
  // name, a duplicate label name, a name already registered with another type (or whose
  // exposition lines would collide with a histogram's _bucket/_sum/_count), or a histogram
  // re-registered with different buckets, or using the reserved label "le".
  Counter& counter(std::string name, std::string help, Labels labels = {});
  Gauge& gauge(std::string name, std::string help, Labels labels = {});
  Histogram& histogram(std::string name, std::string help, std::vector<double> buckets,
                       Labels labels = {});
  // Same, for a bucket constant such as kLatencySecondsBuckets.
  Histogram& histogram(std::string name, std::string help, std::span<const double> buckets,
                       Labels labels = {});

  // Text exposition format 0.0.4: families sorted by name, each with one # HELP and one # TYPE,
  // children sorted by labels. Serve with kExpositionContentType (exposition.hpp).
  [[nodiscard]] std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Family;

  static const char* type_name(Type type);

  Family& family_for(const std::string& name, std::string help, Type type,
                     const std::vector<double>* buckets);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>> families_;
};

}  // namespace herald::core::metrics
