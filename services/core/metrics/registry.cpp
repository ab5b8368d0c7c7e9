#include "services/core/metrics/registry.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "services/core/metrics/exposition.hpp"

namespace herald::core::metrics {

struct Registry::Family {
  Type type;
  std::string help;
  std::vector<double> buckets;  // histograms only, without +Inf
  std::map<Labels, std::unique_ptr<Counter>> counters;
  std::map<Labels, std::unique_ptr<Gauge>> gauges;
  std::map<Labels, std::unique_ptr<Histogram>> histograms;
};

namespace {

constexpr std::string_view kHistogramSuffixes[] = {"_bucket", "_sum", "_count"};

Labels normalize(Labels labels, const std::string& metric, bool histogram) {
  std::sort(labels.begin(), labels.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i].first;
    if (!is_valid_label_name(label)) {
      throw std::invalid_argument("metric " + metric + ": invalid label name '" + label + "'");
    }
    if (i > 0 && labels[i - 1].first == label) {
      throw std::invalid_argument("metric " + metric + ": duplicate label '" + label + "'");
    }
    if (histogram && label == "le") {
      throw std::invalid_argument("metric " + metric + ": label 'le' is reserved for histograms");
    }
  }
  return labels;
}

std::vector<double> normalize_buckets(std::vector<double> buckets) {
  if (!buckets.empty() && std::isinf(buckets.back()) && buckets.back() > 0) {
    buckets.pop_back();
  }
  return buckets;
}

}  // namespace

const char* Registry::type_name(Type type) {
  switch (type) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  return "untyped";
}

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Family& Registry::family_for(const std::string& name, std::string help, Type type,
                                       const std::vector<double>* buckets) {
  if (!is_valid_metric_name(name)) {
    throw std::invalid_argument("invalid metric name '" + name + "'");
  }
  const auto found = families_.find(name);
  if (found != families_.end()) {
    Family& family = *found->second;
    if (family.type != type) {
      throw std::invalid_argument("metric " + name + " is already registered as a " +
                                  type_name(family.type) + ", not a " +
                                  type_name(type));
    }
    if (buckets != nullptr && family.buckets != *buckets) {
      throw std::invalid_argument("histogram " + name + " is already registered with other buckets");
    }
    return family;
  }
  // Histogram exposition adds <name>_bucket, _sum and _count lines: keep them unambiguous.
  for (const std::string_view suffix : kHistogramSuffixes) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      const auto stem = families_.find(name.substr(0, name.size() - suffix.size()));
      if (stem != families_.end() && stem->second->type == Type::histogram) {
        throw std::invalid_argument("metric " + name + " collides with histogram " + stem->first);
      }
    }
    if (type == Type::histogram && families_.contains(name + std::string(suffix))) {
      throw std::invalid_argument("histogram " + name + " collides with metric " + name +
                                  std::string(suffix));
    }
  }
  auto family = std::make_unique<Family>();
  family->type = type;
  family->help = std::move(help);
  if (buckets != nullptr) {
    family->buckets = *buckets;
  }
  return *families_.emplace(name, std::move(family)).first->second;
}

Counter& Registry::counter(std::string name, std::string help, Labels labels) {
  Labels key = normalize(std::move(labels), name, false);
  const std::lock_guard lock(mutex_);
  Family& family = family_for(name, std::move(help), Type::counter, nullptr);
  auto& slot = family.counters[std::move(key)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(std::string name, std::string help, Labels labels) {
  Labels key = normalize(std::move(labels), name, false);
  const std::lock_guard lock(mutex_);
  Family& family = family_for(name, std::move(help), Type::gauge, nullptr);
  auto& slot = family.gauges[std::move(key)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(std::string name, std::string help, std::vector<double> buckets,
                               Labels labels) {
  Labels key = normalize(std::move(labels), name, true);
  const std::vector<double> bounds = normalize_buckets(std::move(buckets));
  auto fresh = std::make_unique<Histogram>(bounds);  // validates the bounds before registering
  const std::lock_guard lock(mutex_);
  Family& family = family_for(name, std::move(help), Type::histogram, &bounds);
  auto& slot = family.histograms[std::move(key)];
  if (!slot) slot = std::move(fresh);
  return *slot;
}

Histogram& Registry::histogram(std::string name, std::string help, std::span<const double> buckets,
                               Labels labels) {
  return histogram(std::move(name), std::move(help), std::vector<double>(buckets.begin(), buckets.end()),
                   std::move(labels));
}

std::string Registry::render() const {
  std::string out;
  const std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) {
    out.append("# HELP ").append(name);
    if (!family->help.empty()) out.append(" ").append(escape_help(family->help));
    out.append("\n# TYPE ").append(name).append(" ");
    out.append(type_name(family->type)).append("\n");
    for (const auto& [labels, counter] : family->counters) {
      out.append(name).append(format_labels(labels)).append(" ");
      out.append(format_value(counter->value())).append("\n");
    }
    for (const auto& [labels, gauge] : family->gauges) {
      out.append(name).append(format_labels(labels)).append(" ");
      out.append(format_value(gauge->value())).append("\n");
    }
    for (const auto& [labels, histogram] : family->histograms) {
      const Histogram::Snapshot snap = histogram->snapshot();
      for (std::size_t i = 0; i <= snap.upper_bounds.size(); ++i) {
        const std::string le =
            i < snap.upper_bounds.size() ? format_value(snap.upper_bounds[i]) : std::string("+Inf");
        out.append(name).append("_bucket").append(format_labels(labels, "le=\"" + le + "\""));
        out.append(" ").append(std::to_string(snap.cumulative_counts[i])).append("\n");
      }
      out.append(name).append("_sum").append(format_labels(labels)).append(" ");
      out.append(format_value(snap.sum)).append("\n");
      out.append(name).append("_count").append(format_labels(labels)).append(" ");
      out.append(std::to_string(snap.count)).append("\n");
    }
  }
  return out;
}

}  // namespace herald::core::metrics
