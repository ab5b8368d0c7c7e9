// /api/v1/inbox/sla-policies/{brand_id}: a brand's SLA policy (thin handlers over SlaPolicies).
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/inbox/api/inbox_routes.hpp"

namespace herald::inbox {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;

void register_sla_routes(http::Router& router, InboxContext& ctx) {
  router.add(verb::get, "/api/v1/inbox/sla-policies/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    auto out = co_await ctx.blocking.run([&] { return ctx.sla.get(p, brand); });
    co_return iam::versioned_response(req, 200, out);
  }));

  router.add(verb::put, "/api/v1/inbox/sla-policies/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    SlaPolicyInput in;
    in.version = iam::if_match_version(req);
    http::JsonBody body(req);
    in.first_response_minutes = static_cast<int>(body.required_int("first_response_minutes", 1, 7 * 24 * 60));
    if (auto r = body.optional_int("resolution_minutes", 1, 90 * 24 * 60)) in.resolution_minutes = static_cast<int>(*r);
    in.business_hours = body.optional_raw("business_hours");
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.sla.put(p, brand, in); });
    co_return iam::versioned_response(req, 200, out);
  }));

  router.add(verb::delete_, "/api/v1/inbox/sla-policies/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    co_await ctx.blocking.run([&] { ctx.sla.reset(p, brand); });
    co_return http::empty_response(req, 204);
  }));
}

}  // namespace herald::inbox
