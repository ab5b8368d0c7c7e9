// /api/v1/api-tokens: personal API tokens, shown once, stored hashed, revocable.
#include "services/core/crypto/random.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/gateway/api/context.hpp"
#include "services/gateway/api/dto.hpp"

namespace herald::gateway {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;

void register_token_routes(http::Router& router, GatewayContext& ctx) {
  router.add(verb::get, "/api/v1/api-tokens", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto tokens = co_await ctx.blocking.run([&] { return ctx.store.list_api_tokens(p.user_id); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& t : tokens) items.push_back(to_json(t));
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  router.add(verb::post, "/api/v1/api-tokens", authed_create(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    auto name = body.required_string("name", 1, 100);
    auto days = body.optional_int("expires_in_days", 1, 3650);
    body.finish();
    std::string token = std::string(kApiTokenPrefix) + core::crypto::random_token(32);
    std::string prefix = token.substr(0, 12);
    std::optional<std::int64_t> expires_us;
    if (days) {
      auto at = ctx.clock.now() + std::chrono::hours(24 * *days);
      expires_us = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
    }
    auto rec = co_await ctx.blocking.run([&] {
      return ctx.store.create_api_token(Actor::of(p), name, prefix, Authenticator::hash_token(token), expires_us);
    });
    auto doc = to_json(rec);
    doc["token"] = token;  // the only time the token is returned
    auto res = http::json_response(req, 201, doc);
    res.set(boost::beast::http::field::cache_control, "no-store");
    co_return res;
  }));

  router.add(verb::delete_, "/api/v1/api-tokens/{id}", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = uuid_param(req, "id");
    auto owner = co_await ctx.blocking.run([&] { return ctx.store.api_token_owner(id); });
    if (!owner || owner->second != p.org_id) http::not_found("no such API token");
    if (owner->first != p.user_id) require_admin(p);
    co_await ctx.blocking.run([&] { return ctx.store.revoke_api_token(Actor::of(p), id); });
    ctx.auth.evict_all();
    co_return http::empty_response(req, 204);
  }));
}

}  // namespace herald::gateway
