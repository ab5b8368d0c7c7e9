#pragma once
// A/B tests of two ad or post variants: the two-proportion z-test with pooled variance (e.g. NIST/SEMATECH
// e-Handbook of Statistical Methods, section 7.3.3; any statistics textbook), two-sided, with the normal
// tail from std::erfc, and a verdict in plain words for people who do not read p-values. Pure;
// unit-tested in abtest_test.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::ads::domain {

struct Arm {
  std::string label;  // "" reads as "A" / "B"
  std::int64_t trials = 0;     // e.g. impressions
  std::int64_t successes = 0;  // e.g. clicks
};

struct AbResult {
  double rate_a = 0, rate_b = 0;  // successes / trials (0 for an arm with no trials)
  std::optional<double> lift;     // (rate_b - rate_a) / rate_a; nullopt when rate_a == 0
  double z = 0, p_value = 1;      // two-sided two-proportion z-test with pooled variance (z 0, p 1 when undefined)
  bool enough_data = false;       // each arm: trials >= 100, and expected successes and failures >= 5
  bool significant = false;       // enough_data && p_value < alpha
  std::string winner;             // label of the better arm when significant, else ""
  std::string verdict;            // plain words: "B has a higher CTR than A: 2.6% vs 2.0% (+30%). ..."
};

// Compares b against a. `metric_name` names the rate in the verdict ("CTR", "conversion rate").
// "Expected" counts use the pooled rate: trials * p and trials * (1 - p), the textbook condition for the
// normal approximation. Throws invalid_argument when a count is negative, successes exceed trials, or
// alpha is not strictly between 0 and 1.
AbResult compare(const Arm& a, const Arm& b, std::string_view metric_name, double alpha = 0.05);

}  // namespace herald::ads::domain
