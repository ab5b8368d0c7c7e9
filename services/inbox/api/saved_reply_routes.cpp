// /api/v1/inbox/saved-replies[/{id}] and, on a thread, /render (a saved reply filled for it) and
// /suggestions (FAQ answers close to what was asked): thin handlers over SavedReplies.
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/inbox/api/inbox_routes.hpp"

namespace herald::inbox {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;

namespace {

constexpr std::size_t kMaxText = 5000;

}  // namespace

void register_saved_reply_routes(http::Router& router, InboxContext& ctx) {
  router.add(verb::get, "/api/v1/inbox/saved-replies", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    SavedReplyQuery q;
    q.brand_id = req.query_param("brand_id");
    q.kind = req.query_param("kind");
    q.q = req.query_param("q");
    if (q.q && q.q->size() > 200) http::invalid_field("q", "too long (at most 200 bytes)");
    if (q.q && q.q->empty()) q.q.reset();
    if (q.brand_id && q.brand_id->empty()) q.brand_id.reset();
    auto out = co_await ctx.blocking.run([&] { return ctx.saved_replies.list(p, q); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::post, "/api/v1/inbox/saved-replies", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    SavedReplyDraft d;
    d.kind = body.optional_string("kind", 1, 10).value_or("reply");
    d.brand_id = body.optional_string("brand_id", 1, 36);
    d.title = body.optional_string("title", 0, 200).value_or("");
    d.question = body.optional_string("question", 0, kMaxText).value_or("");
    d.text = body.optional_string("text", 0, kMaxText).value_or("");
    d.source_item_id = body.optional_int("source_item_id", 1, std::numeric_limits<std::int64_t>::max());
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.saved_replies.create(p, d); });
    co_return iam::versioned_response(req, 201, out);
  }));

  router.add(verb::get, "/api/v1/inbox/saved-replies/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.id_param("id", "saved reply id");
    auto out = co_await ctx.blocking.run([&] { return ctx.saved_replies.get(p, id); });
    co_return iam::versioned_response(req, 200, out);
  }));

  router.add(verb::patch, "/api/v1/inbox/saved-replies/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.id_param("id", "saved reply id");
    SavedReplyChange c;
    c.version = iam::if_match_version(req);
    http::JsonBody body(req);
    c.title = body.optional_string("title", 1, 200);
    c.question = body.optional_string("question", 0, kMaxText);
    c.text = body.optional_string("text", 1, kMaxText);
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.saved_replies.update(p, id, c); });
    co_return iam::versioned_response(req, 200, out);
  }));

  router.add(verb::delete_, "/api/v1/inbox/saved-replies/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto id = req.id_param("id", "saved reply id");
    auto version = iam::if_match_version(req);
    co_await ctx.blocking.run([&] { ctx.saved_replies.remove(p, id, version); });
    co_return http::empty_response(req, 204);
  }));

  router.add(verb::post, "/api/v1/inbox/threads/{id}/render", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto thread = req.id_param("id", "thread id");
    http::JsonBody body(req);
    auto saved = body.optional_int("saved_reply_id", 1, std::numeric_limits<std::int64_t>::max());
    if (!saved) http::invalid_field("saved_reply_id", "is required");
    body.finish();
    auto out = co_await ctx.blocking.run([&] { return ctx.saved_replies.render(p, thread, *saved); });
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/inbox/threads/{id}/suggestions", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto thread = req.id_param("id", "thread id");
    auto out = co_await ctx.blocking.run([&] { return ctx.saved_replies.suggest(p, thread); });
    co_return http::json_response(req, 200, out);
  }));
}

}  // namespace herald::inbox
