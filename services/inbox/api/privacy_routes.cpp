// /api/v1/inbox/retention/{brand_id} and /api/v1/inbox/people/export: a brand's retention policy
// and the export of one person's messages (thin handlers over Privacy).
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/inbox/api/inbox_routes.hpp"

namespace herald::inbox {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;

void register_privacy_routes(http::Router& router, InboxContext& ctx) {
  router.add(verb::get, "/api/v1/inbox/retention/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    auto out = co_await ctx.blocking.run([&] { return ctx.privacy.retention(p, brand); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::put, "/api/v1/inbox/retention/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    http::JsonBody body(req);
    if (!body.has("keep_days")) http::invalid_field("keep_days", "is required (null: keep messages until deleted)");
    std::optional<int> days;
    if (auto d = body.optional_int("keep_days", 1, 3650)) days = static_cast<int>(*d);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.privacy.set_retention(p, brand, days); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/inbox/people/export", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto platform = req.query_param("platform").value_or("");
    auto author = req.query_param("author_id").value_or("");
    auto out = co_await ctx.blocking.run([&] { return ctx.privacy.export_person(p, platform, author); });
    auto res = http::json_response(req, 200, out);
    res.set("Content-Disposition", "attachment; filename=\"person-export.json\"");
    res.set("Cache-Control", "no-store");
    co_return res;
  }));
}

}  // namespace herald::inbox
