// Douyin Open Platform emulator. Shapes from the official documentation
// (developer.open-douyin.com/docs/resource/zh-CN/dop/develop/openapi/, <dop> below):
//   <dop>account-permission/douyin-get-permission-code (GET /platform/oauth/connect/: client_key, response_type,
//     scope comma-separated, redirect_uri, state), <dop>account-permission/get-access-token (POST
//     /oauth/access_token/, JSON or form, no redirect_uri -> {"data":{access_token, expires_in, open_id,
//     refresh_token, refresh_expires_in, scope, error_code, description},"message"}), .../refresh-access-token
//     (POST /oauth/refresh_token/: a new access token, the refresh token unchanged), .../refresh-token
//     (/oauth/renew_refresh_token/: a new refresh token), .../client-token, .../get-user-info (/oauth/userinfo/)
//   <dop>video-management/douyin/create-video/upload-video (POST /api/douyin/v1/video/upload_video/?open_id=,
//     multipart "video" -> data.video.video_id), .../create-video (POST /api/douyin/v1/video/create_video/ ->
//     data.item_id), image-upload and create-image-text (/image/upload/, /image/create/), video-delete
//     (/video/delete/), query-video (/video/list/, /video/data/); <dop>interaction-management/comment-management-
//     user (/item/comment/list/, /item/comment/reply/list/, /item/comment/reply/, /video/comment/top/)
//   Errors: HTTP 200 with {"data":{"error_code","description"},"extra":{error_code, description, sub_error_code,
//     sub_description, logid, now}}: 2190002 access_token无效, 2190008 access_token过期,
//     2190015 access_token与open_id不匹配, 2100005 参数不合法, 2118110 请求过于频繁 (the rate_limit fault);
//     OAuth: 10007 授权码过期,
//     10010 refresh_token过期, 10013 client_key或者client_secret报错 ("message":"error")
//   dop/develop/webhooks/summarize (verify_webhook POST answered with its challenge; X-Douyin-Signature = hex
//     SHA-1(client secret + body); Msg-Id). The comment event's name and content ("item_comment_reply") and
//     the message event ("im_receive_msg") follow the best-known public shape.
// Tokens are shown as act.<token>, rft.<token> and clt.<token>, as Douyin's look. A video is under review
// (is_reviewed false, video_status 4) for its first 2 s, then public (5). No token revocation (none is
// documented); mentions are not emulated (generate kind mention is refused).
#include "adapters/sandbox/platforms/douyin.hpp"

#include <algorithm>
#include <functional>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "douyin";
constexpr auto kReview = std::chrono::seconds(2);
constexpr std::int64_t kRefreshTtl = 30LL * 24 * 3600;
constexpr std::size_t kMaxText = 1000;
constexpr std::size_t kMaxVideo = 128ULL * 1024 * 1024;

std::string digest_hex(const std::string& kind, std::uint64_t n) {
  return core::crypto::hex_encode(core::crypto::sha256("douyin-" + kind + "-" + std::to_string(n)));
}

// open_ids look like "ba253642-0590-40bc-9bdf-9a1334b94059".
std::string format_open_id(std::uint64_t n) {
  auto h = digest_hex("open", n);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

// item_id and comment_id: "@" + base64 (with + / =, so callers must encode them in URLs, as on Douyin).
std::string encoded_id(const std::string& kind, std::uint64_t n) {
  return "@" + core::crypto::base64_encode(core::crypto::sha256("douyin-" + kind + "-" + std::to_string(n)));
}

std::string strip(const std::string& token, const char* prefix) {
  return starts_with(token, prefix) ? token.substr(4) : token;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool video_bytes(const std::string& data) {
  return (data.size() >= 12 && data.compare(4, 4, "ftyp") == 0) || starts_with(data, "\x1a\x45\xdf\xa3");  // webm
}

}  // namespace

DouyinPlatform::DouyinPlatform(Context& ctx) : Platform(kPlatform, "Douyin", ctx) {}

Account DouyinPlatform::account_for_handle(const std::string& handle) {
  return ctx_.store.ensure_account(kPlatform, handle, format_open_id);
}

nlohmann::json DouyinPlatform::extra(std::int64_t code, const std::string& description) const {
  auto now = unix_millis(ctx_.clock.now());
  auto logid = core::crypto::hex_encode(core::crypto::sha256(std::to_string(now))).substr(0, 34);
  std::transform(logid.begin(), logid.end(), logid.begin(), [](char c) { return c >= 'a' ? c - 'a' + 'A' : c; });
  return {{"error_code", code},  {"description", description},
          {"sub_error_code", 0}, {"sub_description", ""},
          {"logid", logid},      {"now", now}};
}

void DouyinPlatform::fail(const http::Request& req, std::int64_t code, const std::string& description) {
  throw ErrorResponse(json(
      req, 200, {{"data", {{"error_code", code}, {"description", description}}}, {"extra", extra(code, description)}}));
}

void DouyinPlatform::oauth_fail(const http::Request& req, std::int64_t code, const std::string& description) {
  throw ErrorResponse(
      json(req, 200, {{"data", {{"error_code", code}, {"description", description}}}, {"message", "error"}}));
}

http::Response DouyinPlatform::ok(const http::Request& req, nlohmann::json data) const {
  data["error_code"] = 0;
  data["description"] = "";
  return json(req, 200, {{"data", data}, {"extra", extra(0, "")}});
}

http::Response DouyinPlatform::error_response(const http::Request& req, int status, const std::string& message) {
  std::int64_t code = status >= 500 ? 2100004 : status == 404 ? 2100005 : status == 401 ? 2190002 : 2100005;
  std::string description = status >= 500 ? "系统繁忙,此时请开发者稍候再试" : message;
  int http_status = status >= 500 ? status : 200;  // Douyin answers its errors with HTTP 200
  return json(req, http_status,
              {{"data", {{"error_code", code}, {"description", description}}}, {"extra", extra(code, description)}});
}

http::Response DouyinPlatform::rate_limit_response(const http::Request& req) {
  return json(req, 200,
              {{"data", {{"error_code", 2118110}, {"description", "请求过于频繁"}}},
               {"extra", extra(2118110, "请求过于频繁")}});
}

void DouyinPlatform::decorate(const http::Request& /*req*/, http::Response& res, const std::string& /*route*/) {
  res.set("X-Tt-Logid", extra(0, "")["logid"].get<std::string>());
}

Account DouyinPlatform::require_user(const http::Request& req, bool open_id_required) {
  auto token = std::string(req.header("access-token").value_or(""));
  if (token.empty()) token = req.query_param("access_token").value_or("");
  if (token.empty()) token = Params::from_request(req).get_or("access_token", "");
  if (token.empty()) fail(req, 2190002, "access_token无效");
  auto check = ctx_.oauth.check(kPlatform, strip(token, "act."));
  if (check.state == TokenState::expired) fail(req, 2190008, "access_token过期,请刷新或重新授权");
  auto a = check.state == TokenState::valid ? ctx_.store.account(kPlatform, check.account_id) : std::nullopt;
  if (!a) fail(req, 2190002, "access_token无效");
  auto open_id = req.query_param("open_id");
  if (!open_id) open_id = Params::from_request(req).get("open_id");
  if ((open_id_required || open_id) && open_id.value_or("") != a->id) {
    fail(req, 2190015, "请求参数access_token openid不匹配");
  }
  return *a;
}

nlohmann::json DouyinPlatform::video_json(const Item& it) const {
  auto now = ctx_.clock.now();
  bool reviewed = now >= it.created_at + kReview;
  auto comments = ctx_.store.items(kPlatform, [&](const Item& c) {
    return c.root_id == it.id && c.id != it.id && !c.deleted && c.visible_at <= now;
  });
  return {
      {"item_id", it.id},
      {"title", it.text},
      {"cover", "https://p3.douyinpic.com/obj/sandbox-cover/" + digest_hex("cover", it.seq).substr(0, 16)},
      {"is_top", false},
      {"create_time", unix_seconds(it.created_at)},
      {"is_reviewed", reviewed},
      {"video_status", reviewed ? 5 : 4},
      {"media_type", it.extra.value("media_type", 4)},
      {"share_url", "https://www.iesdouyin.com/share/video/" + std::to_string(7300000000000000000ULL + it.seq) + "/"},
      {"statistics",
       {{"comment_count", comments.size()},
        {"digg_count", 0},
        {"download_count", 0},
        {"forward_count", 0},
        {"play_count", 0},
        {"share_count", 0}}}};
}

nlohmann::json DouyinPlatform::comment_json(const Item& it) const {
  auto now = ctx_.clock.now();
  auto replies = ctx_.store.items(
      kPlatform, [&](const Item& c) { return c.in_reply_to_id == it.id && !c.deleted && c.visible_at <= now; });
  return {{"comment_id", it.id},
          {"comment_user_id", it.author_id},
          {"content", it.text},
          {"create_time", unix_seconds(it.created_at)},
          {"digg_count", 0},
          {"reply_comment_total", replies.size()},
          {"top", it.extra.value("top", false)}};
}

void DouyinPlatform::add_routes() {
  auto authorize = [this](http::Request& req, Call&) {
    auto spec = authorize_spec(false);
    spec.client_id_param = "client_key";
    return Platform::authorize(req, spec);
  };
  route(Verb::get, "/platform/oauth/connect", authorize);
  route(Verb::post, "/platform/oauth/connect", authorize);
  route(Verb::post, "/oauth/access_token", [this](http::Request& req, Call&) { return access_token(req); });
  route(Verb::post, "/oauth/refresh_token", [this](http::Request& req, Call&) { return refresh_token(req, false); });
  route(Verb::post, "/oauth/renew_refresh_token",
        [this](http::Request& req, Call&) { return refresh_token(req, true); });
  route(Verb::post, "/oauth/client_token", [this](http::Request& req, Call&) { return client_token(req); });
  route(Verb::post, "/oauth/userinfo", [this](http::Request& req, Call&) { return userinfo(req); });
  for (const char* path : {"/api/douyin/v1/video/upload_video", "/video/upload"}) {
    route(Verb::post, path, [this](http::Request& req, Call&) { return upload(req, true); });
  }
  for (const char* path : {"/api/douyin/v1/video/create_video", "/video/create"}) {
    route(Verb::post, path, [this](http::Request& req, Call&) { return create(req, true); });
  }
  route(Verb::post, "/image/upload", [this](http::Request& req, Call&) { return upload(req, false); });
  route(Verb::post, "/image/create", [this](http::Request& req, Call&) { return create(req, false); });
  route(Verb::post, "/video/delete", [this](http::Request& req, Call&) { return delete_video(req); });
  route(Verb::get, "/video/list", [this](http::Request& req, Call&) { return list_videos(req); });
  route(Verb::post, "/video/data", [this](http::Request& req, Call&) { return video_data(req); });
  route(Verb::get, "/item/comment/list", [this](http::Request& req, Call&) { return list_comments(req, false); });
  route(Verb::get, "/item/comment/reply/list", [this](http::Request& req, Call&) { return list_comments(req, true); });
  route(Verb::post, "/item/comment/reply", [this](http::Request& req, Call&) { return reply(req); });
  for (const char* path : {"/video/comment/top", "/item/comment/top"}) {
    route(Verb::post, path, [this](http::Request& req, Call&) { return top_comment(req); });
  }
}

http::Response DouyinPlatform::access_token(http::Request& req) {
  auto p = Params::from_request(req);
  if (p.get_or("client_key", "") != client_id() || p.get_or("client_secret", "") != client_secret()) {
    oauth_fail(req, 10013, "client_key或者client_secret报错");
  }
  if (p.get_or("grant_type", "") != "authorization_code") oauth_fail(req, 10002, "参数错误: grant_type");
  // Douyin's token call takes no redirect_uri: the code alone is checked.
  auto r = ctx_.oauth.redeem_code(kPlatform, p.get_or("code", ""), client_id(), "", "", true, false);
  if (r.error != GrantError::none) oauth_fail(req, 10007, "授权码过期");
  return json(req, 200,
              {{"data",
                {{"access_token", "act." + r.token.access_token},
                 {"description", ""},
                 {"error_code", 0},
                 {"expires_in", ctx_.oauth.token_ttl().count()},
                 {"open_id", r.token.account_id},
                 {"refresh_expires_in", kRefreshTtl},
                 {"refresh_token", "rft." + r.token.refresh_token},
                 {"scope", r.token.scope}}},
               {"message", "success"}});
}

http::Response DouyinPlatform::refresh_token(http::Request& req, bool renew) {
  auto p = Params::from_request(req);
  if (p.get_or("client_key", "") != client_id()) oauth_fail(req, 10013, "client_key或者client_secret报错");
  if (!renew && p.get_or("grant_type", "") != "refresh_token") oauth_fail(req, 10002, "参数错误: grant_type");
  auto r = ctx_.oauth.refresh(kPlatform, strip(p.get_or("refresh_token", ""), "rft."), client_id(), renew);
  if (r.error != GrantError::none) oauth_fail(req, 10010, "refresh_token过期");
  nlohmann::json data = {{"description", ""}, {"error_code", 0}, {"refresh_token", "rft." + r.token.refresh_token}};
  if (renew) {
    data["expires_in"] = kRefreshTtl;
  } else {
    data["access_token"] = "act." + r.token.access_token;
    data["expires_in"] = ctx_.oauth.token_ttl().count();
    data["open_id"] = r.token.account_id;
    data["refresh_expires_in"] = kRefreshTtl;
    data["scope"] = r.token.scope;
  }
  return json(req, 200, {{"data", data}, {"message", "success"}});
}

http::Response DouyinPlatform::client_token(http::Request& req) {
  auto p = Params::from_request(req);
  if (p.get_or("client_key", "") != client_id() || p.get_or("client_secret", "") != client_secret()) {
    oauth_fail(req, 10013, "client_key或者client_secret报错");
  }
  if (p.get_or("grant_type", "") != "client_credential") oauth_fail(req, 10002, "参数错误: grant_type");
  auto t = ctx_.oauth.issue(kPlatform, "", client_id(), "", false);
  return json(req, 200,
              {{"data",
                {{"access_token", "clt." + t.access_token},
                 {"description", ""},
                 {"error_code", 0},
                 {"expires_in", ctx_.oauth.token_ttl().count()}}},
               {"message", "success"}});
}

http::Response DouyinPlatform::userinfo(http::Request& req) {
  auto me = require_user(req);
  auto avatar = "https://p3.douyinpic.com/aweme/100x100/sandbox-" + me.id.substr(0, 8) + ".jpeg";
  return ok(req, {{"avatar", avatar},
                  {"avatar_larger", avatar},
                  {"client_key", client_id()},
                  {"e_account_role", ""},
                  {"nickname", me.display_name},
                  {"open_id", me.id},
                  {"union_id", format_open_id(std::hash<std::string>{}(me.id))}});
}

http::Response DouyinPlatform::upload(http::Request& req, bool video) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  const FormPart* file = p.file(video ? "video" : "image");
  if (file == nullptr || file->data.empty())
    fail(req, 2100005, std::string("参数不合法: ") + (video ? "video" : "image"));
  if (video && (!video_bytes(file->data) || file->data.size() > kMaxVideo)) {
    fail(req, 2100005, "参数不合法: 视频格式只支持 mp4、webm, 大小不超过 128 MB");
  }
  if (!video && !starts_with(file->data, "\xff\xd8") && !starts_with(file->data, "\x89PNG")) {
    fail(req, 2100005, "参数不合法: 图片格式只支持 jpg、png");
  }
  auto n = ctx_.store.next_number(kPlatform);
  Upload up{video ? "v0200f" + digest_hex("video", n).substr(0, 26) : digest_hex("image", n).substr(0, 32), me.id,
            video};
  {
    std::lock_guard lock(mutex_);
    uploads_[up.id] = up;
  }
  if (video) return ok(req, {{"video", {{"video_id", up.id}, {"width", 1080}, {"height", 1920}}}});
  return ok(req, {{"image", {{"image_id", up.id}, {"width", 1080}, {"height", 1440}}}});
}

http::Response DouyinPlatform::create(http::Request& req, bool video) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto id = p.get_or(video ? "video_id" : "image_id", "");
  {
    std::lock_guard lock(mutex_);
    auto it = uploads_.find(id);
    if (it == uploads_.end() || it->second.owner_id != me.id || it->second.video != video) {
      fail(req, 2100005, std::string("参数不合法: ") + (video ? "video_id" : "image_id"));
    }
  }
  auto text = p.get_or("text", "");
  if (code_points(text) > kMaxText) fail(req, 2100005, "参数不合法: text 过长");
  Item it;
  it.platform = kPlatform;
  it.author_id = me.id;
  it.text = text;
  it.media_ids = {id};
  it.extra["media_type"] = video ? 4 : 2;
  auto created = ctx_.store.create_item(it, [](std::uint64_t n) { return encoded_id("item", n); }).item;
  return ok(req, {{"item_id", created.id}});
}

http::Response DouyinPlatform::delete_video(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto it = ctx_.store.item(kPlatform, p.get_or("item_id", ""));
  if (!it || it->deleted || !it->in_reply_to_id.empty() || it->author_id != me.id) {
    fail(req, 2100005, "参数不合法: item_id");
  }
  ctx_.store.update_item(kPlatform, it->id, [](Item& x) { x.deleted = true; });
  return ok(req, nlohmann::json::object());
}

http::Response DouyinPlatform::list_videos(http::Request& req) {
  auto me = require_user(req);
  std::uint64_t cursor = 0;
  std::uint64_t count = 10;
  if (auto c = req.query_param("cursor"); c && !c->empty() && !parse_u64(*c, cursor))
    fail(req, 2100005, "参数不合法: cursor");
  if (auto c = req.query_param("count"); c && (!parse_u64(*c, count) || count == 0 || count > 20)) {
    fail(req, 2100005, "参数不合法: count 取值 1-20");
  }
  auto now = ctx_.clock.now();
  auto videos = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.author_id == me.id && it.in_reply_to_id.empty() && !it.deleted && it.visible_at <= now &&
           it.kind == ItemKind::post;
  });
  std::reverse(videos.begin(), videos.end());  // newest first
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = cursor; i < videos.size() && list.size() < count; ++i) list.push_back(video_json(videos[i]));
  std::uint64_t next = cursor + list.size();
  return ok(req, {{"cursor", next}, {"has_more", next < videos.size()}, {"list", list}});
}

http::Response DouyinPlatform::video_data(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto ids = p.list("item_ids");
  if (ids.empty() || ids.size() > 20) fail(req, 2100005, "参数不合法: item_ids");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& id : ids) {
    auto it = ctx_.store.item(kPlatform, id);
    if (it && !it->deleted && it->in_reply_to_id.empty() && it->author_id == me.id) list.push_back(video_json(*it));
  }
  return ok(req, {{"list", list}});
}

http::Response DouyinPlatform::list_comments(http::Request& req, bool replies) {
  auto me = require_user(req);
  auto video = ctx_.store.item(kPlatform, req.query_param("item_id").value_or(""));
  if (!video || video->deleted || !video->in_reply_to_id.empty() || video->author_id != me.id) {
    fail(req, 2100005, "参数不合法: item_id");
  }
  std::string parent = video->id;
  if (replies) {
    auto c = ctx_.store.item(kPlatform, req.query_param("comment_id").value_or(""));
    if (!c || c->deleted || c->root_id != video->id || c->id == video->id) {
      fail(req, 2100005, "参数不合法: comment_id");
    }
    parent = c->id;
  }
  std::uint64_t cursor = 0;
  std::uint64_t count = 20;
  if (auto c = req.query_param("cursor"); c && !c->empty()) (void)parse_u64(*c, cursor);
  if (auto c = req.query_param("count"); c && (!parse_u64(*c, count) || count == 0 || count > 50)) {
    fail(req, 2100005, "参数不合法: count");
  }
  auto now = ctx_.clock.now();
  auto comments = ctx_.store.items(
      kPlatform, [&](const Item& c) { return c.in_reply_to_id == parent && !c.deleted && c.visible_at <= now; });
  if (req.query_param("sort_type").value_or("time") == "time") std::reverse(comments.begin(), comments.end());
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = cursor; i < comments.size() && list.size() < count; ++i)
    list.push_back(comment_json(comments[i]));
  std::uint64_t next = cursor + list.size();
  return ok(req, {{"cursor", next}, {"has_more", next < comments.size()}, {"list", list}});
}

http::Response DouyinPlatform::reply(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto video = ctx_.store.item(kPlatform, p.get_or("item_id", ""));
  if (!video || video->deleted || !video->in_reply_to_id.empty()) fail(req, 2100005, "参数不合法: item_id");
  auto content = p.get_or("content", "");
  if (content.empty()) fail(req, 2100005, "参数不合法: content");
  Item it;
  it.platform = kPlatform;
  it.author_id = me.id;
  it.text = content;
  it.root_id = video->id;
  it.in_reply_to_id = video->id;
  if (auto cid = p.get("comment_id"); cid && !cid->empty()) {
    auto c = ctx_.store.item(kPlatform, *cid);
    if (!c || c->deleted || c->root_id != video->id || c->id == video->id) {
      fail(req, 2100005, "参数不合法: comment_id");
    }
    it.in_reply_to_id = c->id;
  }
  auto created = ctx_.store.create_item(it, [](std::uint64_t n) { return encoded_id("comment", n); }).item;
  return ok(req, {{"comment_id", created.id}});
}

http::Response DouyinPlatform::top_comment(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto video = ctx_.store.item(kPlatform, p.get_or("item_id", ""));
  auto c = ctx_.store.item(kPlatform, p.get_or("comment_id", ""));
  if (!video || video->author_id != me.id || !c || c->deleted || c->in_reply_to_id != video->id) {
    fail(req, 2100005, "参数不合法: item_id / comment_id");
  }
  bool top = p.get_bool("top").value_or(true);
  if (top) {  // one pinned comment per video
    for (const auto& other :
         ctx_.store.items(kPlatform, [&](const Item& x) { return x.in_reply_to_id == video->id; })) {
      ctx_.store.update_item(kPlatform, other.id, [](Item& x) { x.extra["top"] = false; });
    }
  }
  ctx_.store.update_item(kPlatform, c->id, [&](Item& x) { x.extra["top"] = top; });
  return ok(req, nlohmann::json::object());
}

void DouyinPlatform::deliver(const std::string& event, const Account& from, const Account& to,
                             const nlohmann::json& content, int index, const GenerateRequest& r) {
  nlohmann::json body = {{"event", event},
                         {"from_user_id", from.id},
                         {"to_user_id", to.id},
                         {"client_key", client_id()},
                         {"content", content.dump()},
                         {"log_id", extra(0, "")["logid"]}};
  Delivery d;
  d.platform = kPlatform;
  d.event = event;
  d.body = body.dump();
  d.headers = {{"X-Douyin-Signature", douyin_signature(client_secret(), d.body)},
               {"Msg-Id", digest_hex("msg", ctx_.store.next_number("douyin-msg")).substr(0, 32)}};
  d.not_before = event_due(r, index);
  ctx_.webhooks.enqueue(std::move(d));
}

GenerateResult DouyinPlatform::generate(const GenerateRequest& r) {
  if (r.kind == EventKind::mention) {
    core::http::invalid_field("kind", "douyin has no mentions API in the sandbox: use comment or dm");
  }
  GenerateResult result;
  auto me = account_for_handle(r.handle);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto author = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_open_id, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = author.id;
    it.text = ev.text;
    it.language = ev.language;
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    IdFormat format;
    if (r.kind == EventKind::comment) {
      auto videos = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.author_id == me.id && x.kind == ItemKind::post && x.in_reply_to_id.empty() && !x.deleted;
      });
      if (videos.empty()) {
        Item seed;
        seed.platform = kPlatform;
        seed.author_id = me.id;
        seed.text = "Hello from the Herald sandbox! #herald";
        seed.generated = true;
        seed.extra["media_type"] = 4;
        seed.created_at = ctx_.clock.now() - kReview;  // already reviewed
        videos.push_back(ctx_.store.create_item(seed, [](std::uint64_t n) { return encoded_id("item", n); }).item);
      }
      it.in_reply_to_id = it.root_id = videos.back().id;
      format = [](std::uint64_t n) { return encoded_id("comment", n); };
    } else {
      it.kind = ItemKind::dm;
      it.recipient_id = me.id;
      it.conversation_id = "0:1:" + author.id + ":" + me.id;
      format = [](std::uint64_t n) { return std::to_string(7300000000000000000ULL + n); };
    }
    auto created = ctx_.store.create_item(it, format).item;
    if (result.first_id.empty()) result.first_id = created.id;
    result.last_id = created.id;
    ++result.generated;
    if (!r.webhook) continue;
    if (r.kind == EventKind::comment) {
      deliver("item_comment_reply", author, me,
              {{"comment_id", created.id},
               {"comment_user_id", author.id},
               {"content", created.text},
               {"create_time", unix_seconds(created.created_at)},
               {"digg_count", 0},
               {"reply_comment_total", 0},
               {"reply_to_comment_id", ""},
               {"reply_to_item_id", created.root_id},
               {"nick_name", author.display_name}},
              i, r);
    } else {
      deliver("im_receive_msg", author, me,
              {{"conversation_short_id", created.conversation_id},
               {"server_message_id", created.id},
               {"conversation_type", 1},
               {"create_time", unix_millis(created.created_at)},
               {"message_type", "text"},
               {"text", created.text},
               {"user_infos", {{{"open_id", author.id}, {"nick_name", author.display_name}}}}},
              i, r);
    }
  }
  return result;
}

void DouyinPlatform::on_webhook_registered(const std::string& /*url*/) {
  // 回调地址校验: a POST {"event":"verify_webhook","client_key":"","content":{"challenge":N}}, answered
  // {"challenge":N}.
  auto challenge = static_cast<std::int64_t>(ctx_.store.next_number("douyin-challenge") * 7919 + 12345);
  Delivery d;
  d.platform = kPlatform;
  d.event = "verify_webhook";
  d.body =
      nlohmann::json({{"event", "verify_webhook"}, {"client_key", ""}, {"content", {{"challenge", challenge}}}}).dump();
  d.headers = {{"X-Douyin-Signature", douyin_signature(client_secret(), d.body)}};
  d.verify = [challenge](const SendResult& r) -> std::string {
    nlohmann::json answer = nlohmann::json::parse(r.body, nullptr, false);
    bool right = answer.is_object() && answer.contains("challenge") && answer["challenge"].is_number_integer() &&
                 answer["challenge"].get<std::int64_t>() == challenge;
    if (r.status != 200 || !right) {
      return "verification failed: the answer must be {\"challenge\": " + std::to_string(challenge) + "}";
    }
    return "";
  };
  ctx_.webhooks.enqueue(std::move(d));
}

}  // namespace herald::sandbox
