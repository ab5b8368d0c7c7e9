// /api/v1/users (organization admins)
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

void register_user_routes(http::Router& router, GatewayContext& ctx) {
  router.add(verb::get, "/api/v1/users", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    require_admin(p);
    auto users = co_await ctx.blocking.run([&] { return ctx.store.list_users(p.org_id); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& u : users) items.push_back(to_json(u));
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  router.add(verb::post, "/api/v1/users", authed_create(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    require_admin(p);
    http::JsonBody body(req);
    auto email = body.required_string("email", 3, 254);
    auto display_name = body.required_string("display_name", 1, 200);
    auto password = body.optional_string("password", 1, 256);
    bool is_admin = body.optional_bool("is_admin").value_or(false);
    body.finish();
    if (auto why = check_email(email); !why.empty()) http::invalid_field("email", why);
    bool generated = !password;
    if (generated) password = core::crypto::random_token(18);
    if (auto why = check_password(*password); !why.empty()) http::invalid_field("password", why);
    auto created = co_await ctx.blocking.run([&]() -> std::optional<UserRecord> {
      auto hash = core::crypto::hash_password(*password, ctx.argon2);
      try {
        return ctx.store.create_user(Actor::of(p), email, display_name, hash, is_admin);
      } catch (const pqxx::unique_violation&) {
        return std::nullopt;
      }
    });
    if (!created) http::conflict("a user with email " + email + " already exists");
    auto doc = to_json(*created);
    // A generated password is shown exactly once, to the admin who created the user.
    if (generated) doc["initial_password"] = *password;
    auto res = http::json_response(req, 201, doc);
    res.set(boost::beast::http::field::location, "/api/v1/users/" + created->id);
    res.set(boost::beast::http::field::cache_control, "no-store");
    co_return res;
  }));

  router.add(verb::get, "/api/v1/users/{id}", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = uuid_param(req, "id");
    if (id != p.user_id) require_admin(p);
    auto u = co_await ctx.blocking.run([&] { return ctx.store.user(p.org_id, id); });
    if (!u) http::not_found("no such user");
    co_return http::json_response(req, 200, to_json(*u));
  }));

  router.add(verb::patch, "/api/v1/users/{id}", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = uuid_param(req, "id");
    require_admin(p);
    http::JsonBody body(req);
    auto display_name = body.optional_string("display_name", 1, 200);
    auto disabled = body.optional_bool("disabled");
    auto is_admin = body.optional_bool("is_admin");
    body.finish();
    if (id == p.user_id && disabled.value_or(false)) http::invalid_field("disabled", "you cannot disable yourself");
    if (id == p.user_id && is_admin == false) http::invalid_field("is_admin", "you cannot demote yourself");
    auto u = co_await ctx.blocking.run([&] {
      return ctx.store.update_user(Actor::of(p), id, display_name, disabled, is_admin);
    });
    if (!u) http::not_found("no such user");
    ctx.auth.evict_all();
    co_return http::json_response(req, 200, to_json(*u));
  }));
}

}  // namespace herald::gateway
