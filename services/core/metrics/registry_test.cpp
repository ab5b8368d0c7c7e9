#include "services/core/metrics/registry.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "services/core/metrics/buckets.hpp"

namespace herald::core::metrics {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(Registry, RendersExactExpositionText) {
  Registry registry;
  registry.gauge("herald_queue_depth", "Messages waiting", {{"queue", "publish"}}).set(7);
  auto& requests = registry.counter("herald_http_requests_total", "HTTP requests served",
                                    {{"status", "200"}, {"method", "GET"}});
  requests.inc();
  requests.inc(2);
  registry.counter("herald_http_requests_total", "ignored", {{"method", "POST"}, {"status", "201"}}).inc();
  auto& latency = registry.histogram("herald_http_request_seconds", "Request latency", {0.1, 1});
  latency.observe(0.05);
  latency.observe(0.5);
  latency.observe(3);

  const std::vector<std::string> expected = {
      "# HELP herald_http_request_seconds Request latency",
      "# TYPE herald_http_request_seconds histogram",
      "herald_http_request_seconds_bucket{le=\"0.1\"} 1",
      "herald_http_request_seconds_bucket{le=\"1\"} 2",
      "herald_http_request_seconds_bucket{le=\"+Inf\"} 3",
      "herald_http_request_seconds_sum 3.55",
      "herald_http_request_seconds_count 3",
      "# HELP herald_http_requests_total HTTP requests served",
      "# TYPE herald_http_requests_total counter",
      "herald_http_requests_total{method=\"GET\",status=\"200\"} 3",
      "herald_http_requests_total{method=\"POST\",status=\"201\"} 1",
      "# HELP herald_queue_depth Messages waiting",
      "# TYPE herald_queue_depth gauge",
      "herald_queue_depth{queue=\"publish\"} 7",
  };
  const std::string text = registry.render();
  EXPECT_EQ(lines_of(text), expected) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST(Registry, SameNameAndLabelsReturnSameObject) {
  Registry registry;
  Counter& a = registry.counter("c_total", "h", {{"x", "1"}, {"y", "2"}});
  Counter& b = registry.counter("c_total", "h", {{"y", "2"}, {"x", "1"}});
  Counter& other = registry.counter("c_total", "h", {{"x", "1"}, {"y", "3"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
  Histogram& h1 = registry.histogram("h_seconds", "h", kLatencySecondsBuckets);
  Histogram& h2 = registry.histogram("h_seconds", "h", kLatencySecondsBuckets);
  EXPECT_EQ(&h1, &h2);
  EXPECT_EQ(&registry.gauge("g", "h"), &registry.gauge("g", "h"));
}

TEST(Registry, TypeConflictThrows) {
  Registry registry;
  registry.counter("herald_things", "h");
  EXPECT_THROW(registry.gauge("herald_things", "h"), std::invalid_argument);
  EXPECT_THROW(registry.histogram("herald_things", "h", {1.0}), std::invalid_argument);
  registry.gauge("herald_level", "h");
  EXPECT_THROW(registry.counter("herald_level", "h", {{"a", "b"}}), std::invalid_argument);
}

TEST(Registry, RejectsInvalidNamesAndLabels) {
  Registry registry;
  EXPECT_THROW(registry.counter("bad-name", "h"), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "h", {{"bad-label", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "h", {{"__name__", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "h", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("hist", "h", {1.0}, {{"le", "1"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("hist2", "h", {2.0, 1.0}), std::invalid_argument);
  // A failed registration leaves nothing behind.
  EXPECT_EQ(registry.render(), "");
}

TEST(Registry, HistogramBucketsMustMatchAcrossChildren) {
  Registry registry;
  registry.histogram("lat", "h", {0.1, 1}, {{"route", "a"}});
  EXPECT_THROW(registry.histogram("lat", "h", {0.1, 2}, {{"route", "b"}}), std::invalid_argument);
  EXPECT_NO_THROW(registry.histogram("lat", "h", {0.1, 1}, {{"route", "b"}}));
}

TEST(Registry, HistogramSeriesNamesCannotCollide) {
  Registry registry;
  registry.histogram("job_seconds", "h", {1.0});
  EXPECT_THROW(registry.counter("job_seconds_count", "h"), std::invalid_argument);
  EXPECT_THROW(registry.gauge("job_seconds_sum", "h"), std::invalid_argument);
  registry.counter("work_bucket", "h");
  EXPECT_THROW(registry.histogram("work", "h", {1.0}), std::invalid_argument);
}

TEST(Registry, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry.counter("errors_total", "Errors\nby \\ kind", {{"msg", "bad \"quote\" \\ and\nnewline"}}).inc();
  const auto lines = lines_of(registry.render());
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0], "# HELP errors_total Errors\\nby \\\\ kind");
  EXPECT_EQ(lines[2], "errors_total{msg=\"bad \\\"quote\\\" \\\\ and\\nnewline\"} 1");
}

TEST(Registry, HistogramWithLabelsPutsLeLast) {
  Registry registry;
  auto& h = registry.histogram("op_seconds", "Op", {0.5}, {{"op", "publish"}});
  h.observe(0.25);
  h.observe(0.75);
  const auto lines = lines_of(registry.render());
  const std::vector<std::string> expected = {
      "# HELP op_seconds Op",
      "# TYPE op_seconds histogram",
      "op_seconds_bucket{op=\"publish\",le=\"0.5\"} 1",
      "op_seconds_bucket{op=\"publish\",le=\"+Inf\"} 2",
      "op_seconds_sum{op=\"publish\"} 1",
      "op_seconds_count{op=\"publish\"} 2",
  };
  EXPECT_EQ(lines, expected);
}

TEST(Registry, CounterAndGaugeSemantics) {
  Registry registry;
  Counter& c = registry.counter("c_total", "h");
  c.inc();
  c.inc(0.5);
  EXPECT_DOUBLE_EQ(c.value(), 1.5);
  EXPECT_THROW(c.inc(-1), std::invalid_argument);
  EXPECT_DOUBLE_EQ(c.value(), 1.5);
  Gauge& g = registry.gauge("g", "h");
  g.set(10);
  g.inc();
  g.dec(4);
  EXPECT_DOUBLE_EQ(g.value(), 7);
  g.dec(10);
  EXPECT_DOUBLE_EQ(g.value(), -3);
}

TEST(Registry, ConcurrentIncrementsGiveExactTotal) {
  Registry registry;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry] {
      // Each thread looks the counter up itself: registration is thread-safe too.
      Counter& c = registry.counter("herald_ops_total", "Ops", {{"kind", "x"}});
      Gauge& g = registry.gauge("herald_inflight", "In flight");
      for (int i = 0; i < kPerThread; ++i) {
        c.inc();
        g.inc();
        g.dec();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(registry.counter("herald_ops_total", "Ops", {{"kind", "x"}}).value(),
            static_cast<double>(kThreads) * kPerThread);
  EXPECT_EQ(registry.gauge("herald_inflight", "In flight").value(), 0.0);
  const auto lines = lines_of(registry.render());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "herald_ops_total{kind=\"x\"} 400000"), lines.end());
}

}  // namespace
}  // namespace herald::core::metrics
