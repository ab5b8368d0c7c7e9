#pragma once
// The campaigns service's HTTP API: /api/v1/campaigns[...] (campaign_routes.cpp), /api/v1/links[...]
// and the public redirect /l/{code} (link_routes.cpp).
#include "services/campaigns/campaigns.hpp"
#include "services/campaigns/links.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/core/metrics/registry.hpp"
#include "services/core/util/clock.hpp"

namespace herald::campaigns {

struct CampaignsContext {
  Campaigns& campaigns;
  Links& links;
  core::BlockingPool& blocking;
  iam::Identity& identity;
  core::Idempotency& idempotency;
  const core::Clock& clock;
};

void register_campaign_routes(core::http::Router& router, CampaignsContext& ctx);
void register_link_routes(core::http::Router& router, CampaignsContext& ctx);

}  // namespace herald::campaigns
