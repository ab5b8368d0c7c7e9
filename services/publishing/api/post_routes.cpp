// /api/v1/posts[/{id}[/submit|/decisions|/schedule|/cancel|/history]]: thin handlers over Posts
// (services/publishing/posts.hpp), which checks permissions and the lifecycle in its transaction.
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

constexpr const char* kContentTypes[] = {"news", "knowledge", "interactive", "case_story", "user_feedback"};
constexpr const char* kForms[] = {"image_text", "short_video", "live", "interactive", "illustrated_story",
                                  "platform_native"};

template <std::size_t N>
std::string one_of(const std::string& field, const std::string& value, const char* const (&allowed)[N]) {
  for (const char* a : allowed) {
    if (value == a) return value;
  }
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  http::invalid_field(field, "must be one of " + list);
}

std::string uuid_field(const std::string& field, const std::string& value) {
  if (!core::is_uuid(value)) http::invalid_field(field, "expected a UUID");
  return value;
}

nlohmann::json opt_json(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

std::optional<std::string> uuid_query(const http::Request& req, const std::string& name) {
  auto v = req.query_param(name);
  if (v && !core::is_uuid(*v)) http::bad_request("malformed " + name + ": expected a UUID", {{"field", name}});
  return v;
}

nlohmann::json read_media(const nlohmann::json& doc, const std::string& prefix) {
  if (!doc.is_array()) http::bad_request(prefix + ": expected an array", {{"field", prefix}});
  if (doc.size() > 20) http::invalid_field(prefix, "at most 20 media items");
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const std::string name = prefix + "[" + std::to_string(i) + "]";
    if (!doc[i].is_object()) http::bad_request(name + ": expected an object", {{"field", name}});
    http::JsonBody b(doc[i], name + ".");
    nlohmann::json m;
    m["kind"] = b.optional_string("kind", 1, 10).value_or("image");
    if (m["kind"] != "image" && m["kind"] != "video") http::invalid_field(name + ".kind", "must be image or video");
    m["url"] = b.required_string("url", 1, 2000);
    m["mime_type"] = b.optional_string("mime_type", 0, 100).value_or("");
    m["bytes"] = b.optional_int("bytes", 0, std::int64_t{1} << 40).value_or(0);
    m["width"] = b.optional_int("width", 0, 100000).value_or(0);
    m["height"] = b.optional_int("height", 0, 100000).value_or(0);
    if (auto d = b.optional_raw("duration_s")) {
      if (!d->is_number() || d->get<double>() < 0) http::invalid_field(name + ".duration_s", "must be a number >= 0");
      m["duration_s"] = d->get<double>();
    } else {
      m["duration_s"] = 0.0;
    }
    m["alt_text"] = b.optional_string("alt_text", 0, 1500).value_or("");
    b.finish();
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Variant> read_variants(const nlohmann::json& doc) {
  if (!doc.is_array()) http::bad_request("variants: expected an array", {{"field", "variants"}});
  if (doc.size() > 200) http::invalid_field("variants", "at most 200 accounts per post");
  std::vector<Variant> out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const std::string name = "variants[" + std::to_string(i) + "]";
    if (!doc[i].is_object()) http::bad_request(name + ": expected an object", {{"field", name}});
    http::JsonBody b(doc[i], name + ".");
    Variant v;
    v.account_id = uuid_field(name + ".account_id", b.required_string("account_id", 36, 36));
    v.text = b.optional_string("text", 0, 100000).value_or("");
    if (auto m = b.optional_raw("media")) v.media = read_media(*m, name + ".media");
    v.link = b.optional_string("link", 1, 2000);
    v.hashtags = b.string_array("hashtags", 50, 200);
    v.first_comment = b.optional_string("first_comment", 1, 100000);
    v.thread = b.string_array("thread", 25, 100000);
    b.finish();
    out.push_back(std::move(v));
  }
  return out;
}

// scheduled_at + zone, both or neither.
std::optional<Slot> read_slot(http::JsonBody& b, bool required) {
  auto at = b.optional_string("scheduled_at", 1, 64);
  auto zone = b.optional_string("zone", 1, 64);
  if (!at && !zone) {
    if (required) http::invalid_field("scheduled_at", "required");
    return std::nullopt;
  }
  if (!at) http::invalid_field("scheduled_at", "required with zone");
  if (!zone) http::invalid_field("zone", "required with scheduled_at (the IANA zone the slot is meant in)");
  auto ms = parse_instant_ms(*at);
  if (!ms) http::invalid_field("scheduled_at", "expected an RFC 3339 instant such as 2027-01-15T09:00:00Z");
  return Slot{*ms, *zone};
}

awaitable<http::Response> post_response(http::Request& req, int status, const PostView& v) {
  auto res = http::json_response(req, status, to_json(v));
  res.set(boost::beast::http::field::etag, iam::etag(v.post.version));
  if (status == 201) res.set(boost::beast::http::field::location, "/api/v1/posts/" + v.post.id);
  co_return res;
}

CalendarFilter filter_from(const http::Request& req) {
  CalendarFilter f;
  auto instant = [&](const std::string& name) -> std::optional<std::int64_t> {
    auto v = req.query_param(name);
    if (!v) return std::nullopt;
    auto ms = parse_instant_ms(*v);
    if (!ms) http::bad_request(name + ": expected an RFC 3339 instant", {{"field", name}});
    return ms;
  };
  f.from_ms = instant("from");
  f.to_ms = instant("to");
  f.brand_id = uuid_query(req, "brand_id");
  f.account_id = uuid_query(req, "account_id");
  f.campaign_id = uuid_query(req, "campaign_id");
  f.status = req.query_param("status");
  if (f.status && !state_from_string(*f.status)) {
    http::bad_request("status must be a lifecycle state such as SCHEDULED", {{"field", "status"}});
  }
  f.tag = req.query_param("tag");
  if (auto limit = req.query_param("limit")) {
    int n = 0;
    for (char c : *limit) {
      if (c < '0' || c > '9' || n > 1000) http::bad_request("limit must be 1 to 500", {{"field", "limit"}});
      n = n * 10 + (c - '0');
    }
    if (n < 1 || n > 500) http::bad_request("limit must be 1 to 500", {{"field", "limit"}});
    f.limit = n;
  }
  if (auto cursor = req.query_param("cursor")) {
    auto sep = cursor->find('_');
    bool ok = sep != std::string::npos && sep > 0 && sep < 20 && core::is_uuid(cursor->substr(sep + 1));
    std::int64_t key = 0;
    for (std::size_t i = 0; ok && i < sep; ++i) {
      char c = (*cursor)[i];
      if (c < '0' || c > '9') ok = false;
      else key = key * 10 + (c - '0');
    }
    if (!ok) http::bad_request("malformed cursor: pass next_cursor from the previous page", {{"field", "cursor"}});
    f.after_sort_key = key;
    f.after_id = cursor->substr(sep + 1);
  }
  if (f.from_ms && f.to_ms && *f.to_ms <= *f.from_ms) http::bad_request("to must be after from", {{"field", "to"}});
  return f;
}

}  // namespace

void register_post_routes(http::Router& router, PublishingContext& ctx) {
  router.add(verb::post, "/api/v1/posts", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    PostInput in;
    in.brand_id = uuid_field("brand_id", body.required_string("brand_id", 36, 36));
    in.title = body.optional_string("title", 0, 500).value_or("");
    in.content_type =
        one_of("content_type", body.optional_string("content_type", 1, 40).value_or("news"), kContentTypes);
    in.form = one_of("form", body.optional_string("form", 1, 40).value_or("image_text"), kForms);
    if (auto c = body.optional_string("campaign_id", 36, 36)) in.campaign_id = uuid_field("campaign_id", *c);
    in.tags = body.string_array("tags", 50, 100);
    in.notes = body.optional_string("notes", 0, 10000).value_or("");
    in.sensitive = body.optional_bool("sensitive").value_or(false);
    in.crisis_statement = body.optional_bool("crisis_statement").value_or(false);
    auto variants = body.optional_raw("variants");
    if (!variants) http::invalid_field("variants", "required: one entry per account");
    in.variants = read_variants(*variants);
    in.slot = read_slot(body, false);
    body.finish();
    auto v = co_await ctx.blocking.run([&] { return ctx.posts.create(p, in); });
    co_return co_await post_response(req, 201, v);
  }));

  router.add(verb::get, "/api/v1/posts", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto filter = filter_from(req);
    auto page = co_await ctx.blocking.run([&] { return ctx.posts.list(p, filter); });
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t i = 0; i < page.posts.size(); ++i) {
      const auto& post = page.posts[i];
      std::vector<std::string> states;
      for (const auto& t : page.targets[i]) states.push_back(t["state"].get<std::string>());
      items.push_back({{"id", post.id},
                       {"brand_id", post.brand_id},
                       {"title", post.title},
                       {"content_type", post.content_type},
                       {"form", post.form},
                       {"campaign_id", opt_json(post.campaign_id)},
                       {"tags", post.tags},
                       {"scheduled_at", opt_json(post.scheduled_at)},
                       {"zone", opt_json(post.zone)},
                       {"local_time", opt_json(post.local_wall)},
                       {"version", post.version},
                       {"status", aggregate_status(states)},
                       {"targets", page.targets[i]}});
    }
    nlohmann::json out = {{"items", items}};
    out["next_cursor"] = page.next_cursor ? nlohmann::json(*page.next_cursor) : nlohmann::json(nullptr);
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/posts/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto v = co_await ctx.blocking.run([&] { return ctx.posts.get(p, id); });
    co_return co_await post_response(req, 200, v);
  }));

  router.add(verb::patch, "/api/v1/posts/{id}", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto expected = iam::if_match_version(req);
    http::JsonBody body(req);
    PostChange c;
    c.title = body.optional_string("title", 0, 500);
    if (auto t = body.optional_string("content_type", 1, 40)) {
      c.content_type = one_of("content_type", *t, kContentTypes);
    }
    if (auto f = body.optional_string("form", 1, 40)) c.form = one_of("form", *f, kForms);
    if (body.has("campaign_id")) {
      c.set_campaign = true;
      if (auto v = body.optional_string("campaign_id", 36, 36)) c.campaign_id = uuid_field("campaign_id", *v);
    }
    c.tags = body.optional_string_array("tags", 50, 100);
    c.notes = body.optional_string("notes", 0, 10000);
    c.sensitive = body.optional_bool("sensitive");
    c.crisis_statement = body.optional_bool("crisis_statement");
    if (auto v = body.optional_raw("variants")) c.variants = read_variants(*v);
    if (body.has("scheduled_at") || body.has("zone")) {
      c.set_slot = true;
      c.slot = read_slot(body, false);
    }
    body.finish();
    auto v = co_await ctx.blocking.run([&] { return ctx.posts.edit(p, id, c, expected); });
    co_return co_await post_response(req, 200, v);
  }));

  router.add(verb::post, "/api/v1/posts/{id}/submit", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto v = co_await ctx.blocking.run([&] { return ctx.posts.submit(p, id); });
    co_return co_await post_response(req, 200, v);
  }));

  router.add(verb::post, "/api/v1/posts/{id}/decisions", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    http::JsonBody body(req);
    auto verdict_text = body.required_string("verdict", 1, 20);
    if (verdict_text != "approve" && verdict_text != "reject") {
      http::invalid_field("verdict", "must be approve or reject");
    }
    auto reason = body.optional_string("reason", 0, 5000).value_or("");
    auto stage = body.optional_string("stage", 1, 200);
    body.finish();
    auto verdict = verdict_text == "approve" ? Verdict::kApprove : Verdict::kReject;
    auto v = co_await ctx.blocking.run([&] { return ctx.posts.decide(p, id, verdict, reason, stage); });
    co_return co_await post_response(req, 200, v);
  }));

  router.add(verb::post, "/api/v1/posts/{id}/schedule", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    http::JsonBody body(req);
    auto slot = *read_slot(body, true);
    body.finish();
    auto v = co_await ctx.blocking.run([&] { return ctx.posts.schedule(p, id, slot); });
    co_return co_await post_response(req, 200, v);
  }));

  router.add(verb::post, "/api/v1/posts/{id}/cancel", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto v = co_await ctx.blocking.run([&] { return ctx.posts.cancel(p, id); });
    co_return co_await post_response(req, 200, v);
  }));

  router.add(verb::get, "/api/v1/posts/{id}/history", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    const auto& id = iam::uuid_param(req, "id");
    auto h = co_await ctx.blocking.run([&] { return ctx.posts.history(p, id); });
    co_return http::json_response(req, 200, h);
  }));
}

}  // namespace herald::publishing
