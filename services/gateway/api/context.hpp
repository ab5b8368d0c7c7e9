#pragma once
// What the gateway's handlers share, built once in GatewayModule and passed by reference.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>

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

// The {name} path parameter, which must be a UUID (400 otherwise).
const std::string& uuid_param(const core::http::Request& req, const std::string& name);
// 403 unless the principal holds `permission` on `brand_id`.
void require_permission(const Principal& p, std::string_view permission, const std::string& brand_id);
void require_admin(const Principal& p);
// If-Match: "v<N>" -> N; nullopt when absent; 400 when malformed.
std::optional<int> if_match_version(const core::http::Request& req);
std::string etag(int version);

void register_auth_routes(core::http::Router& router, GatewayContext& ctx);
void register_brand_routes(core::http::Router& router, GatewayContext& ctx);
void register_user_routes(core::http::Router& router, GatewayContext& ctx);
void register_token_routes(core::http::Router& router, GatewayContext& ctx);
void register_audit_routes(core::http::Router& router, GatewayContext& ctx);

}  // namespace herald::gateway
