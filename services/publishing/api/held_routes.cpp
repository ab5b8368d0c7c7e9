// POST /api/v1/held/actions: the review lane after a freeze (DESIGN.md section 5: "targets whose
// time passed while frozen are HELD and go to a review lane: re-approve, reschedule or discard.
// Nothing held goes out on its own"). One action on many posts; each post is its own transaction
// and gets its own result, so one refusal does not undo the others. The HELD targets themselves
// are listed by GET /api/v1/posts?status=HELD.
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"
#include "services/publishing/api/context.hpp"

namespace herald::publishing {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;

namespace {

bool has_held(const PostView& v) {
  for (const auto& t : v.targets) {
    if (t.state == State::kHeld) return true;
  }
  return false;
}

nlohmann::json targets_json(const PostView& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : v.targets) {
    out.push_back({{"target_id", t.id}, {"account_id", t.account_id}, {"state", to_string(t.state)}});
  }
  return out;
}

}  // namespace

void register_held_routes(http::Router& router, PublishingContext& ctx) {
  router.add(verb::post, "/api/v1/held/actions", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    auto action = body.required_string("action", 1, 20);
    if (action != "review" && action != "release" && action != "reschedule" && action != "discard") {
      http::invalid_field("action", "must be review (back to review), release (approved, no slot), reschedule or discard");
    }
    auto ids = body.string_array("post_ids", 500, 36);
    if (ids.empty()) http::invalid_field("post_ids", "at least one post");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (!core::is_uuid(ids[i])) http::invalid_field("post_ids[" + std::to_string(i) + "]", "expected a UUID");
    }
    std::optional<Slot> slot;
    auto at = body.optional_string("scheduled_at", 1, 40);
    auto zone = body.optional_string("zone", 1, 64);
    if (action == "reschedule") {
      if (!at) http::invalid_field("scheduled_at", "required to reschedule");
      if (!zone) http::invalid_field("zone", "required with scheduled_at (the IANA zone the slot is meant in)");
      auto ms = parse_instant_ms(*at);
      if (!ms) http::invalid_field("scheduled_at", "expected an RFC 3339 instant such as 2027-01-15T09:00:00Z");
      slot = Slot{*ms, *zone};
    } else if (at || zone) {
      http::invalid_field(at ? "scheduled_at" : "zone", "only for action reschedule");
    }
    body.finish();

    auto results = co_await ctx.blocking.run([&] {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& id : ids) {
        nlohmann::json r = {{"post_id", id}};
        try {
          auto before = ctx.posts.get(p, id);
          if (!has_held(before)) http::conflict("no target of this post is HELD");
          PostView after;
          if (action == "review") after = ctx.posts.submit(p, id);
          else if (action == "release") after = ctx.posts.release(p, id);
          else if (action == "reschedule") after = ctx.posts.schedule(p, id, *slot);
          else after = ctx.posts.cancel(p, id);
          r["ok"] = true;
          r["targets"] = targets_json(after);
        } catch (const http::HttpError& e) {
          r["ok"] = false;
          r["status"] = e.status();
          r["detail"] = e.detail();
        }
        out.push_back(std::move(r));
      }
      return out;
    });
    int done = 0;
    for (const auto& r : results) done += r["ok"].get<bool>() ? 1 : 0;
    co_return http::json_response(req, 200, {{"action", action},
                                             {"done", done},
                                             {"refused", static_cast<int>(results.size()) - done},
                                             {"results", results}});
  }));
}

}  // namespace herald::publishing
