// WeChat Official Account platform emulator. Shapes from the official documentation
// (developers.weixin.qq.com/doc/offiaccount/, <oa> below):
//   <oa>Basic_Information/getStableAccessToken.html (POST /cgi-bin/stable_token {grant_type, appid, secret,
//     force_refresh}: the same token while it is valid, a new one with force_refresh), <oa>Basic_Information/
//     Get_access_token.html (GET /cgi-bin/token: every call replaces the previous token), Global_Return_Code
//     (HTTP 200 {"errcode","errmsg"}: 40001 invalid credential, 40013 invalid appid, 40125 invalid appsecret,
//     41001 access_token missing, 42001 access_token expired, 45011 api minute-quota reach limit, 48001 api
//     unauthorized, -1 system error), <oa>Basic_Information/Get_the_WeChat_server_IP_address.html
//   <oa>Asset_Management/Adding_Permanent_Assets.html (add_material?type=image multipart "media" ->
//     {media_id, url}; media/uploadimg -> {url}), <oa>Draft_Box/Add_draft.html (draft/add, get, delete)
//   <oa>Publish/Publish.html (freepublish/submit -> {publish_id, msg_data_id}; freepublish/get ->
//     publish_status 0 with article_id and article_detail, 1 publishing), Get_article_from_id.html
//     (getarticle, 53600 invalid article_id), Delete_posts.html, Get_status_list.html (batchget)
//   <oa>Comments_management/Image_Comments_Management_Interface.html (comment/open|close|list|markelect|
//     unmarkelect|delete|reply/add|reply/delete; 88000-88010)
//   <oa>Message_Management/Service_Center_messages.html (message/custom/send: within 48 hours of the user's last
//     message, 45015 otherwise), <oa>Basic_Information/Access_Overview.html (GET ?signature&timestamp&nonce&echostr
//     answered with echostr), Message_Management/Receiving_standard_messages.html (plaintext XML text messages)
// AppIDs: "herald-wechat" is the account "demo_wechat", "herald-wechat-<handle>" the account <handle>; the
// AppSecret is the sandbox client secret, which is also the server-configuration Token that signs server
// messages. A publish job is "publishing" (1) for its first second, then published (0). Comments are opened
// with need_open_comment or comment/open. The sandbox's access tokens live --token-ttl seconds (WeChat: 7200).
#include "adapters/sandbox/platforms/wechat.hpp"

#include <algorithm>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/oauth_pages.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "wechat";
constexpr char kAppIdPrefix[] = "herald-wechat";
constexpr auto kPublishDelay = std::chrono::seconds(1);
constexpr auto kServiceWindow = std::chrono::hours(48);
constexpr std::size_t kMaxTitle = 64;
constexpr std::size_t kMaxDigest = 120;
constexpr std::size_t kMaxContent = 20000;
constexpr std::size_t kMaxContentBytes = 1024 * 1024;
constexpr std::size_t kMaxMaterial = 10 * 1024 * 1024;
constexpr std::size_t kMaxBodyImage = 1024 * 1024;

// A 43-character opaque id (media_id, article_id) from a counter value.
std::string opaque(const std::string& kind, std::uint64_t n) {
  return core::crypto::base64url_encode(core::crypto::sha256("wechat-" + kind + "-" + std::to_string(n)));
}

std::string format_openid(std::uint64_t n) { return "o" + opaque("openid", n).substr(0, 27); }

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string cdata(const std::string& s) {
  std::string out = "<![CDATA[";
  for (std::size_t at = 0;;) {
    auto end = s.find("]]>", at);
    if (end == std::string::npos) {
      out += s.substr(at);
      break;
    }
    out += s.substr(at, end - at) + "]]]]><![CDATA[>";
    at = end + 3;
  }
  return out + "]]>";
}

// WeChat removes scripts from article bodies.
std::string strip_scripts(std::string html) {
  for (;;) {
    auto open = lower(html).find("<script");
    if (open == std::string::npos) return html;
    auto close = lower(html).find("</script>", open);
    html.erase(open, close == std::string::npos ? std::string::npos : close + 9 - open);
  }
}

std::string image_type(const std::string& data) {
  if (starts_with(data, "\xff\xd8")) return "jpeg";
  if (starts_with(data, "\x89PNG")) return "png";
  if (starts_with(data, "GIF8")) return "gif";
  if (starts_with(data, "BM")) return "bmp";
  return "";
}

std::int64_t as_int(const nlohmann::json& j, const char* key, std::int64_t fallback = 0) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const auto& v = j[key];
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string()) {
    std::uint64_t u = 0;
    if (parse_u64(v.get<std::string>(), u)) return static_cast<std::int64_t>(u);
  }
  return fallback;
}

std::string as_string(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  return "";
}

}  // namespace

std::optional<std::string> wechat_handle_of_appid(const std::string& appid) {
  const std::string prefix = kAppIdPrefix;
  if (appid == prefix) return std::string("demo_wechat");
  if (starts_with(appid, prefix + "-")) {
    auto handle = appid.substr(prefix.size() + 1);
    if (valid_handle(handle)) return handle;
  }
  return std::nullopt;
}

std::string wechat_appid_of_handle(const std::string& handle) {
  return lower(handle) == "demo_wechat" ? std::string(kAppIdPrefix) : std::string(kAppIdPrefix) + "-" + handle;
}

std::string wechat_text_message_xml(const std::string& to, const std::string& from, std::int64_t create_time,
                                    const std::string& content, const std::string& msg_id) {
  return "<xml><ToUserName>" + cdata(to) + "</ToUserName><FromUserName>" + cdata(from) + "</FromUserName><CreateTime>" +
         std::to_string(create_time) + "</CreateTime><MsgType>" + cdata("text") + "</MsgType><Content>" +
         cdata(content) + "</Content><MsgId>" + msg_id + "</MsgId></xml>";
}

WechatPlatform::WechatPlatform(Context& ctx) : Platform(kPlatform, "WeChat Official Accounts", ctx) {}

Account WechatPlatform::account_for_handle(const std::string& handle) {
  std::string appid = wechat_appid_of_handle(handle);
  return ctx_.store.ensure_account(kPlatform, handle, [appid](std::uint64_t) { return appid; });
}

std::string WechatPlatform::rid(const http::Request& req) const {
  auto h = core::crypto::hex_encode(core::crypto::sha256(req.trace_id + req.path)).substr(0, 24);
  return h.substr(0, 8) + "-" + h.substr(8, 8) + "-" + h.substr(16, 8);
}

void WechatPlatform::fail(const http::Request& req, int errcode, const std::string& errmsg) {
  throw ErrorResponse(json(req, 200, {{"errcode", errcode}, {"errmsg", errmsg + " rid: " + rid(req)}}));
}

http::Response WechatPlatform::error_response(const http::Request& req, int status, const std::string& message) {
  int code = status == 401 ? 40001 : status == 404 ? 48001 : status == 429 ? 45011 : status >= 500 ? -1 : 40097;
  std::string msg = status == 404 ? "api unauthorized" : status >= 500 ? "system error" : message;
  // WeChat answers its errors with HTTP 200; injected 5xx keep their status so transport retries show.
  int http_status = status >= 500 ? status : 200;
  return json(req, http_status, {{"errcode", code}, {"errmsg", msg + " rid: " + rid(req)}});
}

http::Response WechatPlatform::rate_limit_response(const http::Request& req) {
  return json(
      req, 200,
      {{"errcode", 45011}, {"errmsg", "api minute-quota reach limit  mustslower  retry next minute rid: " + rid(req)}});
}

void WechatPlatform::decorate(const http::Request& /*req*/, http::Response& res, const std::string& /*route*/) {
  res.set(http::beast_http::field::server, "WeChat");
}

Account WechatPlatform::require_token(const http::Request& req) {
  auto token = req.query_param("access_token").value_or("");
  if (token.empty()) fail(req, 41001, "access_token missing");
  auto check = ctx_.oauth.check(kPlatform, token);
  if (check.state == TokenState::expired) fail(req, 42001, "access_token expired");
  auto a = check.state == TokenState::valid ? ctx_.store.account(kPlatform, check.account_id) : std::nullopt;
  if (!a) {
    fail(req, 40001,
         "invalid credential, access_token is invalid or not latest, could get access_token by "
         "getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r");
  }
  return *a;
}

nlohmann::json WechatPlatform::body_of(const http::Request& req) {
  if (req.raw.body().empty()) return nlohmann::json::object();
  try {
    auto j = nlohmann::json::parse(req.raw.body());
    if (j.is_object()) return j;
  } catch (const nlohmann::json::exception&) {
  }
  fail(req, 47001, "data format error");
}

std::string WechatPlatform::article_url(const std::string& msg_data_id, const std::string& article_id) const {
  auto sn = core::crypto::hex_encode(core::crypto::sha256(article_id)).substr(0, 32);
  return "http://mp.weixin.qq.com/s?__biz=MzkxNjI1NTc3Mw==&mid=" + msg_data_id + "&idx=1&sn=" + sn + "#rd";
}

nlohmann::json WechatPlatform::news_item(const Item& article, bool with_content) const {
  const auto& a = article.extra;
  nlohmann::json j = {{"title", a.value("title", "")},
                      {"author", a.value("author", "")},
                      {"digest", a.value("digest", "")},
                      {"content_source_url", a.value("content_source_url", "")},
                      {"thumb_media_id", a.value("thumb_media_id", "")},
                      {"thumb_url", a.value("thumb_url", "")},
                      {"need_open_comment", a.value("comments_open", false) ? 1 : 0},
                      {"only_fans_can_comment", a.value("only_fans_can_comment", 0)},
                      {"url", a.value("url", "")},
                      {"is_deleted", article.deleted}};
  j["content"] = with_content ? a.value("content", "") : "";
  return j;
}

void WechatPlatform::add_routes() {
  route(Verb::post, "/cgi-bin/stable_token", [this](http::Request& req, Call&) { return token(req, true); });
  route(Verb::get, "/cgi-bin/token", [this](http::Request& req, Call&) { return token(req, false); });
  for (const char* path : {"/cgi-bin/get_api_domain_ip", "/cgi-bin/getcallbackip"}) {
    route(Verb::get, path, [this](http::Request& req, Call&) {
      require_token(req);
      return json(req, 200, {{"ip_list", {"101.89.47.18", "101.91.34.103", "183.3.234.32"}}});
    });
  }
  route(Verb::post, "/cgi-bin/material/add_material", [this](http::Request& req, Call&) { return add_material(req); });
  route(Verb::post, "/cgi-bin/media/uploadimg", [this](http::Request& req, Call&) { return upload_image(req); });
  route(Verb::post, "/cgi-bin/draft/add", [this](http::Request& req, Call&) { return add_draft(req); });
  route(Verb::post, "/cgi-bin/draft/get", [this](http::Request& req, Call&) { return get_draft(req); });
  route(Verb::post, "/cgi-bin/draft/delete", [this](http::Request& req, Call&) { return delete_draft(req); });
  route(Verb::post, "/cgi-bin/freepublish/submit", [this](http::Request& req, Call&) { return submit(req); });
  route(Verb::post, "/cgi-bin/freepublish/get", [this](http::Request& req, Call&) { return publish_status(req); });
  route(Verb::post, "/cgi-bin/freepublish/getarticle", [this](http::Request& req, Call&) { return get_article(req); });
  route(Verb::post, "/cgi-bin/freepublish/delete", [this](http::Request& req, Call&) { return delete_article(req); });
  route(Verb::post, "/cgi-bin/freepublish/batchget", [this](http::Request& req, Call&) { return batchget(req); });
  route(Verb::post, "/cgi-bin/comment/open", [this](http::Request& req, Call&) { return comment_switch(req, true); });
  route(Verb::post, "/cgi-bin/comment/close", [this](http::Request& req, Call&) { return comment_switch(req, false); });
  route(Verb::post, "/cgi-bin/comment/list", [this](http::Request& req, Call&) { return list_comments(req); });
  for (const char* action : {"markelect", "unmarkelect", "delete", "reply/add", "reply/delete"}) {
    std::string a = action;
    route(Verb::post, "/cgi-bin/comment/" + a, [this, a](http::Request& req, Call&) { return comment_action(req, a); });
  }
  route(Verb::post, "/cgi-bin/message/custom/send", [this](http::Request& req, Call&) { return send_custom(req); });
}

http::Response WechatPlatform::token(http::Request& req, bool stable) {
  std::string grant;
  std::string appid;
  std::string secret;
  bool force = false;
  if (stable) {
    auto body = body_of(req);
    grant = as_string(body, "grant_type");
    appid = as_string(body, "appid");
    secret = as_string(body, "secret");
    force = body.value("force_refresh", false);
  } else {
    grant = req.query_param("grant_type").value_or("");
    appid = req.query_param("appid").value_or("");
    secret = req.query_param("secret").value_or("");
  }
  if (grant != "client_credential") fail(req, 40002, "invalid grant_type");
  auto handle = wechat_handle_of_appid(appid);
  if (!handle) fail(req, 40013, "invalid appid");
  if (secret != client_secret()) fail(req, 40125, "invalid appsecret");
  auto account = account_for_handle(*handle);
  auto ttl = ctx_.oauth.token_ttl();
  if (stable && !force) {
    if (auto t = ctx_.oauth.find_issued(kPlatform, account.id, appid)) {
      auto left = std::chrono::duration_cast<std::chrono::seconds>(t->expires_at - ctx_.clock.now()).count();
      return json(req, 200, {{"access_token", t->access_token}, {"expires_in", left}});
    }
  } else {
    // /cgi-bin/token and a forced stable_token replace the account's current token.
    while (auto old = ctx_.oauth.find_issued(kPlatform, account.id, appid))
      ctx_.oauth.revoke(kPlatform, old->access_token);
  }
  auto t = ctx_.oauth.issue(kPlatform, account.id, appid, "", false);
  return json(req, 200, {{"access_token", t.access_token}, {"expires_in", ttl.count()}});
}

http::Response WechatPlatform::add_material(http::Request& req) {
  auto me = require_token(req);
  auto type = req.query_param("type").value_or("");
  if (type != "image" && type != "voice" && type != "video" && type != "thumb") fail(req, 40004, "invalid media type");
  auto p = Params::from_request(req);
  const FormPart* file = p.file("media");
  if (file == nullptr || file->data.empty()) fail(req, 41005, "media data missing");
  if (type == "image" || type == "thumb") {
    if (file->data.size() > kMaxMaterial) fail(req, 40009, "invalid image size");
    if (image_type(file->data).empty()) fail(req, 40113, "unsupported file type");
  }
  Media m;
  m.platform = kPlatform;
  m.owner_id = me.id;
  m.content_type = file->content_type;
  m.filename = file->filename;
  m.size = file->data.size();
  m.description = type;
  auto stored = ctx_.store.add_media(m, [](std::uint64_t n) { return opaque("media", n); });
  nlohmann::json out = {{"media_id", stored.id}};
  if (type == "image" || type == "thumb") {
    out["url"] = "http://mmbiz.qpic.cn/sz_mmbiz_" + image_type(file->data) + "/" + stored.id +
                 "/0?wx_fmt=" + image_type(file->data);
  }
  return json(req, 200, out);
}

http::Response WechatPlatform::upload_image(http::Request& req) {
  auto me = require_token(req);
  auto p = Params::from_request(req);
  const FormPart* file = p.file("media");
  if (file == nullptr || file->data.empty()) fail(req, 41005, "media data missing");
  auto type = image_type(file->data);
  if (type != "jpeg" && type != "png") fail(req, 40113, "unsupported file type");
  if (file->data.size() >= kMaxBodyImage) fail(req, 40009, "invalid image size");
  Media m;
  m.platform = kPlatform;
  m.owner_id = me.id;
  m.content_type = file->content_type;
  m.size = file->data.size();
  m.description = "uploadimg";
  auto stored = ctx_.store.add_media(m, [](std::uint64_t n) { return opaque("img", n); });
  return json(req, 200, {{"url", "http://mmbiz.qpic.cn/sz_mmbiz_" + type + "/" + stored.id + "/0"}});
}

http::Response WechatPlatform::add_draft(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  if (!body.contains("articles") || !body["articles"].is_array() || body["articles"].empty()) {
    fail(req, 44003, "empty news data");
  }
  if (body["articles"].size() > 8) fail(req, 45008, "article size out of limit");
  nlohmann::json articles = nlohmann::json::array();
  for (auto a : body["articles"]) {
    if (!a.is_object()) fail(req, 47001, "data format error");
    auto title = as_string(a, "title");
    if (title.empty()) fail(req, 44003, "empty news data");
    if (code_points(title) > kMaxTitle) fail(req, 45003, "title size out of limit");
    if (code_points(as_string(a, "digest")) > kMaxDigest) fail(req, 45004, "description size out of limit");
    auto content = strip_scripts(as_string(a, "content"));
    if (content.empty()) fail(req, 44004, "empty content");
    if (code_points(content) >= kMaxContent || content.size() >= kMaxContentBytes) {
      fail(req, 45002, "content size out of limit");
    }
    auto thumb = ctx_.store.media(kPlatform, as_string(a, "thumb_media_id"));
    if (!thumb || thumb->owner_id != me.id || (thumb->description != "image" && thumb->description != "thumb")) {
      fail(req, 40007, "invalid media_id");
    }
    a["content"] = content;
    a["thumb_url"] = "http://mmbiz.qpic.cn/sz_mmbiz_jpg/" + thumb->id + "/0?wx_fmt=jpeg";
    articles.push_back(a);
  }
  Draft d;
  d.media_id = opaque("draft", ctx_.store.next_number(kPlatform));
  d.owner_id = me.id;
  d.articles = articles;
  d.updated = ctx_.clock.now();
  std::lock_guard lock(mutex_);
  drafts_[d.media_id] = d;
  return json(req, 200, {{"media_id", d.media_id}});
}

http::Response WechatPlatform::get_draft(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  std::lock_guard lock(mutex_);
  auto it = drafts_.find(as_string(body, "media_id"));
  if (it == drafts_.end() || it->second.owner_id != me.id) fail(req, 40007, "invalid media_id");
  return json(req, 200, {{"news_item", it->second.articles}});
}

http::Response WechatPlatform::delete_draft(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  std::lock_guard lock(mutex_);
  auto it = drafts_.find(as_string(body, "media_id"));
  if (it == drafts_.end() || it->second.owner_id != me.id) fail(req, 40007, "invalid media_id");
  drafts_.erase(it);
  return json(req, 200, {{"errcode", 0}, {"errmsg", "ok"}});
}

Item WechatPlatform::publish_article(const Account& me, const nlohmann::json& article, const std::string& msg_data_id,
                                     const std::string& publish_id, TimePoint when, bool generated) {
  Item it;
  it.platform = kPlatform;
  it.author_id = me.id;
  it.text = as_string(article, "title");
  it.generated = generated;
  it.created_at = it.visible_at = when;
  it.extra = article;
  it.extra["msg_data_id"] = msg_data_id;
  it.extra["publish_id"] = publish_id;
  it.extra["comments_open"] = as_int(article, "need_open_comment") == 1;
  auto created = ctx_.store.create_item(it, [](std::uint64_t n) { return opaque("article", n); }).item;
  return *ctx_.store.update_item(kPlatform, created.id,
                                 [&](Item& x) { x.extra["url"] = article_url(msg_data_id, created.id); });
}

http::Response WechatPlatform::submit(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  Draft d;
  {
    std::lock_guard lock(mutex_);
    auto it = drafts_.find(as_string(body, "media_id"));
    if (it == drafts_.end() || it->second.owner_id != me.id) fail(req, 40007, "invalid media_id");
    d = it->second;
    drafts_.erase(it);  // the draft becomes the published article
  }
  auto n = ctx_.store.next_number(kPlatform);
  std::string msg_data_id = std::to_string(2247480000ULL + n);
  auto now = ctx_.clock.now();
  auto article = publish_article(me, d.articles[0], msg_data_id, msg_data_id, now, false);
  PublishJob job{msg_data_id, me.id, article.id, msg_data_id, now};
  {
    std::lock_guard lock(mutex_);
    jobs_[job.publish_id] = job;
  }
  return json(
      req, 200,
      {{"errcode", 0}, {"errmsg", "ok"}, {"publish_id", job.publish_id}, {"msg_data_id", std::stoll(msg_data_id)}});
}

http::Response WechatPlatform::publish_status(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  PublishJob job;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(as_string(body, "publish_id"));
    if (it == jobs_.end() || it->second.owner_id != me.id) fail(req, 40097, "invalid args: publish_id");
    job = it->second;
  }
  if (ctx_.clock.now() < job.submitted + kPublishDelay) {
    return json(req, 200, {{"publish_id", job.publish_id}, {"publish_status", 1}});
  }
  auto article = ctx_.store.item(kPlatform, job.article_id);
  int status = article && article->deleted ? 5 : 0;
  return json(
      req, 200,
      {{"publish_id", job.publish_id},
       {"publish_status", status},
       {"article_id", job.article_id},
       {"article_detail",
        {{"count", 1}, {"item", {{{"idx", 1}, {"article_url", article ? article->extra.value("url", "") : ""}}}}}},
       {"fail_idx", nlohmann::json::array()}});
}

http::Response WechatPlatform::get_article(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  auto it = ctx_.store.item(kPlatform, as_string(body, "article_id"));
  if (!it || it->author_id != me.id || it->kind != ItemKind::post || !it->in_reply_to_id.empty()) {
    fail(req, 53600, "Article ID 无效");
  }
  return json(req, 200, {{"news_item", {news_item(*it, true)}}});
}

http::Response WechatPlatform::delete_article(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  auto it = ctx_.store.item(kPlatform, as_string(body, "article_id"));
  if (!it || it->author_id != me.id || it->deleted || !it->in_reply_to_id.empty()) {
    fail(req, 53600, "Article ID 无效");
  }
  ctx_.store.update_item(kPlatform, it->id, [](Item& x) { x.deleted = true; });
  return json(req, 200, {{"errcode", 0}, {"errmsg", "ok"}});
}

http::Response WechatPlatform::batchget(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  auto offset = as_int(body, "offset", -1);
  auto count = as_int(body, "count", 0);
  if (offset < 0 || count < 1 || count > 20) fail(req, 40097, "invalid args: offset or count");
  bool no_content = as_int(body, "no_content") == 1;
  auto now = ctx_.clock.now();
  auto articles = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.author_id == me.id && it.kind == ItemKind::post && it.in_reply_to_id.empty() && !it.deleted &&
           it.visible_at <= now;
  });
  std::reverse(articles.begin(), articles.end());  // newest first
  nlohmann::json items = nlohmann::json::array();
  for (auto i = static_cast<std::size_t>(offset); i < articles.size() && items.size() < static_cast<std::size_t>(count);
       ++i) {
    items.push_back({{"article_id", articles[i].id},
                     {"content", {{"news_item", {news_item(articles[i], !no_content)}}}},
                     {"update_time", unix_seconds(articles[i].edited_at.value_or(articles[i].created_at))}});
  }
  return json(req, 200, {{"total_count", articles.size()}, {"item_count", items.size()}, {"item", items}});
}

Item WechatPlatform::article_of(const http::Request& req, const Account& me, const nlohmann::json& body) {
  auto mid = as_string(body, "msg_data_id");
  auto index = as_int(body, "index", 0);
  auto found = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.author_id == me.id && it.in_reply_to_id.empty() && !it.deleted &&
           it.extra.value("msg_data_id", "") == mid;
  });
  if (found.empty() || index != 0) fail(req, 88001, "msg_data is not exists");
  return found.front();
}

http::Response WechatPlatform::comment_switch(http::Request& req, bool open) {
  auto me = require_token(req);
  auto article = article_of(req, me, body_of(req));
  ctx_.store.update_item(kPlatform, article.id, [&](Item& x) { x.extra["comments_open"] = open; });
  return json(req, 200, {{"errcode", 0}, {"errmsg", "ok"}});
}

http::Response WechatPlatform::list_comments(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  auto article = article_of(req, me, body);
  if (!article.extra.value("comments_open", false)) fail(req, 88000, "without comment privilege");
  auto begin = as_int(body, "begin", -1);
  auto count = as_int(body, "count", 0);
  auto type = as_int(body, "type", 0);
  if (begin < 0 || count < 1 || count >= 50) fail(req, 88010, "count range error. cout <= 0 or count > 50");
  auto now = ctx_.clock.now();
  auto comments = ctx_.store.items(kPlatform, [&](const Item& c) {
    bool elected = c.extra.value("elected", false);
    return c.in_reply_to_id == article.id && !c.deleted && c.visible_at <= now &&
           (type == 0 || (type == 1 && !elected) || (type == 2 && elected));
  });
  nlohmann::json list = nlohmann::json::array();
  for (auto i = static_cast<std::size_t>(begin); i < comments.size() && list.size() < static_cast<std::size_t>(count);
       ++i) {
    const auto& c = comments[i];
    nlohmann::json j = {{"user_comment_id", as_int(c.extra, "user_comment_id")},
                        {"openid", c.author_id},
                        {"create_time", unix_seconds(c.created_at)},
                        {"content", c.text},
                        {"comment_type", c.extra.value("elected", false) ? 1 : 0}};
    if (c.extra.contains("reply")) j["reply"] = c.extra["reply"];
    list.push_back(j);
  }
  return json(req, 200, {{"errcode", 0}, {"errmsg", "ok"}, {"total", comments.size()}, {"comment", list}});
}

http::Response WechatPlatform::comment_action(http::Request& req, const std::string& action) {
  auto me = require_token(req);
  auto body = body_of(req);
  auto article = article_of(req, me, body);
  auto user_comment_id = as_int(body, "user_comment_id", -1);
  auto found = ctx_.store.items(kPlatform, [&](const Item& c) {
    return c.in_reply_to_id == article.id && as_int(c.extra, "user_comment_id") == user_comment_id;
  });
  if (found.empty()) fail(req, 88008, "comment is not exists");
  const auto& c = found.front();
  if (c.deleted) fail(req, 88004, "comment was deleted by user");
  if (action == "reply/add") {
    auto content = as_string(body, "content");
    if (content.empty() || code_points(content) > 1000)
      fail(req, 88007, "reply content beyond max len or content len is zero");
    if (c.extra.contains("reply")) fail(req, 88005, "already reply");
    auto at = unix_seconds(ctx_.clock.now());
    ctx_.store.update_item(kPlatform, c.id, [&](Item& x) {
      x.extra["reply"] = {{"content", content}, {"create_time", at}};
    });
  } else if (action == "reply/delete") {
    ctx_.store.update_item(kPlatform, c.id, [](Item& x) { x.extra.erase("reply"); });
  } else if (action == "delete") {
    ctx_.store.update_item(kPlatform, c.id, [](Item& x) { x.deleted = true; });
  } else {
    bool elect = action == "markelect";
    ctx_.store.update_item(kPlatform, c.id, [&](Item& x) { x.extra["elected"] = elect; });
  }
  return json(req, 200, {{"errcode", 0}, {"errmsg", "ok"}});
}

http::Response WechatPlatform::send_custom(http::Request& req) {
  auto me = require_token(req);
  auto body = body_of(req);
  auto to = ctx_.store.account(kPlatform, as_string(body, "touser"));
  if (!to || !to->external) fail(req, 40003, "invalid openid");
  auto type = as_string(body, "msgtype");
  if (type != "text") fail(req, 40008, "invalid message type");
  std::string content = body.contains("text") && body["text"].is_object() ? as_string(body["text"], "content") : "";
  if (content.empty()) fail(req, 44002, "empty post data");
  auto now = ctx_.clock.now();
  auto last = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.kind == ItemKind::dm && it.author_id == to->id && it.recipient_id == me.id && it.visible_at <= now;
  });
  if (last.empty() || now - last.back().created_at > kServiceWindow) {
    fail(req, 45015, "response out of time limit or subscription is canceled");
  }
  Item it;
  it.platform = kPlatform;
  it.kind = ItemKind::dm;
  it.author_id = me.id;
  it.recipient_id = to->id;
  it.conversation_id = to->id;
  it.text = content;
  ctx_.store.create_item(it, [](std::uint64_t n) { return std::to_string(24000000000000000ULL + n); });
  return json(req, 200, {{"errcode", 0}, {"errmsg", "ok"}});
}

void WechatPlatform::deliver_xml(const Account& me, const std::string& xml, int index, const GenerateRequest& r) {
  auto ts = std::to_string(unix_seconds(ctx_.clock.now()));
  auto nonce = std::to_string(ctx_.store.next_number("wechat-nonce") * 104729 % 1000000007);
  Delivery d;
  d.platform = kPlatform;
  d.event = "text";
  d.query = "signature=" + wechat_signature(client_secret(), ts, nonce) + "&timestamp=" + ts + "&nonce=" + nonce +
            "&openid=" + url_encode(me.id);
  d.body = xml;
  d.content_type = "text/xml";
  d.not_before = event_due(r, index);
  ctx_.webhooks.enqueue(std::move(d));
}

GenerateResult WechatPlatform::generate(const GenerateRequest& r) {
  if (r.kind == EventKind::mention) {
    core::http::invalid_field("kind", "wechat official accounts have no mentions: use comment or dm");
  }
  GenerateResult result;
  auto me = account_for_handle(r.handle);
  std::string original_id = "gh_" + core::crypto::hex_encode(core::crypto::sha256(me.id)).substr(0, 12);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto user = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_openid, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = user.id;
    it.text = ev.text;
    it.language = ev.language;
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    IdFormat format;
    if (r.kind == EventKind::comment) {
      auto articles = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.author_id == me.id && x.kind == ItemKind::post && x.in_reply_to_id.empty() && !x.deleted;
      });
      if (articles.empty()) {
        auto n = ctx_.store.next_number(kPlatform);
        auto mid = std::to_string(2247480000ULL + n);
        nlohmann::json seed = {{"title", "Hello from the Herald sandbox"},
                               {"content", "<p>Hello from the Herald sandbox!</p>"},
                               {"need_open_comment", 1}};
        articles.push_back(publish_article(me, seed, mid, mid, ctx_.clock.now(), true));
      }
      auto article = articles.back();
      if (!article.extra.value("comments_open", false)) {
        ctx_.store.update_item(kPlatform, article.id, [](Item& x) { x.extra["comments_open"] = true; });
      }
      it.in_reply_to_id = it.root_id = article.id;
      std::string mid = article.extra.value("msg_data_id", "");
      format = [mid](std::uint64_t n) { return mid + ":0:" + std::to_string(n); };
    } else {
      it.kind = ItemKind::dm;
      it.recipient_id = me.id;
      it.conversation_id = user.id;
      format = [](std::uint64_t n) { return std::to_string(24000000000000000ULL + n); };
    }
    auto created = ctx_.store.create_item(it, format).item;
    if (r.kind == EventKind::comment) {
      auto id = created.id.substr(created.id.rfind(':') + 1);
      ctx_.store.update_item(kPlatform, created.id, [&](Item& x) { x.extra["user_comment_id"] = std::stoll(id); });
    }
    if (result.first_id.empty()) result.first_id = created.id;
    result.last_id = created.id;
    ++result.generated;
    if (r.webhook && r.kind == EventKind::dm) {
      deliver_xml(
          me, wechat_text_message_xml(original_id, user.id, unix_seconds(created.created_at), created.text, created.id),
          i, r);
    }
  }
  return result;
}

void WechatPlatform::on_webhook_registered(const std::string& /*url*/) {
  // 接入指南: GET ?signature&timestamp&nonce&echostr; the server proves it holds the Token by echoing echostr.
  Delivery d;
  d.platform = kPlatform;
  d.event = "verification";
  d.method = "GET";
  auto ts = std::to_string(unix_seconds(ctx_.clock.now()));
  auto nonce = std::to_string(ctx_.store.next_number("wechat-nonce") * 104729 % 1000000007);
  std::string echostr = std::to_string(ctx_.store.next_number("wechat-echostr") * 7919 + 3000000);
  d.query = "signature=" + wechat_signature(client_secret(), ts, nonce) + "&echostr=" + echostr + "&timestamp=" + ts +
            "&nonce=" + nonce;
  d.verify = [echostr](const SendResult& r) -> std::string {
    if (r.status != 200 || r.body != echostr) return "verification failed: the answer must be the echostr";
    return "";
  };
  ctx_.webhooks.enqueue(std::move(d));
}

}  // namespace herald::sandbox
