#include "adapters/sandbox/control_routes.hpp"

#include <algorithm>

#include "adapters/sandbox/platforms/facebook.hpp"
#include "adapters/sandbox/samples.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {

namespace asio = boost::asio;
using core::http::JsonBody;
using core::http::Request;
using core::http::Response;

namespace {

Platform& platform_of(const PlatformMap& platforms, const std::string& name, const std::string& field = "platform") {
  auto it = platforms.find(name);
  if (it == platforms.end()) {
    std::string known;
    for (const auto& [n, p] : platforms) known += (known.empty() ? "" : ", ") + n;
    core::http::invalid_field(field, "unknown platform \"" + name + "\" (known: " + known + ")");
  }
  return *it->second;
}

Response no_content(const Request& req) { return core::http::empty_response(req, 204); }

FacebookPlatform& facebook_of(const PlatformMap& platforms) {
  auto* fb = dynamic_cast<FacebookPlatform*>(&platform_of(platforms, "facebook"));
  if (fb == nullptr) core::http::not_found("the facebook emulator is not running");
  return *fb;
}

FaultRule parse_fault(const Request& req, const PlatformMap& platforms) {
  JsonBody body(req);
  FaultRule rule;
  rule.platform = platform_of(platforms, body.required_string("platform", 1, 64)).name();
  rule.method = body.optional_string("method", 1, 16).value_or("");
  rule.path_prefix = body.optional_string("path_prefix", 1, 2000).value_or("");
  auto kind = body.required_string("kind", 1, 32);
  auto parsed = parse_fault_kind(kind);
  if (!parsed) core::http::invalid_field("kind", "kind must be status, rate_limit, latency, hang or drop_after_accept");
  rule.kind = *parsed;
  auto status = body.optional_int("status", 100, 599);
  if (rule.kind == FaultKind::status && !status) core::http::invalid_field("status", "a status fault needs status");
  rule.status = static_cast<int>(status.value_or(503));
  rule.latency_ms = body.optional_int("latency_ms", 0, 3600000).value_or(0);
  if (rule.kind == FaultKind::latency && rule.latency_ms == 0) {
    core::http::invalid_field("latency_ms", "a latency fault needs latency_ms > 0");
  }
  rule.times = body.optional_int("times", 0, 1000000).value_or(1);
  body.finish();
  return rule;
}

}  // namespace

void add_control_routes(core::http::Router& router, Context& ctx, const PlatformMap& platforms,
                        std::function<nlohmann::json()> ports) {
  using verb = core::http::beast_http::verb;
  auto sync = [](std::function<Response(Request&)> f) {
    return [f = std::move(f)](Request& req) -> asio::awaitable<Response> { co_return f(req); };
  };
  router.add(verb::get, "/_sandbox/healthz", sync([&platforms](Request& req) {
               nlohmann::json names = nlohmann::json::array();
               for (const auto& [n, p] : platforms) names.push_back(n);
               return core::http::json_response(req, 200, {{"status", "ok"}, {"platforms", names}});
             }));
  router.add(verb::get, "/_sandbox/media/{name}", sync([](Request& req) {
               auto media = sample_media(req.param("name"));
               if (!media) core::http::not_found("no sample named " + req.param("name"));
               Response res{core::http::beast_http::status::ok, req.raw.version()};
               res.set(core::http::beast_http::field::content_type, media->content_type);
               res.keep_alive(req.raw.keep_alive());
               res.body() = media->bytes;
               res.prepare_payload();
               return res;
             }));
  router.add(verb::get, "/_sandbox/platforms",
             sync([ports](Request& req) { return core::http::json_response(req, 200, ports()); }));

  router.add(verb::get, "/_sandbox/requests", sync([&ctx, &platforms](Request& req) {
               std::string platform = req.query_param("platform").value_or("");
               if (!platform.empty()) platform_of(platforms, platform);
               std::uint64_t since = 0;
               if (auto s = req.query_param("since_seq"); s && !s->empty() && !parse_u64(*s, since)) {
                 core::http::invalid_field("since_seq", "since_seq must be a non-negative integer");
               }
               auto res = core::http::json_response(req, 200, ctx.log.list(platform, since));
               res.set("X-Sandbox-Last-Seq", std::to_string(ctx.log.last_seq()));
               return res;
             }));
  router.add(verb::delete_, "/_sandbox/requests", sync([&ctx](Request& req) {
               ctx.log.clear();
               return no_content(req);
             }));

  router.add(verb::post, "/_sandbox/faults", sync([&ctx, &platforms](Request& req) {
               auto rule = ctx.faults.add(parse_fault(req, platforms));
               return core::http::json_response(req, 201, rule.to_json());
             }));
  router.add(verb::get, "/_sandbox/faults",
             sync([&ctx](Request& req) { return core::http::json_response(req, 200, ctx.faults.list()); }));
  router.add(verb::delete_, "/_sandbox/faults", sync([&ctx](Request& req) {
               ctx.faults.clear();
               return no_content(req);
             }));
  router.add(verb::delete_, "/_sandbox/faults/{id}", sync([&ctx](Request& req) {
               std::uint64_t id = 0;
               if (!parse_u64(req.param("id"), id) || !ctx.faults.remove(id))
                 core::http::not_found("no such fault rule");
               return no_content(req);
             }));

  router.add(
      verb::post, "/_sandbox/accounts/revoke", sync([&ctx, &platforms](Request& req) {
        JsonBody body(req);
        auto& p = platform_of(platforms, body.required_string("platform", 1, 64));
        auto handle = body.required_string("handle", 1, 200);
        body.finish();
        auto account = ctx.store.account_by_handle(p.name(), handle);
        if (!account) core::http::not_found("no " + p.name() + " account with handle " + handle);
        int n = ctx.oauth.revoke_account(p.name(), account->id);
        return core::http::json_response(
            req, 200,
            {{"platform", p.name()}, {"handle", account->handle}, {"account_id", account->id}, {"revoked_tokens", n}});
      }));

  router.add(verb::get, "/_sandbox/state", sync([&ctx, &platforms](Request& req) {
               auto platform = req.query_param("platform");
               auto handle = req.query_param("handle");
               if (!platform || platform->empty()) core::http::invalid_field("platform", "platform is required");
               if (!handle || handle->empty()) core::http::invalid_field("handle", "handle is required");
               auto& p = platform_of(platforms, *platform);
               auto state = ctx.store.state_json(p.name(), *handle);
               if (state.is_null()) core::http::not_found("no " + p.name() + " account with handle " + *handle);
               return core::http::json_response(req, 200, state);
             }));

  router.add(verb::post, "/_sandbox/webhooks", sync([&ctx, &platforms](Request& req) {
               JsonBody body(req);
               auto& p = platform_of(platforms, body.required_string("platform", 1, 64));
               auto url = body.required_string("url", 1, 2000);
               body.finish();
               if (!starts_with(url, "http://") && !starts_with(url, "https://")) {
                 core::http::invalid_field("url", "url must be an http:// or https:// URL");
               }
               ctx.webhooks.set_target(p.name(), url);
               p.on_webhook_registered(url);
               return core::http::json_response(req, 200, {{"platform", p.name()}, {"url", url}});
             }));
  router.add(verb::get, "/_sandbox/webhooks",
             sync([&ctx](Request& req) { return core::http::json_response(req, 200, ctx.webhooks.to_json()); }));

  router.add(verb::post, "/_sandbox/facebook/ad-accounts", sync([&platforms](Request& req) {
               auto& fb = facebook_of(platforms);
               JsonBody body(req);
               FacebookPlatform::AdAccountRequest r;
               r.handle = body.required_string("handle", 1, 64);
               r.ads = body.optional_int("ads", 1, 1000000).value_or(r.ads);
               r.currency = body.optional_string("currency", 3, 3).value_or(r.currency);
               if (!std::all_of(r.currency.begin(), r.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
                 core::http::invalid_field("currency", "currency must be an ISO 4217 code such as USD or EUR");
               }
               r.days = body.optional_int("days", 1, 1095).value_or(r.days);
               r.ads_per_adset = body.optional_int("ads_per_adset", 1, 50).value_or(r.ads_per_adset);
               r.adsets_per_campaign = body.optional_int("adsets_per_campaign", 1, 200).value_or(r.adsets_per_campaign);
               r.name = body.optional_string("name", 1, 200).value_or("");
               body.finish();
               return core::http::json_response(req, 201, fb.create_ad_account(r));
             }));
  router.add(verb::get, "/_sandbox/facebook/ad-accounts", sync([&platforms](Request& req) {
               auto& fb = facebook_of(platforms);
               auto handle = req.query_param("handle");
               if (!handle || handle->empty()) core::http::invalid_field("handle", "handle is required");
               auto list = fb.ad_accounts_json(*handle);
               if (list.is_null()) core::http::not_found("no facebook account with handle " + *handle);
               return core::http::json_response(req, 200, list);
             }));

  router.add(verb::post, "/_sandbox/generate", sync([&ctx, &platforms](Request& req) {
               JsonBody body(req);
               auto& p = platform_of(platforms, body.required_string("platform", 1, 64));
               GenerateRequest g;
               g.handle = body.required_string("handle", 1, 64);
               auto kind = body.required_string("kind", 1, 16);
               if (kind == "comment") {
                 g.kind = EventKind::comment;
               } else if (kind == "mention") {
                 g.kind = EventKind::mention;
               } else if (kind == "dm") {
                 g.kind = EventKind::dm;
               } else {
                 core::http::invalid_field("kind", "kind must be comment, mention or dm");
               }
               g.count = static_cast<int>(body.required_int("count", 1, 100000));
               if (auto rate = body.optional_raw("rate_per_s"); rate && !rate->is_null()) {
                 if (!rate->is_number() || rate->get<double>() < 0) {
                   core::http::invalid_field("rate_per_s", "rate_per_s must be a non-negative number");
                 }
                 g.rate_per_s = rate->get<double>();
               }
               auto delivery = body.optional_string("delivery", 1, 16).value_or("poll");
               if (delivery != "webhook" && delivery != "poll")
                 core::http::invalid_field("delivery", "delivery must be webhook or poll");
               g.webhook = delivery == "webhook";
               body.finish();
               if (g.webhook && !p.supports_webhooks()) {
                 core::http::invalid_field("delivery",
                                           p.name() + " has no webhooks in the sandbox: use delivery \"poll\"");
               }
               if (g.webhook && !ctx.webhooks.target(p.name())) {
                 core::http::invalid_field("delivery",
                                           "no webhook URL set for " + p.name() + " (POST /_sandbox/webhooks first)");
               }
               auto r = p.generate(g);
               return core::http::json_response(
                   req, 200, {{"generated", r.generated}, {"first_id", r.first_id}, {"last_id", r.last_id}});
             }));
}

}  // namespace herald::sandbox
