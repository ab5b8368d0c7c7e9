// Connecting accounts: POST /api/v1/brands/{brand_id}/accounts/connect (OAuth start),
// GET /api/v1/oauth/callback (the platform sends the browser back here), and
// POST /api/v1/brands/{brand_id}/accounts/credentials (platforms without user OAuth).
#include "herald/adapters/adapter.hpp"
#include "herald/adapters/http.hpp"
#include "services/accounts/api/context.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"

namespace herald::accounts {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;
namespace perm = iam::perm;

namespace {

awaitable<void> require_brand(AccountsContext& ctx, const Principal& p, const std::string& brand_id) {
  iam::require_permission(p, perm::kAccountManage, brand_id);
  auto brand = co_await ctx.blocking.run([&] { return ctx.identity.brand(p.org_id, brand_id); });
  if (!brand) http::not_found("no such brand");
}

std::string platform_field(http::JsonBody& body) {
  auto platform = body.required_string("platform", 1, 64);
  if (!adapters::is_platform(platform)) http::invalid_field("platform", "unknown platform '" + platform + "'");
  return platform;
}

bool wants_html(const http::Request& req) {
  auto accept = req.header("Accept");
  return accept && accept->find("text/html") != std::string_view::npos;
}

}  // namespace

void register_connect_routes(http::Router& router, AccountsContext& ctx) {
  router.add(verb::post, "/api/v1/brands/{brand_id}/accounts/connect", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& brand_id = iam::uuid_param(req, "brand_id");
    http::JsonBody body(req);
    auto platform = platform_field(body);
    body.finish();
    co_await require_brand(ctx, p, brand_id);
    auto started = co_await ctx.blocking.run([&] { return ctx.connector.start(p, brand_id, platform); });
    nlohmann::json out = {{"platform", platform}, {"mode", started.mode}};
    if (started.mode == "oauth") {
      out["authorize_url"] = started.authorize_url;
      out["state"] = started.state;
      out["expires_in"] = 600;
    } else {
      out["fields"] = started.fields;
    }
    out["sandbox"] = ctx.connector.platforms().sandbox();
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/brands/{brand_id}/accounts/credentials", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& brand_id = iam::uuid_param(req, "brand_id");
    http::JsonBody body(req);
    auto platform = platform_field(body);
    auto identifier = body.required_string("identifier", 1, 300);
    auto secret = body.optional_string("secret", 1, 2000).value_or("");
    body.finish();
    co_await require_brand(ctx, p, brand_id);
    auto id = co_await ctx.blocking.run(
        [&] { return ctx.connector.connect_with_credentials(p, brand_id, platform, identifier, secret); });
    auto a = co_await ctx.blocking.run([&] { return ctx.store.get(p.org_id, id); });
    if (!a) http::not_found("no such account");
    auto res = http::json_response(req, 201, to_json(*a, unix_now(ctx.clock)));
    res.set(boost::beast::http::field::location, "/api/v1/accounts/" + id);
    co_return res;
  }));

  // No session needed: the browser may come back from the platform without our SameSite
  // cookie. The state is the credential: random, hashed at rest, single use, 10 minutes.
  router.add(verb::get, "/api/v1/oauth/callback", [&ctx](http::Request& req) -> awaitable<http::Response> {
    // A browser goes back to the web app's accounts page, also when the connection failed:
    // /accounts?connected=<id>, or /accounts?connect_error=<code>&detail=<why>.
    const bool browser = wants_html(req);
    const auto platform_error = req.query_param("error");
    std::string back;
    try {
      auto state = req.query_param("state").value_or("");
      if (platform_error) {
        if (!state.empty()) (void)co_await ctx.blocking.run([&] { return ctx.store.take_flow_by_state(state); });
        http::bad_request("the platform reported: " + *platform_error + " (the account was not connected)");
      }
      auto code = req.query_param("code").value_or("");
      auto id = co_await ctx.blocking.run([&] { return ctx.connector.complete(state, code); });
      if (!browser) {
        co_return http::json_response(req, 201, {{"account_id", id}, {"location", "/api/v1/accounts/" + id}});
      }
      back = "/accounts?connected=" + id;
    } catch (const http::HttpError& e) {
      if (!browser) throw;
      back = "/accounts?connect_error=" + adapters::url_encode(platform_error.value_or("failed")) +
             "&detail=" + adapters::url_encode(e.detail());
    }
    auto res = http::empty_response(req, 302);
    res.set(boost::beast::http::field::location, back);
    co_return res;
  });
}

}  // namespace herald::accounts
