// /api/v1/webhooks/{platform}: the platforms' webhook deliveries (comments, mentions, DMs) and
// their verification handshakes (X's CRC, Meta's hub.challenge, WeChat's echostr). Public: the
// platform's signature is the authentication, checked in constant time by the platform's
// adapter before anything is read; a delivery that fails it is refused (401) and stored nowhere.
// Items are filed for every connected account the delivery names (Inbox::ingest), so a
// redelivery changes nothing.
#include <boost/algorithm/string/case_conv.hpp>

#include "services/core/http/problem.hpp"
#include "services/inbox/api/inbox_routes.hpp"

namespace herald::inbox {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;

namespace {

adapters::WebhookRequest webhook_request(const http::Request& req) {
  adapters::WebhookRequest w;
  w.method = std::string(req.raw.method_string());
  w.path = req.path;
  w.query = req.query;
  for (const auto& field : req.raw) {
    w.headers[boost::algorithm::to_lower_copy(std::string(field.name_string()))] = std::string(field.value());
  }
  w.body = req.raw.body();
  return w;
}

http::Response challenge_response(const http::Request& req, const std::string& body) {
  http::Response res{boost::beast::http::status::ok, req.raw.version()};
  res.set(boost::beast::http::field::content_type,
          !body.empty() && body.front() == '{' ? "application/json" : "text/plain; charset=utf-8");
  res.keep_alive(req.raw.keep_alive());
  res.body() = body;
  res.prepare_payload();
  return res;
}

awaitable<http::Response> receive(InboxContext& ctx, http::Request& req) {
  const auto& platform = req.param("platform");
  if (platform.size() > 40 || !adapters::is_platform(platform)) http::not_found("no such platform: " + platform);
  if (req.raw.body().size() > ctx.max_webhook_bytes) {
    throw http::HttpError(413, "Payload Too Large", "a webhook delivery may have at most " +
                                                        std::to_string(ctx.max_webhook_bytes) + " bytes");
  }
  auto w = webhook_request(req);
  auto outcome = co_await ctx.blocking.run([&]() -> std::variant<std::string, nlohmann::json> {
    auto adapter = ctx.platforms.adapter(platform);
    if (!adapter) http::not_found(platform + " is not configured");
    auto parsed = adapter->parse_webhook(w);
    if (!parsed) {
      const auto& e = parsed.error();
      if (e.code == "bad_signature") http::unauthorized("the delivery's signature does not match");
      if (e.code == "bad_verify_token") http::unauthorized("the verify token does not match");
      if (e.code == "unsupported") http::not_found(platform + " does not deliver webhooks");
      http::bad_request("unreadable delivery: " + e.message);
    }
    if (parsed->challenge_response) return *parsed->challenge_response;
    // Items by the account that received them, each filed for every connection of that account.
    std::map<std::string, std::vector<adapters::InboundItem>> by_account;
    for (auto& item : parsed->items) by_account[item.account_platform_id].push_back(std::move(item));
    IngestResult total;
    int unrouted = 0;
    for (const auto& [platform_account, items] : by_account) {
      auto accounts = platform_account.empty() ? std::vector<contracts::AccountRef>{}
                                               : ctx.directory.by_platform_account(platform, platform_account);
      if (accounts.empty()) unrouted += static_cast<int>(items.size());
      for (const auto& account : accounts) {
        auto r = ctx.inbox.ingest(account, items);
        total.received += r.received;
        total.stored += r.stored;
        total.duplicates += r.duplicates;
      }
    }
    return nlohmann::json{{"stored", total.stored}, {"duplicates", total.duplicates}, {"unrouted", unrouted}};
  });
  if (auto* text = std::get_if<std::string>(&outcome)) co_return challenge_response(req, *text);
  // WeChat shows its users an error unless a delivery is answered with "success" (or nothing).
  if (platform == "wechat") co_return challenge_response(req, "success");
  co_return http::json_response(req, 200, std::get<nlohmann::json>(outcome));
}

}  // namespace

void register_webhook_routes(http::Router& router, InboxContext& ctx) {
  router.add(verb::get, "/api/v1/webhooks/{platform}",
             [&ctx](http::Request& req) -> awaitable<http::Response> { co_return co_await receive(ctx, req); });
  router.add(verb::post, "/api/v1/webhooks/{platform}",
             [&ctx](http::Request& req) -> awaitable<http::Response> { co_return co_await receive(ctx, req); });
}

}  // namespace herald::inbox
