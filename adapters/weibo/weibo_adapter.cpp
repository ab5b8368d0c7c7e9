// Sina Weibo open API v2 (https://open.weibo.com/wiki/微博API), as documented:
// - OAuth 2.0 (授权机制说明, wiki/Oauth2): GET {auth}/oauth2/authorize (client_id, redirect_uri, response_type=code,
//   state, scope comma-separated), POST /oauth2/access_token (client_id, client_secret,
//   grant_type=authorization_code, code, redirect_uri) -> {access_token, expires_in, remind_in, uid}; web apps get
//   no refresh_token. POST /oauth2/get_token_info -> {uid, appkey, scope, create_at, expire_in};
//   POST /oauth2/revokeoauth2 -> {"result":"true"}. API calls carry "Authorization: OAuth2 <token>".
// - wiki/2/statuses/share (第三方分享一条链接到微博): POST status (URL-encoded, at most 140 Chinese characters, no
//   "#话题#", and it MUST contain a URL under the app's 安全域名 (set in 我的应用 > 应用信息 > 基本应用信息编辑);
//   Weibo answers 10017 "appkey not bind domain" otherwise), pic (one JPEG/GIF/PNG under 5 MB, multipart/form-data),
//   rip (the operating user's real IP: taken from Credentials.extra["rip"] when the caller has it). The adapter
//   appends PostContent.link when the text lacks it; the link must be on the safe domain. The pic is sent as
//   multipart bytes (fetched from Media.url), not as a URL.
// - statuses/destroy, statuses/show, statuses/user_timeline, statuses/count, statuses/mentions, comments/to_me,
//   comments/create (first comment), comments/reply, comments/destroy, users/show (all .json under /2/).
// - Error_code: {"error":"...","error_code":21327,"request":"/2/..."} (error_code sometimes a string), often with
//   HTTP 400/403, sometimes 200: the body decides. 21301/21314-21319/21327/21332 token -> kAuthExpired;
//   10022/10023/10024 rate limits -> kRateLimited until the next hour (Rate-limiting: 发微博 30/hour per user per app; windows are
//   hourly, no Retry-After); 20017/20019 repeated content -> kRejected "duplicate"; 10001/10002/10003/10009/10011
//   system errors -> kRetryable; 10010 job expired -> kUnknownOutcome for writes.
// - Client marker: share.json has no client field (annotations exist only on statuses/update), so the marker is an
//   invisible zero-width suffix of the status (marker.hpp); find_by_marker reads the user timeline for it.
// - Direct messages need the advanced direct_messages_* scopes Weibo grants to partners only: not supported.
#include "adapters/weibo/weibo_adapter.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <initializer_list>

#include "herald/adapters/classify.hpp"
#include "herald/adapters/marker.hpp"
#include "herald/adapters/multipart.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;

constexpr int kMaxStatusLength = 140;  // share.json / comments: 140 Chinese characters (kWeibo counting)
constexpr std::int64_t kMaxPicBytes = 5 * 1024 * 1024;
constexpr int kPageSize = 20;
constexpr int kInboundPageSize = 50;

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Weibo sends ids and codes as numbers or strings; both read as text.
std::string text_of(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  return "";
}

std::int64_t int_of(const json& j, const char* key) {
  auto s = text_of(j, key);
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// "Wed Oct 24 23:49:17 +0800 2012" -> unix seconds (0 when unreadable).
std::int64_t parse_time(const std::string& s) {
  std::tm tm{};
  const char* rest = strptime(s.c_str(), "%a %b %d %H:%M:%S", &tm);
  if (rest == nullptr) return 0;
  char sign = '+';
  int hh = 0;
  int mm = 0;
  int year = 0;
  if (std::sscanf(rest, " %c%2d%2d %d", &sign, &hh, &mm, &year) != 4) return 0;
  tm.tm_year = year - 1900;
  std::int64_t offset = (hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

Error rejected(std::string code, std::string message) {
  return Error{ErrorClass::kRejected, std::move(code), std::move(message), 0, std::nullopt};
}

bool in(int code, std::initializer_list<int> codes) {
  for (int c : codes) {
    if (c == code) return true;
  }
  return false;
}

RemotePost to_remote(const json& s) {
  RemotePost p;
  p.platform_post_id = text_of(s, "idstr").empty() ? text_of(s, "id") : text_of(s, "idstr");
  p.text = s.value("text", "");
  p.url = "https://m.weibo.cn/status/" + p.platform_post_id;
  p.created_at = parse_time(s.value("created_at", ""));
  return p;
}

void read_author(const json& user, InboundItem& item) {
  if (!user.is_object()) return;
  item.author_id = text_of(user, "idstr").empty() ? text_of(user, "id") : text_of(user, "idstr");
  item.author_handle = user.value("screen_name", "");
  item.author_name = user.value("name", item.author_handle);
  item.author_verified = user.value("verified", false);
}

std::string id_of(const json& j) { return text_of(j, "idstr").empty() ? text_of(j, "id") : text_of(j, "idstr"); }

class WeiboAdapter final : public Adapter {
 public:
  WeiboAdapter(Endpoint e, std::function<std::int64_t()> now) : Adapter(std::move(e)), now_(std::move(now)) {}

  [[nodiscard]] const Capabilities& capabilities() const override {
    static const Capabilities kCaps = [] {
      Capabilities c;
      c.platform = "weibo";
      c.display_name = "微博 Weibo";
      c.counting = TextCounting::kWeibo;
      c.max_text_length = kMaxStatusLength;
      c.max_images = 1;  // share.json takes one pic
      c.max_image_bytes = kMaxPicBytes;
      c.image_types = {"image/jpeg", "image/gif", "image/png"};
      c.can_delete = true;
      c.can_first_comment = true;
      c.can_reply = true;
      c.can_delete_comment = true;
      c.has_metrics = true;
      c.supports_revoke = true;
      c.publish_limit = {30, 3600};   // 发微博: 30/hour per user per app
      c.app_limit = {15000, 3600};    // per server IP per hour (varies with the app's level)
      return c;
    }();
    return kCaps;
  }

  [[nodiscard]] std::string authorize_url(const AuthorizeRequest& request) const override {
    std::vector<std::pair<std::string, std::string>> q = {{"client_id", endpoint_.client_id},
                                                          {"redirect_uri", request.redirect_uri},
                                                          {"response_type", "code"},
                                                          {"state", request.state}};
    if (!request.scopes.empty()) {
      std::string scope;
      for (const auto& s : request.scopes) scope += (scope.empty() ? "" : ",") + s;
      q.emplace_back("scope", scope);
    }
    const auto& base = endpoint_.auth_base_url.empty() ? endpoint_.base_url : endpoint_.auth_base_url;
    return base + "/oauth2/authorize?" + form_encode(q);
  }

  Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string&,
                                 const std::string& redirect_uri) override {
    auto r = call(t, post_form("/oauth2/access_token", {{"client_id", endpoint_.client_id},
                                                        {"client_secret", endpoint_.client_secret},
                                                        {"grant_type", "authorization_code"},
                                                        {"code", code},
                                                        {"redirect_uri", redirect_uri}}, ""),
                  false);
    if (!r) return r.error();
    TokenSet ts;
    ts.access_token = text_of(*r, "access_token");
    ts.platform_account_id = text_of(*r, "uid");
    if (ts.access_token.empty()) return rejected("bad_response", "Weibo returned no access_token");
    if (auto expires = int_of(*r, "expires_in"); expires > 0) ts.expires_at = now_() + expires;
    // The granted scopes (best effort: the token is good even when this read fails).
    auto info = call(t, post_form("/oauth2/get_token_info", {{"access_token", ts.access_token}}, ""), false);
    if (info) {
      std::string scope = text_of(*info, "scope");
      for (std::size_t start = 0; start < scope.size();) {
        auto end = scope.find(',', start);
        if (end == std::string::npos) end = scope.size();
        if (end > start) ts.scopes.push_back(scope.substr(start, end - start));
        start = end + 1;
      }
    }
    return ts;
  }

  Result<Ok> revoke(Transport& t, const TokenSet& tokens) override {
    auto r = call(t, post_form("/oauth2/revokeoauth2", {{"access_token", tokens.access_token}}, ""), true);
    if (!r && r.error().cls != ErrorClass::kAuthExpired) return r.error();  // an expired token is revoked already
    return Ok{};
  }

  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    auto r = call(t, get("/2/users/show.json", {{"uid", c.platform_account_id}}, c.access_token), false);
    if (!r) return r.error();
    AccountProfile p;
    p.platform_account_id = id_of(*r);
    p.handle = r->value("screen_name", "");
    p.display_name = r->value("name", p.handle);
    p.avatar_url = r->value("avatar_large", r->value("profile_image_url", ""));
    p.bio = r->value("description", "");
    p.verified = r->value("verified", false);
    if (r->contains("followers_count")) p.followers = int_of(*r, "followers_count");
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    std::string status = content.text;
    if (content.link && !content.link->empty() && status.find(*content.link) == std::string::npos) {
      status += (status.empty() ? "" : " ") + *content.link;
    }
    if (status.empty()) return rejected("empty_text", "a Weibo post needs text with a URL of the app's safe domain");
    status += invisible_marker(content.client_marker);
    if (count_text(TextCounting::kWeibo, status) > kMaxStatusLength) {
      return rejected("text_too_long", "Weibo takes at most 140 characters (two Latin characters count as one)");
    }
    const Media* pic = nullptr;
    for (const auto& m : content.media) {
      if (m.kind == Media::Kind::kVideo) return rejected("unsupported_media", "share.json takes no video");
      if (pic != nullptr) return rejected("too_many_images", "share.json takes one image");
      pic = &m;
    }
    std::vector<std::pair<std::string, std::string>> fields = {{"status", status}};
    if (auto rip = c.extra.find("rip"); rip != c.extra.end()) fields.emplace_back("rip", rip->second);
    HttpRequest req;
    if (pic == nullptr) {
      req = post_form("/2/statuses/share.json", fields, c.access_token);
    } else {
      auto bytes = fetch_media(t, *pic, kMaxPicBytes);
      if (!bytes) return bytes.error();
      std::vector<MultipartPart> parts;
      for (auto& [k, v] : fields) parts.push_back({k, v, "", ""});
      std::string ext = pic->mime_type == "image/png" ? "png" : pic->mime_type == "image/gif" ? "gif" : "jpg";
      parts.push_back({"pic", std::move(*bytes), "pic." + ext, pic->mime_type.empty() ? "image/jpeg" : pic->mime_type});
      auto body = multipart_form_data(parts);
      req = HttpRequest{"POST", endpoint_.base_url + "/2/statuses/share.json",
                        {{"Authorization", "OAuth2 " + c.access_token}, {"Content-Type", body.content_type}},
                        std::move(body.body)};
    }
    auto r = call(t, req, true);
    if (!r) return r.error();
    PublishedPost out;
    out.platform_post_id = id_of(*r);
    if (out.platform_post_id.empty()) {
      return Error{ErrorClass::kUnknownOutcome, "bad_response", "Weibo returned no status id", 200, std::nullopt};
    }
    out.url = "https://m.weibo.cn/status/" + out.platform_post_id;
    if (content.first_comment && !content.first_comment->empty()) {
      // Best effort: the post is out; a failed first comment must not make the scheduler post it again.
      auto fc = call(t, post_form("/2/comments/create.json",
                                  {{"comment", *content.first_comment}, {"id", out.platform_post_id}}, c.access_token),
                     true);
      if (fc) out.first_comment_id = id_of(*fc);
    }
    return out;
  }

  Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t, post_form("/2/statuses/destroy.json", {{"id", post_id}}, c.access_token), true);
    if (!r && r.error().code != "20101") return r.error();  // 20101: no such post, already gone
    return Ok{};
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t, get("/2/statuses/show.json", {{"id", post_id}}, c.access_token), false);
    if (!r) {
      if (r.error().code == "20101") return std::optional<RemotePost>{};
      return r.error();
    }
    return std::optional<RemotePost>{to_remote(*r)};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    return timeline(t, c, cursor, kPageSize);
  }

  Result<std::optional<RemotePost>> find_by_marker(Transport& t, const Credentials& c,
                                                   const std::string& marker) override {
    if (marker.empty()) return std::optional<RemotePost>{};
    auto page = timeline(t, c, "", kInboundPageSize);
    if (!page) return page.error();
    const std::string suffix = invisible_marker(marker);
    for (auto& p : page->items) {
      if (p.text.find(suffix) != std::string::npos) return std::optional<RemotePost>{std::move(p)};
    }
    return std::optional<RemotePost>{};
  }

  // Polling with since_id: next_cursor is the newest id seen (the cursor given when nothing is new).
  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    if (kind == InboundKind::kDirectMessage) return unsupported("Weibo direct messages (partner-only scopes)");
    const bool comments = kind == InboundKind::kComment;
    std::vector<std::pair<std::string, std::string>> q = {{"count", std::to_string(kInboundPageSize)}};
    if (!cursor.empty()) q.emplace_back("since_id", cursor);
    auto r = call(t, get(comments ? "/2/comments/to_me.json" : "/2/statuses/mentions.json", q, c.access_token),
                  false);
    if (!r) return r.error();
    Page<InboundItem> page;
    std::int64_t newest = 0;
    std::from_chars(cursor.data(), cursor.data() + cursor.size(), newest);
    const json& list = (*r)[comments ? "comments" : "statuses"];
    if (!list.is_array()) return page;
    for (const auto& e : list) {
      InboundItem item;
      item.kind = kind;
      item.platform_item_id = id_of(e);
      item.text = e.value("text", "");
      item.created_at = parse_time(e.value("created_at", ""));
      read_author(e.value("user", json::object()), item);
      if (comments) {
        item.platform_post_id = id_of(e.value("status", json::object()));
        if (e.contains("reply_comment") && e["reply_comment"].is_object()) item.parent_id = id_of(e["reply_comment"]);
      } else {
        item.platform_post_id = item.platform_item_id;
      }
      newest = std::max(newest, int_of(e, "id"));
      page.items.push_back(std::move(item));
    }
    page.next_cursor = newest > 0 ? std::to_string(newest) : cursor;
    return page;
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string&) override {
    if (count_text(TextCounting::kWeibo, text) > kMaxStatusLength || text.empty()) {
      return rejected("text_too_long", "a Weibo comment takes 1 to 140 characters");
    }
    HttpRequest req;
    if (to.kind == InboundKind::kComment) {
      req = post_form("/2/comments/reply.json",
                      {{"cid", to.platform_item_id}, {"id", to.platform_post_id}, {"comment", text}}, c.access_token);
    } else if (to.kind == InboundKind::kMention) {
      req = post_form("/2/comments/create.json", {{"id", to.platform_post_id}, {"comment", text}}, c.access_token);
    } else {
      return unsupported("replying to Weibo direct messages");
    }
    auto r = call(t, req, true);
    if (!r) return r.error();
    return id_of(*r);
  }

  Result<Ok> moderate(Transport& t, const Credentials& c, const InboundItem& item, Moderation action) override {
    if (action != Moderation::kDelete || item.kind != InboundKind::kComment) {
      return unsupported("this moderation on Weibo (only deleting comments)");
    }
    auto r = call(t, post_form("/2/comments/destroy.json", {{"cid", item.platform_item_id}}, c.access_token), true);
    if (!r) return r.error();
    return Ok{};
  }

  Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t, get("/2/statuses/count.json", {{"ids", post_id}}, c.access_token), false);
    if (!r) return r.error();
    PostMetrics m;
    if (!r->is_array() || r->empty()) return m;
    const auto& e = (*r)[0];
    m.comments = int_of(e, "comments");
    m.shares = int_of(e, "reposts");
    m.likes = int_of(e, "attitudes");
    return m;
  }

 private:
  Result<Page<RemotePost>> timeline(Transport& t, const Credentials& c, const std::string& cursor, int count) {
    std::vector<std::pair<std::string, std::string>> q = {{"count", std::to_string(count)}};
    if (!cursor.empty()) q.emplace_back("max_id", cursor);
    auto r = call(t, get("/2/statuses/user_timeline.json", q, c.access_token), false);
    if (!r) return r.error();
    Page<RemotePost> page;
    const json& list = (*r)["statuses"];
    if (!list.is_array()) return page;
    for (const auto& s : list) page.items.push_back(to_remote(s));
    if (static_cast<int>(list.size()) >= count) {
      // max_id is inclusive: the next page starts below the last id.
      page.next_cursor = std::to_string(int_of(list.back(), "id") - 1);
    }
    return page;
  }

  [[nodiscard]] HttpRequest get(std::string_view path, const std::vector<std::pair<std::string, std::string>>& q,
                                const std::string& token) const {
    HttpRequest req{"GET", endpoint_.base_url + std::string(path) + (q.empty() ? "" : "?" + form_encode(q)), {}, ""};
    if (!token.empty()) req.headers.emplace_back("Authorization", "OAuth2 " + token);
    return req;
  }

  [[nodiscard]] HttpRequest post_form(std::string_view path,
                                      const std::vector<std::pair<std::string, std::string>>& fields,
                                      const std::string& token) const {
    HttpRequest req{"POST", endpoint_.base_url + std::string(path),
                    {{"Content-Type", "application/x-www-form-urlencoded"}}, form_encode(fields)};
    if (!token.empty()) req.headers.emplace_back("Authorization", "OAuth2 " + token);
    return req;
  }

  // Sends and checks every answer's body: Weibo reports errors with {"error_code"} on any status.
  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const {
    HttpResponse r = t.send(req);
    if (r.transport_error) return classify_http(r, mutating, "", "");
    auto j = parse_json(r.body);
    if (j && j->is_object() && j->contains("error_code")) return platform_error(r, *j, mutating);
    if (r.status < 200 || r.status >= 300) return classify_http(r, mutating, "", "");
    if (!j) {
      return Error{mutating ? ErrorClass::kUnknownOutcome : ErrorClass::kRetryable, "bad_response",
                   "Weibo answered with a body that is not JSON", r.status, std::nullopt};
    }
    return std::move(*j);
  }

  [[nodiscard]] Error platform_error(const HttpResponse& r, const json& j, bool mutating) const {
    std::string code = text_of(j, "error_code");
    std::string message = j.value("error", std::string("Weibo error ") + code);
    Error e = classify_http(r, mutating, code, message);  // by status first: 200 or 4xx -> kRejected
    int n = 0;
    std::from_chars(code.data(), code.data() + code.size(), n);
    if (in(n, {21301, 21314, 21315, 21316, 21317, 21318, 21319, 21327, 21332})) {
      e.cls = ErrorClass::kAuthExpired;
    } else if (in(n, {10022, 10023, 10024})) {
      e.cls = ErrorClass::kRateLimited;
      e.retry_after = std::chrono::seconds(3600 - now_() % 3600);  // windows reset on the hour
    } else if (in(n, {20017, 20019})) {
      e.cls = ErrorClass::kRejected;
      e.code = "duplicate";
    } else if (in(n, {10001, 10002, 10003, 10009, 10011})) {
      e.cls = ErrorClass::kRetryable;
    } else if (n == 10010) {
      e.cls = mutating ? ErrorClass::kUnknownOutcome : ErrorClass::kRetryable;
    }
    return e;
  }

  std::function<std::int64_t()> now_;
};

}  // namespace

std::unique_ptr<Adapter> make_weibo_adapter(Endpoint endpoint) {
  return make_weibo_adapter(std::move(endpoint), system_now);
}

std::unique_ptr<Adapter> make_weibo_adapter(Endpoint endpoint, std::function<std::int64_t()> now) {
  return std::make_unique<WeiboAdapter>(std::move(endpoint), std::move(now));
}

}  // namespace herald::adapters
