#pragma once
// What the gateway's handlers share, built once in GatewayModule and passed by reference.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>

#include "services/contracts/iam/handlers.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/config/config.hpp"
#include "services/core/crypto/password.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/core/log/logger.hpp"
#include "services/gateway/api/authenticator.hpp"
#include "services/gateway/store/iam_store.hpp"

namespace herald::gateway {

struct GatewayContext {
  IamStore& store;
  core::BlockingPool& blocking;
  Authenticator& auth;
  const core::Clock& clock;
  core::config::SecurityConfig security;
  core::crypto::Argon2Params argon2;
  core::log::Logger& log;
  core::Idempotency& idempotency;
};

using AuthedHandler =
    std::function<boost::asio::awaitable<core::http::Response>(core::http::Request&, const Principal&)>;

// Wraps a handler so it runs only for an authenticated caller (401 otherwise).
core::http::Handler authed(GatewayContext& ctx, AuthedHandler handler);
// The same for a creating POST: honours Idempotency-Key per caller.
core::http::Handler authed_create(GatewayContext& ctx, AuthedHandler handler);

// Path parameters, permission checks and ETags: shared with every module (contracts/iam).
using iam::etag;
using iam::if_match_version;
using iam::require_admin;
using iam::require_permission;
using iam::uuid_param;

void register_auth_routes(core::http::Router& router, GatewayContext& ctx);
void register_brand_routes(core::http::Router& router, GatewayContext& ctx);
void register_user_routes(core::http::Router& router, GatewayContext& ctx);
void register_token_routes(core::http::Router& router, GatewayContext& ctx);
void register_audit_routes(core::http::Router& router, GatewayContext& ctx);

}  // namespace herald::gateway
