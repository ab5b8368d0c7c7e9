// /api/v1/campaigns[/{id}[/status | /pause | /resume | /events[/{event_id}]]]: thin handlers over Campaigns.
#include "services/campaigns/api/routes.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/http/query.hpp"
#include "services/core/util/instant.hpp"

namespace herald::campaigns {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;
using nlohmann::json;

namespace {

http::Response campaign_response(const http::Request& req, int status, const json& c) {
  auto res = http::json_response(req, status, c);
  res.set("ETag", iam::etag(c.value("version", 0)));
  return res;
}

std::int64_t instant_field(const json& v, const std::string& field) {
  if (!v.is_string()) http::invalid_field(field, "must be an RFC 3339 instant");
  auto ms = core::parse_instant_ms(v.get<std::string>());
  if (!ms) http::invalid_field(field, "must be an RFC 3339 instant, for example 2026-12-01T18:00:00+08:00");
  return *ms;
}

}  // namespace

void register_campaign_routes(http::Router& router, CampaignsContext& ctx) {
  router.add(verb::get, "/api/v1/campaigns", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = http::optional_query(req, "brand_id", 36);
    auto status = http::optional_query(req, "status", 20);
    auto active_on = http::optional_query(req, "active_on", 10);
    auto cursor = http::optional_query(req, "cursor", 36);
    auto limit = http::query_limit(req, 50, 200);
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.list(p, brand, status, active_on, cursor, limit); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/campaigns", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto body = http::json_object_body(req);
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.create(p, body); });
    co_return campaign_response(req, 201, out);
  }));

  router.add(verb::get, "/api/v1/campaigns/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.get(p, id); });
    co_return campaign_response(req, 200, out);
  }));

  router.add(verb::patch, "/api/v1/campaigns/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto version = iam::if_match_version(req);
    auto body = http::json_object_body(req);
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.update(p, id, body, version); });
    co_return campaign_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/campaigns/{id}/status", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto version = iam::if_match_version(req);
    http::JsonBody body(req);
    auto status = body.required_string("status", 1, 20);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.set_status(p, id, status, version); });
    co_return campaign_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/campaigns/{id}/pause", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    http::JsonBody body(req);
    auto reason = body.required_string("reason", 1, 2000);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.pause(p, id, reason); });
    co_return campaign_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/campaigns/{id}/resume", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    http::JsonBody body(req);
    auto reason = body.optional_string("reason", 0, 2000).value_or("");
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.resume(p, id, reason); });
    co_return campaign_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/campaigns/{id}/events", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto doc = http::json_object_body(req);
    http::JsonBody body(doc);
    EventInput in;
    in.kind = body.required_string("kind", 1, 10);
    in.title = body.required_string("title", 1, 300);
    in.location = body.optional_string("location", 0, 500).value_or("");
    in.url = body.optional_string("url", 0, 2048).value_or("");
    in.notes = body.optional_string("notes", 0, 5000).value_or("");
    body.optional_string("starts_at", 1, 40);
    body.optional_string("ends_at", 1, 40);
    body.finish();
    if (!doc.contains("starts_at")) http::invalid_field("starts_at", "is required");
    in.starts_at_ms = instant_field(doc["starts_at"], "starts_at");
    if (doc.contains("ends_at") && !doc["ends_at"].is_null()) in.ends_at_ms = instant_field(doc["ends_at"], "ends_at");
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.add_event(p, id, in); });
    co_return http::json_response(req, 201, out);
  }));

  router.add(verb::delete_, "/api/v1/campaigns/{id}/events/{event_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto event_id = req.param("event_id");
    auto out = co_await ctx.blocking.run([&] { return ctx.campaigns.delete_event(p, id, event_id); });
    co_return campaign_response(req, 200, out);
  }));
}

}  // namespace herald::campaigns
