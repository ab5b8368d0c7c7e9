#include "services/ads/domain/kpi.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

namespace herald::ads::domain {
namespace {

Totals sample() {
  Totals t;
  t.impressions = 20'000;
  t.clicks = 500;
  t.conversions = 25;
  t.follows = 40;
  t.spend_minor = 125'000;    // 1,250.00
  t.revenue_minor = 500'000;  // 5,000.00
  return t;
}

TEST(ComputeKpis, FollowsTheFormulas) {
  auto k = compute_kpis(sample());
  EXPECT_DOUBLE_EQ(k.ctr.value(), 0.025);          // 500 / 20000
  EXPECT_DOUBLE_EQ(k.cpc_minor.value(), 250.0);    // 125000 / 500
  EXPECT_DOUBLE_EQ(k.cpm_minor.value(), 6'250.0);  // 1000 * 125000 / 20000
  EXPECT_DOUBLE_EQ(k.cvr.value(), 0.05);           // 25 / 500
  EXPECT_DOUBLE_EQ(k.cpa_minor.value(), 5'000.0);  // 125000 / 25
  EXPECT_DOUBLE_EQ(k.roas.value(), 4.0);           // 500000 / 125000
  EXPECT_DOUBLE_EQ(k.roi.value(), 3.0);            // (500000 - 125000) / 125000
  EXPECT_DOUBLE_EQ(k.follow_rate.value(), 0.002);  // 40 / 20000
}

TEST(ComputeKpis, ALossGivesANegativeRoi) {
  Totals t;
  t.spend_minor = 1'000;
  t.revenue_minor = 250;
  auto k = compute_kpis(t);
  EXPECT_DOUBLE_EQ(k.roas.value(), 0.25);
  EXPECT_DOUBLE_EQ(k.roi.value(), -0.75);
}

TEST(ComputeKpis, AZeroDenominatorIsNoDataNotZeroOrInfinity) {
  auto empty = compute_kpis(Totals{});
  EXPECT_FALSE(empty.ctr);
  EXPECT_FALSE(empty.cpc_minor);
  EXPECT_FALSE(empty.cpm_minor);
  EXPECT_FALSE(empty.cvr);
  EXPECT_FALSE(empty.cpa_minor);
  EXPECT_FALSE(empty.roas);
  EXPECT_FALSE(empty.roi);
  EXPECT_FALSE(empty.follow_rate);

  // Spend without clicks or conversions: the cost per click/acquisition is unknown, not infinite.
  Totals t;
  t.impressions = 1'000;
  t.spend_minor = 5'000;
  auto k = compute_kpis(t);
  EXPECT_DOUBLE_EQ(k.ctr.value(), 0.0);  // a real zero: impressions, no clicks
  EXPECT_FALSE(k.cpc_minor);
  EXPECT_FALSE(k.cvr);
  EXPECT_FALSE(k.cpa_minor);
  EXPECT_DOUBLE_EQ(k.cpm_minor.value(), 5'000.0);
  EXPECT_DOUBLE_EQ(k.roas.value(), 0.0);
  EXPECT_DOUBLE_EQ(k.roi.value(), -1.0);

  // Revenue without spend (organic): no ROAS or ROI.
  Totals organic;
  organic.revenue_minor = 900;
  EXPECT_FALSE(compute_kpis(organic).roas);
  EXPECT_FALSE(compute_kpis(organic).roi);
}

TEST(Totals, AddsEveryField) {
  Totals a = sample();
  Totals b;
  b.impressions = 1;
  b.clicks = 2;
  b.conversions = 3;
  b.follows = 4;
  b.spend_minor = 5;
  b.revenue_minor = 6;
  Totals& result = (a += b);
  EXPECT_EQ(&result, &a);
  EXPECT_EQ(a.impressions, 20'001);
  EXPECT_EQ(a.clicks, 502);
  EXPECT_EQ(a.conversions, 28);
  EXPECT_EQ(a.follows, 44);
  EXPECT_EQ(a.spend_minor, 125'005);
  EXPECT_EQ(a.revenue_minor, 500'006);
}

TEST(ComputeKpis, SummedRowsAreNotTheMeanOfPerRowRatios) {
  // A tiny ad with a great CTR and a big ad with an ordinary one.
  Totals small;
  small.impressions = 10;
  small.clicks = 5;
  small.spend_minor = 50;
  Totals big;
  big.impressions = 10'000;
  big.clicks = 100;
  big.spend_minor = 30'000;

  Totals sum;
  sum += small;
  sum += big;
  auto k = compute_kpis(sum);
  auto mean_ctr = (compute_kpis(small).ctr.value() + compute_kpis(big).ctr.value()) / 2;  // (0.5 + 0.01) / 2
  auto mean_cpc = (compute_kpis(small).cpc_minor.value() + compute_kpis(big).cpc_minor.value()) / 2;  // (10 + 300) / 2

  EXPECT_DOUBLE_EQ(k.ctr.value(), 105.0 / 10'010.0);  // ~1.05%, what the campaign really did
  EXPECT_DOUBLE_EQ(mean_ctr, 0.255);                 // 25.5%, what averaging would claim
  EXPECT_GT(std::abs(k.ctr.value() - mean_ctr), 0.2);
  EXPECT_DOUBLE_EQ(k.cpc_minor.value(), 30'050.0 / 105.0);  // ~286.19
  EXPECT_DOUBLE_EQ(mean_cpc, 155.0);
}

// A small evaluator for the right-hand sides of kpi_formulas(): numbers, the Totals names, + - * / and
// parentheses. nullopt for a division by zero.
class Formula {
 public:
  Formula(std::string text, const Totals& t) : s_(std::move(text)), t_(t) {}
  std::optional<double> value() {
    auto v = sum();
    skip();
    if (pos_ != s_.size()) throw std::runtime_error("unparsed: " + s_.substr(pos_));
    return v;
  }

 private:
  void skip() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }
  bool eat(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<double> sum() {
    auto v = product();
    while (true) {
      if (eat('+')) {
        auto r = product();
        v = (v && r) ? std::optional(*v + *r) : std::nullopt;
      } else if (eat('-')) {
        auto r = product();
        v = (v && r) ? std::optional(*v - *r) : std::nullopt;
      } else {
        return v;
      }
    }
  }
  std::optional<double> product() {
    auto v = atom();
    while (true) {
      if (eat('*')) {
        auto r = atom();
        v = (v && r) ? std::optional(*v * *r) : std::nullopt;
      } else if (eat('/')) {
        auto r = atom();
        v = (v && r && *r != 0) ? std::optional(*v / *r) : std::nullopt;
      } else {
        return v;
      }
    }
  }
  std::optional<double> atom() {
    if (eat('(')) {
      auto v = sum();
      if (!eat(')')) throw std::runtime_error("missing )");
      return v;
    }
    skip();
    std::string word;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) word += s_[pos_++];
    if (word.empty()) throw std::runtime_error("expected a term at " + s_.substr(pos_));
    if (std::isdigit(static_cast<unsigned char>(word[0]))) return std::stod(word);
    const std::map<std::string, std::int64_t> names = {
        {"impressions", t_.impressions}, {"clicks", t_.clicks},     {"conversions", t_.conversions},
        {"follows", t_.follows},         {"spend", t_.spend_minor}, {"revenue", t_.revenue_minor},
    };
    auto it = names.find(word);
    if (it == names.end()) throw std::runtime_error("unknown name " + word);
    return static_cast<double>(it->second);
  }
  std::string s_;
  const Totals& t_;
  std::size_t pos_ = 0;
};

TEST(KpiFormulas, DescribeEveryFieldAndAgreeWithTheCode) {
  const std::vector<std::pair<std::string, std::optional<double> Kpis::*>> fields = {
      {"ctr", &Kpis::ctr},   {"cpc_minor", &Kpis::cpc_minor}, {"cpm_minor", &Kpis::cpm_minor},
      {"cvr", &Kpis::cvr},   {"cpa_minor", &Kpis::cpa_minor}, {"roas", &Kpis::roas},
      {"roi", &Kpis::roi},   {"follow_rate", &Kpis::follow_rate},
  };
  const auto& formulas = kpi_formulas();
  ASSERT_EQ(formulas.size(), fields.size());
  EXPECT_EQ(formulas[0].second, "CTR = clicks / impressions");

  Totals loss;
  loss.impressions = 3;
  loss.clicks = 7;
  loss.spend_minor = 900;
  loss.revenue_minor = 100;
  for (const Totals& t : {sample(), loss, Totals{}}) {
    auto k = compute_kpis(t);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& [name, text] = formulas[i];
      ASSERT_EQ(name, fields[i].first);
      auto eq = text.find(" = ");
      ASSERT_NE(eq, std::string::npos) << text;
      EXPECT_GT(eq, 0u) << text;
      auto expected = Formula(text.substr(eq + 3), t).value();
      auto actual = k.*(fields[i].second);
      ASSERT_EQ(actual.has_value(), expected.has_value()) << text;
      if (actual) {
        EXPECT_DOUBLE_EQ(*actual, *expected) << text;
      }
    }
  }
}

}  // namespace
}  // namespace herald::ads::domain
