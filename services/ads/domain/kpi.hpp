#pragma once
// Advertising KPIs computed from summed counts, never by averaging per-row ratios: the CTR of a campaign
// is all its clicks over all its impressions, not the mean of its ads' CTRs (which weights a 10-impression
// ad like a 10-million-impression one). Money is in minor units of one currency (convert before summing;
// see currency.hpp). Pure; unit-tested in kpi_test.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace herald::ads::domain {

struct Totals {
  std::int64_t impressions = 0, clicks = 0, conversions = 0, follows = 0, spend_minor = 0, revenue_minor = 0;
  Totals& operator+=(const Totals& other);
};

// Ratios are fractions (ctr 0.025 is 2.5%); cpc/cpm/cpa are minor units of the spend currency. Each is
// nullopt when its denominator is zero: "no data", which a UI shows as "-", not 0 and not infinity.
struct Kpis {
  std::optional<double> ctr, cpc_minor, cpm_minor, cvr, cpa_minor, roas, roi, follow_rate;
};

// ctr = clicks/impressions, cpc = spend/clicks, cpm = 1000*spend/impressions, cvr = conversions/clicks,
// cpa = spend/conversions, roas = revenue/spend, roi = (revenue-spend)/spend, follow_rate = follows/impressions.
Kpis compute_kpis(const Totals& t);

// One entry per Kpis field, in declaration order: {field name, its formula in words}, e.g.
// {"ctr", "CTR = clicks / impressions"}. The right-hand side uses the Totals names (spend and revenue
// for spend_minor and revenue_minor), so the docs and the code are tested to agree.
const std::vector<std::pair<std::string, std::string>>& kpi_formulas();

}  // namespace herald::ads::domain
