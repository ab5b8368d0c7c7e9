#pragma once
// Pieces of the Prometheus text exposition format 0.0.4, shared by the Registry and tests.
#include <string>
#include <string_view>

#include "services/core/metrics/labels.hpp"

namespace herald::core::metrics {

inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

// [a-zA-Z_:][a-zA-Z0-9_:]*
[[nodiscard]] bool is_valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved).
[[nodiscard]] bool is_valid_label_name(std::string_view name);

// Label values: backslash, double quote and newline become \\, \" and \n.
[[nodiscard]] std::string escape_label_value(std::string_view value);
// HELP text: backslash and newline become \\ and \n.
[[nodiscard]] std::string escape_help(std::string_view help);
// Shortest round-trip decimal ("1", "0.25", "400000"; exponent form below 1e-4 or from 1e16:
// "1e-05"), or "+Inf", "-Inf", "NaN".
[[nodiscard]] std::string format_value(double value);
// {a="x",b="y"}, or "" for no labels. `extra` (e.g. le="0.5") is appended last when non-empty.
[[nodiscard]] std::string format_labels(const Labels& labels, std::string_view extra = {});

}  // namespace herald::core::metrics
