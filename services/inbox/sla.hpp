#pragma once
// SLA policies per brand and the breach watch (F5, issue #6 "Work"). A policy sets the
// first-response target, an optional resolution target and the business hours they are counted
// in (domain/business_hours.hpp); a brand without one has the default (InboxOptions: 1 hour,
// around the clock, no resolution target). The inbox computes a thread's due times from the
// policy when its clocks start (Inbox::ingest). The breach watch finds running clocks that went
// past due and reports each once, whichever process sweeps first; the module pushes them to the
// brand's clients as `inbox.sla_breach` and counts them. Blocking.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"
#include "services/inbox/domain/business_hours.hpp"

namespace herald::inbox {

struct SlaPolicy {
  std::chrono::seconds first_response{3600};
  std::optional<std::chrono::seconds> resolution;
  std::optional<BusinessHours> hours;  // nullopt: around the clock
};

struct SlaDue {
  double first_response_s = 0;             // Unix seconds
  std::optional<double> resolution_s;      // nullopt: no resolution target
};

// The policy in force for `brand_id` (`fallback` when it has none), read inside `tx`.
SlaPolicy sla_policy_for(pqxx::work& tx, const std::string& brand_id, const SlaPolicy& fallback);
// When clocks starting at `start` fall due under `policy`.
SlaDue sla_due(const SlaPolicy& policy, std::chrono::system_clock::time_point start);

struct SlaPolicyInput {
  int first_response_minutes = 60;
  std::optional<int> resolution_minutes;
  std::optional<nlohmann::json> business_hours;  // nullopt or null: around the clock
  std::optional<int> version;                    // If-Match
};

struct SlaBreach {
  std::int64_t thread_id = 0;
  std::string brand_id;
  std::string clock;  // "first_response" | "resolution"
  nlohmann::json event;  // {thread_id, brand_id, account_id, sla, due, assignee_id}
};

class SlaPolicies {
 public:
  SlaPolicies(core::pg::Pool& pg, iam::Identity& identity, SlaPolicy fallback = {});

  // The brand's policy ({..., "default": true} when it has none). Needs inbox.read on the brand.
  nlohmann::json get(const iam::Principal& p, const std::string& brand_id);
  // Sets it (brand.manage). 422 naming the field for a bad target or bad hours; 412 on a stale
  // If-Match. Applies to clocks that start from now on. Audited as inbox.sla_policy.
  nlohmann::json put(const iam::Principal& p, const std::string& brand_id, const SlaPolicyInput& in);
  // Removes it: the brand goes back to the default (brand.manage).
  void reset(const iam::Principal& p, const std::string& brand_id);

  // Running clocks past due that were not reported yet, marked reported (at most `limit`).
  std::vector<SlaBreach> sweep(int limit = 500);

  const SlaPolicy& fallback() const { return fallback_; }

 private:
  nlohmann::json policy_json(const std::string& brand_id, const pqxx::row* row);

  core::pg::Pool& pg_;
  iam::Identity& identity_;
  SlaPolicy fallback_;
};

}  // namespace herald::inbox
