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
// A post's status from its targets' states: the one state when every live target agrees, MIXED
// otherwise (cancelled targets aside; CANCELLED when all are).
std::string aggregate_status(const std::vector<std::string>& states);

void register_post_routes(core::http::Router& router, PublishingContext& ctx);
// POST /api/v1/held/actions: the review lane of HELD posts after a freeze (held_routes.cpp).
void register_held_routes(core::http::Router& router, PublishingContext& ctx);

}  // namespace herald::publishing
