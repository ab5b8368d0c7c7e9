// /api/v1/links[/{code}[/qr.svg]], /api/v1/links/utm (the UTM builder) and the public redirect
// /l/{code}, which answers from memory on the I/O thread when it can (see links.hpp).
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

domain::Utm utm_of(http::JsonBody& body) {
  domain::Utm u;
  auto doc = body.optional_raw("utm");
  if (!doc) return u;
  http::JsonBody utm(*doc, "utm");
  u.source = utm.optional_string("source", 0, 200).value_or("");
  u.medium = utm.optional_string("medium", 0, 200).value_or("");
  u.campaign = utm.optional_string("campaign", 0, 200).value_or("");
  u.term = utm.optional_string("term", 0, 200).value_or("");
  u.content = utm.optional_string("content", 0, 200).value_or("");
  utm.finish();
  return u;
}

std::int64_t now_ms(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
}

std::optional<std::int64_t> instant_query(const http::Request& req, const std::string& name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  auto ms = v->size() <= 40 ? core::parse_instant_ms(*v) : std::nullopt;
  if (!ms) http::invalid_field(name, "must be an RFC 3339 instant");
  return ms;
}

http::Response redirect(const http::Request& req, const std::string& target) {
  auto res = http::empty_response(req, 302);
  res.set(boost::beast::http::field::location, target);
  res.set(boost::beast::http::field::cache_control, "private, no-store");  // every click reaches us
  return res;
}

http::Response not_found_page(const http::Request& req) {
  http::Response res{boost::beast::http::status::not_found, req.raw.version()};
  res.set(boost::beast::http::field::content_type, "text/plain; charset=utf-8");
  res.keep_alive(req.raw.keep_alive());
  res.body() = "This short link does not exist (or no longer exists).\n";
  res.prepare_payload();
  return res;
}

}  // namespace

void register_link_routes(http::Router& router, CampaignsContext& ctx) {
  router.add(verb::get, "/l/{code}", [&ctx](http::Request& req) -> awaitable<http::Response> {
    const auto& code = req.param("code");
    if (!Links::plausible_code(code)) co_return not_found_page(req);
    auto target = ctx.links.cached_target(code);
    if (!target) target = co_await ctx.blocking.run([&] { return ctx.links.load_target(code); });
    if (!target) co_return not_found_page(req);
    ctx.links.record_click(code, now_ms(ctx.clock), req.header("User-Agent").value_or(""),
                           req.header("Referer").value_or(""), req.remote_address);
    co_return redirect(req, *target);
  });

  router.add(verb::post, "/api/v1/links/utm", iam::authed(ctx.identity, [](http::Request& req, const Principal&) -> awaitable<http::Response> {
    http::JsonBody body(req);
    auto target = body.required_string("target", 1, 2048);
    auto utm = utm_of(body);
    body.finish();
    if (auto problem = domain::target_problem(target)) http::invalid_field("target", *problem);
    try {
      co_return http::json_response(req, 200, json{{"url", domain::build_utm_url(target, utm)}});
    } catch (const std::invalid_argument& e) {
      http::invalid_field("utm", e.what());
    }
  }));

  router.add(verb::post, "/api/v1/links", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    LinkInput in;
    in.brand_id = body.required_string("brand_id", 1, 36);
    in.target = body.required_string("target", 1, 2048);
    in.label = body.optional_string("label", 0, 200).value_or("");
    in.campaign_id = body.optional_string("campaign_id", 1, 36);
    in.post_id = body.optional_string("post_id", 1, 36);
    in.account_id = body.optional_string("account_id", 1, 36);
    in.utm = utm_of(body);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.links.create(p, in); });
    co_return http::json_response(req, 201, out);
  }));

  router.add(verb::get, "/api/v1/links", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = http::optional_query(req, "brand_id", 36);
    auto campaign = http::optional_query(req, "campaign_id", 36);
    auto cursor = http::optional_query(req, "cursor", 60);
    auto limit = http::query_limit(req, 50, 200);
    auto out = co_await ctx.blocking.run([&] { return ctx.links.list(p, brand, campaign, cursor, limit); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/links/{code}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto code = req.param("code");
    auto to = instant_query(req, "to").value_or(now_ms(ctx.clock) + 1);
    auto from = instant_query(req, "from").value_or(to - 30LL * 86'400'000);
    auto out = co_await ctx.blocking.run([&] { return ctx.links.get(p, code, from, to); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/links/{code}/qr.svg", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto code = req.param("code");
    auto svg = co_await ctx.blocking.run([&] { return ctx.links.qr_svg(p, code); });
    http::Response res{boost::beast::http::status::ok, req.raw.version()};
    res.set(boost::beast::http::field::content_type, "image/svg+xml");
    res.set(boost::beast::http::field::content_disposition, "inline; filename=\"" + code + ".svg\"");
    res.keep_alive(req.raw.keep_alive());
    res.body() = std::move(svg);
    res.prepare_payload();
    co_return res;
  }));
}

}  // namespace herald::campaigns
