// /api/v1/auth/*, /api/v1/me, /api/v1/roles
#include "services/core/crypto/password.hpp"
#include "services/core/crypto/random.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/gateway/api/context.hpp"
#include "services/gateway/api/dto.hpp"
#include "services/gateway/domain/validation.hpp"

namespace herald::gateway {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;

namespace {

std::string session_cookie(const std::string& value, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age.count()) + (secure ? "; Secure" : "");
}

// A fixed hash to verify against when the email is unknown, so both paths cost the same.
const std::string& dummy_hash(const core::crypto::Argon2Params& params) {
  static const std::string h = core::crypto::hash_password("not-a-real-password", params);
  return h;
}

}  // namespace

void register_auth_routes(http::Router& router, GatewayContext& ctx) {
  router.add(verb::post, "/api/v1/auth/login", [&ctx](http::Request& req) -> awaitable<http::Response> {
    http::JsonBody body(req);
    auto email = body.required_string("email", 3, 254);
    auto password = body.required_string("password", 1, 256);
    body.finish();
    auto candidate = co_await ctx.blocking.run([&] {
      auto c = ctx.store.login_candidate(email);
      bool ok = core::crypto::verify_password(password, c ? c->password_hash : dummy_hash(ctx.argon2));
      return (c && ok && !c->disabled) ? c : std::nullopt;
    });
    if (!candidate) http::unauthorized("wrong email or password");
    auto token = core::crypto::random_token(32);
    auto expires = ctx.clock.now() + ctx.security.session_ttl;
    auto expires_us = std::chrono::duration_cast<std::chrono::microseconds>(expires.time_since_epoch()).count();
    co_await ctx.blocking.run([&] {
      return ctx.store.create_session(candidate->user_id, candidate->org_id, email,
                                      Authenticator::hash_token(token), expires_us, req.remote_address);
    });
    auto principal = co_await ctx.blocking.run(
        [&] { return ctx.store.principal_by_session(Authenticator::hash_token(token), nullptr); });
    if (!principal) http::unauthorized("wrong email or password");
    auto res = http::json_response(req, 200, {{"user", principal_json(*principal)},
                                              {"csrf_token", ctx.auth.csrf_token(token)},
                                              {"expires_in", ctx.security.session_ttl.count()}});
    res.set(boost::beast::http::field::set_cookie,
            session_cookie(token, ctx.security.session_ttl, ctx.security.cookie_secure));
    res.set(boost::beast::http::field::cache_control, "no-store");
    co_return res;
  });

  router.add(verb::post, "/api/v1/auth/logout",
             authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
               if (p.session_id.empty()) http::bad_request("logout ends a browser session; revoke API tokens instead");
               co_await ctx.blocking.run([&] { ctx.store.revoke_session(p); });
               ctx.auth.evict_all();
               auto res = http::empty_response(req, 204);
               res.set(boost::beast::http::field::set_cookie,
                       session_cookie("", std::chrono::seconds(0), ctx.security.cookie_secure));
               co_return res;
             }));

  router.add(verb::get, "/api/v1/me", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
               auto doc = principal_json(p);
               nlohmann::json out{{"user", doc}};
               if (auto cookie = req.cookie(kSessionCookie); cookie && p.api_token_id.empty()) {
                 out["csrf_token"] = ctx.auth.csrf_token(*cookie);
               }
               auto res = http::json_response(req, 200, out);
               res.set(boost::beast::http::field::cache_control, "no-store");
               co_return res;
             }));

  router.add(verb::post, "/api/v1/me/password",
             authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
               http::JsonBody body(req);
               auto current = body.required_string("current_password", 1, 256);
               auto next = body.required_string("new_password", 1, 256);
               body.finish();
               if (auto why = check_password(next); !why.empty()) http::invalid_field("new_password", why);
               bool ok = co_await ctx.blocking.run([&] {
                 auto hash = ctx.store.password_hash(p.user_id);
                 if (!hash || !core::crypto::verify_password(current, *hash)) return false;
                 ctx.store.set_password(Actor::of(p), p.user_id, core::crypto::hash_password(next, ctx.argon2));
                 return true;
               });
               if (!ok) http::invalid_field("current_password", "is wrong");
               co_return http::empty_response(req, 204);
             }));

  router.add(verb::get, "/api/v1/roles", authed(ctx, [](http::Request& req, const Principal&) -> awaitable<http::Response> {
               nlohmann::json out = nlohmann::json::array();
               for (const auto& r : roles()) {
                 out.push_back({{"name", r.name}, {"title", r.title}, {"permissions", r.permissions}});
               }
               co_return http::json_response(req, 200, {{"items", out}});
             }));
}

}  // namespace herald::gateway
