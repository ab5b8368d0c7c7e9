// /api/v1/inbox/threads[/{id}[/assign | /status | /notes | /replies | /presence]] and
// /api/v1/inbox/reports: thin handlers over Inbox (Presence: who is writing a reply where; Reports).
#include "services/contracts/iam/handlers.hpp"
#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/inbox/api/inbox_routes.hpp"

namespace herald::inbox {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;

namespace {

std::int64_t thread_id(const http::Request& req) { return req.id_param("id", "thread id"); }

std::optional<std::string> query(const http::Request& req, const std::string& name, std::size_t max_len) {
  auto v = req.query_param(name);
  if (v && v->size() > max_len) http::invalid_field(name, "too long");
  return v;
}

}  // namespace

void register_inbox_routes(http::Router& router, InboxContext& ctx) {
  router.add(verb::get, "/api/v1/inbox/poll-state", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = query(req, "brand_id", 36);
    if (brand && brand->empty()) brand.reset();
    auto out = co_await ctx.blocking.run([&] { return ctx.poller.state(p, brand); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/inbox/reports", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    ReportQuery q;
    q.brand_id = query(req, "brand_id", 36);
    if (q.brand_id && q.brand_id->empty()) q.brand_id.reset();
    q.from = query(req, "from", 10).value_or("");
    q.to = query(req, "to", 10).value_or("");
    auto out = co_await ctx.blocking.run([&] { return ctx.reports.report(p, q); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/inbox/threads", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    ListQuery q;
    q.brand_id = query(req, "brand_id", 36);
    q.account_id = query(req, "account_id", 36);
    q.platform = query(req, "platform", 40);
    q.status = query(req, "status", 20);
    if (q.status && *q.status != "open" && *q.status != "pending" && *q.status != "resolved" && *q.status != "closed") {
      http::invalid_field("status", "must be open, pending, resolved or closed");
    }
    q.kind = query(req, "kind", 20);
    if (q.kind && *q.kind != "comment" && *q.kind != "mention" && *q.kind != "dm") {
      http::invalid_field("kind", "must be comment, mention or dm");
    }
    q.sla = query(req, "sla", 20);
    if (q.sla && *q.sla != "breached" && *q.sla != "at_risk") http::invalid_field("sla", "must be breached or at_risk");
    q.assignee = query(req, "assignee", 36);
    if (q.assignee && *q.assignee == "none") q.assignee = "";
    q.sort = query(req, "sort", 20).value_or("priority");
    if (q.sort != "priority" && q.sort != "recent") http::invalid_field("sort", "must be priority or recent");
    q.cursor = query(req, "cursor", 60);
    if (auto l = req.query_param("limit")) {
      if (l->empty() || l->size() > 3 || l->find_first_not_of("0123456789") != std::string::npos) {
        http::invalid_field("limit", "must be a number from 1 to 200");
      }
      q.limit = std::stoi(*l);
      if (q.limit < 1 || q.limit > 200) http::invalid_field("limit", "must be a number from 1 to 200");
    }
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.list(p, q); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/inbox/threads/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = thread_id(req);
    auto out = co_await ctx.blocking.run([&] {
      auto thread = ctx.inbox.get(p, id);
      thread["others_replying"] = ctx.presence.replying(id, p.user_id, ctx.clock.now_ms());
      return thread;
    });
    co_return iam::versioned_response(req, 200, out);
  }));

  // "I am writing a reply here" (renewed while the reply box is in use) or "I stopped": the
  // others see it on the thread and over the WebSocket, and are warned before answering twice.
  router.add(verb::post, "/api/v1/inbox/threads/{id}/presence", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = thread_id(req);
    http::JsonBody body(req);
    auto replying = body.optional_bool("replying");
    if (!replying) http::invalid_field("replying", "is required: true while writing a reply, false when done");
    body.finish();
    auto out = co_await ctx.blocking.run([&] {
      auto brand = ctx.inbox.thread_brand(p, id, iam::perm::kInboxReply);
      auto now = ctx.clock.now_ms();
      const auto& name = p.label();
      ctx.presence.mark(id, p.user_id, name, *replying, now);
      ctx.inbox.announce(brand, "inbox.presence",
                         {{"thread_id", id}, {"user_id", p.user_id}, {"name", name}, {"replying", *replying}});
      return nlohmann::json{{"thread_id", id},
                            {"replying", *replying},
                            {"ttl_ms", ctx.presence.ttl().count()},
                            {"others_replying", ctx.presence.replying(id, p.user_id, now)}};
    });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/inbox/threads/{id}/assign", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = thread_id(req);
    auto version = iam::if_match_version(req);
    http::JsonBody body(req);
    if (!body.has("assignee_id")) http::invalid_field("assignee_id", "is required (null to unassign)");
    auto assignee = body.optional_string("assignee_id", 1, 36);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.assign(p, id, assignee, version); });
    co_return iam::versioned_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/inbox/threads/{id}/status", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = thread_id(req);
    auto version = iam::if_match_version(req);
    http::JsonBody body(req);
    auto status = body.required_string("status", 1, 20);
    auto reason = body.optional_string("reason", 0, 500).value_or("");
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.set_status(p, id, status, reason, version); });
    co_return iam::versioned_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/inbox/threads/{id}/items/{item_id}/moderate", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = thread_id(req);
    auto item = req.id_param("item_id", "item id");
    http::JsonBody body(req);
    auto action = body.required_string("action", 1, 10);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.moderator.moderate(p, id, item, action, ctx.clock.now_ms()); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/inbox/reply-approval/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.reply_approval(p, brand); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::put, "/api/v1/inbox/reply-approval/{brand_id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto brand = req.param("brand_id");
    http::JsonBody body(req);
    if (!body.has("mode")) http::invalid_field("mode", "is required: always, during_freeze, or null for none");
    auto mode = body.optional_string("mode", 1, 20);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.set_reply_approval(p, brand, mode); });
    co_return http::json_response(req, 200, out);
  }));

  for (const auto* verdict : {"approve", "reject"}) {
    bool approve = std::string_view(verdict) == "approve";
    router.add(verb::post, std::string("/api/v1/inbox/replies/{id}/") + verdict, iam::authed(ctx.identity, [&ctx, approve](http::Request& req, const Principal& p) -> awaitable<http::Response> {
      auto id = req.id_param("id", "reply id");
      http::JsonBody body(req);
      auto note = body.optional_string("note", 0, 500).value_or("");
      body.finish();
      auto out = co_await ctx.blocking.run([&] { return ctx.inbox.review_reply(p, id, approve, note); });
      co_return http::json_response(req, 200, out);
    }));
  }

  router.add(verb::post, "/api/v1/inbox/threads/{id}/notes", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = thread_id(req);
    http::JsonBody body(req);
    auto text = body.required_string("text", 1, 5000);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.add_note(p, id, text); });
    co_return http::json_response(req, 201, out);
  }));

  router.add(verb::post, "/api/v1/inbox/threads/{id}/replies", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = thread_id(req);
    ReplyRequest r;
    r.seen_version = iam::if_match_version(req);
    http::JsonBody body(req);
    r.text = body.required_string("text", 1, 20000);
    if (r.text.find_first_not_of(" \t\r\n") == std::string::npos) http::invalid_field("text", "is blank");
    r.item_id = body.optional_int("item_id", 1, std::numeric_limits<std::int64_t>::max());
    r.is_private = body.optional_bool("private").value_or(false);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.inbox.reply(p, id, r); });
    co_return http::json_response(req, 202, out);
  }));
}

}  // namespace herald::inbox
