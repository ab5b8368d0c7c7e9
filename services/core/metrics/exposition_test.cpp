#include "services/core/metrics/exposition.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace herald::core::metrics {
namespace {

TEST(Exposition, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\\b"), "a\\\\b");
  EXPECT_EQ(escape_label_value("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(escape_label_value("two\nlines"), "two\\nlines");
  EXPECT_EQ(escape_label_value("\\\"\n"), "\\\\\\\"\\n");
}

TEST(Exposition, EscapesHelpButNotQuotes) {
  EXPECT_EQ(escape_help("Requests \"served\"\nby path\\x"), "Requests \"served\"\\nby path\\\\x");
}

TEST(Exposition, FormatsValues) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(3), "3");
  EXPECT_EQ(format_value(-2.5), "-2.5");
  EXPECT_EQ(format_value(0.0005), "0.0005");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(123456789012.0), "123456789012");
  EXPECT_EQ(format_value(400000), "400000");
  EXPECT_EQ(format_value(1e-05), "1e-05");
  EXPECT_EQ(format_value(1e20), "1e+20");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  // Shortest round trip: parses back to the same double.
  EXPECT_EQ(std::stod(format_value(0.1 + 0.2)), 0.1 + 0.2);
}

TEST(Exposition, FormatsLabels) {
  EXPECT_EQ(format_labels({}), "");
  EXPECT_EQ(format_labels({}, "le=\"1\""), "{le=\"1\"}");
  EXPECT_EQ(format_labels({{"a", "x"}, {"b", "q\""}}), "{a=\"x\",b=\"q\\\"\"}");
  EXPECT_EQ(format_labels({{"a", "x"}}, "le=\"+Inf\""), "{a=\"x\",le=\"+Inf\"}");
}

TEST(Exposition, ValidatesNames) {
  EXPECT_TRUE(is_valid_metric_name("herald_http_requests_total"));
  EXPECT_TRUE(is_valid_metric_name("ns:rule_name"));
  EXPECT_TRUE(is_valid_metric_name("_x"));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_FALSE(is_valid_metric_name("1abc"));
  EXPECT_FALSE(is_valid_metric_name("http-requests"));
  EXPECT_FALSE(is_valid_metric_name("a b"));
  EXPECT_TRUE(is_valid_label_name("status_code"));
  EXPECT_FALSE(is_valid_label_name("__reserved"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_FALSE(is_valid_label_name("9x"));
  EXPECT_FALSE(is_valid_label_name(""));
}

}  // namespace
}  // namespace herald::core::metrics
