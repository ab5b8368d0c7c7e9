#pragma once
// The crisis module's routes: /api/v1/crisis/freezes[/preview | /{id}[/lift-request | /lift]]
// over Freezes (freezes.hpp), /api/v1/crisis/evidence[/export | /verify] over EvidenceVault
// (evidence.hpp) and /api/v1/crisis/listening/... over listening::Rules; they check permissions
// and the workflow.
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/crisis/evidence.hpp"
#include "services/crisis/freezes.hpp"
#include "services/crisis/listening/rules.hpp"

namespace herald::crisis {

struct CrisisContext {
  Freezes& freezes;
  EvidenceVault& evidence;
  listening::Rules& rules;
  core::BlockingPool& blocking;
  iam::Identity& identity;
  core::Idempotency& idempotency;
};

// The query parameter `name` as a number in [min, max], `def` when absent (400 otherwise).
std::int64_t number_query(const core::http::Request& req, const std::string& name, std::int64_t def, std::int64_t min,
                          std::int64_t max);

void register_freeze_routes(core::http::Router& router, CrisisContext& ctx);
void register_evidence_routes(core::http::Router& router, CrisisContext& ctx);   // evidence_routes.cpp
void register_listening_routes(core::http::Router& router, CrisisContext& ctx);  // listening_routes.cpp

}  // namespace herald::crisis
