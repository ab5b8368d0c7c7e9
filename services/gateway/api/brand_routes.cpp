// /api/v1/brands and /api/v1/brands/{id}/members
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

http::Response brand_response(const http::Request& req, int status, const BrandRecord& b) {
  auto res = http::json_response(req, status, to_json(b));
  res.set(boost::beast::http::field::etag, etag(b.version));
  return res;
}

}  // namespace

void register_brand_routes(http::Router& router, GatewayContext& ctx) {
  router.add(verb::get, "/api/v1/brands", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto all = co_await ctx.blocking.run([&] { return ctx.store.list_brands(p.org_id); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& b : all) {
      if (p.can(perm::kBrandRead, b.id)) items.push_back(to_json(b));
    }
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  router.add(verb::post, "/api/v1/brands", authed_create(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    require_admin(p);
    http::JsonBody body(req);
    auto name = body.required_string("name", 1, 200);
    auto slug = body.optional_string("slug", 1, 64);
    auto timezone = body.optional_string("timezone", 1, 64).value_or("UTC");
    body.finish();
    if (!slug) {
      slug = slugify(name);
      if (slug->empty()) slug = "brand-" + core::crypto::random_token(6);
    }
    for (char& c : *slug) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto why = check_slug(*slug); !why.empty()) http::invalid_field("slug", why);
    if (auto why = check_timezone(timezone); !why.empty()) http::invalid_field("timezone", why);
    auto created = co_await ctx.blocking.run([&]() -> std::optional<BrandRecord> {
      try {
        return ctx.store.create_brand(Actor::of(p), name, *slug, timezone);
      } catch (const pqxx::unique_violation&) {
        return std::nullopt;
      }
    });
    if (!created) http::conflict("a brand with slug '" + *slug + "' already exists");
    auto res = brand_response(req, 201, *created);
    res.set(boost::beast::http::field::location, "/api/v1/brands/" + created->id);
    co_return res;
  }));

  router.add(verb::get, "/api/v1/brands/{id}", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = uuid_param(req, "id");
    require_permission(p, perm::kBrandRead, id);
    auto b = co_await ctx.blocking.run([&] { return ctx.store.brand(p.org_id, id); });
    if (!b) http::not_found("no such brand");
    co_return brand_response(req, 200, *b);
  }));

  router.add(verb::patch, "/api/v1/brands/{id}", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = uuid_param(req, "id");
    require_permission(p, perm::kBrandManage, id);
    auto expected = if_match_version(req);
    http::JsonBody body(req);
    auto name = body.optional_string("name", 1, 200);
    auto timezone = body.optional_string("timezone", 1, 64);
    body.finish();
    if (timezone) {
      if (auto why = check_timezone(*timezone); !why.empty()) http::invalid_field("timezone", why);
    }
    auto updated = co_await ctx.blocking.run([&] {
      return ctx.store.update_brand(Actor::of(p), id, name, timezone, expected);
    });
    if (!updated) {
      auto exists = co_await ctx.blocking.run([&] { return ctx.store.brand(p.org_id, id); });
      if (!exists) http::not_found("no such brand");
      http::precondition_failed("the brand was changed by someone else (now " + etag(exists->version) +
                                "); reload and try again");
    }
    co_return brand_response(req, 200, *updated);
  }));

  router.add(verb::get, "/api/v1/brands/{id}/members", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = uuid_param(req, "id");
    require_permission(p, perm::kBrandRead, id);
    auto members = co_await ctx.blocking.run([&]() -> std::optional<std::vector<MemberRecord>> {
      if (!ctx.store.brand(p.org_id, id)) return std::nullopt;  // never across organizations
      return ctx.store.list_members(id);
    });
    if (!members) http::not_found("no such brand");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& m : *members) items.push_back(to_json(m));
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  router.add(verb::put, "/api/v1/brands/{id}/members/{user_id}", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = uuid_param(req, "id");
    const auto& user_id = uuid_param(req, "user_id");
    require_permission(p, perm::kBrandManage, id);
    http::JsonBody body(req);
    auto role = body.required_string("role", 1, 64);
    auto accounts = body.optional_string_array("account_ids", 1000, 64);
    body.finish();
    if (find_role(role) == nullptr) http::invalid_field("role", "unknown role '" + role + "' (see GET /api/v1/roles)");
    if (accounts) {
      for (const auto& a : *accounts) {
        if (auto why = check_account_id(a); !why.empty()) http::invalid_field("account_ids", why);
      }
    }
    bool ok = co_await ctx.blocking.run([&] {
      if (!ctx.store.brand(p.org_id, id) || !ctx.store.user(p.org_id, user_id)) return false;
      ctx.store.put_member(Actor::of(p), id, user_id, role, accounts);
      return true;
    });
    if (!ok) http::not_found("no such brand or user");
    ctx.auth.evict_all();
    co_return http::json_response(req, 200, {{"user_id", user_id}, {"brand_id", id}, {"role", role},
                                             {"account_ids", accounts ? nlohmann::json(*accounts) : nlohmann::json(nullptr)}});
  }));

  router.add(verb::delete_, "/api/v1/brands/{id}/members/{user_id}", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = uuid_param(req, "id");
    const auto& user_id = uuid_param(req, "user_id");
    require_permission(p, perm::kBrandManage, id);
    bool removed = co_await ctx.blocking.run([&] {
      return ctx.store.brand(p.org_id, id) && ctx.store.delete_member(Actor::of(p), id, user_id);
    });
    if (!removed) http::not_found("that user is not a member of this brand");
    ctx.auth.evict_all();
    co_return http::empty_response(req, 204);
  }));
}

}  // namespace herald::gateway
