#pragma once
// /api/v1/crisis/freezes[/preview | /{id}[/lift-request | /lift]]: thin handlers over Freezes
// (services/crisis/freezes.hpp), which checks permissions and the workflow.
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/crisis/freezes.hpp"

namespace herald::crisis {

struct CrisisContext {
  Freezes& freezes;
  core::BlockingPool& blocking;
  iam::Identity& identity;
  core::Idempotency& idempotency;
};

void register_freeze_routes(core::http::Router& router, CrisisContext& ctx);

}  // namespace herald::crisis
