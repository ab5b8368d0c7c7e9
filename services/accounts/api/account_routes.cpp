// /api/v1/platforms, /api/v1/accounts[/{id}[/refresh|/check|/health-events]], /api/v1/matrix
#include "herald/adapters/adapter.hpp"
#include "services/accounts/api/context.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::accounts {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;
namespace perm = iam::perm;

namespace {

nlohmann::json capabilities_json(const adapters::Capabilities& c) {
  auto rate = [](const adapters::RateLimit& r) {
    return nlohmann::json{{"requests", r.requests}, {"window_seconds", r.window_seconds}};
  };
  static const char* kCounting[] = {"code_points", "utf16", "twitter_weighted", "weibo", "bytes"};
  return {{"platform", c.platform},
          {"display_name", c.display_name},
          {"publishing", c.mode == adapters::PublishMode::kApi ? "api" : "assisted"},
          {"text", {{"max_length", c.max_text_length}, {"counting", kCounting[static_cast<int>(c.counting)]}}},
          {"media",
           {{"max_images", c.max_images},
            {"max_videos", c.max_videos},
            {"mixed", c.mixed_media},
            {"required", c.requires_media},
            {"max_image_bytes", c.max_image_bytes},
            {"max_video_bytes", c.max_video_bytes},
            {"max_video_duration_s", c.max_video_duration_s},
            {"image_types", c.image_types},
            {"video_types", c.video_types}}},
          {"operations",
           {{"edit", c.can_edit},
            {"delete", c.can_delete},
            {"thread", c.can_thread},
            {"first_comment", c.can_first_comment},
            {"reply", c.can_reply},
            {"dm", c.can_dm},
            {"hide_comment", c.can_hide_comment},
            {"delete_comment", c.can_delete_comment},
            {"pin_comment", c.can_pin_comment},
            {"webhooks", c.has_webhooks},
            {"metrics", c.has_metrics},
            {"ads", c.has_ads}}},
          {"auth",
           {{"pkce", c.supports_pkce},
            {"refresh", c.supports_refresh},
            {"revoke", c.supports_revoke},
            {"required_scopes", c.required_scopes}}},
          {"rate_limits", {{"publish_per_account", rate(c.publish_limit)}, {"app", rate(c.app_limit)}}},
          {"daily_post_cap", c.daily_post_cap}};
}

std::optional<std::string> uuid_query(const http::Request& req, const std::string& name) {
  auto v = req.query_param(name);
  if (v && !core::is_uuid(*v)) http::bad_request("malformed " + name + ": expected a UUID", {{"field", name}});
  return v;
}

std::optional<std::string> health_query(const http::Request& req) {
  auto v = req.query_param("health");
  if (v && *v != "ok" && *v != "warning" && *v != "error") {
    http::bad_request("health must be ok, warning or error", {{"field", "health"}});
  }
  return v;
}

AccountFilter filter_from(const http::Request& req) {
  AccountFilter f;
  f.brand_id = uuid_query(req, "brand_id");
  f.platform = req.query_param("platform");
  if (f.platform && !adapters::is_platform(*f.platform)) {
    http::bad_request("unknown platform '" + *f.platform + "'", {{"field", "platform"}});
  }
  f.status = req.query_param("status");
  if (f.status && *f.status != "connected" && *f.status != "disconnected" && *f.status != "assisted") {
    http::bad_request("status must be connected, disconnected or assisted", {{"field", "status"}});
  }
  f.tag = req.query_param("tag");
  f.group = req.query_param("group");
  return f;
}

// The account, if the caller may read it (404 for accounts of other organizations, 403 for
// accounts of a brand or account scope the caller does not hold).
awaitable<AccountRecord> readable(AccountsContext& ctx, const Principal& p, const std::string& id,
                                  std::string_view permission) {
  auto a = co_await ctx.blocking.run([&] { return ctx.store.get(p.org_id, id); });
  if (!a) http::not_found("no such account");
  iam::require_account_permission(p, permission, a->brand_id, a->id);
  co_return *a;
}

// Reads and validates the positioning object: audience, content_positioning, goals, kpi_targets.
nlohmann::json read_positioning(const nlohmann::json& doc) {
  if (!doc.is_object()) http::bad_request("positioning: expected an object", {{"field", "positioning"}});
  http::JsonBody b(doc, "positioning.");
  nlohmann::json out = nlohmann::json::object();
  if (auto v = b.optional_string("audience", 0, 2000)) out["audience"] = *v;
  if (auto v = b.optional_string("content_positioning", 0, 2000)) out["content_positioning"] = *v;
  if (auto v = b.optional_string_array("goals", 50, 500)) out["goals"] = *v;
  if (auto k = b.optional_raw("kpi_targets")) {
    if (!k->is_object()) http::bad_request("positioning.kpi_targets: expected an object of numbers");
    for (const auto& [name, value] : k->items()) {
      if (!value.is_number() || name.empty() || name.size() > 100) {
        http::invalid_field("positioning.kpi_targets." + name, "must be a number");
      }
    }
    out["kpi_targets"] = *k;
  }
  b.finish();
  return out;
}

}  // namespace

void register_account_routes(http::Router& router, AccountsContext& ctx) {
  router.add(verb::get, "/api/v1/platforms", iam::authed(ctx.identity, [](http::Request& req, const Principal&) -> awaitable<http::Response> {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& name : adapters::platforms()) {
      if (auto a = adapters::make_adapter(name, adapters::Endpoint{})) items.push_back(capabilities_json(a->capabilities()));
    }
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  router.add(verb::get, "/api/v1/accounts", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto filter = filter_from(req);
    auto health = health_query(req);
    auto all = co_await ctx.blocking.run([&] { return ctx.store.list(p.org_id, filter); });
    auto now = unix_now(ctx.clock);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& a : all) {
      if (!p.can_on_account(perm::kAccountRead, a.brand_id, a.id)) continue;
      auto j = to_json(a, now);
      if (health && j["health"]["level"] != *health) continue;
      items.push_back(std::move(j));
    }
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  router.add(verb::get, "/api/v1/accounts/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto a = co_await readable(ctx, p, id, perm::kAccountRead);
    auto res = http::json_response(req, 200, to_json(a, unix_now(ctx.clock)));
    res.set(boost::beast::http::field::etag, iam::etag(a.version));
    co_return res;
  }));

  router.add(verb::patch, "/api/v1/accounts/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto expected = iam::if_match_version(req);
    http::JsonBody body(req);
    ProfileChange change;
    change.contact = body.optional_string("contact", 0, 500);
    change.bio = body.optional_string("bio", 0, 5000);
    if (auto pos = body.optional_raw("positioning")) change.positioning = read_positioning(*pos);
    change.groups = body.optional_string_array("groups", 50, 100);
    change.tags = body.optional_string_array("tags", 50, 100);
    if (body.has("store_id")) {
      change.set_store_id = true;
      change.store_id = body.optional_string("store_id", 1, 200);
    }
    body.finish();
    auto before = co_await readable(ctx, p, id, perm::kAccountManage);
    auto after = co_await ctx.blocking.run(
        [&] { return ctx.store.update_profile(iam::Actor::of(p), p.org_id, id, change, expected); });
    if (!after) {
      http::precondition_failed("the account changed since you read it (now version " + std::to_string(before.version) +
                                "): read it again");
    }
    auto res = http::json_response(req, 200, to_json(*after, unix_now(ctx.clock)));
    res.set(boost::beast::http::field::etag, iam::etag(after->version));
    co_return res;
  }));

  router.add(verb::delete_, "/api/v1/accounts/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    (void)co_await readable(ctx, p, id, perm::kAccountManage);
    co_await ctx.blocking.run([&] { ctx.connector.disconnect(p, id); });
    co_return http::empty_response(req, 204);
  }));

  router.add(verb::post, "/api/v1/accounts/{id}/refresh", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    (void)co_await readable(ctx, p, id, perm::kAccountManage);
    bool ok = co_await ctx.blocking.run([&] { return ctx.connector.refresh(p.org_id, id); });
    auto a = co_await readable(ctx, p, id, perm::kAccountRead);
    co_return http::json_response(req, 200, {{"refreshed", ok}, {"account", to_json(a, unix_now(ctx.clock))}});
  }));

  router.add(verb::post, "/api/v1/accounts/{id}/check", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    (void)co_await readable(ctx, p, id, perm::kAccountRead);
    bool ok = co_await ctx.blocking.run([&] { return ctx.connector.check(p.org_id, id); });
    auto a = co_await readable(ctx, p, id, perm::kAccountRead);
    co_return http::json_response(req, 200, {{"ok", ok}, {"account", to_json(a, unix_now(ctx.clock))}});
  }));

  router.add(verb::get, "/api/v1/accounts/{id}/health-events", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    (void)co_await readable(ctx, p, id, perm::kAccountRead);
    auto events = co_await ctx.blocking.run([&] { return ctx.store.events(id, 200); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& e : events) items.push_back({{"id", e.id}, {"kind", e.kind}, {"reason", e.reason}, {"at", e.at}});
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  // The matrix: one row per brand the caller may read, one column per platform, each cell the
  // accounts there with their health; `worst` is the cell's worst health level.
  router.add(verb::get, "/api/v1/matrix", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto filter = filter_from(req);
    auto health = health_query(req);
    auto all = co_await ctx.blocking.run([&] { return ctx.store.list(p.org_id, filter); });
    auto now = unix_now(ctx.clock);
    std::map<std::string, std::map<std::string, nlohmann::json>> cells;  // brand -> platform -> accounts
    for (const auto& a : all) {
      if (!p.can_on_account(perm::kAccountRead, a.brand_id, a.id)) continue;
      auto j = to_json(a, now);
      if (health && j["health"]["level"] != *health) continue;
      auto& cell = cells[a.brand_id][a.platform];
      if (cell.is_null()) cell = nlohmann::json::array();
      cell.push_back({{"id", a.id},
                      {"handle", a.handle},
                      {"display_name", a.display_name},
                      {"status", a.status},
                      {"sandbox", a.sandbox},
                      {"health", j["health"]["level"]},
                      {"reasons", j["health"]["reasons"]},
                      {"token_expires_at", j["health"]["token_expires_at"]}});
    }
    auto rank = [](const std::string& level) { return level == "error" ? 2 : level == "warning" ? 1 : 0; };
    nlohmann::json rows = nlohmann::json::array();
    for (auto& [brand_id, by_platform] : cells) {
      auto info = co_await ctx.blocking.run([&] { return ctx.identity.brand(p.org_id, brand_id); });
      nlohmann::json row = {{"brand_id", brand_id}, {"brand_name", info ? info->name : ""}, {"cells", nlohmann::json::object()}};
      for (auto& [platform, accounts] : by_platform) {
        std::string worst = "ok";
        for (const auto& a : accounts) {
          if (rank(a["health"]) > rank(worst)) worst = a["health"];
        }
        row["cells"][platform] = {{"worst", worst}, {"accounts", accounts}};
      }
      rows.push_back(std::move(row));
    }
    co_return http::json_response(req, 200, {{"platforms", adapters::platforms()}, {"brands", rows}});
  }));
}

}  // namespace herald::accounts
