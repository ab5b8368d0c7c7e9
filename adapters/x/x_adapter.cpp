// X API v2, as documented at docs.x.com:
//   OAuth 2.0 + PKCE     https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token
//   Posts                https://docs.x.com/x-api/posts/create-post (POST /2/tweets), delete-post, get-post-by-id
//   Timelines, mentions  https://docs.x.com/x-api/users/get-posts, https://docs.x.com/x-api/users/get-mentions
//   Direct messages      https://docs.x.com/x-api/direct-messages/get-dm-events, create-dm-message-by-participant-id
//   Hide replies         https://docs.x.com/x-api/posts/hide-reply
//   Media                https://docs.x.com/x-api/media/quickstart/media-upload-chunked, .../best-practices
//   Webhooks (AAA, CRC)  https://docs.x.com/x-api/webhooks/introduction
//   Rate limits          https://docs.x.com/x-api/fundamentals/rate-limits (x-rate-limit-*, x-user-limit-24hour-*)
#include "adapters/x/x_adapter.hpp"

#include <map>

#include "herald/adapters/classify.hpp"
#include "herald/adapters/marker.hpp"
#include "herald/adapters/multipart.hpp"
#include "herald/adapters/support.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;

constexpr std::size_t kChunkBytes = 4 * 1024 * 1024;  // APPEND segments
constexpr int kMaxStatusPolls = 60;
constexpr const char* kTweetFields = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets";

Capabilities make_capabilities() {
  Capabilities c;
  c.platform = "x";
  c.display_name = "X";
  c.counting = TextCounting::kTwitterWeighted;
  c.max_text_length = 280;
  c.max_images = 4;  // or 1 GIF, or 1 video
  c.max_videos = 1;
  c.max_image_bytes = 5 * 1024 * 1024;
  c.max_video_bytes = 512LL * 1024 * 1024;
  c.max_video_duration_s = 140;
  c.image_types = {"image/jpeg", "image/png", "image/gif", "image/webp"};
  c.video_types = {"video/mp4", "video/quicktime"};
  c.can_delete = true;
  c.can_thread = true;
  c.can_first_comment = true;
  c.can_reply = true;
  c.can_dm = true;
  c.can_hide_comment = true;
  c.has_webhooks = true;
  c.has_metrics = true;
  c.supports_pkce = true;
  c.supports_refresh = true;
  c.supports_revoke = true;
  c.required_scopes = {"tweet.read",  "tweet.write", "users.read", "offline.access",
                       "media.write", "dm.read",     "dm.write",   "tweet.moderate.write"};
  c.publish_limit = {100, 15 * 60};  // POST /2/tweets per user
  c.app_limit = {10000, 24 * 3600};  // POST /2/tweets per app
  c.daily_post_cap = 2400;           // X's account-wide daily post limit
  return c;
}

// Snowflake ids: numeric strings, compared without overflow.
bool id_newer(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() > b.size();
  return a > b;
}

struct UserInfo {
  std::string handle, name;
  bool verified = false;
};

std::map<std::string, UserInfo> users_of(const json& body) {
  std::map<std::string, UserInfo> out;
  for (const auto& u : json_at(json_at(body, "includes"), "users")) {
    out[json_string(u, "id")] = {json_string(u, "username"), json_string(u, "name"), json_bool(u, "verified")};
  }
  return out;
}

class XAdapter final : public Adapter {
 public:
  XAdapter(Endpoint e, Clock clock) : Adapter(std::move(e)), clock_(std::move(clock)), caps_(make_capabilities()) {}

  const Capabilities& capabilities() const override { return caps_; }

  std::string authorize_url(const AuthorizeRequest& r) const override {
    std::string scopes;
    for (const auto& s : r.scopes.empty() ? caps_.required_scopes : r.scopes) scopes += (scopes.empty() ? "" : " ") + s;
    std::vector<std::pair<std::string, std::string>> q = {{"response_type", "code"},
                                                          {"client_id", endpoint_.client_id},
                                                          {"redirect_uri", r.redirect_uri},
                                                          {"scope", scopes},
                                                          {"state", r.state}};
    if (!r.code_challenge.empty()) {
      q.emplace_back("code_challenge", r.code_challenge);
      q.emplace_back("code_challenge_method", "S256");
    }
    return auth_base() + "/i/oauth2/authorize?" + form_encode(q);
  }

  Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string& code_verifier,
                                 const std::string& redirect_uri) override {
    auto tokens = token_call(t,
                             {{"code", code},
                              {"grant_type", "authorization_code"},
                              {"client_id", endpoint_.client_id},
                              {"redirect_uri", redirect_uri},
                              {"code_verifier", code_verifier}},
                             false);
    if (!tokens) return tokens;
    auto me = call(t, get("/2/users/me", tokens->access_token), false);
    if (!me) return me.error();
    tokens->platform_account_id = json_string(json_at(*me, "data"), "id");
    return tokens;
  }

  Result<TokenSet> refresh(Transport& t, const TokenSet& current) override {
    auto tokens = token_call(
        t,
        {{"grant_type", "refresh_token"}, {"refresh_token", current.refresh_token}, {"client_id", endpoint_.client_id}},
        true);
    if (tokens) tokens->platform_account_id = current.platform_account_id;
    return tokens;
  }

  Result<Ok> revoke(Transport& t, const TokenSet& tokens) override {
    for (const auto& [token, hint] :
         {std::pair{tokens.refresh_token, "refresh_token"}, std::pair{tokens.access_token, "access_token"}}) {
      if (token.empty()) continue;
      auto r = call(t,
                    token_request("/2/oauth2/revoke",
                                  {{"token", token}, {"token_type_hint", hint}, {"client_id", endpoint_.client_id}}),
                    false);
      if (!r) return r.error();
    }
    return Ok{};
  }

  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    auto r = call(
        t, get("/2/users/me?user.fields=profile_image_url,description,verified,public_metrics", c.access_token), false);
    if (!r) return r.error();
    const auto& d = json_at(*r, "data");
    AccountProfile p;
    p.platform_account_id = json_string(d, "id");
    p.handle = json_string(d, "username");
    p.display_name = json_string(d, "name");
    p.avatar_url = json_string(d, "profile_image_url");
    p.bio = json_string(d, "description");
    p.verified = json_bool(d, "verified");
    p.followers = json_int(json_at(d, "public_metrics"), "followers_count");
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    std::vector<std::string> media_ids;
    for (const auto& m : content.media) {
      auto id = upload_media(t, c, m);
      if (!id) return id.error();
      media_ids.push_back(*id);
    }
    auto main = create_post(t, c, content.text + invisible_marker(content.client_marker), media_ids, "");
    if (!main) return main.error();
    PublishedPost p;
    p.platform_post_id = *main;
    p.url = "https://x.com/i/web/status/" + *main;
    std::string previous = *main;
    for (const auto& part : content.thread) {
      auto id = create_post(t, c, part, {}, previous);
      if (!id) return p;  // the main post is live: report what exists, never re-send it
      p.thread_ids.push_back(*id);
      previous = *id;
    }
    if (content.first_comment) {
      if (auto id = create_post(t, c, *content.first_comment, {}, *main)) p.first_comment_id = *id;
    }
    return p;
  }

  Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t, with_method("DELETE", get("/2/tweets/" + url_encode(post_id), c.access_token)), true);
    if (!r) return r.error();
    return Ok{};
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto req = get("/2/tweets/" + url_encode(post_id) + "?tweet.fields=created_at", c.access_token);
    auto resp = t.send(req);
    if (resp.status == 404) return std::optional<RemotePost>{};
    auto r = parse(resp, false);
    if (!r) return r.error();
    if (!json_at(*r, "data").is_object()) {  // 200 with {"errors":[{"type":".../resource-not-found"}]}
      if (!json_at(*r, "errors").is_null()) return std::optional<RemotePost>{};
      return Error{ErrorClass::kRetryable, "malformed", "X answered without data", resp.status, std::nullopt};
    }
    return std::optional<RemotePost>{post_of(json_at(*r, "data"))};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    std::string path =
        "/2/users/" + url_encode(c.platform_account_id) + "/tweets?max_results=100&tweet.fields=created_at";
    if (!cursor.empty()) path += "&pagination_token=" + url_encode(cursor);
    auto r = call(t, get(path, c.access_token), false);
    if (!r) return r.error();
    Page<RemotePost> page;
    for (const auto& d : json_at(*r, "data")) page.items.push_back(post_of(d));
    page.next_cursor = json_string(json_at(*r, "meta"), "next_token");
    return page;
  }

  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    if (kind == InboundKind::kDirectMessage) return fetch_dms(t, c, cursor);
    std::string path = "/2/users/" + url_encode(c.platform_account_id) +
                       "/mentions?max_results=100&tweet.fields=" + kTweetFields +
                       "&expansions=author_id&user.fields=username,name,verified";
    if (!cursor.empty()) path += "&since_id=" + url_encode(cursor);
    auto r = call(t, get(path, c.access_token), false);
    if (!r) return r.error();
    auto users = users_of(*r);
    Page<InboundItem> page;
    page.next_cursor = cursor;
    if (auto newest = json_string(json_at(*r, "meta"), "newest_id"); !newest.empty()) page.next_cursor = newest;
    for (const auto& d : json_at(*r, "data")) {
      bool is_reply = json_string(d, "in_reply_to_user_id") == c.platform_account_id;
      if (is_reply != (kind == InboundKind::kComment)) continue;
      InboundItem item;
      item.kind = kind;
      item.platform_item_id = json_string(d, "id");
      item.platform_post_id = is_reply ? json_string(d, "conversation_id") : item.platform_item_id;
      for (const auto& ref : json_at(d, "referenced_tweets")) {
        if (json_string(ref, "type") == "replied_to" && json_string(ref, "id") != item.platform_post_id) {
          item.parent_id = json_string(ref, "id");
        }
      }
      fill_author(item, json_string(d, "author_id"), users);
      item.text = json_string(d, "text");
      item.created_at = parse_time(json_string(d, "created_at")).value_or(0);
      page.items.push_back(std::move(item));
    }
    return page;
  }

  Result<WebhookResult> parse_webhook(const WebhookRequest& w) const override {
    const std::string& secret = endpoint_.webhook_secret.empty() ? endpoint_.client_secret : endpoint_.webhook_secret;
    if (w.method == "GET") {
      auto crc = w.query.find("crc_token");
      if (crc == w.query.end()) return Error{ErrorClass::kRejected, "bad_request", "no crc_token", 400, std::nullopt};
      WebhookResult out;
      out.challenge_response =
          json{{"response_token",
                "sha256=" + core::crypto::base64_encode(core::crypto::hmac_sha256(secret, crc->second))}}
              .dump();
      return out;
    }
    auto sig = w.headers.find("x-twitter-webhooks-signature");
    std::string expected = "sha256=" + core::crypto::base64_encode(core::crypto::hmac_sha256(secret, w.body));
    if (sig == w.headers.end() || !core::crypto::constant_time_equal(sig->second, expected)) {
      return Error{ErrorClass::kRejected, "bad_signature", "x-twitter-webhooks-signature does not match", 401,
                   std::nullopt};
    }
    auto body = parse_json(w.body);
    if (!body || !body->is_object()) return Error{ErrorClass::kRejected, "bad_request", "not JSON", 400, std::nullopt};
    return webhook_items(*body);
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string& idempotency_key) override {
    if (to.kind == InboundKind::kDirectMessage) {
      return send_dm(t, c, to.conversation_id.empty() ? to.author_id : to.conversation_id, text, idempotency_key);
    }
    return create_post(t, c, text, {}, to.platform_item_id);
  }

  Result<std::string> send_dm(Transport& t, const Credentials& c, const std::string& to, const std::string& text,
                              const std::string&) override {
    // One-to-one conversation ids are "<lower user id>-<higher user id>"; anything else is a user id.
    std::string path = to.find('-') != std::string::npos ? "/2/dm_conversations/" + url_encode(to) + "/messages"
                                                         : "/2/dm_conversations/with/" + url_encode(to) + "/messages";
    auto r = call(t, post_json(path, c.access_token, json{{"text", text}}), true);
    if (!r) return r.error();
    return json_string(json_at(*r, "data"), "dm_event_id");
  }

  Result<Ok> moderate(Transport& t, const Credentials& c, const InboundItem& item, Moderation action) override {
    if (action != Moderation::kHide && action != Moderation::kUnhide) return unsupported("this moderation action");
    auto req = post_json("/2/tweets/" + url_encode(item.platform_item_id) + "/hidden", c.access_token,
                         json{{"hidden", action == Moderation::kHide}});
    req.method = "PUT";
    auto r = call(t, req, false);  // idempotent: hiding a hidden reply succeeds
    if (!r) return r.error();
    return Ok{};
  }

  Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(
        t, get("/2/tweets/" + url_encode(post_id) + "?tweet.fields=public_metrics,non_public_metrics", c.access_token),
        false);
    if (!r) return r.error();
    const auto& d = json_at(*r, "data");
    if (!d.is_object()) return Error{ErrorClass::kRejected, "not_found", "no such post", 404, std::nullopt};
    PostMetrics m;
    const auto& pub = json_at(d, "public_metrics");
    const auto& priv = json_at(d, "non_public_metrics");
    m.likes = json_int(pub, "like_count");
    m.comments = json_int(pub, "reply_count");
    auto rt = json_int(pub, "retweet_count");
    auto qt = json_int(pub, "quote_count");
    if (rt || qt) m.shares = rt.value_or(0) + qt.value_or(0);
    m.saves = json_int(pub, "bookmark_count");
    m.impressions = json_int(priv, "impression_count");
    if (!m.impressions) m.impressions = json_int(pub, "impression_count");
    m.clicks = json_int(priv, "url_link_clicks");
    return m;
  }

 private:
  std::string auth_base() const {
    return endpoint_.auth_base_url.empty() ? endpoint_.base_url : endpoint_.auth_base_url;
  }

  HttpRequest get(const std::string& path, const std::string& token) const {
    return HttpRequest{"GET", endpoint_.base_url + path, {{"Authorization", bearer(token)}}, {}};
  }
  static HttpRequest with_method(std::string method, HttpRequest r) {
    r.method = std::move(method);
    return r;
  }
  HttpRequest post_json(const std::string& path, const std::string& token, const json& body) const {
    return HttpRequest{"POST",
                       endpoint_.base_url + path,
                       {{"Authorization", bearer(token)}, {"Content-Type", "application/json"}},
                       body.dump()};
  }
  // Confidential clients authenticate with HTTP Basic; public clients send only client_id.
  HttpRequest token_request(const std::string& path,
                            const std::vector<std::pair<std::string, std::string>>& form) const {
    HttpRequest r{
        "POST", endpoint_.base_url + path, {{"Content-Type", "application/x-www-form-urlencoded"}}, form_encode(form)};
    if (!endpoint_.client_secret.empty()) {
      r.headers.emplace_back("Authorization", basic_auth(endpoint_.client_id, endpoint_.client_secret));
    }
    return r;
  }

  Result<TokenSet> token_call(Transport& t, const std::vector<std::pair<std::string, std::string>>& form,
                              bool refreshing) {
    auto r = call(t, token_request("/2/oauth2/token", form), false);
    if (!r) {
      Error e = r.error();
      // X answers a revoked or spent refresh token with 400 invalid_request ("Value passed for the token
      // was invalid."), RFC 6749 servers with invalid_grant: either way the account must reconnect.
      if (refreshing && (e.code == "invalid_grant" || e.code == "invalid_request")) e.cls = ErrorClass::kAuthExpired;
      return e;
    }
    TokenSet ts;
    ts.access_token = json_string(*r, "access_token");
    ts.refresh_token = json_string(*r, "refresh_token");
    if (auto in = json_int(*r, "expires_in")) ts.expires_at = clock_.now() + *in;
    std::string scope = json_string(*r, "scope");
    for (std::size_t p = 0; p < scope.size();) {
      auto q = scope.find(' ', p);
      if (q == std::string::npos) q = scope.size();
      if (q > p) ts.scopes.push_back(scope.substr(p, q - p));
      p = q + 1;
    }
    if (ts.access_token.empty()) return Error{ErrorClass::kRejected, "malformed", "no access_token", 0, std::nullopt};
    return ts;
  }

  Error error_of(const HttpResponse& r, bool mutating) const {
    std::string code, message;
    if (auto j = parse_json(r.body); j && j->is_object()) {
      std::string type = json_string(*j, "type");  // v2 problem: https://api.twitter.com/2/problems/<name>
      if (!type.empty() && type != "about:blank") code = type.substr(type.rfind('/') + 1);
      if (code.empty()) code = json_string(*j, "error");  // OAuth: {"error","error_description"}
      if (const auto& errors = json_at(*j, "errors"); code.empty() && errors.is_array() && !errors.empty()) {
        code = json_string(errors[0], "code");  // v1.1: {"errors":[{"code":88,"message":...}]}
      }
      message = json_string(*j, "detail");
      if (message.empty()) message = json_string(*j, "error_description");
      if (message.empty()) message = json_string(*j, "title");
    }
    // A spent 24-hour user or app quota resets later than the 15-minute window.
    const char* reset = "x-rate-limit-reset";
    if (r.header("x-user-limit-24hour-remaining") == "0")
      reset = "x-user-limit-24hour-reset";
    else if (r.header("x-app-limit-24hour-remaining") == "0")
      reset = "x-app-limit-24hour-reset";
    Error e = classify_http(r, mutating, code, message, reset, clock_.now());
    if (code == "usage-capped" || code == "88") e.cls = ErrorClass::kRateLimited;
    return e;
  }

  Result<json> parse(const HttpResponse& r, bool mutating) const {
    if (r.transport_error || r.status < 200 || r.status >= 300) return error_of(r, mutating);
    if (r.body.empty()) return json::object();
    auto j = parse_json(r.body);
    if (!j)
      return Error{ErrorClass::kRetryable, "malformed", "X answered with a body that is not JSON", r.status,
                   std::nullopt};
    return *j;
  }
  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const { return parse(t.send(req), mutating); }

  Result<std::string> create_post(Transport& t, const Credentials& c, const std::string& text,
                                  const std::vector<std::string>& media_ids, const std::string& in_reply_to) {
    json body{{"text", text}};
    if (!media_ids.empty()) body["media"] = {{"media_ids", media_ids}};
    if (!in_reply_to.empty()) body["reply"] = {{"in_reply_to_tweet_id", in_reply_to}};
    auto r = call(t, post_json("/2/tweets", c.access_token, body), true);
    if (!r) return r.error();
    std::string id = json_string(json_at(*r, "data"), "id");
    if (id.empty()) return Error{ErrorClass::kUnknownOutcome, "malformed", "no post id in the answer", 0, std::nullopt};
    return id;
  }

  // Media uploads are not posts: an upload that timed out is retried (an unused upload expires).
  Result<std::string> upload_media(Transport& t, const Credentials& c, const Media& m) {
    auto bytes = fetch_media(t, m, m.kind == Media::Kind::kImage ? caps_.max_image_bytes : caps_.max_video_bytes);
    if (!bytes) return bytes.error();
    std::string id;
    if (m.kind == Media::Kind::kImage) {
      std::string category = m.mime_type == "image/gif" ? "tweet_gif" : "tweet_image";
      auto r = call(t,
                    post_json("/2/media/upload", c.access_token,
                              json{{"media", core::crypto::base64_encode(*bytes)},
                                   {"media_category", category},
                                   {"media_type", m.mime_type}}),
                    false);
      if (!r) return r.error();
      id = json_string(json_at(*r, "data"), "id");
      if (!m.alt_text.empty()) {
        auto meta = call(t,
                         post_json("/2/media/metadata", c.access_token,
                                   json{{"id", id}, {"metadata", {{"alt_text", {{"text", m.alt_text}}}}}}),
                         false);
        if (!meta) return meta.error();
      }
      return id;
    }
    auto init = call(
        t,
        post_json("/2/media/upload/initialize", c.access_token,
                  json{{"media_type", m.mime_type}, {"total_bytes", bytes->size()}, {"media_category", "tweet_video"}}),
        false);
    if (!init) return init.error();
    id = json_string(json_at(*init, "data"), "id");
    for (std::size_t off = 0, seg = 0; off < bytes->size(); off += kChunkBytes, ++seg) {
      auto chunk = std::string_view(*bytes).substr(off, kChunkBytes);
      auto r = call(t,
                    post_json("/2/media/upload/" + url_encode(id) + "/append", c.access_token,
                              json{{"media", core::crypto::base64_encode(chunk)}, {"segment_index", seg}}),
                    false);
      if (!r) return r.error();
    }
    auto fin =
        call(t, post_json("/2/media/upload/" + url_encode(id) + "/finalize", c.access_token, json::object()), false);
    if (!fin) return fin.error();
    json info = json_at(json_at(*fin, "data"), "processing_info");
    for (int i = 0; i < kMaxStatusPolls; ++i) {
      std::string state = json_string(info, "state");
      if (state.empty() || state == "succeeded") return id;
      if (state == "failed") {
        return Error{ErrorClass::kRejected, "media_processing_failed", "X could not process the video", 0,
                     std::nullopt};
      }
      clock_.sleep(std::chrono::seconds(json_int(info, "check_after_secs").value_or(1)));
      auto st = call(t, get("/2/media/upload?command=STATUS&media_id=" + url_encode(id), c.access_token), false);
      if (!st) return st.error();
      info = json_at(json_at(*st, "data"), "processing_info");
    }
    return Error{ErrorClass::kRetryable, "media_processing_timeout", "the video is still processing", 0, std::nullopt};
  }

  static RemotePost post_of(const json& d) {
    RemotePost p;
    p.platform_post_id = json_string(d, "id");
    p.text = json_string(d, "text");
    p.url = "https://x.com/i/web/status/" + p.platform_post_id;
    p.created_at = parse_time(json_string(d, "created_at")).value_or(0);
    return p;
  }

  static void fill_author(InboundItem& item, const std::string& id, const std::map<std::string, UserInfo>& users) {
    item.author_id = id;
    if (auto u = users.find(id); u != users.end()) {
      item.author_handle = u->second.handle;
      item.author_name = u->second.name;
      item.author_verified = u->second.verified;
    }
  }

  Result<Page<InboundItem>> fetch_dms(Transport& t, const Credentials& c, const std::string& cursor) {
    auto r = call(t,
                  get("/2/dm_events?dm_event_types=MessageCreate&max_results=100"
                      "&dm_event.fields=id,text,sender_id,dm_conversation_id,created_at"
                      "&expansions=sender_id&user.fields=username,name,verified",
                      c.access_token),
                  false);
    if (!r) return r.error();
    auto users = users_of(*r);
    Page<InboundItem> page;
    page.next_cursor = cursor;
    for (const auto& d : json_at(*r, "data")) {
      std::string id = json_string(d, "id");
      if (!cursor.empty() && !id_newer(id, cursor)) continue;
      if (id_newer(id, page.next_cursor)) page.next_cursor = id;
      if (json_string(d, "sender_id") == c.platform_account_id) continue;  // our own messages
      InboundItem item;
      item.kind = InboundKind::kDirectMessage;
      item.platform_item_id = id;
      item.conversation_id = json_string(d, "dm_conversation_id");
      fill_author(item, json_string(d, "sender_id"), users);
      item.text = json_string(d, "text");
      item.created_at = parse_time(json_string(d, "created_at")).value_or(0);
      page.items.push_back(std::move(item));
    }
    return page;
  }

  // Account Activity API payloads carry v1.1 objects: tweet_create_events, direct_message_events.
  static WebhookResult webhook_items(const json& body) {
    WebhookResult out;
    std::string me = json_string(body, "for_user_id");
    for (const auto& tw : json_at(body, "tweet_create_events")) {
      const auto& user = json_at(tw, "user");
      if (json_string(user, "id_str") == me) continue;  // our own posts
      InboundItem item;
      item.account_platform_id = me;
      bool is_reply = json_string(tw, "in_reply_to_user_id_str") == me;
      item.kind = is_reply ? InboundKind::kComment : InboundKind::kMention;
      item.platform_item_id = json_string(tw, "id_str");
      item.platform_post_id = is_reply ? json_string(tw, "in_reply_to_status_id_str") : item.platform_item_id;
      item.author_id = json_string(user, "id_str");
      item.author_handle = json_string(user, "screen_name");
      item.author_name = json_string(user, "name");
      item.author_verified = json_bool(user, "verified");
      const auto& extended = json_at(tw, "extended_tweet");
      item.text = extended.is_object() ? json_string(extended, "full_text") : json_string(tw, "text");
      item.created_at = json_int(tw, "timestamp_ms").value_or(0) / 1000;
      out.items.push_back(std::move(item));
    }
    const auto& users = json_at(body, "users");
    for (const auto& ev : json_at(body, "direct_message_events")) {
      if (json_string(ev, "type") != "message_create") continue;
      const auto& mc = json_at(ev, "message_create");
      std::string sender = json_string(mc, "sender_id");
      if (sender == me) continue;
      InboundItem item;
      item.kind = InboundKind::kDirectMessage;
      item.account_platform_id = me;
      item.platform_item_id = json_string(ev, "id");
      item.conversation_id = id_newer(sender, me) ? me + "-" + sender : sender + "-" + me;
      item.author_id = sender;
      const auto& u = json_at(users, sender);
      item.author_handle = json_string(u, "screen_name");
      item.author_name = json_string(u, "name");
      item.author_verified = json_bool(u, "verified");
      item.text = json_string(json_at(mc, "message_data"), "text");
      item.created_at = json_int(ev, "created_timestamp").value_or(0) / 1000;
      out.items.push_back(std::move(item));
    }
    return out;
  }

  Clock clock_;
  Capabilities caps_;
};

}  // namespace

std::unique_ptr<Adapter> make_x_adapter(Endpoint endpoint) {
  return make_x_adapter(std::move(endpoint), system_clock());
}

std::unique_ptr<Adapter> make_x_adapter(Endpoint endpoint, Clock clock) {
  return std::make_unique<XAdapter>(std::move(endpoint), std::move(clock));
}

}  // namespace herald::adapters
