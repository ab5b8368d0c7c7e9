#include "services/crisis/api/freeze_routes.hpp"

#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/instant.hpp"

namespace herald::crisis {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;

namespace {

FreezeScope read_scope(http::JsonBody& body) {
  auto raw = body.optional_raw("scope");
  if (!raw) http::invalid_field("scope", "required: {\"kind\": \"all\" | \"brand\" | \"platform\" | \"account\" | \"campaign\" | \"tag\", \"value\": ...}");
  if (!raw->is_object()) http::bad_request("scope: expected an object", {{"field", "scope"}});
  http::JsonBody s(*raw, "scope.");
  FreezeScope scope;
  scope.kind = s.required_string("kind", 1, 20);
  scope.value = s.optional_string("value", 0, 100).value_or("");
  s.finish();
  return scope;
}

nlohmann::json ack_json(const Acknowledgement& a) {
  const auto& in_flight = a.freeze.in_flight_at_ack;  // as recorded with the acknowledgement
  return {{"freeze", to_json(a.freeze)},
          {"acknowledgement",
           {{"acknowledged_at", a.freeze.acknowledged_at_ms ? nlohmann::json(core::format_instant_ms(*a.freeze.acknowledged_at_ms))
                                                            : nlohmann::json(nullptr)},
            {"epoch", a.epoch},
            {"ack_ms", a.freeze.ack_ms ? nlohmann::json(*a.freeze.ack_ms) : nlohmann::json(nullptr)},
            {"in_flight", in_flight}}},
          {"held", to_json(a.held)}};
}

}  // namespace

std::int64_t number_query(const http::Request& req, const std::string& name, std::int64_t def, std::int64_t min,
                          std::int64_t max) {
  auto v = req.query_param(name);
  if (!v) return def;
  std::int64_t n = 0;
  if (v->empty() || v->size() > 18) http::bad_request(name + " must be a number", {{"field", name}});
  for (char c : *v) {
    if (c < '0' || c > '9') http::bad_request(name + " must be a number", {{"field", name}});
    n = n * 10 + (c - '0');
  }
  if (n < min || n > max) {
    http::bad_request(name + " must be " + std::to_string(min) + " to " + std::to_string(max), {{"field", name}});
  }
  return n;
}

void register_freeze_routes(http::Router& router, CrisisContext& ctx) {
  router.add(verb::post, "/api/v1/crisis/freezes/preview", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    auto scope = read_scope(body);
    body.finish();
    auto preview = co_await ctx.blocking.run([&] { return ctx.freezes.preview(p, scope); });
    co_return http::json_response(req, 200, {{"scope", {{"kind", scope.kind}, {"value", scope.value}}}, {"held", to_json(preview)}});
  }));

  router.add(verb::post, "/api/v1/crisis/freezes", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    FreezeInput in;
    in.scope = read_scope(body);
    in.reason = body.optional_string("reason", 0, 2000).value_or("");
    if (auto at = body.optional_string("expires_at", 1, 40)) {
      in.expires_at_ms = core::parse_instant_ms(*at);
      if (!in.expires_at_ms) http::invalid_field("expires_at", "expected an RFC 3339 instant such as 2027-01-15T09:00:00Z");
    }
    body.finish();
    auto ack = co_await ctx.blocking.run([&] { return ctx.freezes.set(p, in); });
    auto res = http::json_response(req, 201, ack_json(ack));
    res.set(boost::beast::http::field::location, "/api/v1/crisis/freezes/" + ack.freeze.id);
    co_return res;
  }));

  router.add(verb::get, "/api/v1/crisis/freezes", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    bool active_only = false;
    if (auto a = req.query_param("active")) {
      if (*a != "true" && *a != "false") http::bad_request("active must be true or false", {{"field", "active"}});
      active_only = *a == "true";
    }
    auto limit = static_cast<int>(number_query(req, "limit", 100, 1, 500));
    auto list = co_await ctx.blocking.run([&] { return ctx.freezes.list(p, active_only, limit); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& f : list) items.push_back(to_json(f));
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  router.add(verb::get, "/api/v1/crisis/freezes/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto f = co_await ctx.blocking.run([&] { return ctx.freezes.get(p, id); });
    co_return http::json_response(req, 200, to_json(f));
  }));

  router.add(verb::post, "/api/v1/crisis/freezes/{id}/lift-request", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    http::JsonBody body(req);
    auto reason = body.optional_string("reason", 0, 2000).value_or("");
    body.finish();
    auto f = co_await ctx.blocking.run([&] { return ctx.freezes.request_lift(p, id, reason); });
    co_return http::json_response(req, 200, to_json(f));
  }));

  router.add(verb::post, "/api/v1/crisis/freezes/{id}/lift", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto f = co_await ctx.blocking.run([&] { return ctx.freezes.lift(p, id); });
    co_return http::json_response(req, 200, to_json(f));
  }));
}

}  // namespace herald::crisis
