#pragma once
// What the publishing module's handlers share, built once in PublishingModule.
#include <utility>

#include <nlohmann/json.hpp>

#include "services/contracts/iam/handlers.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/publishing/posts.hpp"

namespace herald::publishing {

struct PublishingContext {
  Posts& posts;
  core::BlockingPool& blocking;
  iam::Identity& identity;
  core::Idempotency& idempotency;
};

// The post as the API shows it: fields, planned slot, per-account targets with their lifecycle
// state, and the review's progress.
nlohmann::json to_json(const PostView& v);

void register_post_routes(core::http::Router& router, PublishingContext& ctx);
// POST /api/v1/held/actions: the review lane of HELD posts after a freeze (held_routes.cpp).
void register_held_routes(core::http::Router& router, PublishingContext& ctx);

}  // namespace herald::publishing
