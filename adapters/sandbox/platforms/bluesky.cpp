// Bluesky (AT Protocol) emulator: the PDS's XRPC endpoints under /xrpc. Shapes from the lexicons and docs:
//   docs.bsky.app/docs/api/com-atproto-server-create-session, -refresh-session, -get-session
//   docs.bsky.app/docs/api/com-atproto-repo-create-record, -delete-record, -get-record, -upload-blob
//   docs.bsky.app/docs/api/com-atproto-repo-list-records, app-bsky-feed-get-posts,
//   docs.bsky.app/docs/api/app-bsky-feed-get-author-feed, app-bsky-notification-list-notifications,
//   app-bsky-actor-get-profile; docs.bsky.app/docs/advanced-guides/rate-limits (RateLimit-* headers, 429
//   RateLimitExceeded); XRPC errors are {"error": Name, "message": text}.
// Sessions use app passwords: identifier = the handle (with or without ".bsky.social"), password = the
// sandbox client secret. accessJwt/refreshJwt are JWT-shaped (header.payload.opaque); only the opaque part is
// checked. The rkey given to createRecord is Bluesky's own idempotency field: a second create at the same
// rkey is refused and creates nothing. Not emulated (README TODO): atproto OAuth (PAR + DPoP), chat.bsky DMs,
// the firehose (no webhooks: generated items are delivered by polling).
#include "adapters/sandbox/platforms/bluesky.hpp"

#include <algorithm>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "bluesky";
constexpr char kPost[] = "app.bsky.feed.post";
constexpr char kSuffix[] = ".bsky.social";
constexpr char kBase32Sort[] = "234567abcdefghijklmnopqrstuvwxyz";

std::string format_did(std::uint64_t n) {
  std::string s(24, 'a');
  for (std::size_t i = 24; i-- > 0 && n > 0; n >>= 5) s[i] = kBase32Sort[n & 31];
  return "did:plc:" + s;
}

// A record key in TID form (13 base32-sortable characters), increasing with n.
std::string tid(std::uint64_t n) {
  std::uint64_t v = ((1700000000000000ULL + n) << 10) & 0x7FFFFFFFFFFFFFFFULL;
  std::string s(13, '2');
  for (std::size_t i = 13; i-- > 0; v >>= 5) s[i] = kBase32Sort[v & 31];
  return s;
}

std::string strip_suffix(const std::string& handle) {
  std::string h = lower(handle);
  if (h.size() > sizeof(kSuffix) - 1 && h.compare(h.size() - (sizeof(kSuffix) - 1), std::string::npos, kSuffix) == 0) {
    return handle.substr(0, handle.size() - (sizeof(kSuffix) - 1));
  }
  return handle;
}

std::string jwt(const std::string& scope, const std::string& did, std::int64_t iat, std::int64_t exp,
                const std::string& opaque) {
  namespace c = core::crypto;
  nlohmann::json header = {{"typ", "at+jwt"}, {"alg", "HS256"}};
  nlohmann::json payload = {{"scope", scope}, {"sub", did}, {"iat", iat}, {"exp", exp}};
  return c::base64url_encode(header.dump()) + "." + c::base64url_encode(payload.dump()) + "." + opaque;
}

std::string opaque_part(const std::string& token) {
  auto dot = token.rfind('.');
  return dot == std::string::npos ? token : token.substr(dot + 1);
}

}  // namespace

BlueskyPlatform::BlueskyPlatform(Context& ctx) : Platform(kPlatform, "Bluesky", ctx) {}

Account BlueskyPlatform::account_for_handle(const std::string& handle) {
  return ctx_.store.ensure_account(kPlatform, strip_suffix(handle), format_did);
}

http::Response BlueskyPlatform::error_response(const http::Request& req, int status, const std::string& message) {
  if (status == 404 && starts_with(message, "no such endpoint")) {
    return json(req, 501, {{"error", "MethodNotImplemented"}, {"message", "Method Not Implemented"}});
  }
  std::string error = status == 401                    ? "AuthenticationRequired"
                      : status == 400 || status == 422 ? "InvalidRequest"
                      : status == 413                  ? "PayloadTooLarge"
                                                       : "InternalServerError";
  if (status == 502 || status == 503 || status == 504) error = "UpstreamFailure";
  return json(req, status == 422 ? 400 : status, {{"error", error}, {"message", message}});
}

void BlueskyPlatform::fail(const http::Request& req, int status, const std::string& error, const std::string& message) {
  throw ErrorResponse(json(req, status, {{"error", error}, {"message", message}}));
}

http::Response BlueskyPlatform::rate_limit_response(const http::Request& req) {
  auto now = ctx_.clock.now();
  auto s = rate_windows_.exhaust(bearer_token(req).value_or(req.remote_address), 3000, std::chrono::minutes(5), now);
  auto res = json(req, 429, {{"error", "RateLimitExceeded"}, {"message", "Rate Limit Exceeded"}});
  res.set("RateLimit-Limit", std::to_string(s.limit));
  res.set("RateLimit-Remaining", "0");
  res.set("RateLimit-Reset", std::to_string(unix_seconds(s.reset)));
  res.set("RateLimit-Policy", "3000;w=300");
  return res;
}

void BlueskyPlatform::decorate(const http::Request& req, http::Response& res, const std::string& /*route*/) {
  if (res.result_int() == 429) return;
  auto s = rate_windows_.hit(bearer_token(req).value_or(req.remote_address), 3000, std::chrono::minutes(5),
                             ctx_.clock.now());
  res.set("RateLimit-Limit", std::to_string(s.limit));
  res.set("RateLimit-Remaining", std::to_string(s.remaining));
  res.set("RateLimit-Reset", std::to_string(unix_seconds(s.reset)));
  res.set("RateLimit-Policy", "3000;w=300");
}

Account BlueskyPlatform::require_session(const http::Request& req) {
  auto token = bearer_token(req);
  if (!token) fail(req, 401, "AuthMissing", "Authentication Required");
  auto check = ctx_.oauth.check(kPlatform, opaque_part(*token));
  if (check.state == TokenState::expired) fail(req, 400, "ExpiredToken", "Token has expired");
  if (check.state != TokenState::valid) fail(req, 400, "InvalidToken", "Token could not be verified");
  auto a = ctx_.store.account(kPlatform, check.account_id);
  if (!a) fail(req, 400, "InvalidToken", "Token could not be verified");
  return *a;
}

http::Response BlueskyPlatform::session_document(const http::Request& req, const Account& a, const Token& t) {
  auto iat = unix_seconds(t.issued_at);
  return json(req, 200,
              {{"accessJwt", jwt("com.atproto.appPass", a.id, iat, unix_seconds(t.expires_at), t.access_token)},
               {"refreshJwt", jwt("com.atproto.refresh", a.id, iat, iat + 90 * 86400, t.refresh_token)},
               {"handle", a.handle + kSuffix},
               {"did", a.id},
               {"active", true}});
}

Account BlueskyPlatform::resolve_actor(const http::Request& req, const std::string& actor) {
  auto a = starts_with(actor, "did:") ? ctx_.store.account(kPlatform, actor)
                                      : ctx_.store.account_by_handle(kPlatform, strip_suffix(actor));
  if (!a) fail(req, 400, "InvalidRequest", "Profile not found");
  return *a;
}

std::string BlueskyPlatform::uri_of(const Item& it) const { return "at://" + it.id; }

std::string BlueskyPlatform::cid_of(const Item& it) {
  // A CIDv1 (dag-cbor, sha-256) look-alike, stable for the record.
  std::string digest = core::crypto::sha256_hex(it.id + "\n" + it.text);
  std::string out = "bafyrei";
  for (std::size_t i = 0; i < 52; ++i) out += kBase32Sort[static_cast<unsigned char>(digest[i % 64]) % 32];
  return out;
}

nlohmann::json BlueskyPlatform::record_of(const Item& it) const {
  if (it.extra.contains("record")) return it.extra["record"];
  nlohmann::json r = {{"$type", kPost}, {"text", it.text}, {"createdAt", iso8601_ms(it.created_at)}};
  if (!it.language.empty()) r["langs"] = {it.language};
  if (!it.in_reply_to_id.empty()) {
    auto parent = ctx_.store.item(kPlatform, it.in_reply_to_id);
    auto root = ctx_.store.item(kPlatform, it.root_id);
    if (parent && root) {
      r["reply"] = {{"root", {{"uri", uri_of(*root)}, {"cid", cid_of(*root)}}},
                    {"parent", {{"uri", uri_of(*parent)}, {"cid", cid_of(*parent)}}}};
    }
  }
  return r;
}

nlohmann::json BlueskyPlatform::profile_basic(const Account& a) const {
  return {{"did", a.id},
          {"handle", a.handle + kSuffix},
          {"displayName", a.display_name},
          {"labels", nlohmann::json::array()},
          {"createdAt", iso8601_ms(a.created_at)}};
}

nlohmann::json BlueskyPlatform::post_view(const Item& it) const {
  auto author = ctx_.store.account(kPlatform, it.author_id);
  auto now = ctx_.clock.now();
  auto replies = ctx_.store.items(
      kPlatform, [&](const Item& r) { return r.in_reply_to_id == it.id && !r.deleted && r.visible_at <= now; });
  return {{"uri", uri_of(it)},
          {"cid", cid_of(it)},
          {"author", author ? profile_basic(*author) : nlohmann::json(nullptr)},
          {"record", record_of(it)},
          {"replyCount", replies.size()},
          {"repostCount", 0},
          {"likeCount", 0},
          {"quoteCount", 0},
          {"indexedAt", iso8601_ms(it.visible_at)},
          {"labels", nlohmann::json::array()}};
}

void BlueskyPlatform::add_routes() {
  route(Verb::post, "/xrpc/com.atproto.server.createSession", [this](http::Request& req, Call&) {
    auto p = Params::from_request(req);
    auto identifier = p.get_or("identifier", "");
    if (identifier.empty() || p.get_or("password", "") != client_secret()) {
      fail(req, 401, "AuthenticationRequired", "Invalid identifier or password");
    }
    auto a = starts_with(identifier, "did:") ? ctx_.store.account(kPlatform, identifier)
                                             : std::optional<Account>(account_for_handle(identifier));
    if (!a) fail(req, 401, "AuthenticationRequired", "Invalid identifier or password");
    return session_document(req, *a, ctx_.oauth.issue(kPlatform, a->id, client_id(), "com.atproto.appPass", true));
  });
  route(Verb::post, "/xrpc/com.atproto.server.refreshSession", [this](http::Request& req, Call&) {
    auto token = bearer_token(req);
    if (!token) fail(req, 401, "AuthMissing", "Authentication Required");
    auto r = ctx_.oauth.refresh(kPlatform, opaque_part(*token), client_id());
    if (r.error != GrantError::none) fail(req, 400, "ExpiredToken", "Token has been revoked");
    return session_document(req, *ctx_.store.account(kPlatform, r.token.account_id), r.token);
  });
  route(Verb::get, "/xrpc/com.atproto.server.getSession", [this](http::Request& req, Call&) {
    auto a = require_session(req);
    return json(req, 200, {{"handle", a.handle + kSuffix}, {"did", a.id}, {"active", true}});
  });
  route(Verb::post, "/xrpc/com.atproto.server.deleteSession", [this](http::Request& req, Call&) {
    if (auto token = bearer_token(req)) ctx_.oauth.revoke(kPlatform, opaque_part(*token));
    return json(req, 200, nlohmann::json::object());
  });
  route(Verb::get, "/xrpc/app.bsky.actor.getProfile", [this](http::Request& req, Call&) {
    require_session(req);
    auto a = resolve_actor(req, req.query_param("actor").value_or(""));
    auto j = profile_basic(a);
    j["postsCount"] = ctx_.store.live_items_of(kPlatform, a.id).count;
    j["followersCount"] = 0;
    j["followsCount"] = 0;
    return json(req, 200, j);
  });
  route(Verb::post, "/xrpc/com.atproto.repo.createRecord",
        [this](http::Request& req, Call& call) { return create_record(req, call); });
  route(Verb::post, "/xrpc/com.atproto.repo.deleteRecord", [this](http::Request& req, Call&) {
    auto me = require_session(req);
    auto p = Params::from_request(req);
    auto repo = resolve_actor(req, p.get_or("repo", ""));
    if (repo.id != me.id) fail(req, 401, "AuthenticationRequired", "Invalid repo");
    auto id = me.id + "/" + p.get_or("collection", "") + "/" + p.get_or("rkey", "");
    ctx_.store.update_item(kPlatform, id, [](Item& x) { x.deleted = true; });  // deleting nothing is fine
    return json(req, 200, {{"commit", {{"cid", cid_of(Item{})}, {"rev", tid(ctx_.store.next_number(kPlatform))}}}});
  });
  route(Verb::get, "/xrpc/com.atproto.repo.getRecord", [this](http::Request& req, Call&) {
    auto repo = resolve_actor(req, req.query_param("repo").value_or(""));
    auto id = repo.id + "/" + req.query_param("collection").value_or("") + "/" + req.query_param("rkey").value_or("");
    auto it = ctx_.store.item(kPlatform, id);
    if (!it || it->deleted || it->visible_at > ctx_.clock.now()) {
      fail(req, 400, "RecordNotFound", "Could not locate record: at://" + id);
    }
    return json(req, 200, {{"uri", uri_of(*it)}, {"cid", cid_of(*it)}, {"value", record_of(*it)}});
  });
  route(Verb::post, "/xrpc/com.atproto.repo.uploadBlob", [this](http::Request& req, Call&) {
    auto me = require_session(req);
    Media m;
    m.platform = kPlatform;
    m.owner_id = me.id;
    m.content_type = std::string(req.header("Content-Type").value_or("application/octet-stream"));
    m.size = req.raw.body().size();
    auto stored = ctx_.store.add_media(m, [](std::uint64_t n) { return "blob" + std::to_string(n); });
    Item fake;
    fake.id = stored.id;
    return json(req, 200,
                {{"blob",
                  {{"$type", "blob"},
                   {"ref", {{"$link", cid_of(fake)}}},
                   {"mimeType", stored.content_type},
                   {"size", stored.size}}}});
  });
  route(Verb::get, "/xrpc/com.atproto.repo.listRecords", [this](http::Request& req, Call&) {
    auto repo = resolve_actor(req, req.query_param("repo").value_or(""));
    auto collection = req.query_param("collection").value_or("");
    if (collection.empty()) fail(req, 400, "InvalidRequest", "Error: Params must have the property \"collection\"");
    std::uint64_t limit = 50;
    if (auto l = req.query_param("limit"); l && (!parse_u64(*l, limit) || limit < 1 || limit > 100)) {
      fail(req, 400, "InvalidRequest", "limit must be between 1 and 100");
    }
    auto cursor = req.query_param("cursor").value_or("");
    bool reverse = req.query_param("reverse").value_or("false") == "true";
    auto now = ctx_.clock.now();
    std::string prefix = repo.id + "/" + collection + "/";
    auto records = ctx_.store.items(
        kPlatform, [&](const Item& it) { return starts_with(it.id, prefix) && !it.deleted && it.visible_at <= now; });
    // Ordered by record key: newest first, oldest first with reverse=true; the cursor is the last rkey.
    std::sort(records.begin(), records.end(),
              [&](const Item& a, const Item& b) { return reverse ? a.id < b.id : a.id > b.id; });
    nlohmann::json list = nlohmann::json::array();
    nlohmann::json out = nlohmann::json::object();
    for (const auto& it : records) {
      std::string rkey = it.id.substr(prefix.size());
      if (!cursor.empty() && (reverse ? rkey <= cursor : rkey >= cursor)) continue;
      if (list.size() == limit) {
        out["cursor"] = list.back()["uri"].get<std::string>().substr(5 + prefix.size());
        break;
      }
      list.push_back({{"uri", uri_of(it)}, {"cid", cid_of(it)}, {"value", record_of(it)}});
    }
    out["records"] = list;
    return json(req, 200, out);
  });
  route(Verb::get, "/xrpc/app.bsky.feed.getPosts", [this](http::Request& req, Call&) {
    require_session(req);
    // uris is repeated (uris=a&uris=b): read it from the raw query.
    std::vector<std::string> uris;
    std::string target(req.raw.target());
    auto q = target.find('?');
    for (std::size_t at = q == std::string::npos ? target.size() : q + 1; at < target.size();) {
      auto end = std::min(target.find('&', at), target.size());
      auto pair = target.substr(at, end - at);
      at = end + 1;
      if (starts_with(pair, "uris=")) uris.push_back(http::url_decode(pair.substr(5), true));
    }
    if (uris.empty()) fail(req, 400, "InvalidRequest", "Error: Params must have the property \"uris\"");
    if (uris.size() > 25) fail(req, 400, "InvalidRequest", "Error: uris must not have more than 25 elements");
    nlohmann::json posts = nlohmann::json::array();
    auto now = ctx_.clock.now();
    for (const auto& uri : uris) {
      auto it = ctx_.store.item(kPlatform, starts_with(uri, "at://") ? uri.substr(5) : uri);
      if (it && !it->deleted && it->visible_at <= now) posts.push_back(post_view(*it));  // missing ones are left out
    }
    return json(req, 200, {{"posts", posts}});
  });
  route(Verb::get, "/xrpc/app.bsky.feed.getAuthorFeed", [this](http::Request& req, Call&) {
    require_session(req);
    auto actor = resolve_actor(req, req.query_param("actor").value_or(""));
    std::uint64_t limit = 50, cursor = 0;
    if (auto l = req.query_param("limit"); l && (!parse_u64(*l, limit) || limit < 1 || limit > 100)) {
      fail(req, 400, "InvalidRequest", "limit must be between 1 and 100");
    }
    if (auto c = req.query_param("cursor"); c && !c->empty() && !parse_u64(*c, cursor)) {
      fail(req, 400, "InvalidRequest", "malformed cursor");
    }
    auto now = ctx_.clock.now();
    auto posts = ctx_.store.items(kPlatform, [&](const Item& it) {
      return it.author_id == actor.id && !it.deleted && it.visible_at <= now &&
             it.extra.value("collection", kPost) == kPost && (cursor == 0 || it.seq < cursor);
    });
    std::reverse(posts.begin(), posts.end());
    nlohmann::json feed = nlohmann::json::array();
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t i = 0; i < posts.size() && i < limit; ++i) feed.push_back({{"post", post_view(posts[i])}});
    if (posts.size() > limit) out["cursor"] = std::to_string(posts[limit - 1].seq);
    out["feed"] = feed;
    return json(req, 200, out);
  });
  route(Verb::get, "/xrpc/app.bsky.notification.listNotifications", [this](http::Request& req, Call&) {
    auto me = require_session(req);
    std::uint64_t limit = 50, cursor = 0;
    if (auto l = req.query_param("limit"); l && (!parse_u64(*l, limit) || limit < 1 || limit > 100)) {
      fail(req, 400, "InvalidRequest", "limit must be between 1 and 100");
    }
    if (auto c = req.query_param("cursor"); c && !c->empty() && !parse_u64(*c, cursor)) {
      fail(req, 400, "InvalidRequest", "malformed cursor");
    }
    auto all = ctx_.store.notifications(kPlatform, me.id);
    std::reverse(all.begin(), all.end());
    nlohmann::json list = nlohmann::json::array();
    nlohmann::json out = nlohmann::json::object();
    std::size_t taken = 0;
    for (const auto& n : all) {
      if (cursor != 0 && n.seq >= cursor) continue;
      auto it = ctx_.store.item(kPlatform, n.item_id);
      auto from = ctx_.store.account(kPlatform, n.from_account_id);
      if (!it || it->deleted || !from) continue;
      if (taken == limit) {
        out["cursor"] = std::to_string(n.seq + 1);
        break;
      }
      nlohmann::json j = {{"uri", uri_of(*it)},
                          {"cid", cid_of(*it)},
                          {"author", profile_basic(*from)},
                          {"reason", n.type},
                          {"record", record_of(*it)},
                          {"isRead", false},
                          {"indexedAt", iso8601_ms(n.visible_at)},
                          {"labels", nlohmann::json::array()}};
      if (n.type == "reply") j["reasonSubject"] = "at://" + it->in_reply_to_id;
      list.push_back(j);
      ++taken;
    }
    out["notifications"] = list;
    return json(req, 200, out);
  });
}

http::Response BlueskyPlatform::create_record(http::Request& req, Call& call) {
  auto me = require_session(req);
  auto p = Params::from_request(req);
  const auto& body = p.json();
  if (!body.is_object() || !body.contains("record") || !body["record"].is_object()) {
    fail(req, 400, "InvalidRequest", "Input must have the property \"record\"");
  }
  auto repo = resolve_actor(req, p.get_or("repo", ""));
  if (repo.id != me.id) fail(req, 401, "AuthenticationRequired", "Invalid repo");
  auto collection = p.get_or("collection", "");
  if (collection.empty()) fail(req, 400, "InvalidRequest", "Input must have the property \"collection\"");
  const auto& record = body["record"];
  Item it;
  it.platform = kPlatform;
  it.author_id = me.id;
  it.text = record.value("text", "");
  it.extra = {{"collection", collection}, {"record", record}};
  if (collection == kPost && record.contains("reply") && record["reply"].is_object()) {
    auto parent_uri = record["reply"].value("parent", nlohmann::json::object()).value("uri", "");
    auto parent = ctx_.store.item(kPlatform, starts_with(parent_uri, "at://") ? parent_uri.substr(5) : parent_uri);
    if (!parent || parent->deleted) fail(req, 400, "InvalidRequest", "Reply parent not found: " + parent_uri);
    it.in_reply_to_id = parent->id;
    it.root_id = parent->root_id;
  }
  if (record.contains("langs") && record["langs"].is_array() && !record["langs"].empty()) {
    it.language = record["langs"][0].get<std::string>();
  }
  std::string rkey = p.get_or("rkey", "");
  if (!rkey.empty()) {
    call.idempotency_key = rkey;  // Bluesky's own idempotency field
    if (ctx_.store.item(kPlatform, me.id + "/" + collection + "/" + rkey)) {
      fail(req, 400, "InvalidRequest", "Record already exists at " + collection + "/" + rkey);
    }
  }
  std::string prefix = me.id + "/" + collection + "/";
  auto created =
      ctx_.store.create_item(it, [&](std::uint64_t n) { return prefix + (rkey.empty() ? tid(n) : rkey); }).item;
  if (!created.in_reply_to_id.empty()) {
    auto parent = ctx_.store.item(kPlatform, created.in_reply_to_id);
    if (parent && parent->author_id != me.id) {
      ctx_.store.add_notification({kPlatform, "", parent->author_id, "reply", created.id, me.id, created.visible_at, 0},
                                  [](std::uint64_t n) { return std::to_string(n); });
    }
  }
  return json(req, 200,
              {{"uri", uri_of(created)},
               {"cid", cid_of(created)},
               {"commit", {{"cid", cid_of(created)}, {"rev", tid(created.seq)}}},
               {"validationStatus", "valid"}});
}

GenerateResult BlueskyPlatform::generate(const GenerateRequest& r) {
  if (r.kind == EventKind::dm) core::http::invalid_field("kind", "bluesky DMs (chat.bsky) are not emulated yet");
  GenerateResult result;
  auto target = account_for_handle(r.handle);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto author = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_did, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = author.id;
    it.language = ev.language;
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    std::string type = "reply";
    if (r.kind == EventKind::comment) {
      it.text = ev.text;
      auto posts = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.author_id == target.id && x.in_reply_to_id.empty() && !x.deleted &&
               x.extra.value("collection", kPost) == kPost;
      });
      if (posts.empty()) {
        Item seed;
        seed.platform = kPlatform;
        seed.author_id = target.id;
        seed.text = "Hello from the Herald sandbox!";
        seed.generated = true;
        std::string sp = target.id + "/" + kPost + "/";
        posts.push_back(ctx_.store.create_item(seed, [&](std::uint64_t n) { return sp + tid(n); }).item);
      }
      it.in_reply_to_id = posts.back().id;
      it.root_id = posts.back().root_id;
    } else {
      type = "mention";
      it.text = "@" + target.handle + kSuffix + " " + ev.text;
      it.mention_ids = {target.id};
    }
    std::string prefix = author.id + "/" + kPost + "/";
    auto created = ctx_.store.create_item(it, [&](std::uint64_t n) { return prefix + tid(n); }).item;
    ctx_.store.add_notification({kPlatform, "", target.id, type, created.id, author.id, created.visible_at, 0},
                                [](std::uint64_t n) { return std::to_string(n); });
    if (result.first_id.empty()) result.first_id = uri_of(created);
    result.last_id = uri_of(created);
    ++result.generated;
  }
  return result;
}

}  // namespace herald::sandbox
