#pragma once
// A campaign's plan, as the API writes it (F6, issue #7): pure parsing and validation, no I/O.
// Bad input throws FieldError naming the field, which the API answers with a 422.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::campaigns::domain {

struct FieldError : std::invalid_argument {
  FieldError(std::string f, const std::string& message) : std::invalid_argument(message), field(std::move(f)) {}
  std::string field;
};

// The campaign types of the seeds: promotion, interaction, brand communication, seeding-and-selling (種草帶貨).
const std::vector<std::string_view>& campaign_types();
// The KPI metrics a campaign may set targets for.
const std::vector<std::string_view>& kpi_metrics();
// draft -> planned -> active -> completed; any not yet ended -> cancelled. `paused` is entered and left
// only through the freeze (pause / resume), never through a status change.
const std::vector<std::string_view>& campaign_statuses();
bool can_change_status(std::string_view from, std::string_view to);

struct Kpi {
  std::string metric;
  double target = 0;
};
struct Reward {
  std::string name;
  std::int64_t quantity = 0;
  std::optional<std::int64_t> value_minor;  // per reward, in the budget's currency
};
struct Allocation {
  std::string target;  // a platform name, an account id or a free channel name ("KOL", "offline")
  std::string label;
  std::int64_t amount_minor = 0;
};

struct CampaignFields {
  std::string name, type, goal, theme;
  std::vector<Kpi> kpis;
  std::vector<std::string> platforms, account_ids;
  nlohmann::json rules = nlohmann::json::object();  // {eligibility, timing, flow}: text each
  std::vector<Reward> rewards;
  std::optional<std::int64_t> budget_minor;
  std::string currency;  // set exactly when budget_minor is
  std::vector<Allocation> allocation;
  std::optional<std::string> starts_on, ends_on;  // YYYY-MM-DD
  std::optional<std::string> owner_id;
  std::string status = "draft";
};

// The stored campaign (the API's JSON of it) back into fields.
CampaignFields fields_of(const nlohmann::json& campaign);
// Applies the writable fields present in `body` (a create or a PATCH) and checks the result as a whole.
// Creating needs name and type. Unknown fields, wrong types and bad values throw FieldError.
// `is_platform` tells a known platform name.
void apply(CampaignFields& c, const nlohmann::json& body, bool creating,
           const std::function<bool(std::string_view)>& is_platform);
// Cross-field rules: currency known, allocation within the budget and in its currency, dates in order
// (at most 3 years apart), reward values only with a budget.
void check(const CampaignFields& c);

}  // namespace herald::campaigns::domain
