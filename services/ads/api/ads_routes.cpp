// /api/v1/ads/...: thin handlers over Ads. A sync runs on the module's own thread (it may read
// millions of rows): connecting (201) and POST .../sync (202) hand it over, and the account's
// `progress` shows it.
#include "services/ads/api/routes.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/http/query.hpp"

namespace herald::ads {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;
using nlohmann::json;

namespace {

ReportQuery report_query(const http::Request& req) {
  ReportQuery q;
  if (auto ids = http::optional_query(req, "ad_account_id", 37 * 50)) {
    std::size_t start = 0;
    while (start <= ids->size()) {
      auto comma = ids->find(',', start);
      auto id = ids->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!id.empty()) q.ad_account_ids.push_back(id);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  q.brand_id = http::optional_query(req, "brand_id", 36);
  q.from = http::optional_query(req, "from", 10);
  q.to = http::optional_query(req, "to", 10);
  q.group_by = http::optional_query(req, "group_by", 20).value_or("total");
  q.ad_campaign = http::optional_query(req, "ad_campaign", 64);
  q.campaign_id = http::optional_query(req, "campaign_id", 36);
  q.currency = http::optional_query(req, "currency", 3);
  return q;
}

}  // namespace

void register_ads_routes(http::Router& router, AdsContext& ctx) {
  router.add(verb::get, "/api/v1/ads/accounts", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = http::optional_query(req, "brand_id", 36);
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.list(p, brand); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/ads/accounts", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    auto account_id = body.required_string("account_id", 1, 36);
    auto external_id = body.required_string("external_id", 1, 64);
    auto days = body.optional_int("backfill_days", 1, 400).value_or(30);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.connect(p, account_id, external_id, static_cast<int>(days)); });
    ctx.request_sync(out["id"]);
    co_return http::json_response(req, 201, out);
  }));

  router.add(verb::get, "/api/v1/ads/accounts/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.get(p, id); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/ads/accounts/{id}/sync", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto out = co_await ctx.blocking.run([&] {
      auto a = ctx.ads.get(p, id);
      iam::require_permission(p, iam::perm::kAdsManage, a["brand_id"].get<std::string>());
      return a;
    });
    ctx.request_sync(id);
    co_return http::json_response(req, 202, out);
  }));

  router.add(verb::get, "/api/v1/ads/accounts/{id}/entities", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto level = http::optional_query(req, "level", 10);
    auto campaign = http::optional_query(req, "ad_campaign", 64);
    auto cursor = http::optional_query(req, "cursor", 64).value_or("");
    auto limit = http::query_limit(req, 100, 500);
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.entities(p, id, level, campaign, cursor, limit); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::put, "/api/v1/ads/accounts/{id}/campaigns/{ad_campaign}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto ad_campaign = req.param("ad_campaign");
    http::JsonBody body(req);
    if (!body.has("campaign_id")) http::invalid_field("campaign_id", "is required (null to detach)");
    auto campaign = body.optional_string("campaign_id", 36, 36);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.attribute(p, id, ad_campaign, campaign); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/ads/accounts/{id}/ab-test", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    http::JsonBody body(req);
    auto a = body.required_string("a", 1, 64);
    auto b = body.required_string("b", 1, 64);
    auto metric = body.optional_string("metric", 1, 20).value_or("ctr");
    auto from = body.required_string("from", 10, 10);
    auto to = body.required_string("to", 10, 10);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.ab_test(p, id, a, b, metric, from, to); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/ads/accounts/{id}/alerts", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.param("id");
    auto day = http::optional_query(req, "day", 10);
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.alerts(p, id, day); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/ads/report", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto q = report_query(req);
    auto format = http::optional_query(req, "format", 4).value_or("json");
    if (format != "json" && format != "csv") http::invalid_field("format", "must be json or csv");
    if (format == "csv") {
      auto csv = co_await ctx.blocking.run([&] { return ctx.ads.report_csv(p, q); });
      http::Response res{boost::beast::http::status::ok, req.raw.version()};
      res.set(boost::beast::http::field::content_type, "text/csv; charset=utf-8");
      res.set(boost::beast::http::field::content_disposition,
              "attachment; filename=\"ads-" + q.group_by + "-" + q.from.value_or("") + "-" + q.to.value_or("") + ".csv\"");
      res.keep_alive(req.raw.keep_alive());
      res.body() = std::move(csv);
      res.prepare_payload();
      co_return res;
    }
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.report(p, q); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/ads/fx-rates", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.rates(p); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::put, "/api/v1/ads/fx-rates", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto doc = http::json_object_body(req);
    auto out = co_await ctx.blocking.run([&] { return ctx.ads.set_rates(p, doc); });
    co_return http::json_response(req, 200, out);
  }));
}

}  // namespace herald::ads
