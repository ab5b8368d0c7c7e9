// Douyin Open Platform (https://developer.open-douyin.com/docs/resource/zh-CN/dop/develop/openapi/), as documented:
// - OAuth (账号授权): browser to {auth}/platform/oauth/connect/ (client_key, response_type=code, scope comma-separated,
//   redirect_uri, state); POST /oauth/access_token/ JSON {client_key, client_secret, code, grant_type} ->
//   {"data":{access_token, expires_in, open_id, refresh_token, refresh_expires_in, scope, error_code, description}};
//   POST /oauth/refresh_token/ form {client_key, grant_type=refresh_token, refresh_token} (same data; renewing the
//   refresh_token itself, /oauth/renew_refresh_token/, is left to a reconnect); POST /oauth/userinfo/ form
//   {access_token, open_id}. No token revocation is documented.
// - Video (视频管理 > 创建视频, scope video.create.bind): POST /api/douyin/v1/video/upload_video/?open_id= multipart
//   "video" (mp4/webm; the direct upload takes up to 128 MB and under 15 minutes; bigger files need the part upload
//   /video/part/init|upload|complete/: future work) -> data.video.video_id; POST
//   /api/douyin/v1/video/create_video/?open_id= {video_id, text} -> data.item_id. The video is reviewed and visible
//   only to its owner until then. Image posts: POST /image/upload/?open_id= multipart "image" -> data.image.image_id,
//   then POST /image/create/?open_id= {image_id, text} -> data.item_id. Every call carries the "access-token" header.
// - POST /video/delete/ {item_id}; GET /video/list/?open_id&cursor&count<=20; POST /video/data/ {item_ids}
//   (statistics); GET /item/comment/list/?open_id&item_id&cursor&count; POST /item/comment/reply/ {item_id,
//   comment_id, content} (without comment_id it comments on the video: the first comment); POST /video/comment/top/
//   {item_id, comment_id, top} (enterprise accounts only: Herald's pin).
// - Errors come with HTTP 200: {"data":{"error_code":N,"description":"..."},"extra":{"error_code":N,"logid":...}},
//   or {"err_no":N,"err_msg":"...","log_id":"..."} on the newer endpoints. 10008/2190002/2190008/28001003/28001008
//   (token invalid or expired), 10010 (refresh_token expired) and 2190003 (user did not grant the API) ->
//   kAuthExpired; 2190001 quota used up and 2114007 daily video cap -> kRateLimited until 00:00 Beijing time;
//   2118110 too frequent -> kRateLimited 60 s; 2100004/28001005/28001006 busy -> kRetryable; the rest kRejected.
// - Text: the docs give no number; 1000 characters is the app's caption limit (best-known). "#话题" and "@昵称" stay
//   in the text.
// - Client marker: create_video has no client field, so the marker is the invisible zero-width suffix of the text
//   (marker.hpp); find_by_marker reads /video/list/ titles. Whether Douyin keeps those characters is unverified.
// - Direct messages (enterprise IM) and webhooks (X-Douyin-Signature) are future work.
#include "adapters/douyin/douyin_adapter.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <initializer_list>

#include "herald/adapters/classify.hpp"
#include "herald/adapters/marker.hpp"
#include "herald/adapters/multipart.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;

constexpr int kMaxText = 1000;
constexpr std::int64_t kMaxVideoBytes = 128LL * 1024 * 1024;
constexpr std::int64_t kMaxImageBytes = 20LL * 1024 * 1024;
constexpr int kListPage = 20;
constexpr int kCommentVideos = 5;
constexpr int kCommentPage = 50;

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error rejected(std::string code, std::string message) {
  return Error{ErrorClass::kRejected, std::move(code), std::move(message), 0, std::nullopt};
}

std::string str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  if (j[key].is_string()) return j[key].get<std::string>();
  if (j[key].is_number_integer()) return std::to_string(j[key].get<std::int64_t>());
  return "";
}

std::int64_t num(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return 0;
  if (j[key].is_number_integer()) return j[key].get<std::int64_t>();
  if (j[key].is_string()) return std::atoll(j[key].get<std::string>().c_str());
  return 0;
}

const json& field(const json& j, const char* key) {
  static const json kEmpty = json::object();
  return j.is_object() && j.contains(key) && j[key].is_object() ? j[key] : kEmpty;
}

// The platform's error code and description, from whichever envelope the endpoint uses (0 = none).
std::pair<std::int64_t, std::string> error_of(const json& j) {
  if (j.contains("err_no") && num(j, "err_no") != 0) return {num(j, "err_no"), str(j, "err_msg")};
  const json& data = field(j, "data");
  if (num(data, "error_code") != 0) return {num(data, "error_code"), str(data, "description")};
  const json& extra = field(j, "extra");
  if (num(extra, "error_code") != 0) return {num(extra, "error_code"), str(extra, "description")};
  return {0, ""};
}

bool in(std::int64_t code, std::initializer_list<std::int64_t> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

RemotePost to_remote(const json& v) {
  return RemotePost{str(v, "item_id"), str(v, "title"), str(v, "share_url"), num(v, "create_time")};
}

class DouyinAdapter final : public Adapter {
 public:
  DouyinAdapter(Endpoint e, std::function<std::int64_t()> now) : Adapter(std::move(e)), now_(std::move(now)) {}

  [[nodiscard]] const Capabilities& capabilities() const override {
    static const Capabilities kCaps = [] {
      Capabilities c;
      c.platform = "douyin";
      c.display_name = "抖音 Douyin";
      c.counting = TextCounting::kCodePoints;
      c.max_text_length = kMaxText;
      c.max_images = 1;  // /image/create/ takes one image_id
      c.max_videos = 1;
      c.max_image_bytes = kMaxImageBytes;
      c.max_video_bytes = kMaxVideoBytes;
      c.max_video_duration_s = 15 * 60;
      c.image_types = {"image/jpeg", "image/png"};
      c.video_types = {"video/mp4", "video/webm"};
      c.requires_media = true;
      c.can_delete = true;
      c.can_first_comment = true;
      c.can_reply = true;
      c.can_pin_comment = true;  // enterprise accounts
      c.has_metrics = true;
      c.supports_refresh = true;
      c.required_scopes = {"user_info", "video.create.bind", "video.list.bind", "video.data.bind", "item.comment"};
      return c;
    }();
    return kCaps;
  }

  [[nodiscard]] std::string authorize_url(const AuthorizeRequest& request) const override {
    const auto& scopes = request.scopes.empty() ? capabilities().required_scopes : request.scopes;
    std::string scope;
    for (const auto& s : scopes) scope += (scope.empty() ? "" : ",") + s;
    const auto& base = endpoint_.auth_base_url.empty() ? endpoint_.base_url : endpoint_.auth_base_url;
    return base + "/platform/oauth/connect/?" + form_encode({{"client_key", endpoint_.client_id},
                                                             {"response_type", "code"},
                                                             {"scope", scope},
                                                             {"redirect_uri", request.redirect_uri},
                                                             {"state", request.state}});
  }

  Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string&,
                                 const std::string&) override {
    json body = {{"client_key", endpoint_.client_id},
                 {"client_secret", endpoint_.client_secret},
                 {"code", code},
                 {"grant_type", "authorization_code"}};
    auto r = call(t, HttpRequest{"POST", endpoint_.base_url + "/oauth/access_token/",
                                 {{"Content-Type", "application/json"}}, body.dump()},
                  false);
    if (!r) return r.error();
    return tokens(field(*r, "data"), TokenSet{});
  }

  Result<TokenSet> refresh(Transport& t, const TokenSet& current) override {
    auto r = call(t, form("/oauth/refresh_token/", {{"client_key", endpoint_.client_id},
                                                   {"grant_type", "refresh_token"},
                                                   {"refresh_token", current.refresh_token}}),
                  false);
    if (!r) return r.error();
    return tokens(field(*r, "data"), current);
  }

  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    auto r = call(t, form("/oauth/userinfo/", {{"access_token", c.access_token}, {"open_id", c.platform_account_id}}),
                  false);
    if (!r) return r.error();
    const json& d = field(*r, "data");
    AccountProfile p;
    p.platform_account_id = str(d, "open_id").empty() ? c.platform_account_id : str(d, "open_id");
    p.display_name = str(d, "nickname");
    p.handle = p.display_name;
    p.avatar_url = str(d, "avatar");
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    const std::string text = content.text + invisible_marker(content.client_marker);
    if (count_text(TextCounting::kCodePoints, text) > kMaxText) {
      return rejected("text_too_long", "a Douyin caption takes at most 1000 characters");
    }
    const Media* video = nullptr;
    std::vector<const Media*> images;
    for (const auto& m : content.media) {
      if (m.kind == Media::Kind::kVideo) {
        if (video != nullptr) return rejected("too_many_videos", "a Douyin post takes one video");
        video = &m;
      } else {
        images.push_back(&m);
      }
    }
    if (video == nullptr && images.empty()) return rejected("media_required", "a Douyin post needs a video or image");
    if (video != nullptr && !images.empty()) return rejected("mixed_media", "Douyin takes a video or an image");
    if (images.size() > 1) return rejected("too_many_images", "a Douyin image post takes one image");
    const Media& m = video != nullptr ? *video : *images[0];
    auto bytes = fetch_media(t, m, video != nullptr ? kMaxVideoBytes : kMaxImageBytes);
    if (!bytes) return bytes.error();
    std::string type = m.mime_type.empty() ? (video != nullptr ? "video/mp4" : "image/jpeg") : m.mime_type;
    std::string ext = type.substr(type.find('/') + 1);
    if (ext == "jpeg") ext = "jpg";
    const char* part = video != nullptr ? "video" : "image";
    auto upload = multipart_form_data({{part, std::move(*bytes), std::string(part) + "." + ext, type}});
    // The upload publishes nothing: not mutating, so a cut-off upload is simply repeated.
    auto up = call(t, HttpRequest{"POST",
                                  url(video != nullptr ? "/api/douyin/v1/video/upload_video/" : "/image/upload/", c),
                                  {{"access-token", c.access_token}, {"Content-Type", upload.content_type}},
                                  std::move(upload.body)},
                   false);
    if (!up) return up.error();
    const json& data = field(*up, "data");
    json create;
    if (video != nullptr) {
      create = {{"video_id", str(field(data, "video"), "video_id")}, {"text", text}};
    } else {
      create = {{"image_id", str(field(data, "image"), "image_id")}, {"text", text}};
    }
    auto made = post(t, video != nullptr ? "/api/douyin/v1/video/create_video/" : "/image/create/", c, create, true);
    if (!made) return made.error();
    PublishedPost out;
    out.platform_post_id = str(field(*made, "data"), "item_id");
    if (out.platform_post_id.empty()) {
      return Error{ErrorClass::kUnknownOutcome, "bad_response", "Douyin returned no item_id", 200, std::nullopt};
    }
    if (content.first_comment && !content.first_comment->empty()) {
      // Best effort: the video is out; a failed first comment must not make the scheduler post it again.
      auto fc = post(t, "/item/comment/reply/", c,
                     json{{"item_id", out.platform_post_id}, {"content", *content.first_comment}}, true);
      if (fc) out.first_comment_id = str(field(*fc, "data"), "comment_id");
    }
    return out;
  }

  Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = post(t, "/video/delete/", c, json{{"item_id", post_id}}, true);
    if (!r) return r.error();
    return Ok{};
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = post(t, "/video/data/", c, json{{"item_ids", json::array({post_id})}}, false);
    if (!r) return r.error();
    const json& list = field(*r, "data").value("list", json::array());
    if (list.empty()) return std::optional<RemotePost>{};
    return std::optional<RemotePost>{to_remote(list[0])};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    auto r = videos(t, c, cursor, kListPage);
    if (!r) return r.error();
    Page<RemotePost> page;
    const json& data = field(*r, "data");
    for (const auto& v : data.value("list", json::array())) page.items.push_back(to_remote(v));
    if (data.value("has_more", false)) page.next_cursor = str(data, "cursor");
    return page;
  }

  // Comments on the most recent videos, from the cursor's create_time on (the same second is read
  // again so none is missed: the inbox de-duplicates by platform_item_id).
  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    if (kind != InboundKind::kComment) return unsupported("Douyin mentions and messages");
    auto recent = videos(t, c, "", kCommentVideos);
    if (!recent) return recent.error();
    const std::int64_t since = std::atoll(cursor.c_str());
    std::int64_t newest = since;
    Page<InboundItem> page;
    for (const auto& v : field(*recent, "data").value("list", json::array())) {
      const std::string item_id = str(v, "item_id");
      auto r = call(t, get("/item/comment/list/", c, {{"item_id", item_id}, {"cursor", "0"},
                                                     {"count", std::to_string(kCommentPage)}}),
                    false);
      if (!r) return r.error();
      for (const auto& cm : field(*r, "data").value("list", json::array())) {
        const std::int64_t at = num(cm, "create_time");
        if (at < since) continue;
        InboundItem item;
        item.kind = InboundKind::kComment;
        item.platform_item_id = str(cm, "comment_id");
        item.platform_post_id = item_id;
        item.author_id = str(cm, "comment_user_id");
        item.text = str(cm, "content");
        item.created_at = at;
        newest = std::max(newest, at);
        page.items.push_back(std::move(item));
      }
    }
    page.next_cursor = newest > 0 ? std::to_string(newest) : cursor;
    return page;
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string&) override {
    if (to.kind != InboundKind::kComment) return unsupported("replying to Douyin messages");
    auto r = post(t, "/item/comment/reply/", c,
                  json{{"item_id", to.platform_post_id}, {"comment_id", to.platform_item_id}, {"content", text}}, true);
    if (!r) return r.error();
    return str(field(*r, "data"), "comment_id");
  }

  Result<Ok> moderate(Transport& t, const Credentials& c, const InboundItem& item, Moderation action) override {
    if (action != Moderation::kPin || item.kind != InboundKind::kComment) {
      return unsupported("this moderation on Douyin (only pinning, for enterprise accounts)");
    }
    auto r = post(t, "/video/comment/top/", c,
                  json{{"item_id", item.platform_post_id}, {"comment_id", item.platform_item_id}, {"top", true}}, true);
    if (!r) return r.error();
    return Ok{};
  }

  Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = post(t, "/video/data/", c, json{{"item_ids", json::array({post_id})}}, false);
    if (!r) return r.error();
    PostMetrics m;
    const json& list = field(*r, "data").value("list", json::array());
    if (list.empty()) return rejected("not_found", "Douyin has no such video");
    const json& s = field(list[0], "statistics");
    m.likes = num(s, "digg_count");
    m.comments = num(s, "comment_count");
    m.shares = num(s, "share_count");
    m.video_views = num(s, "play_count");
    return m;
  }

 private:
  Result<TokenSet> tokens(const json& d, TokenSet ts) const {
    if (str(d, "access_token").empty()) return rejected("bad_response", "Douyin returned no access_token");
    ts.access_token = str(d, "access_token");
    if (!str(d, "refresh_token").empty()) ts.refresh_token = str(d, "refresh_token");
    if (!str(d, "open_id").empty()) ts.platform_account_id = str(d, "open_id");
    if (auto e = num(d, "expires_in"); e > 0) ts.expires_at = now_() + e;
    if (d.contains("scope")) {
      ts.scopes.clear();
      std::string scope = str(d, "scope");
      for (std::size_t start = 0; start < scope.size();) {
        auto end = std::min(scope.find(',', start), scope.size());
        if (end > start) ts.scopes.push_back(scope.substr(start, end - start));
        start = end + 1;
      }
    }
    return ts;
  }

  Result<json> videos(Transport& t, const Credentials& c, const std::string& cursor, int count) {
    const std::string from = cursor.empty() ? "0" : cursor;
    return call(t, get("/video/list/", c, {{"cursor", from}, {"count", std::to_string(count)}}), false);
  }

  [[nodiscard]] std::string url(const char* path, const Credentials& c,
                                const std::vector<std::pair<std::string, std::string>>& more = {}) const {
    std::vector<std::pair<std::string, std::string>> q = {{"open_id", c.platform_account_id}};
    q.insert(q.end(), more.begin(), more.end());
    return endpoint_.base_url + path + "?" + form_encode(q);
  }

  [[nodiscard]] HttpRequest get(const char* path, const Credentials& c,
                                const std::vector<std::pair<std::string, std::string>>& q) const {
    return HttpRequest{"GET", url(path, c, q), {{"access-token", c.access_token}}, ""};
  }

  [[nodiscard]] HttpRequest form(const char* path, const std::vector<std::pair<std::string, std::string>>& f) const {
    return HttpRequest{"POST", endpoint_.base_url + path, {{"Content-Type", "application/x-www-form-urlencoded"}},
                       form_encode(f)};
  }

  Result<json> post(Transport& t, const char* path, const Credentials& c, const json& body, bool mutating) {
    return call(t, HttpRequest{"POST", url(path, c),
                               {{"access-token", c.access_token}, {"Content-Type", "application/json"}}, body.dump()},
                mutating);
  }

  // Douyin answers HTTP 200 with an error code inside the body: every body is checked.
  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const {
    HttpResponse r = t.send(req);
    if (r.transport_error) return classify_http(r, mutating, "", "");
    auto j = parse_json(r.body);
    if (j && j->is_object()) {
      if (auto [code, message] = error_of(*j); code != 0) return platform_error(r, code, message, mutating);
    }
    if (r.status < 200 || r.status >= 300) return classify_http(r, mutating, "", "");
    if (!j) {
      return Error{mutating ? ErrorClass::kUnknownOutcome : ErrorClass::kRetryable, "bad_response",
                   "Douyin answered with a body that is not JSON", r.status, std::nullopt};
    }
    return std::move(*j);
  }

  [[nodiscard]] Error platform_error(const HttpResponse& r, std::int64_t code, const std::string& message,
                                     bool mutating) const {
    Error e = classify_http(r, mutating, std::to_string(code),
                            message.empty() ? "Douyin error " + std::to_string(code) : message);
    if (in(code, {10008, 10010, 2190002, 2190003, 2190008, 28001003, 28001008})) {
      e.cls = ErrorClass::kAuthExpired;
    } else if (in(code, {2190001, 2114007})) {
      e.cls = ErrorClass::kRateLimited;  // daily quotas reset at 00:00 Beijing time (UTC+8)
      e.retry_after = std::chrono::seconds(86400 - (now_() + 8 * 3600) % 86400);
    } else if (code == 2118110) {
      e.cls = ErrorClass::kRateLimited;
      e.retry_after = std::chrono::seconds(60);
    } else if (in(code, {2100004, 28001005, 28001006, -1})) {
      e.cls = ErrorClass::kRetryable;
    }
    return e;
  }

  std::function<std::int64_t()> now_;
};

}  // namespace

std::unique_ptr<Adapter> make_douyin_adapter(Endpoint endpoint) {
  return make_douyin_adapter(std::move(endpoint), system_now);
}

std::unique_ptr<Adapter> make_douyin_adapter(Endpoint endpoint, std::function<std::int64_t()> now) {
  return std::make_unique<DouyinAdapter>(std::move(endpoint), std::move(now));
}

}  // namespace herald::adapters
