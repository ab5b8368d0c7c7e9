#pragma once
// The inbox's reports (F5, issue #6 "Insight"): for threads opened and messages received in a
// period, per brand the first-response times and both SLA clocks' outcomes, per person their
// replies and first responses, inbound messages and complaints per day, categories, and the words
// written about most (domain/topics.hpp, over the latest 5000 messages). Needs analytics.read or
// inbox.assign on each brand reported; without brand_id, every such brand. Blocking.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"

namespace herald::inbox {

struct ReportQuery {
  std::optional<std::string> brand_id;
  std::string from, to;  // YYYY-MM-DD (UTC days), to inclusive; default the last 7 days
};

class Reports {
 public:
  explicit Reports(core::pg::Pool& pg) : pg_(pg) {}
  nlohmann::json report(const iam::Principal& p, const ReportQuery& q);

 private:
  core::pg::Pool& pg_;
};

}  // namespace herald::inbox
