#pragma once
// The ads service's HTTP API: /api/v1/ads/accounts[...], /api/v1/ads/report, /api/v1/ads/fx-rates.
#include <functional>

#include "services/ads/ads.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"

namespace herald::ads {

struct AdsContext {
  Ads& ads;
  core::BlockingPool& blocking;
  iam::Identity& identity;
  core::Idempotency& idempotency;
  std::function<void(const std::string& ad_account_id)> request_sync;  // the background syncer reads it next
};

void register_ads_routes(core::http::Router& router, AdsContext& ctx);

}  // namespace herald::ads
