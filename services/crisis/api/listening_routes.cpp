// /api/v1/crisis/listening/rules[/import | /export | /{id}] and /api/v1/crisis/listening/match:
// thin handlers over listening::Rules (listening/rules.hpp).
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/crisis/api/freeze_routes.hpp"

namespace herald::crisis {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;
using listening::RuleRecord;

namespace {

nlohmann::json rule_json(const RuleRecord& r) {
  return {{"id", r.id},
          {"brand_id", r.brand_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.brand_id)},
          {"list", r.list},
          {"keyword", r.keyword},
          {"fuzzy", r.fuzzy},
          {"weight", r.weight},
          {"region", r.region}};
}

std::string list_query(const http::Request& req, bool required) {
  auto l = req.query_param("list");
  if (!l) {
    if (required) http::bad_request("list is required: keyword or sensitive", {{"field", "list"}});
    return "";
  }
  if (*l != "keyword" && *l != "sensitive") http::bad_request("list must be keyword or sensitive", {{"field", "list"}});
  return *l;
}

}  // namespace

void register_listening_routes(http::Router& router, CrisisContext& ctx) {
  router.add(verb::get, "/api/v1/crisis/listening/rules", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto list = list_query(req, false);
    auto rules = co_await ctx.blocking.run([&] { return ctx.rules.list(p, list); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : rules) items.push_back(rule_json(r));
    co_return http::json_response(req, 200, {{"items", items}});
  }));

  router.add(verb::post, "/api/v1/crisis/listening/rules", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    RuleRecord r;
    r.list = body.required_string("list", 1, 20);
    r.keyword = body.required_string("keyword", 1, 200);
    r.fuzzy = body.optional_bool("fuzzy").value_or(false);
    if (auto w = body.optional_raw("weight")) {
      if (!w->is_number()) http::invalid_field("weight", "must be a number");
      r.weight = w->get<double>();
    }
    r.region = body.optional_string("region", 0, 40).value_or("");
    r.brand_id = body.optional_string("brand_id", 0, 36).value_or("");
    body.finish();
    auto added = co_await ctx.blocking.run([&] { return ctx.rules.add(p, r); });
    co_return http::json_response(req, 201, rule_json(added));
  }));

  router.add(verb::delete_, "/api/v1/crisis/listening/rules/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.id_param("id");
    co_await ctx.blocking.run([&] { ctx.rules.remove(p, id); });
    co_return http::empty_response(req, 204);
  }));

  router.add(verb::post, "/api/v1/crisis/listening/rules/import", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    auto list = body.required_string("list", 1, 20);
    auto brand_id = body.optional_string("brand_id", 0, 36).value_or("");
    auto csv = body.required_string("csv", 1, 4 * 1024 * 1024);
    body.finish();
    auto r = co_await ctx.blocking.run([&] { return ctx.rules.import_csv(p, list, brand_id, csv); });
    co_return http::json_response(req, 200, {{"added", r.added}, {"already_there", r.already_there}});
  }));

  router.add(verb::get, "/api/v1/crisis/listening/rules/export", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto list = list_query(req, true);
    auto brand_id = req.query_param("brand_id").value_or("");
    auto csv = co_await ctx.blocking.run([&] { return ctx.rules.export_csv(p, list, brand_id); });
    http::Response res{boost::beast::http::status::ok, req.raw.version()};
    res.set(boost::beast::http::field::content_type, "text/csv; charset=utf-8");
    res.set(boost::beast::http::field::content_disposition, "attachment; filename=\"herald-" + list + "-rules.csv\"");
    res.keep_alive(req.raw.keep_alive());
    res.body() = std::move(csv);
    res.prepare_payload();
    co_return res;
  }));

  router.add(verb::post, "/api/v1/crisis/listening/match", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    auto text = body.required_string("text", 1, 64 * 1024);
    auto region = body.optional_string("region", 0, 40).value_or("");
    auto brand_id = body.optional_string("brand_id", 0, 36).value_or("");
    body.finish();
    auto matched = co_await ctx.blocking.run([&] { return ctx.rules.match(p, text, region, brand_id); });
    nlohmann::json items = nlohmann::json::array();
    double weight = 0;
    for (const auto& r : matched) {
      items.push_back(rule_json(r));
      weight += r.weight;
    }
    co_return http::json_response(req, 200, {{"matches", items}, {"weight", weight}});
  }));
}

}  // namespace herald::crisis
