#include "services/ads/domain/kpi.hpp"

namespace herald::ads::domain {
namespace {

std::optional<double> ratio(double numerator, std::int64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return numerator / static_cast<double>(denominator);
}

}  // namespace

Totals& Totals::operator+=(const Totals& other) {
  impressions += other.impressions;
  clicks += other.clicks;
  conversions += other.conversions;
  follows += other.follows;
  spend_minor += other.spend_minor;
  revenue_minor += other.revenue_minor;
  return *this;
}

Kpis compute_kpis(const Totals& t) {
  const auto spend = static_cast<double>(t.spend_minor);
  Kpis k;
  k.ctr = ratio(static_cast<double>(t.clicks), t.impressions);
  k.cpc_minor = ratio(spend, t.clicks);
  k.cpm_minor = ratio(1000.0 * spend, t.impressions);
  k.cvr = ratio(static_cast<double>(t.conversions), t.clicks);
  k.cpa_minor = ratio(spend, t.conversions);
  k.roas = ratio(static_cast<double>(t.revenue_minor), t.spend_minor);
  // revenue - spend in integers first: exact for any realistic amounts.
  k.roi = ratio(static_cast<double>(t.revenue_minor - t.spend_minor), t.spend_minor);
  k.follow_rate = ratio(static_cast<double>(t.follows), t.impressions);
  return k;
}

const std::vector<std::pair<std::string, std::string>>& kpi_formulas() {
  static const std::vector<std::pair<std::string, std::string>> kFormulas = {
      {"ctr", "CTR = clicks / impressions"},
      {"cpc_minor", "CPC = spend / clicks"},
      {"cpm_minor", "CPM = 1000 * spend / impressions"},
      {"cvr", "CVR = conversions / clicks"},
      {"cpa_minor", "CPA = spend / conversions"},
      {"roas", "ROAS = revenue / spend"},
      {"roi", "ROI = (revenue - spend) / spend"},
      {"follow_rate", "Follow rate = follows / impressions"},
  };
  return kFormulas;
}

}  // namespace herald::ads::domain
