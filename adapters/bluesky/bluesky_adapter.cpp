// Bluesky / AT Protocol, as documented at docs.bsky.app and atproto.com:
//   Sessions         https://docs.bsky.app/docs/api/com-atproto-server-create-session, ...-refresh-session,
//   ...-delete-session Posting          https://docs.bsky.app/docs/advanced-guides/posts (record shape, facets, images,
//   replies) Records          https://docs.bsky.app/docs/api/com-atproto-repo-create-record, ...-delete-record,
//   ...-get-record,
//                    ...-list-records, https://docs.bsky.app/docs/api/com-atproto-repo-upload-blob
//   Feeds, profile   https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed, ...-get-posts,
//   app-bsky-actor-get-profile Notifications    https://docs.bsky.app/docs/api/app-bsky-notification-list-notifications
//   Errors           https://atproto.com/specs/xrpc (error bodies {"error","message"}; ExpiredToken, RateLimitExceeded)
//   Rate limits      https://docs.bsky.app/docs/advanced-guides/rate-limits (ratelimit-* headers, points per DID)
#include "adapters/bluesky/bluesky_adapter.hpp"

#include "herald/adapters/classify.hpp"
#include "herald/adapters/multipart.hpp"
#include "herald/adapters/support.hpp"
#include "services/core/crypto/encoding.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;

constexpr const char* kPost = "app.bsky.feed.post";
constexpr const char* kMarkerField = "heraldMarker";
constexpr std::int64_t kDefaultAccessLifetime = 2 * 3600;  // when the JWT cannot be read

Capabilities make_capabilities() {
  Capabilities c;
  c.platform = "bluesky";
  c.display_name = "Bluesky";
  c.counting = TextCounting::kCodePoints;  // 300 graphemes, approximated by code points
  c.max_text_length = 300;
  c.max_images = 4;
  c.max_image_bytes = 1000000;
  c.image_types = {"image/jpeg", "image/png", "image/webp", "image/gif"};
  c.can_delete = true;
  c.can_thread = true;
  c.can_first_comment = true;
  c.can_reply = true;
  c.has_metrics = true;
  c.supports_refresh = true;
  c.supports_revoke = true;
  c.publish_limit = {1666, 3600};  // 5,000 points per hour, 3 per created record
  c.app_limit = {3000, 5 * 60};    // per IP
  c.daily_post_cap = 11666;        // 35,000 points per day
  return c;
}

struct AtUri {
  std::string repo, collection, rkey;
};

// "at://did:plc:abc/app.bsky.feed.post/3k2a" -> its parts.
AtUri parse_at_uri(const std::string& uri) {
  AtUri u;
  std::string rest = uri.rfind("at://", 0) == 0 ? uri.substr(5) : uri;
  auto a = rest.find('/');
  u.repo = rest.substr(0, a);
  if (a == std::string::npos) return u;
  auto b = rest.find('/', a + 1);
  u.collection = rest.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  if (b != std::string::npos) u.rkey = rest.substr(b + 1);
  return u;
}

// The exp claim of a JWT, read without verifying it (the PDS verifies its own tokens).
std::optional<std::int64_t> jwt_expiry(const std::string& jwt) {
  auto a = jwt.find('.');
  auto b = jwt.find('.', a + 1);
  if (a == std::string::npos || b == std::string::npos) return std::nullopt;
  try {
    auto payload = parse_json(core::crypto::base64url_decode(jwt.substr(a + 1, b - a - 1)));
    if (!payload) return std::nullopt;
    return json_int(*payload, "exp");
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

// Link facets for every http(s) URL in the text; offsets are UTF-8 bytes.
json link_facets(const std::string& text) {
  json facets = json::array();
  for (std::size_t pos = 0; pos < text.size();) {
    auto start = std::min(text.find("https://", pos), text.find("http://", pos));
    if (start == std::string::npos) break;
    auto end = start;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t') ++end;
    while (end > start && std::string_view(".,;:!?)]\"'").find(text[end - 1]) != std::string_view::npos) --end;
    facets.push_back(
        {{"index", {{"byteStart", start}, {"byteEnd", end}}},
         {"features", {{{"$type", "app.bsky.richtext.facet#link"}, {"uri", text.substr(start, end - start)}}}}});
    pos = end + 1;
  }
  return facets;
}

class BlueskyAdapter final : public Adapter {
 public:
  BlueskyAdapter(Endpoint e, Clock clock)
      : Adapter(std::move(e)), clock_(std::move(clock)), caps_(make_capabilities()) {}

  const Capabilities& capabilities() const override { return caps_; }

  // No browser redirect: Herald asks for the handle and an app password (see the header).
  std::string authorize_url(const AuthorizeRequest&) const override { return ""; }

  Result<TokenSet> exchange_code(Transport& t, const std::string& app_password, const std::string& handle,
                                 const std::string&) override {
    auto r = call(
        t, xrpc_post("com.atproto.server.createSession", "", json{{"identifier", handle}, {"password", app_password}}),
        false);
    if (!r) {
      Error e = r.error();
      if (e.cls == ErrorClass::kAuthExpired) e.cls = ErrorClass::kRejected;  // a wrong handle or app password
      return e;
    }
    return session_of(*r);
  }

  Result<TokenSet> refresh(Transport& t, const TokenSet& current) override {
    auto r = call(t, xrpc_post("com.atproto.server.refreshSession", current.refresh_token, std::nullopt), false);
    if (!r) return r.error();
    return session_of(*r);
  }

  Result<Ok> revoke(Transport& t, const TokenSet& tokens) override {
    auto r = call(t, xrpc_post("com.atproto.server.deleteSession", tokens.refresh_token, std::nullopt), false);
    if (!r) return r.error();
    return Ok{};
  }

  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    auto r = call(t, xrpc_get("app.bsky.actor.getProfile", c.access_token, {{"actor", c.platform_account_id}}), false);
    if (!r) return r.error();
    AccountProfile p;
    p.platform_account_id = json_string(*r, "did");
    p.handle = json_string(*r, "handle");
    p.display_name = json_string(*r, "displayName");
    p.avatar_url = json_string(*r, "avatar");
    p.bio = json_string(*r, "description");
    p.verified = json_string(json_at(*r, "verification"), "verifiedStatus") == "valid";
    p.followers = json_int(*r, "followersCount");
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    json images = json::array();
    for (const auto& m : content.media) {
      if (m.kind != Media::Kind::kImage) {
        return Error{ErrorClass::kRejected, "unsupported_media", "Bluesky posts carry images only here", 0,
                     std::nullopt};
      }
      auto bytes = fetch_media(t, m, caps_.max_image_bytes);
      if (!bytes) return bytes.error();
      HttpRequest up{"POST",
                     xrpc_url("com.atproto.repo.uploadBlob"),
                     {{"Authorization", bearer(c.access_token)}, {"Content-Type", m.mime_type}},
                     std::move(*bytes)};
      auto blob = call(t, up, false);  // an unreferenced blob is garbage-collected: safe to retry
      if (!blob) return blob.error();
      json image{{"alt", m.alt_text}, {"image", json_at(*blob, "blob")}};
      if (m.width > 0 && m.height > 0) image["aspectRatio"] = {{"width", m.width}, {"height", m.height}};
      images.push_back(std::move(image));
    }
    json record = post_record(content.text);
    if (!images.empty()) {
      record["embed"] = {{"$type", "app.bsky.embed.images"}, {"images", images}};
    } else if (content.link) {
      record["embed"] = {
          {"$type", "app.bsky.embed.external"},
          {"external", {{"uri", *content.link}, {"title", content.title.value_or("")}, {"description", ""}}}};
    }
    if (!content.client_marker.empty()) record[kMarkerField] = content.client_marker;
    auto main = create_post(t, c, record);
    if (!main) return main.error();
    PublishedPost p;
    p.platform_post_id = json_string(*main, "uri");
    p.url = web_url(p.platform_post_id);
    json root = strong_ref(*main);
    json parent = root;
    for (const auto& part : content.thread) {
      json rec = post_record(part);
      rec["reply"] = {{"root", root}, {"parent", parent}};
      auto r = create_post(t, c, rec);
      if (!r) return p;  // the main post is live: report what exists
      parent = strong_ref(*r);
      p.thread_ids.push_back(json_string(*r, "uri"));
    }
    if (content.first_comment) {
      json rec = post_record(*content.first_comment);
      rec["reply"] = {{"root", root}, {"parent", root}};
      if (auto r = create_post(t, c, rec)) p.first_comment_id = json_string(*r, "uri");
    }
    return p;
  }

  // Deleting a record that is already gone succeeds, so a repeated delete is harmless.
  Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto u = parse_at_uri(post_id);
    auto r = call(t,
                  xrpc_post("com.atproto.repo.deleteRecord", c.access_token,
                            json{{"repo", c.platform_account_id}, {"collection", kPost}, {"rkey", u.rkey}}),
                  false);
    if (!r) return r.error();
    return Ok{};
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto u = parse_at_uri(post_id);
    auto r = call(t,
                  xrpc_get("com.atproto.repo.getRecord", c.access_token,
                           {{"repo", u.repo}, {"collection", kPost}, {"rkey", u.rkey}}),
                  false);
    if (!r) {
      if (r.error().code == "RecordNotFound") return std::optional<RemotePost>{};
      return r.error();
    }
    return std::optional<RemotePost>{remote_of(json_string(*r, "uri"), json_at(*r, "value"))};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    std::vector<std::pair<std::string, std::string>> q = {{"actor", c.platform_account_id}, {"limit", "50"}};
    if (!cursor.empty()) q.emplace_back("cursor", cursor);
    auto r = call(t, xrpc_get("app.bsky.feed.getAuthorFeed", c.access_token, q), false);
    if (!r) return r.error();
    Page<RemotePost> page;
    for (const auto& item : json_at(*r, "feed")) {
      const auto& post = json_at(item, "post");
      if (json_string(json_at(post, "author"), "did") != c.platform_account_id) continue;  // reposts of others
      page.items.push_back(remote_of(json_string(post, "uri"), json_at(post, "record")));
    }
    page.next_cursor = json_string(*r, "cursor");
    return page;
  }

  Result<std::optional<RemotePost>> find_by_marker(Transport& t, const Credentials& c,
                                                   const std::string& marker) override {
    if (marker.empty()) return std::optional<RemotePost>{};
    auto r = call(t,
                  xrpc_get("com.atproto.repo.listRecords", c.access_token,
                           {{"repo", c.platform_account_id}, {"collection", kPost}, {"limit", "50"}}),
                  false);
    if (!r) return r.error();
    for (const auto& rec : json_at(*r, "records")) {
      if (json_string(json_at(rec, "value"), kMarkerField) == marker) {
        return std::optional<RemotePost>{remote_of(json_string(rec, "uri"), json_at(rec, "value"))};
      }
    }
    return std::optional<RemotePost>{};
  }

  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    if (kind == InboundKind::kDirectMessage) return unsupported("Bluesky direct messages");
    std::vector<std::pair<std::string, std::string>> q = {{"limit", "50"}};
    if (kind == InboundKind::kComment) {
      q.emplace_back("reasons", "reply");
    } else {
      q.emplace_back("reasons", "mention");
      q.emplace_back("reasons", "quote");
    }
    auto r = call(t, xrpc_get("app.bsky.notification.listNotifications", c.access_token, q), false);
    if (!r) return r.error();
    Page<InboundItem> page;
    page.next_cursor = cursor;
    for (const auto& n : json_at(*r, "notifications")) {
      std::string reason = json_string(n, "reason");
      bool wanted = kind == InboundKind::kComment ? reason == "reply" : (reason == "mention" || reason == "quote");
      std::string indexed = json_string(n, "indexedAt");  // RFC 3339 from one server: compares as text
      if (!wanted || (!cursor.empty() && indexed <= cursor)) continue;
      if (indexed > page.next_cursor) page.next_cursor = indexed;
      const auto& record = json_at(n, "record");
      const auto& author = json_at(n, "author");
      InboundItem item;
      item.kind = kind;
      item.platform_item_id = json_string(n, "uri");
      const auto& reply = json_at(record, "reply");
      item.platform_post_id = json_string(json_at(reply, "root"), "uri");
      if (item.platform_post_id.empty()) item.platform_post_id = item.platform_item_id;
      std::string parent = json_string(json_at(reply, "parent"), "uri");
      if (parent != item.platform_post_id) item.parent_id = parent;
      item.author_id = json_string(author, "did");
      item.author_handle = json_string(author, "handle");
      item.author_name = json_string(author, "displayName");
      item.author_verified = json_string(json_at(author, "verification"), "verifiedStatus") == "valid";
      item.text = json_string(record, "text");
      item.created_at = parse_time(json_string(record, "createdAt")).value_or(parse_time(indexed).value_or(0));
      page.items.push_back(std::move(item));
    }
    return page;
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string&) override {
    auto posts = call(t, xrpc_get("app.bsky.feed.getPosts", c.access_token, {{"uris", to.platform_item_id}}), false);
    if (!posts) return posts.error();
    const auto& list = json_at(*posts, "posts");
    if (!list.is_array() || list.empty()) {
      return Error{ErrorClass::kRejected, "NotFound", "the post to reply to is gone", 0, std::nullopt};
    }
    json parent = strong_ref(list[0]);
    json root = json_at(json_at(json_at(list[0], "record"), "reply"), "root");
    if (!root.is_object()) root = parent;
    json rec = post_record(text);
    rec["reply"] = {{"root", {{"uri", json_string(root, "uri")}, {"cid", json_string(root, "cid")}}},
                    {"parent", parent}};
    auto r = create_post(t, c, rec);
    if (!r) return r.error();
    return json_string(*r, "uri");
  }

  Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t, xrpc_get("app.bsky.feed.getPosts", c.access_token, {{"uris", post_id}}), false);
    if (!r) return r.error();
    const auto& list = json_at(*r, "posts");
    if (!list.is_array() || list.empty()) {
      return Error{ErrorClass::kRejected, "NotFound", "no such post", 0, std::nullopt};
    }
    PostMetrics m;
    m.likes = json_int(list[0], "likeCount");
    m.comments = json_int(list[0], "replyCount");
    auto reposts = json_int(list[0], "repostCount");
    auto quotes = json_int(list[0], "quoteCount");
    if (reposts || quotes) m.shares = reposts.value_or(0) + quotes.value_or(0);
    return m;
  }

 private:
  std::string xrpc_url(const std::string& nsid) const { return endpoint_.base_url + "/xrpc/" + nsid; }

  HttpRequest xrpc_get(const std::string& nsid, const std::string& token,
                       const std::vector<std::pair<std::string, std::string>>& query) const {
    HttpRequest r{"GET", xrpc_url(nsid) + (query.empty() ? "" : "?" + form_encode(query)), {}, {}};
    if (!token.empty()) r.headers.emplace_back("Authorization", bearer(token));
    return r;
  }
  HttpRequest xrpc_post(const std::string& nsid, const std::string& token, const std::optional<json>& body) const {
    HttpRequest r{"POST", xrpc_url(nsid), {}, body ? body->dump() : ""};
    if (body) r.headers.emplace_back("Content-Type", "application/json");
    if (!token.empty()) r.headers.emplace_back("Authorization", bearer(token));
    return r;
  }

  Error error_of(const HttpResponse& r, bool mutating) const {
    std::string code, message;
    if (auto j = parse_json(r.body); j && j->is_object()) {
      code = json_string(*j, "error");
      message = json_string(*j, "message");
    }
    Error e = classify_http(r, mutating, code, message, "ratelimit-reset", clock_.now());
    if (code == "ExpiredToken" || code == "InvalidToken") e.cls = ErrorClass::kAuthExpired;  // sent as 400
    if (code == "RateLimitExceeded") e.cls = ErrorClass::kRateLimited;
    return e;
  }

  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const {
    auto r = t.send(req);
    if (r.transport_error || r.status < 200 || r.status >= 300) return error_of(r, mutating);
    if (r.body.empty()) return json::object();
    auto j = parse_json(r.body);
    if (!j)
      return Error{ErrorClass::kRetryable, "malformed", "the PDS answered with a body that is not JSON", r.status,
                   std::nullopt};
    return *j;
  }

  json post_record(const std::string& text) const {
    json rec{{"$type", kPost}, {"text", text}, {"createdAt", format_time(clock_.now())}};
    if (auto facets = link_facets(text); !facets.empty()) rec["facets"] = std::move(facets);
    return rec;
  }

  Result<json> create_post(Transport& t, const Credentials& c, const json& record) {
    auto r = call(t,
                  xrpc_post("com.atproto.repo.createRecord", c.access_token,
                            json{{"repo", c.platform_account_id}, {"collection", kPost}, {"record", record}}),
                  true);
    if (r && json_string(*r, "uri").empty()) {
      return Error{ErrorClass::kUnknownOutcome, "malformed", "no record uri in the answer", 0, std::nullopt};
    }
    return r;
  }

  Result<TokenSet> session_of(const json& s) const {
    TokenSet ts;
    ts.access_token = json_string(s, "accessJwt");
    ts.refresh_token = json_string(s, "refreshJwt");
    ts.platform_account_id = json_string(s, "did");
    if (ts.access_token.empty()) return Error{ErrorClass::kRejected, "malformed", "no accessJwt", 0, std::nullopt};
    ts.expires_at = jwt_expiry(ts.access_token).value_or(clock_.now() + kDefaultAccessLifetime);
    return ts;
  }

  static json strong_ref(const json& j) { return {{"uri", json_string(j, "uri")}, {"cid", json_string(j, "cid")}}; }

  static std::string web_url(const std::string& uri) {
    auto u = parse_at_uri(uri);
    return "https://bsky.app/profile/" + u.repo + "/post/" + u.rkey;
  }

  static RemotePost remote_of(const std::string& uri, const json& record) {
    RemotePost p;
    p.platform_post_id = uri;
    p.text = json_string(record, "text");
    p.url = web_url(uri);
    p.created_at = parse_time(json_string(record, "createdAt")).value_or(0);
    return p;
  }

  Clock clock_;
  Capabilities caps_;
};

}  // namespace

std::unique_ptr<Adapter> make_bluesky_adapter(Endpoint endpoint) {
  return make_bluesky_adapter(std::move(endpoint), system_clock());
}

std::unique_ptr<Adapter> make_bluesky_adapter(Endpoint endpoint, Clock clock) {
  return std::make_unique<BlueskyAdapter>(std::move(endpoint), std::move(clock));
}

}  // namespace herald::adapters
