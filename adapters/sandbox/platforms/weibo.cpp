// Sina Weibo open API v2 emulator. Shapes from the official documentation (open.weibo.com/wiki/微博API):
//   wiki/Oauth2 (授权机制说明): GET/POST /oauth2/authorize (client_id, redirect_uri, response_type defaults to
//     code, state, scope), POST /oauth2/access_token (form or query: client_id, client_secret, grant_type,
//     code, redirect_uri) -> {access_token, remind_in, expires_in, uid, isRealName}; no refresh tokens for web
//     apps; POST /oauth2/get_token_info -> {uid, appkey, scope, create_at, expire_in}; /oauth2/revokeoauth2
//     -> {"result":"true"}. API calls carry "Authorization: OAuth2 <token>" (or access_token=).
//   wiki/2/statuses/share (status: at most 140 characters by Weibo's count, must carry a URL of the app's
//     安全域名; pic: one JPEG/GIF/PNG under 5 MB as multipart; rip), statuses/destroy, statuses/show,
//     statuses/user_timeline (the authorizing user's own), statuses/mentions, statuses/count,
//     comments/to_me, comments/show, comments/create, comments/reply ("回复@name:" prefixed unless
//     without_mention=1), comments/destroy, users/show, account/get_uid, account/rate_limit_status.
//   wiki/Error_code: {"error":"...","error_code":N,"request":"/2/..."}; 10016 missing parameter, 10017 bad
//     value (and "appkey not bind domain"), 10023 user requests out of rate limit (HTTP 403), 20003 no such
//     user, 20012 text too long, 20019 repeat content, 20101 no such weibo, 20112 not your own weibo, 20201
//     no such comment, 20203 not your own comment, 21301/21319/21327/21332 auth (expired_token 21327, revoked
//     21319, invalid 21332: HTTP 401), 21322-21325 OAuth grant errors.
// The sandbox app's safe domains are example.com, example.org, herald.example (with subdomains), localhost
// and 127.0.0.1. Statuses and comments use one id sequence (16 digits, as id, idstr and mid). Direct
// messages need partner-only scopes: not emulated (generate kind dm is refused). No webhooks.
#include "adapters/sandbox/platforms/weibo.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "weibo";
constexpr std::size_t kMaxStatus = 140;
constexpr std::size_t kMaxPic = 5 * 1024 * 1024;
constexpr std::int64_t kUserLimit = 150;  // remaining_user_hits per hour (account/rate_limit_status)

std::string format_uid(std::uint64_t n) { return std::to_string(5600000000ULL + n); }
std::string format_id(std::uint64_t n) { return std::to_string(4990000000000000ULL + n); }

std::int64_t num(const std::string& id) {
  std::uint64_t v = 0;
  (void)parse_u64(id, v);
  return static_cast<std::int64_t>(v);
}

bool image_bytes(const std::string& data) {
  return starts_with(data, "\xff\xd8") || starts_with(data, "\x89PNG") || starts_with(data, "GIF8");
}

// since_id (exclusive), max_id (inclusive), count, page: newest first, as Weibo lists.
template <class Keep>
std::vector<Item> page_of(std::vector<Item> items, const Params& p, Keep keep, std::size_t* total) {
  std::vector<Item> kept;
  auto since = p.get_or("since_id", "0");
  auto max = p.get_or("max_id", "0");
  for (auto& it : items) {
    if (!keep(it)) continue;
    if (since != "0" && !since.empty() && !id_less(since, it.id)) continue;
    if (max != "0" && !max.empty() && id_less(max, it.id)) continue;
    kept.push_back(std::move(it));
  }
  std::sort(kept.begin(), kept.end(), [](const Item& a, const Item& b) { return id_less(b.id, a.id); });
  *total = kept.size();
  std::uint64_t count = 20;
  std::uint64_t page = 1;
  if (auto c = p.get("count"); c && parse_u64(*c, count)) count = std::clamp<std::uint64_t>(count, 1, 100);
  if (auto pg = p.get("page"); pg && (!parse_u64(*pg, page) || page == 0)) page = 1;
  std::vector<Item> out;
  for (std::size_t i = (page - 1) * count; i < kept.size() && out.size() < count; ++i) out.push_back(kept[i]);
  return out;
}

}  // namespace

std::string weibo_time(TimePoint t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t secs = std::chrono::system_clock::to_time_t(t) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %s %02d %02d:%02d:%02d +0800 %04d", kDays[tm.tm_wday], kMonths[tm.tm_mon],
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
  return buf;
}

std::size_t weibo_length(const std::string& utf8) {
  std::size_t wide = 0;
  std::size_t ascii = 0;
  for (unsigned char c : utf8) {
    if (c < 0x80) {
      ++ascii;
    } else if ((c & 0xC0) != 0x80) {
      ++wide;
    }
  }
  return wide + (ascii + 1) / 2;
}

bool has_safe_domain_url(const std::string& text) {
  static const std::vector<std::string> kDomains{"example.com", "example.org", "herald.example", "localhost",
                                                 "127.0.0.1"};
  for (std::size_t at = text.find("http"); at != std::string::npos; at = text.find("http", at + 4)) {
    std::size_t host = 0;
    if (text.compare(at, 7, "http://") == 0) {
      host = at + 7;
    } else if (text.compare(at, 8, "https://") == 0) {
      host = at + 8;
    } else {
      continue;
    }
    auto end = text.find_first_of(":/?# \t\r\n", host);
    auto name = lower(text.substr(host, end == std::string::npos ? std::string::npos : end - host));
    for (const auto& d : kDomains) {
      if (name == d ||
          (name.size() > d.size() && name.compare(name.size() - d.size() - 1, std::string::npos, "." + d) == 0)) {
        return true;
      }
    }
  }
  return false;
}

WeiboPlatform::WeiboPlatform(Context& ctx) : Platform(kPlatform, "Weibo", ctx) {}

Account WeiboPlatform::account_for_handle(const std::string& handle) {
  return ctx_.store.ensure_account(kPlatform, handle, format_uid);
}

void WeiboPlatform::fail(const http::Request& req, int status, int code, const std::string& error) {
  throw ErrorResponse(json(req, status, {{"error", error}, {"error_code", code}, {"request", req.path}}));
}

http::Response WeiboPlatform::error_response(const http::Request& req, int status, const std::string& message) {
  int code = status == 404 ? 10021 : status == 401 ? 21301 : status >= 500 ? (status == 503 ? 10002 : 10001) : 10008;
  std::string error = status == 404   ? "Request api not found!"
                      : status == 503 ? "Service unavailable"
                      : status >= 500 ? "System error"
                                      : message;
  return json(req, status, {{"error", error}, {"error_code", code}, {"request", req.path}});
}

http::Response WeiboPlatform::rate_limit_response(const http::Request& req) {
  // Weibo refuses with HTTP 403 and error_code 10023 (per user, hourly windows; no Retry-After).
  return json(req, 403, {{"error", "User requests out of rate limit!"}, {"error_code", 10023}, {"request", req.path}});
}

void WeiboPlatform::decorate(const http::Request& req, http::Response& res, const std::string& route) {
  if (!starts_with(route, "/2/")) return;
  auto token = std::string(req.header("Authorization").value_or(""));
  (void)rate_windows_.hit(token.empty() ? req.remote_address : token, kUserLimit, std::chrono::hours(1),
                          ctx_.clock.now());
  res.set(http::beast_http::field::server, "nginx/1.6.1");
}

Account WeiboPlatform::require_user(const http::Request& req) {
  std::string token;
  auto h = std::string(req.header("Authorization").value_or(""));
  if (lower(h.substr(0, 7)) == "oauth2 ") token = h.substr(7);
  if (token.empty()) token = bearer_token(req).value_or("");
  if (token.empty()) token = Params::from_request(req).get_or("access_token", "");
  if (token.empty()) fail(req, 403, 10006, "source paramter(appkey) is missing");
  auto check = ctx_.oauth.check(kPlatform, token);
  if (check.state == TokenState::expired) fail(req, 401, 21327, "expired_token");
  if (check.state == TokenState::revoked) fail(req, 401, 21319, "Accessor was revoked!");
  auto a = check.state == TokenState::valid ? ctx_.store.account(kPlatform, check.account_id) : std::nullopt;
  if (!a) fail(req, 401, 21332, "invalid_access_token");
  return *a;
}

nlohmann::json WeiboPlatform::user_json(const Account& a) const {
  auto statuses = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.author_id == a.id && !is_comment(it) && !it.deleted && it.visible_at <= ctx_.clock.now();
  });
  std::string avatar = "https://tvax1.sinaimg.cn/default/images/default_avatar_male_180.gif";
  return {{"id", num(a.id)},
          {"idstr", a.id},
          {"class", 1},
          {"screen_name", a.handle},
          {"name", a.display_name},
          {"province", "11"},
          {"city", "8"},
          {"location", "北京 海淀区"},
          {"description", a.external ? "" : "Herald sandbox: simulated Weibo account"},
          {"url", ""},
          {"profile_image_url", avatar},
          {"profile_url", "u/" + a.id},
          {"domain", ""},
          {"gender", "n"},
          {"followers_count", 0},
          {"friends_count", 0},
          {"statuses_count", statuses.size()},
          {"favourites_count", 0},
          {"created_at", weibo_time(a.created_at)},
          {"following", false},
          {"allow_all_act_msg", false},
          {"geo_enabled", false},
          {"verified", false},
          {"verified_type", -1},
          {"allow_all_comment", true},
          {"avatar_large", avatar},
          {"avatar_hd", avatar},
          {"verified_reason", ""},
          {"follow_me", false},
          {"online_status", 0},
          {"bi_followers_count", 0},
          {"lang", "zh-cn"}};
}

nlohmann::json WeiboPlatform::status_json(const Item& it) const {
  auto author = ctx_.store.account(kPlatform, it.author_id);
  auto now = ctx_.clock.now();
  auto comments = ctx_.store.items(kPlatform, [&](const Item& c) {
    return c.root_id == it.id && c.id != it.id && !c.deleted && c.visible_at <= now;
  });
  nlohmann::json pics = nlohmann::json::array();
  for (const auto& m : it.media_ids)
    pics.push_back({{"thumbnail_pic", "https://wx1.sinaimg.cn/thumbnail/" + m + ".jpg"}});
  std::string app = it.generated ? "微博 weibo.com" : client_id();
  nlohmann::json j = {{"created_at", weibo_time(it.created_at)},
                      {"id", num(it.id)},
                      {"idstr", it.id},
                      {"mid", it.id},
                      {"text", it.text},
                      {"source", "<a href=\"https://app.weibo.com/t/feed/sandbox\" rel=\"nofollow\">" + app + "</a>"},
                      {"favorited", false},
                      {"truncated", false},
                      {"in_reply_to_status_id", ""},
                      {"in_reply_to_user_id", ""},
                      {"in_reply_to_screen_name", ""},
                      {"pic_urls", pics},
                      {"geo", nullptr},
                      {"user", author ? user_json(*author) : nlohmann::json(nullptr)},
                      {"reposts_count", 0},
                      {"comments_count", comments.size()},
                      {"attitudes_count", 0},
                      {"visible", {{"type", 0}, {"list_id", 0}}}};
  if (!pics.empty()) {
    j["thumbnail_pic"] = pics[0]["thumbnail_pic"];
    j["original_pic"] = "https://wx1.sinaimg.cn/large/" + it.media_ids[0] + ".jpg";
  }
  return j;
}

nlohmann::json WeiboPlatform::comment_json(const Item& it, bool with_status) const {
  auto author = ctx_.store.account(kPlatform, it.author_id);
  nlohmann::json j = {{"created_at", weibo_time(it.created_at)},
                      {"id", num(it.id)},
                      {"idstr", it.id},
                      {"mid", it.id},
                      {"text", it.text},
                      {"source", "<a href=\"https://weibo.com/\" rel=\"nofollow\">微博 weibo.com</a>"},
                      {"user", author ? user_json(*author) : nlohmann::json(nullptr)}};
  if (with_status) {
    if (auto s = ctx_.store.item(kPlatform, it.root_id)) j["status"] = status_json(*s);
  }
  if (it.in_reply_to_id != it.root_id) {
    if (auto parent = ctx_.store.item(kPlatform, it.in_reply_to_id)) j["reply_comment"] = comment_json(*parent, false);
  }
  return j;
}

Item WeiboPlatform::visible_status(const http::Request& req, const std::string& id) {
  auto it = ctx_.store.item(kPlatform, id);
  if (!it || it->deleted || is_comment(*it) || it->visible_at > ctx_.clock.now()) {
    fail(req, 400, 20101, "Target weibo does not exist!");
  }
  return *it;
}

void WeiboPlatform::add_routes() {
  auto authorize = [this](http::Request& req, Call&) {
    auto spec = authorize_spec(false);
    spec.response_type_optional = true;
    return Platform::authorize(req, spec);
  };
  route(Verb::get, "/oauth2/authorize", authorize);
  route(Verb::post, "/oauth2/authorize", authorize);
  route(Verb::post, "/oauth2/access_token", [this](http::Request& req, Call&) { return access_token(req); });
  route(Verb::post, "/oauth2/get_token_info", [this](http::Request& req, Call&) { return token_info(req); });
  route(Verb::post, "/oauth2/revokeoauth2", [this](http::Request& req, Call&) { return revoke(req); });
  route(Verb::get, "/oauth2/revokeoauth2", [this](http::Request& req, Call&) { return revoke(req); });
  route(Verb::post, "/2/statuses/share.json", [this](http::Request& req, Call&) { return share(req); });
  route(Verb::post, "/2/statuses/destroy.json", [this](http::Request& req, Call&) { return destroy_status(req); });
  route(Verb::get, "/2/statuses/show.json", [this](http::Request& req, Call&) { return show_status(req); });
  route(Verb::get, "/2/statuses/user_timeline.json",
        [this](http::Request& req, Call&) { return timeline(req, false); });
  route(Verb::get, "/2/statuses/mentions.json", [this](http::Request& req, Call&) { return timeline(req, true); });
  route(Verb::get, "/2/statuses/count.json", [this](http::Request& req, Call&) { return counts(req); });
  route(Verb::get, "/2/comments/to_me.json", [this](http::Request& req, Call&) { return comments_to_me(req); });
  route(Verb::get, "/2/comments/show.json", [this](http::Request& req, Call&) { return comments_show(req); });
  route(Verb::post, "/2/comments/create.json",
        [this](http::Request& req, Call&) { return create_comment(req, false); });
  route(Verb::post, "/2/comments/reply.json", [this](http::Request& req, Call&) { return create_comment(req, true); });
  route(Verb::post, "/2/comments/destroy.json", [this](http::Request& req, Call&) { return destroy_comment(req); });
  route(Verb::get, "/2/users/show.json", [this](http::Request& req, Call&) { return show_user(req); });
  route(Verb::get, "/2/account/get_uid.json", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    return json(req, 200, {{"uid", num(me.id)}});
  });
  route(Verb::get, "/2/account/rate_limit_status.json",
        [this](http::Request& req, Call&) { return rate_limit_status(req); });
}

http::Response WeiboPlatform::access_token(http::Request& req) {
  auto p = Params::from_request(req);
  auto oauth_error = [&](int code, const std::string& error, const std::string& description) {
    return json(req, 400,
                {{"error", error},
                 {"error_code", code},
                 {"request", req.path},
                 {"error_uri", req.path},
                 {"error_description", description}});
  };
  if (p.get_or("client_id", "") != client_id() || p.get_or("client_secret", "") != client_secret()) {
    return oauth_error(21324, "invalid_client", "invalid client id or secret");
  }
  if (p.get_or("grant_type", "") != "authorization_code") {
    return oauth_error(21328, "unsupported_grant_type", "unsupported grant type");
  }
  auto r =
      ctx_.oauth.redeem_code(kPlatform, p.get_or("code", ""), client_id(), p.get_or("redirect_uri", ""), "", false);
  if (r.error != GrantError::none) {
    if (r.description.find("redirect_uri") != std::string::npos) {
      return oauth_error(21322, "redirect_uri_mismatch", "redirect_uri does not match the authorize request");
    }
    return oauth_error(21325, "invalid_grant", "invalid authorization code:" + p.get_or("code", ""));
  }
  auto ttl = ctx_.oauth.token_ttl().count();
  return json(req, 200,
              {{"access_token", r.token.access_token},
               {"remind_in", std::to_string(ttl)},
               {"expires_in", ttl},
               {"uid", r.token.account_id},
               {"isRealName", "true"}});
}

http::Response WeiboPlatform::token_info(http::Request& req) {
  auto p = Params::from_request(req);
  auto token = p.get_or("access_token", "");
  auto check = ctx_.oauth.check(kPlatform, token);
  if (check.state == TokenState::expired) fail(req, 401, 21327, "expired_token");
  if (check.state == TokenState::revoked) fail(req, 401, 21319, "Accessor was revoked!");
  if (check.state != TokenState::valid) fail(req, 401, 21332, "invalid_access_token");
  auto now = ctx_.clock.now();
  return json(req, 200,
              {{"uid", num(check.account_id)},
               {"appkey", client_id()},
               {"scope", check.scope},
               {"create_at", unix_seconds(now)},
               {"expire_in", ctx_.oauth.token_ttl().count()}});
}

http::Response WeiboPlatform::revoke(http::Request& req) {
  auto p = Params::from_request(req);
  auto token = p.get_or("access_token", "");
  auto check = ctx_.oauth.check(kPlatform, token);
  if (check.state == TokenState::expired) fail(req, 401, 21327, "expired_token");
  if (check.state != TokenState::valid) fail(req, 401, 21332, "invalid_access_token");
  ctx_.oauth.revoke(kPlatform, token);
  return json(req, 200, {{"result", "true"}});
}

http::Response WeiboPlatform::share(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto status = p.get_or("status", "");
  if (status.empty()) fail(req, 400, 10016, "miss required parameter (status), see doc for more info.");
  if (weibo_length(status) > kMaxStatus) {
    fail(req, 400, 20012, "Text too long, please input text less than 140 characters!");
  }
  if (!has_safe_domain_url(status)) fail(req, 400, 10017, "appkey not bind domain!");
  Item it;
  it.platform = kPlatform;
  it.author_id = me.id;
  it.text = status;
  if (const FormPart* pic = p.file("pic")) {
    if (pic->data.size() > kMaxPic) fail(req, 400, 20006, "Image size too large.");
    if (!image_bytes(pic->data)) fail(req, 400, 20005, "Unsupported image type, only suport JPG, GIF, PNG!");
    Media m;
    m.platform = kPlatform;
    m.owner_id = me.id;
    m.content_type = pic->content_type;
    m.filename = pic->filename;
    m.size = pic->data.size();
    it.media_ids.push_back(
        ctx_.store.add_media(m, [](std::uint64_t n) { return "006sandbox" + std::to_string(n) + "ly1h"; }).id);
  } else if (p.has("pic")) {
    fail(req, 400, 10007, "Unsupport mediatype (text/plain)");
  }
  for (const auto& other : ctx_.store.items(
           kPlatform, [&](const Item& x) { return x.author_id == me.id && !is_comment(x) && !x.deleted; })) {
    if (other.text == status) fail(req, 400, 20019, "Repeat content!");
  }
  if (auto rip = p.get("rip")) it.extra["rip"] = *rip;
  return json(req, 200, status_json(ctx_.store.create_item(it, format_id).item));
}

http::Response WeiboPlatform::destroy_status(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto it = visible_status(req, p.get_or("id", ""));
  if (it.author_id != me.id) fail(req, 403, 20112, "Not your own weibo!");
  auto deleted = ctx_.store.update_item(kPlatform, it.id, [](Item& x) { x.deleted = true; });
  return json(req, 200, status_json(*deleted));
}

http::Response WeiboPlatform::show_status(http::Request& req) {
  require_user(req);
  auto id = req.query_param("id").value_or("");
  if (id.empty()) fail(req, 400, 10016, "miss required parameter (id), see doc for more info.");
  return json(req, 200, status_json(visible_status(req, id)));
}

http::Response WeiboPlatform::timeline(http::Request& req, bool mentions) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  if (!mentions) {
    auto uid = p.get_or("uid", me.id);
    auto name = p.get_or("screen_name", me.handle);
    if (uid != me.id || lower(name) != lower(me.handle)) {
      fail(req, 403, 10014, "Insufficient app permissions: only the authorizing user's own statuses");
    }
  }
  auto now = ctx_.clock.now();
  std::size_t total = 0;
  auto list = page_of(
      ctx_.store.items(kPlatform, [](const Item&) { return true; }), p,
      [&](const Item& it) {
        if (it.deleted || is_comment(it) || it.visible_at > now || it.kind != ItemKind::post) return false;
        if (!mentions) return it.author_id == me.id;
        return it.author_id != me.id &&
               std::find(it.mention_ids.begin(), it.mention_ids.end(), me.id) != it.mention_ids.end();
      },
      &total);
  nlohmann::json statuses = nlohmann::json::array();
  for (const auto& it : list) statuses.push_back(status_json(it));
  std::int64_t next = list.empty() ? 0 : num(list.back().id) - 1;
  nlohmann::json out = {
      {"statuses", statuses},  {"previous_cursor", 0}, {"next_cursor", list.size() < total ? next : 0},
      {"total_number", total}, {"hasvisible", false},  {"interval", 0}};
  if (!mentions) out["marks"] = nlohmann::json::array();
  return json(req, 200, out);
}

http::Response WeiboPlatform::counts(http::Request& req) {
  require_user(req);
  auto ids = req.query_param("ids").value_or("");
  if (ids.empty()) fail(req, 400, 10016, "miss required parameter (ids), see doc for more info.");
  nlohmann::json out = nlohmann::json::array();
  auto now = ctx_.clock.now();
  for (std::size_t at = 0; at <= ids.size();) {
    auto end = std::min(ids.find(',', at), ids.size());
    auto id = ids.substr(at, end - at);
    at = end + 1;
    auto it = ctx_.store.item(kPlatform, id);
    if (!it || it->deleted || is_comment(*it)) continue;
    auto comments = ctx_.store.items(
        kPlatform, [&](const Item& c) { return c.root_id == id && c.id != id && !c.deleted && c.visible_at <= now; });
    out.push_back({{"id", num(id)}, {"idstr", id}, {"comments", comments.size()}, {"reposts", 0}, {"attitudes", 0}});
  }
  return json(req, 200, out);
}

http::Response WeiboPlatform::comments_to_me(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto now = ctx_.clock.now();
  std::size_t total = 0;
  auto list = page_of(
      ctx_.store.items(kPlatform, [](const Item&) { return true; }), p,
      [&](const Item& it) {
        if (it.deleted || !is_comment(it) || it.visible_at > now || it.author_id == me.id) return false;
        auto status = ctx_.store.item(kPlatform, it.root_id);
        auto parent = ctx_.store.item(kPlatform, it.in_reply_to_id);
        return (status && status->author_id == me.id && !status->deleted) || (parent && parent->author_id == me.id);
      },
      &total);
  nlohmann::json comments = nlohmann::json::array();
  for (const auto& it : list) comments.push_back(comment_json(it, true));
  return json(req, 200,
              {{"comments", comments},
               {"hasvisible", false},
               {"previous_cursor", 0},
               {"next_cursor", 0},
               {"total_number", total}});
}

http::Response WeiboPlatform::comments_show(http::Request& req) {
  require_user(req);
  auto p = Params::from_request(req);
  auto status = visible_status(req, p.get_or("id", ""));
  auto now = ctx_.clock.now();
  std::size_t total = 0;
  auto list = page_of(
      ctx_.store.items(kPlatform, [](const Item&) { return true; }), p,
      [&](const Item& it) {
        return !it.deleted && it.root_id == status.id && it.id != status.id && it.visible_at <= now;
      },
      &total);
  nlohmann::json comments = nlohmann::json::array();
  for (const auto& it : list) comments.push_back(comment_json(it, true));
  return json(req, 200,
              {{"comments", comments},
               {"hasvisible", false},
               {"previous_cursor", 0},
               {"next_cursor", 0},
               {"total_number", total}});
}

http::Response WeiboPlatform::create_comment(http::Request& req, bool reply) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto text = p.get_or("comment", "");
  if (text.empty()) fail(req, 400, 10016, "miss required parameter (comment), see doc for more info.");
  if (weibo_length(text) > kMaxStatus) {
    fail(req, 400, 20012, "Text too long, please input text less than 140 characters!");
  }
  auto status = visible_status(req, p.get_or("id", ""));
  Item it;
  it.platform = kPlatform;
  it.author_id = me.id;
  it.root_id = status.id;
  it.in_reply_to_id = status.id;
  if (reply) {
    auto parent = ctx_.store.item(kPlatform, p.get_or("cid", ""));
    if (!parent || parent->deleted || !is_comment(*parent) || parent->root_id != status.id) {
      fail(req, 400, 20201, "Target comment does not exist!");
    }
    it.in_reply_to_id = parent->id;
    auto to = ctx_.store.account(kPlatform, parent->author_id);
    if (p.get_or("without_mention", "0") != "1" && to) text = "回复@" + to->handle + ":" + text;
  }
  it.text = text;
  return json(req, 200, comment_json(ctx_.store.create_item(it, format_id).item, true));
}

http::Response WeiboPlatform::destroy_comment(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto it = ctx_.store.item(kPlatform, p.get_or("cid", ""));
  if (!it || it->deleted || !is_comment(*it)) fail(req, 400, 20201, "Target comment does not exist!");
  auto status = ctx_.store.item(kPlatform, it->root_id);
  if (it->author_id != me.id && !(status && status->author_id == me.id)) {
    fail(req, 403, 20203, "Not your own comment!");
  }
  auto deleted = ctx_.store.update_item(kPlatform, it->id, [](Item& x) { x.deleted = true; });
  return json(req, 200, comment_json(*deleted, true));
}

http::Response WeiboPlatform::show_user(http::Request& req) {
  require_user(req);
  std::optional<Account> a;
  if (auto uid = req.query_param("uid"); uid && !uid->empty()) {
    a = ctx_.store.account(kPlatform, *uid);
  } else if (auto name = req.query_param("screen_name"); name && !name->empty()) {
    a = ctx_.store.account_by_handle(kPlatform, *name);
  } else {
    fail(req, 400, 10016, "miss required parameter (uid or screen_name), see doc for more info.");
  }
  if (!a) fail(req, 400, 20003, "User does not exists!");
  return json(req, 200, user_json(*a));
}

http::Response WeiboPlatform::rate_limit_status(http::Request& req) {
  require_user(req);
  auto token = std::string(req.header("Authorization").value_or(""));
  auto s = rate_windows_.hit(token.empty() ? req.remote_address : token, kUserLimit, std::chrono::hours(1),
                             ctx_.clock.now());
  auto reset_in = std::max<std::int64_t>(0, unix_seconds(s.reset) - unix_seconds(ctx_.clock.now()));
  return json(req, 200,
              {{"api_rate_limits",
                {{{"api", "statuses/share"}, {"limit", 30}, {"limit_time_unit", "HOURS"}, {"remaining_hits", 30}}}},
               {"ip_limit", 10000},
               {"limit_time_unit", "HOURS"},
               {"remaining_ip_hits", 10000},
               {"remaining_user_hits", s.remaining},
               {"reset_time", weibo_time(s.reset)},
               {"reset_time_in_seconds", reset_in},
               {"user_limit", s.limit}});
}

GenerateResult WeiboPlatform::generate(const GenerateRequest& r) {
  if (r.kind == EventKind::dm) {
    core::http::invalid_field("kind", "weibo direct messages need partner-only scopes: not in the sandbox");
  }
  GenerateResult result;
  auto me = account_for_handle(r.handle);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto author = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_uid, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = author.id;
    it.text = ev.text;
    it.language = ev.language;
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    if (r.kind == EventKind::comment) {
      auto posts = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.author_id == me.id && !is_comment(x) && !x.deleted && x.kind == ItemKind::post;
      });
      if (posts.empty()) {
        Item seed;
        seed.platform = kPlatform;
        seed.author_id = me.id;
        seed.text = "Hello from the Herald sandbox! https://example.com/herald";
        seed.generated = true;
        posts.push_back(ctx_.store.create_item(seed, format_id).item);
      }
      it.in_reply_to_id = it.root_id = posts.back().id;
    } else {
      it.text = "@" + me.handle + " " + ev.text;
      it.mention_ids = {me.id};
    }
    auto created = ctx_.store.create_item(it, format_id).item;
    if (result.first_id.empty()) result.first_id = created.id;
    result.last_id = created.id;
    ++result.generated;
  }
  return result;
}

}  // namespace herald::sandbox
