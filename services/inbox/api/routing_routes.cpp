// /api/v1/inbox/routing/{brand_id} and /api/v1/inbox/rota/{brand_id}[/{user_id}]: a brand's
// routing rules and on-duty rota (thin handlers over Routing).
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/inbox/api/inbox_routes.hpp"

namespace herald::inbox {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;

void register_routing_routes(http::Router& router, InboxContext& ctx) {
  router.add(verb::get, "/api/v1/inbox/routing/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.routing().get(p, brand); });
    co_return iam::versioned_response(req, 200, out);
  }));

  router.add(verb::put, "/api/v1/inbox/routing/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    auto version = iam::if_match_version(req);
    auto doc = http::json_object_body(req);
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.routing().put(p, brand, doc, version); });
    co_return iam::versioned_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/inbox/rota/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.routing().rota(p, brand); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::put, "/api/v1/inbox/rota/{brand_id}/{user_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    auto user = req.param("user_id");
    http::JsonBody body(req);
    DutyChange change;
    auto available = body.optional_bool("available");
    if (!available) http::invalid_field("available", "is required: true to take new threads, false to take none");
    change.available = *available;
    change.hours = body.optional_raw("hours");
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.routing().put_duty(p, brand, user, change); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::delete_, "/api/v1/inbox/rota/{brand_id}/{user_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    auto user = req.param("user_id");
    co_await ctx.blocking.run([&] { ctx.inbox.routing().remove_duty(p, brand, user); });
    co_return http::empty_response(req, 204);
  }));
}

}  // namespace herald::inbox
