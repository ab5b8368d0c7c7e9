#include "services/gateway/api/context.hpp"

#include "services/core/http/problem.hpp"

namespace herald::gateway {

namespace http = core::http;

http::Handler authed(GatewayContext& ctx, AuthedHandler handler) {
  return [&ctx, handler = std::move(handler)](http::Request& req) -> boost::asio::awaitable<http::Response> {
    Principal p = co_await ctx.auth.require(req);
    co_return co_await handler(req, p);
  };
}

http::Handler authed_create(GatewayContext& ctx, AuthedHandler handler) {
  return [&ctx, handler = std::move(handler)](http::Request& req) -> boost::asio::awaitable<http::Response> {
    Principal p = co_await ctx.auth.require(req);
    co_return co_await ctx.idempotency.run(req, p.user_id, [&]() { return handler(req, p); });
  };
}

}  // namespace herald::gateway
