#include "services/ads/domain/abtest.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace herald::ads::domain {
namespace {

constexpr std::int64_t kMinTrials = 100;
constexpr double kMinExpected = 5;

template <typename... Args>
std::string format(const char* fmt, Args... args) {
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), fmt, args...);
  return buf.data();
}

// 0.031 -> "3.1%", 0.0045 -> "0.45%": enough digits to tell small rates apart.
std::string percent(double rate) {
  const double v = rate * 100;
  if (v == 0) return "0%";
  if (v >= 1) return format("%.1f%%", v);
  if (v >= 0.01) return format("%.2f%%", v);
  return format("%.2g%%", v);
}

std::string signed_percent(double fraction) {
  const double v = fraction * 100;
  return std::abs(v) < 1 ? format("%+.1f%%", v) : format("%+.0f%%", v);
}

// "p = 0.0047", "p = 0.23", "p < 0.001".
std::string p_text(double p) {
  if (p < 0.001) return "p < 0.001";
  const int decimals = p >= 0.1 ? 2 : (p >= 0.01 ? 3 : 4);  // two significant digits
  return "p = " + format("%.*f", decimals, p);
}

// How often chance alone gives a difference at least this large, in words.
std::string chance_text(double p, bool significant) {
  if (significant) {
    for (int n : {1000, 100, 50, 20, 10, 5, 2}) {
      if (p < 1.0 / n) return "less than 1 time in " + std::string(n == 1000 ? "1,000" : std::to_string(n));
    }
  }
  if (p >= 0.95) return "almost every time";
  if (p >= 0.1) {
    const long tenths = std::lround(p * 10);
    return "about " + std::to_string(tenths) + (tenths == 1 ? " time" : " times") + " in 10";
  }
  return "about 1 time in " + std::to_string(std::lround(1 / p));
}

void check(const Arm& arm, const std::string& name) {
  if (arm.trials < 0) throw std::invalid_argument(name + ".trials: must not be negative");
  if (arm.successes < 0) throw std::invalid_argument(name + ".successes: must not be negative");
  if (arm.successes > arm.trials) {
    throw std::invalid_argument(name + ".successes: " + std::to_string(arm.successes) + " is more than the " +
                                std::to_string(arm.trials) + " trials");
  }
}

}  // namespace

AbResult compare(const Arm& a, const Arm& b, std::string_view metric_name, double alpha) {
  check(a, "a");
  check(b, "b");
  if (!(alpha > 0 && alpha < 1)) throw std::invalid_argument("alpha: must be between 0 and 1, e.g. 0.05");
  const std::string la = a.label.empty() ? "A" : a.label;
  const std::string lb = b.label.empty() ? "B" : b.label;
  const std::string metric = metric_name.empty() ? "rate" : std::string(metric_name);

  AbResult r;
  const auto na = static_cast<double>(a.trials);
  const auto nb = static_cast<double>(b.trials);
  r.rate_a = a.trials > 0 ? static_cast<double>(a.successes) / na : 0;
  r.rate_b = b.trials > 0 ? static_cast<double>(b.successes) / nb : 0;
  if (r.rate_a > 0) r.lift = (r.rate_b - r.rate_a) / r.rate_a;

  if (a.trials > 0 && b.trials > 0) {
    const double pooled = static_cast<double>(a.successes + b.successes) / (na + nb);
    const double se = std::sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
    if (se > 0) {
      r.z = (r.rate_b - r.rate_a) / se;
      r.p_value = std::erfc(std::abs(r.z) / std::sqrt(2.0));
    }
    auto enough = [&](double n) { return n * pooled >= kMinExpected && n * (1 - pooled) >= kMinExpected; };
    r.enough_data = a.trials >= kMinTrials && b.trials >= kMinTrials && enough(na) && enough(nb);
  }
  r.significant = r.enough_data && r.p_value < alpha;

  if (!r.enough_data) {
    r.verdict = "Not enough data yet: " + la + " " + std::to_string(a.successes) + "/" + std::to_string(a.trials) +
                " (" + percent(r.rate_a) + "), " + lb + " " + std::to_string(b.successes) + "/" +
                std::to_string(b.trials) + " (" + percent(r.rate_b) + "). Each version needs at least " +
                std::to_string(kMinTrials) + " trials and about 5 successes and 5 failures before the " + metric +
                " can be compared; keep the test running.";
    return r;
  }
  if (r.significant) {
    const bool b_wins = r.rate_b > r.rate_a;
    const auto& w = b_wins ? lb : la;
    const auto& l = b_wins ? la : lb;
    const double rw = b_wins ? r.rate_b : r.rate_a;
    const double rl = b_wins ? r.rate_a : r.rate_b;
    r.winner = w;
    r.verdict = w + " has a higher " + metric + " than " + l + ": " + percent(rw) + " vs " + percent(rl) +
                (rl > 0 ? " (" + signed_percent((rw - rl) / rl) + ")" : std::string()) +
                ". A difference this large would happen by chance " + chance_text(r.p_value, true) + " (" +
                p_text(r.p_value) + "). Use " + w + ".";
    return r;
  }
  if (r.rate_a == r.rate_b) {
    r.verdict = "No clear winner: " + la + " and " + lb + " have the same " + metric + " (" + percent(r.rate_a) + ").";
    return r;
  }
  r.verdict = "No clear winner: " + lb + " " + percent(r.rate_b) + " vs " + la + " " + percent(r.rate_a) +
              (r.lift ? " (" + signed_percent(*r.lift) + ")" : std::string()) +
              ". A difference this large would happen by chance " + chance_text(r.p_value, false) + " (" +
              p_text(r.p_value) + "), too often to call; keep the test running or treat them as equal.";
  return r;
}

}  // namespace herald::ads::domain
