// Instagram Graph API emulator (Instagram API with Facebook Login). Shapes from the official documentation
// (<ig> = developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference):
//   developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/get-started
//     (Facebook Login dialog and code exchange; GET /me/accounts?fields=instagram_business_account)
//   developers.facebook.com/docs/instagram-platform/content-publishing (POST /{ig-user-id}/media: image_url,
//     video_url + media_type REELS/VIDEO, is_carousel_item, CAROUSEL + children; GET /{container-id}?fields=
//     status_code (EXPIRED, ERROR, FINISHED, IN_PROGRESS, PUBLISHED); POST /{ig-user-id}/media_publish)
//   <ig>/ig-user (fields), <ig>/ig-user/media (edge, cursor paging), <ig>/ig-user/tags, <ig>/ig-user/mentions
//     (POST: reply to a mention), <ig>/ig-user/content_publishing_limit, <ig>/ig-media (fields, comment_enabled),
//     <ig>/ig-media/comments, <ig>/ig-comment (hide, DELETE), <ig>/ig-comment/replies, <ig>/ig-media/insights
//   developers.facebook.com/docs/instagram-platform/webhooks (object "instagram": comments, mentions;
//     X-Hub-Signature-256; the hub.challenge verification)
//   developers.facebook.com/docs/graph-api/securing-requests (appsecret_proof, checked when given)
//   developers.facebook.com/docs/graph-api/guides/error-handling (OAuthException bodies; 190 invalid token
//     with subcodes 458/463; 4 application request limit; 100/33 object does not exist)
// The OAuth'd handle is the Instagram professional account; its Facebook Page is derived from it (id and
// name) and /me/accounts hands out the Page token. User and Page tokens both act for that account.
// Containers of images are FINISHED at once, videos after 2 s (IN_PROGRESS before), unused ones EXPIRED
// after 24 h. The sandbox never fetches image_url/video_url (http or https URLs are accepted). Media cannot
// be deleted through the API (as on Instagram); comments can. Generated mentions are media of other
// accounts that tag the account: /{ig-user-id}/tags lists them, webhooks send field "mentions".
// rate_limit faults answer 429 (the sandbox contract) with Graph's code-4 body and usage headers.
#include "adapters/sandbox/platforms/instagram.hpp"

#include <algorithm>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "instagram";
constexpr std::uint64_t kUserBase = 17841400000000000ULL;
constexpr std::uint64_t kPageBase = 102100000000000ULL;
constexpr std::uint64_t kFbUserBase = 500100000000000ULL;
constexpr auto kVideoProcessing = std::chrono::seconds(2);
constexpr auto kContainerLifetime = std::chrono::hours(24);
constexpr std::size_t kMaxCaption = 2200;

std::string format_user(std::uint64_t n) { return std::to_string(kUserBase + n); }
std::string format_media(std::uint64_t n) { return std::to_string(17900000000000000ULL + n); }
std::string format_comment(std::uint64_t n) { return std::to_string(17850000000000000ULL + n); }
std::string format_container(std::uint64_t n) { return std::to_string(17880000000000000ULL + n); }

std::size_t utf16_length(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xF0 ? 2 : 1;  // four-byte sequences are surrogate pairs
  }
  return n;
}

// An 11-character shortcode (the /p/<shortcode>/ of a permalink) from the media id.
std::string shortcode(const std::string& id) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::uint64_t v = 0;
  (void)parse_u64(id, v);
  v *= 0x9E3779B97F4A7C15ULL;  // spread consecutive ids
  std::string s = "C";
  for (int i = 0; i < 10; ++i, v >>= 6) s += kAlphabet[v & 63];
  return s;
}

bool http_url(const std::string& url) { return starts_with(url, "http://") || starts_with(url, "https://"); }

}  // namespace

InstagramPlatform::InstagramPlatform(Context& ctx) : Platform(kPlatform, "Instagram", ctx) {}

Account InstagramPlatform::account_for_handle(const std::string& handle) {
  return ctx_.store.ensure_account(kPlatform, handle, format_user);
}

std::string InstagramPlatform::page_id_of(const Account& user) const {
  std::uint64_t id = 0;
  (void)parse_u64(user.id, id);
  return std::to_string(id - kUserBase + kPageBase);
}

void InstagramPlatform::graph_error(const http::Request& req, int status, const std::string& message,
                                    const std::string& type, int code, int subcode) {
  nlohmann::json e = {{"message", message}, {"type", type}, {"code", code}, {"fbtrace_id", req.trace_id}};
  if (subcode != 0) e["error_subcode"] = subcode;
  auto res = json(req, status, {{"error", e}});
  if (code == 190) {
    res.set(http::beast_http::field::www_authenticate,
            "OAuth \"Facebook Platform\" \"invalid_token\" \"" + message + "\"");
  }
  throw ErrorResponse(std::move(res));
}

void InstagramPlatform::missing(const http::Request& req, const std::string& id, const std::string& verb) {
  graph_error(req, 400,
              "Unsupported " + verb + " request. Object with ID '" + id +
                  "' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
              "GraphMethodException", 100, 33);
}

http::Response InstagramPlatform::error_response(const http::Request& req, int status, const std::string& message) {
  try {
    if (status == 404 && starts_with(message, "no such endpoint")) {
      graph_error(req, 400, "Unknown path components: " + req.path, "OAuthException", 2500);
    }
    if (status >= 500) {
      bool transient = status == 503 || status == 502 || status == 504;
      graph_error(req, status,
                  transient ? "An unexpected error has occurred. Please retry your request later."
                            : "An unknown error has occurred.",
                  "OAuthException", transient ? 2 : 1);
    }
    graph_error(req, status, message, status == 401 ? "OAuthException" : "GraphMethodException",
                status == 401 ? 190 : 100);
  } catch (ErrorResponse& e) {
    return std::move(e.response());
  }
}

http::Response InstagramPlatform::rate_limit_response(const http::Request& req) {
  auto res = json(req, 429,
                  {{"error",
                    {{"message", "(#4) Application request limit reached"},
                     {"type", "OAuthException"},
                     {"is_transient", true},
                     {"code", 4},
                     {"fbtrace_id", req.trace_id}}}});
  res.set("X-App-Usage", nlohmann::json({{"call_count", 100}, {"total_cputime", 100}, {"total_time", 100}}).dump());
  nlohmann::json buc = nlohmann::json::object();
  buc["instagram"] = {{{"type", "instagram"},
                       {"call_count", 100},
                       {"total_cputime", 100},
                       {"total_time", 100},
                       {"estimated_time_to_regain_access", 5}}};
  res.set("X-Business-Use-Case-Usage", buc.dump());
  return res;
}

void InstagramPlatform::decorate(const http::Request& req, http::Response& res, const std::string& /*route*/) {
  if (res.result_int() == 429) return;
  auto s = rate_windows_.hit(bearer_token(req).value_or(req.query_param("access_token").value_or(req.remote_address)),
                             200, std::chrono::hours(1), ctx_.clock.now());
  auto pct = (s.limit - s.remaining) * 100 / s.limit;
  res.set("X-App-Usage", nlohmann::json({{"call_count", pct}, {"total_cputime", 0}, {"total_time", 0}}).dump());
}

void InstagramPlatform::check_version(const http::Request& req) {
  const auto& v = req.param("v");
  if (v.size() < 4 || v[0] != 'v' || v.find('.') == std::string::npos) {
    graph_error(req, 400, "Unknown path components: " + req.path, "OAuthException", 2500);
  }
}

InstagramPlatform::Caller InstagramPlatform::require_token(const http::Request& req) {
  check_version(req);
  auto token = bearer_token(req);
  if (!token) token = req.query_param("access_token");
  if (!token) token = Params::from_request(req).get("access_token");
  if (!token) {
    graph_error(req, 400, "An active access token must be used to query information about the current user.",
                "OAuthException", 2500);
  }
  auto check = ctx_.oauth.check(kPlatform, *token);
  if (check.state == TokenState::expired) {
    graph_error(req, 401, "Error validating access token: Session has expired.", "OAuthException", 190, 463);
  }
  if (check.state == TokenState::revoked) {
    graph_error(req, 401, "Error validating access token: The user has not authorized application.", "OAuthException",
                190, 458);
  }
  auto user = check.state == TokenState::valid ? ctx_.store.account(kPlatform, check.account_id) : std::nullopt;
  if (!user) graph_error(req, 401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
  // securing-requests: a given appsecret_proof must be hex HMAC-SHA256(app secret, access token).
  if (auto proof = req.query_param("appsecret_proof")) {
    auto expected = core::crypto::hex_encode(core::crypto::hmac_sha256(client_secret(), *token));
    if (!core::crypto::constant_time_equal(*proof, expected)) {
      graph_error(req, 400, "Invalid appsecret_proof provided in the API argument", "GraphMethodException", 100);
    }
  }
  return {*user, check.scope == "page"};
}

InstagramPlatform::Caller InstagramPlatform::require_owner(const http::Request& req) {
  auto c = require_token(req);
  if (req.param("id") != c.user.id) {
    graph_error(req, 403, "(#10) Application does not have permission for this action", "OAuthException", 10);
  }
  return c;
}

std::vector<FieldSpec> InstagramPlatform::fields_of(const http::Request& req, const std::string& defaults) {
  try {
    return parse_fields(req.query_param("fields").value_or(defaults));
  } catch (const std::invalid_argument&) {
    graph_error(req, 400, "Syntax error in the fields parameter", "OAuthException", 2500);
  }
}

std::string InstagramPlatform::status_code(const Container& c) const {
  auto now = ctx_.clock.now();
  if (!c.published_id.empty()) return "PUBLISHED";
  if (now >= c.created_at + kContainerLifetime) return "EXPIRED";
  if (!http_url(c.url) && c.media_type != "CAROUSEL") return "ERROR";
  if (c.media_type == "CAROUSEL") {
    std::lock_guard lock(mutex_);
    for (const auto& id : c.children) {
      auto it = containers_.find(id);
      if (it == containers_.end()) return "ERROR";
      if (it->second.media_type != "IMAGE" && now < it->second.created_at + kVideoProcessing) return "IN_PROGRESS";
    }
    return "FINISHED";
  }
  if (c.media_type != "IMAGE" && now < c.created_at + kVideoProcessing) return "IN_PROGRESS";
  return "FINISHED";
}

nlohmann::json InstagramPlatform::user_json(const Account& a, const std::vector<FieldSpec>& fields) const {
  nlohmann::json j = {{"id", a.id}};
  for (const auto& f : fields) {
    if (f.name == "username") j["username"] = a.handle;
    if (f.name == "name") j["name"] = a.display_name;
    if (f.name == "biography") j["biography"] = "Herald sandbox: simulated Instagram professional account";
    if (f.name == "profile_picture_url") j["profile_picture_url"] = "https://scontent.cdninstagram.com/sandbox.jpg";
    if (f.name == "followers_count" || f.name == "follows_count") j[f.name] = 0;
    if (f.name == "website") j["website"] = "https://example.com/";
    if (f.name == "ig_id") j["ig_id"] = std::stoull(a.id) - kUserBase;
    if (f.name == "media_count") {
      j["media_count"] = ctx_.store
                             .items(kPlatform,
                                    [&](const Item& it) {
                                      return it.author_id == a.id && it.in_reply_to_id.empty() && !it.deleted &&
                                             it.kind == ItemKind::post;
                                    })
                             .size();
    }
  }
  return j;
}

std::vector<Item> InstagramPlatform::comments_of(const std::string& parent_id, const std::string& viewer_id) const {
  auto now = ctx_.clock.now();
  auto parent = ctx_.store.item(kPlatform, parent_id);
  auto root = parent ? ctx_.store.item(kPlatform, parent->root_id) : std::nullopt;
  bool owner = root && root->author_id == viewer_id;
  return ctx_.store.items(kPlatform, [&](const Item& c) {
    return c.in_reply_to_id == parent_id && !c.deleted && c.visible_at <= now && (!c.hidden || owner);
  });
}

nlohmann::json InstagramPlatform::comment_json(const Item& it, const std::vector<FieldSpec>& fields,
                                               const std::string& viewer_id) const {
  auto author = ctx_.store.account(kPlatform, it.author_id);
  nlohmann::json j = {{"id", it.id}};
  for (const auto& f : fields) {
    if (f.name == "text") j["text"] = it.text;
    if (f.name == "timestamp") j["timestamp"] = graph_time(it.created_at);
    if (f.name == "username" && author) j["username"] = author->handle;
    if (f.name == "from" && author) j["from"] = {{"id", author->id}, {"username", author->handle}};
    if (f.name == "like_count") j["like_count"] = 0;
    if (f.name == "hidden") j["hidden"] = it.hidden;
    if (f.name == "media") j["media"] = {{"id", it.root_id}};
    if (f.name == "parent_id" && it.in_reply_to_id != it.root_id) j["parent_id"] = it.in_reply_to_id;
    if (f.name == "replies" && it.in_reply_to_id == it.root_id) {
      auto sub = f.fields.empty() ? parse_fields("id,text,timestamp") : f.fields;
      nlohmann::json data = nlohmann::json::array();
      for (const auto& r : comments_of(it.id, viewer_id)) data.push_back(comment_json(r, sub, viewer_id));
      j["replies"] = {{"data", data}};
    }
  }
  return j;
}

nlohmann::json InstagramPlatform::media_json(const Item& it, const std::vector<FieldSpec>& fields,
                                             const std::string& viewer_id) const {
  auto author = ctx_.store.account(kPlatform, it.author_id);
  nlohmann::json j = {{"id", it.id}};
  std::string type = it.extra.value("media_type", "IMAGE");
  for (const auto& f : fields) {
    if (f.name == "caption") j["caption"] = it.text;
    if (f.name == "media_type") j["media_type"] = type;
    if (f.name == "media_product_type") j["media_product_type"] = type == "VIDEO" ? "REELS" : "FEED";
    if (f.name == "media_url") j["media_url"] = it.extra.value("media_url", "");
    if (f.name == "permalink") j["permalink"] = "https://www.instagram.com/p/" + shortcode(it.id) + "/";
    if (f.name == "shortcode") j["shortcode"] = shortcode(it.id);
    if (f.name == "timestamp") j["timestamp"] = graph_time(it.created_at);
    if (f.name == "username" && author) j["username"] = author->handle;
    if (f.name == "owner" && author) j["owner"] = {{"id", author->id}};
    if (f.name == "like_count") j["like_count"] = 0;
    if (f.name == "is_comment_enabled") j["is_comment_enabled"] = it.extra.value("comment_enabled", true);
    if (f.name == "comments_count") j["comments_count"] = comments_of(it.id, viewer_id).size();
    if (f.name == "children" && it.extra.contains("children")) {
      nlohmann::json data = nlohmann::json::array();
      for (const auto& c : it.extra["children"]) data.push_back({{"id", c}});
      j["children"] = {{"data", data}};
    }
    if (f.name == "comments") {
      auto list = comments_of(it.id, viewer_id);
      std::uint64_t limit = 25;
      if (auto l = f.modifier("limit")) (void)parse_u64(*l, limit);
      auto sub = f.fields.empty() ? parse_fields("id,text,timestamp") : f.fields;
      nlohmann::json data = nlohmann::json::array();
      for (std::size_t i = 0; i < list.size() && i < limit; ++i) data.push_back(comment_json(list[i], sub, viewer_id));
      j["comments"] = {{"data", data}};
    }
  }
  return j;
}

nlohmann::json InstagramPlatform::paged(const http::Request& req, const std::vector<nlohmann::json>& all) const {
  std::uint64_t limit = 25;
  if (auto l = req.query_param("limit"); l && (!parse_u64(*l, limit) || limit == 0 || limit > 100)) limit = 25;
  std::size_t start = 0;
  if (auto after = req.query_param("after"); after && !after->empty()) {
    std::string id;
    try {
      id = core::crypto::base64url_decode(*after);
    } catch (const std::exception&) {
      id.clear();
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i].value("id", "") == id) start = i + 1;
    }
  }
  nlohmann::json data = nlohmann::json::array();
  for (std::size_t i = start; i < all.size() && i < start + limit; ++i) data.push_back(all[i]);
  nlohmann::json out = {{"data", data}};
  if (!data.empty()) {
    auto cursor = [](const nlohmann::json& d) { return core::crypto::base64url_encode(d.value("id", "")); };
    out["paging"] = {{"cursors", {{"before", cursor(data.front())}, {"after", cursor(data.back())}}}};
    if (start + limit < all.size()) {
      std::string next = base_url() + req.path;
      append_query(next, "limit", std::to_string(limit));
      if (auto f = req.query_param("fields")) append_query(next, "fields", *f);
      append_query(next, "after", cursor(data.back()));
      out["paging"]["next"] = next;
    }
  }
  return out;
}

void InstagramPlatform::add_routes() {
  auto authorize = [this](http::Request& req, Call&) {
    check_version(req);
    auto spec = authorize_spec(false);
    spec.response_type_optional = true;  // Facebook Login's dialog
    return Platform::authorize(req, spec);
  };
  route(Verb::get, "/{v}/dialog/oauth", authorize);
  route(Verb::post, "/{v}/dialog/oauth", authorize);
  route(Verb::get, "/{v}/oauth/access_token", [this](http::Request& req, Call&) { return access_token(req); });
  route(Verb::post, "/{v}/oauth/access_token", [this](http::Request& req, Call&) { return access_token(req); });
  route(Verb::get, "/{v}/me", [this](http::Request& req, Call&) {
    auto c = require_token(req);
    if (c.page_token) return json(req, 200, {{"id", page_id_of(c.user)}, {"name", c.user.display_name + " Page"}});
    std::uint64_t n = std::stoull(c.user.id) - kUserBase;
    return json(req, 200, {{"id", std::to_string(kFbUserBase + n)}, {"name", c.user.display_name}});
  });
  route(Verb::get, "/{v}/me/accounts", [this](http::Request& req, Call&) { return me_accounts(req); });
  route(Verb::get, "/{v}/{id}", [this](http::Request& req, Call&) { return node(req); });
  route(Verb::post, "/{v}/{id}", [this](http::Request& req, Call&) { return update_node(req); });
  route(Verb::delete_, "/{v}/{id}", [this](http::Request& req, Call&) { return delete_node(req); });
  route(Verb::post, "/{v}/{id}/media", [this](http::Request& req, Call&) { return create_container(req); });
  route(Verb::get, "/{v}/{id}/media", [this](http::Request& req, Call&) { return list_media(req, false); });
  route(Verb::post, "/{v}/{id}/media_publish", [this](http::Request& req, Call&) { return media_publish(req); });
  route(Verb::get, "/{v}/{id}/tags", [this](http::Request& req, Call&) { return list_media(req, true); });
  route(Verb::post, "/{v}/{id}/mentions", [this](http::Request& req, Call&) { return reply_to_mention(req); });
  route(Verb::get, "/{v}/{id}/comments", [this](http::Request& req, Call&) { return comments(req); });
  route(Verb::post, "/{v}/{id}/comments", [this](http::Request& req, Call&) { return add_comment(req, false); });
  route(Verb::get, "/{v}/{id}/replies", [this](http::Request& req, Call&) { return comments(req); });
  route(Verb::post, "/{v}/{id}/replies", [this](http::Request& req, Call&) { return add_comment(req, true); });
  route(Verb::get, "/{v}/{id}/insights", [this](http::Request& req, Call&) { return insights(req); });
  route(Verb::get, "/{v}/{id}/content_publishing_limit",
        [this](http::Request& req, Call&) { return publishing_limit(req); });
}

http::Response InstagramPlatform::access_token(http::Request& req) {
  check_version(req);
  auto p = Params::from_request(req);
  if (p.get_or("client_id", "") != client_id()) {
    graph_error(req, 400, "Error validating application. Invalid application ID.", "OAuthException", 101);
  }
  if (p.get_or("client_secret", "") != client_secret()) {
    graph_error(req, 400, "Error validating client secret.", "OAuthException", 1);
  }
  nlohmann::json out = {{"token_type", "bearer"}, {"expires_in", ctx_.oauth.token_ttl().count()}};
  if (p.get_or("grant_type", "") == "fb_exchange_token") {
    auto check = ctx_.oauth.check(kPlatform, p.get_or("fb_exchange_token", ""));
    if (check.state != TokenState::valid) {
      graph_error(req, 400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
    }
    out["access_token"] = ctx_.oauth.issue(kPlatform, check.account_id, client_id(), check.scope, false).access_token;
    return json(req, 200, out);
  }
  auto r = ctx_.oauth.redeem_code(kPlatform, p.get_or("code", ""), client_id(), p.get_or("redirect_uri", ""),
                                  p.get_or("code_verifier", ""), false);
  if (r.error != GrantError::none) {
    graph_error(req, 400,
                "Error validating verification code. Please make sure your redirect_uri is identical to the one "
                "you used in the OAuth dialog request",
                "OAuthException", 100, 36008);
  }
  out["access_token"] = r.token.access_token;
  return json(req, 200, out);
}

http::Response InstagramPlatform::me_accounts(http::Request& req) {
  auto c = require_token(req);
  if (c.page_token) {
    graph_error(req, 400, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)", "OAuthException",
                100);
  }
  auto page_token = ctx_.oauth.issue(kPlatform, c.user.id, client_id(), "page", false);
  nlohmann::json page = {{"id", page_id_of(c.user)}};
  for (const auto& f : fields_of(req, "name,access_token,category,category_list,id,tasks")) {
    if (f.name == "name") page["name"] = c.user.display_name + " Page";
    if (f.name == "access_token") page["access_token"] = page_token.access_token;
    if (f.name == "category") page["category"] = "Brand";
    if (f.name == "category_list") page["category_list"] = {{{"id", "1605186416478696"}, {"name", "Brand"}}};
    if (f.name == "tasks")
      page["tasks"] = {"ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"};
    if (f.name == "instagram_business_account") {
      auto sub = f.fields.empty() ? parse_fields("id") : f.fields;
      page["instagram_business_account"] = user_json(c.user, sub);
    }
  }
  return json(req, 200, {{"data", {page}}, {"paging", {{"cursors", {{"before", "QVFI"}, {"after", "QVFI"}}}}}});
}

http::Response InstagramPlatform::node(http::Request& req) {
  auto c = require_token(req);
  const auto& id = req.param("id");
  if (id == c.user.id) return json(req, 200, user_json(c.user, fields_of(req, "id,username")));
  if (id == page_id_of(c.user)) {
    nlohmann::json page = {{"id", id}};
    for (const auto& f : fields_of(req, "id,name")) {
      if (f.name == "name") page["name"] = c.user.display_name + " Page";
      if (f.name == "instagram_business_account") page["instagram_business_account"] = {{"id", c.user.id}};
    }
    return json(req, 200, page);
  }
  {
    std::unique_lock lock(mutex_);
    if (auto it = containers_.find(id); it != containers_.end()) {
      Container container = it->second;
      lock.unlock();
      if (container.owner_id != c.user.id) missing(req, id, "get");
      nlohmann::json j = {{"id", id}};
      auto code = status_code(container);
      for (const auto& f : fields_of(req, "id")) {
        if (f.name == "status_code") j["status_code"] = code;
        if (f.name == "status") {
          j["status"] = code == "ERROR"         ? "Error: Media upload has failed with error code 2207026"
                        : code == "EXPIRED"     ? "Expired: the container was not published within 24 hours"
                        : code == "IN_PROGRESS" ? "In Progress: Media is still being processed."
                                                : "Finished: Media has been uploaded and it is "
                                                  "ready to be published.";
        }
      }
      return json(req, 200, j);
    }
  }
  auto it = ctx_.store.item(kPlatform, id);
  if (!it || it->deleted || it->visible_at > ctx_.clock.now() || it->kind != ItemKind::post) missing(req, id, "get");
  if (!it->in_reply_to_id.empty()) {
    return json(req, 200, comment_json(*it, fields_of(req, "id,text,timestamp"), c.user.id));
  }
  return json(req, 200, media_json(*it, fields_of(req, "id"), c.user.id));
}

http::Response InstagramPlatform::update_node(http::Request& req) {
  auto c = require_token(req);
  auto p = Params::from_request(req);
  const auto& id = req.param("id");
  auto it = ctx_.store.item(kPlatform, id);
  if (!it || it->deleted || it->kind != ItemKind::post) missing(req, id, "post");
  auto root = ctx_.store.item(kPlatform, it->root_id);
  bool on_own_media = root && root->author_id == c.user.id;
  if (auto hide = p.get_bool("hide")) {
    if (it->in_reply_to_id.empty() || !on_own_media) {
      graph_error(req, 403, "(#10) Application does not have permission for this action", "OAuthException", 10);
    }
    ctx_.store.update_item(kPlatform, id, [&](Item& x) { x.hidden = *hide; });
  } else if (auto enabled = p.get_bool("comment_enabled")) {
    if (!it->in_reply_to_id.empty() || it->author_id != c.user.id) {
      graph_error(req, 403, "(#10) Application does not have permission for this action", "OAuthException", 10);
    }
    ctx_.store.update_item(kPlatform, id, [&](Item& x) { x.extra["comment_enabled"] = *enabled; });
  } else {
    graph_error(req, 400, "(#100) The parameter hide is required", "OAuthException", 100);
  }
  return json(req, 200, {{"success", true}});
}

http::Response InstagramPlatform::delete_node(http::Request& req) {
  auto c = require_token(req);
  const auto& id = req.param("id");
  auto it = ctx_.store.item(kPlatform, id);
  if (!it || it->deleted || it->kind != ItemKind::post || it->in_reply_to_id.empty()) {
    missing(req, id, "delete");  // media cannot be deleted through the API
  }
  auto root = ctx_.store.item(kPlatform, it->root_id);
  if (it->author_id != c.user.id && !(root && root->author_id == c.user.id)) {
    graph_error(req, 403, "(#10) Application does not have permission for this action", "OAuthException", 10);
  }
  ctx_.store.update_item(kPlatform, id, [](Item& x) { x.deleted = true; });
  return json(req, 200, {{"success", true}});
}

http::Response InstagramPlatform::create_container(http::Request& req) {
  auto c = require_owner(req);
  auto p = Params::from_request(req);
  Container k;
  k.owner_id = c.user.id;
  k.caption = p.get_or("caption", "");
  k.carousel_item = p.get_bool("is_carousel_item").value_or(false);
  std::string type = p.get_or("media_type", "");
  if (type.empty()) {
    if (p.has("video_url")) {
      graph_error(req, 400, "(#100) The parameter media_type is required for video: REELS, VIDEO or STORIES",
                  "OAuthException", 100);
    }
    if (!p.has("image_url"))
      graph_error(req, 400, "(#100) The parameter image_url is required.", "OAuthException", 100);
    type = "IMAGE";
  }
  if (type != "IMAGE" && type != "VIDEO" && type != "REELS" && type != "CAROUSEL" && type != "STORIES") {
    graph_error(req, 400, "(#100) Param media_type must be one of {CAROUSEL, REELS, STORIES, VIDEO}", "OAuthException",
                100);
  }
  k.media_type = type;
  if (type == "CAROUSEL") {
    for (const auto& list : p.list("children")) {
      for (std::size_t at = 0; at <= list.size();) {
        auto end = std::min(list.find(',', at), list.size());
        if (end > at) k.children.push_back(list.substr(at, end - at));
        at = end + 1;
      }
    }
    if (k.children.size() < 2 || k.children.size() > 10) {
      graph_error(req, 400, "(#100) A carousel takes 2 to 10 children", "OAuthException", 100);
    }
    std::lock_guard lock(mutex_);
    for (const auto& child : k.children) {
      auto it = containers_.find(child);
      if (it == containers_.end() || it->second.owner_id != c.user.id || !it->second.carousel_item) {
        graph_error(req, 400, "(#100) Invalid carousel child container " + child, "OAuthException", 100);
      }
    }
  } else {
    k.url = p.get_or(type == "IMAGE" ? "image_url" : "video_url", "");
    if (k.url.empty()) {
      graph_error(
          req, 400,
          std::string("(#100) The parameter ") + (type == "IMAGE" ? "image_url" : "video_url") + " is required.",
          "OAuthException", 100);
    }
    if (!http_url(k.url)) {
      graph_error(req, 400, "The media could not be fetched from this uri: " + k.url, "OAuthException", 9004, 2207052);
    }
  }
  if (utf16_length(k.caption) > kMaxCaption) {
    graph_error(req, 400, "(#100) The caption is longer than 2200 characters", "OAuthException", 100, 2207010);
  }
  k.id = format_container(ctx_.store.next_number(kPlatform));
  k.created_at = ctx_.clock.now();
  std::lock_guard lock(mutex_);
  containers_[k.id] = k;
  return json(req, 200, {{"id", k.id}});
}

http::Response InstagramPlatform::media_publish(http::Request& req) {
  auto c = require_owner(req);
  auto p = Params::from_request(req);
  auto creation_id = p.get_or("creation_id", "");
  Container k;
  {
    std::lock_guard lock(mutex_);
    auto it = containers_.find(creation_id);
    if (it == containers_.end() || it->second.owner_id != c.user.id) {
      graph_error(req, 400, "(#100) Param creation_id must be a valid container id", "OAuthException", 100);
    }
    k = it->second;
  }
  auto code = status_code(k);
  if (code == "PUBLISHED") return json(req, 200, {{"id", k.published_id}});  // the same container publishes once
  if (k.carousel_item) {
    graph_error(req, 400, "(#100) A carousel item is published through its carousel", "OAuthException", 100);
  }
  if (code != "FINISHED") {
    graph_error(req, 400, "Media ID is not available: the media is not ready for publishing, please wait",
                "OAuthException", 9007, 2207027);
  }
  Item it;
  it.platform = kPlatform;
  it.author_id = c.user.id;
  it.text = k.caption;
  it.extra["media_type"] = k.media_type == "REELS" ? "VIDEO" : k.media_type;
  it.extra["media_url"] = k.url;
  if (!k.children.empty()) it.extra["children"] = k.children;
  auto created = ctx_.store.create_item(it, format_media).item;
  std::lock_guard lock(mutex_);
  containers_[k.id].published_id = created.id;
  return json(req, 200, {{"id", created.id}});
}

http::Response InstagramPlatform::list_media(http::Request& req, bool tagged) {
  auto c = require_owner(req);
  auto now = ctx_.clock.now();
  auto media = ctx_.store.items(kPlatform, [&](const Item& it) {
    if (it.kind != ItemKind::post || it.deleted || it.visible_at > now || !it.in_reply_to_id.empty()) return false;
    if (tagged) return std::find(it.mention_ids.begin(), it.mention_ids.end(), c.user.id) != it.mention_ids.end();
    return it.author_id == c.user.id;
  });
  std::reverse(media.begin(), media.end());  // newest first
  auto fields = fields_of(req, "id");
  std::vector<nlohmann::json> all;
  for (const auto& m : media) all.push_back(media_json(m, fields, c.user.id));
  return json(req, 200, paged(req, all));
}

http::Response InstagramPlatform::comments(http::Request& req) {
  auto c = require_token(req);
  const auto& id = req.param("id");
  auto parent = ctx_.store.item(kPlatform, id);
  if (!parent || parent->deleted || parent->kind != ItemKind::post) missing(req, id, "get");
  auto fields = fields_of(req, "id,text,timestamp");
  std::vector<nlohmann::json> all;
  for (const auto& cm : comments_of(id, c.user.id)) all.push_back(comment_json(cm, fields, c.user.id));
  return json(req, 200, paged(req, all));
}

http::Response InstagramPlatform::add_comment(http::Request& req, bool reply) {
  auto c = require_token(req);
  const auto& id = req.param("id");
  auto parent = ctx_.store.item(kPlatform, id);
  if (!parent || parent->deleted || parent->kind != ItemKind::post) missing(req, id, "post");
  bool parent_is_media = parent->in_reply_to_id.empty();
  if (reply == parent_is_media) {
    graph_error(req, 400,
                reply ? "(#100) Replies are made to comments: use /{ig-media-id}/comments for media"
                      : "(#100) Comments are made on media: use /{ig-comment-id}/replies for comments",
                "OAuthException", 100);
  }
  if (reply && parent->in_reply_to_id != parent->root_id) {
    graph_error(req, 400, "(#100) Replies can only be made to top-level comments", "OAuthException", 100);
  }
  auto media = ctx_.store.item(kPlatform, parent->root_id);
  if (media && !media->extra.value("comment_enabled", true)) {
    graph_error(req, 400, "(#100) Comments are disabled for this media", "OAuthException", 100, 2207051);
  }
  auto p = Params::from_request(req);
  Item it;
  it.platform = kPlatform;
  it.author_id = c.user.id;
  it.text = p.get_or("message", "");
  if (it.text.empty()) graph_error(req, 400, "(#100) The parameter message is required", "OAuthException", 100);
  it.in_reply_to_id = parent->id;
  it.root_id = parent->root_id;
  return json(req, 200, {{"id", ctx_.store.create_item(it, format_comment).item.id}});
}

http::Response InstagramPlatform::reply_to_mention(http::Request& req) {
  auto c = require_owner(req);
  auto p = Params::from_request(req);
  auto media = ctx_.store.item(kPlatform, p.get_or("media_id", ""));
  if (!media || media->deleted || !media->in_reply_to_id.empty()) {
    graph_error(req, 400, "(#100) Param media_id must be the id of a media the account is mentioned in",
                "OAuthException", 100);
  }
  std::string parent_id = media->id;
  if (auto cid = p.get("comment_id"); cid && !cid->empty()) {
    auto cm = ctx_.store.item(kPlatform, *cid);
    if (!cm || cm->deleted || cm->root_id != media->id) {
      graph_error(req, 400, "(#100) Param comment_id must be a comment on media_id", "OAuthException", 100);
    }
    parent_id = cm->in_reply_to_id == cm->root_id ? cm->id : cm->in_reply_to_id;
  }
  Item it;
  it.platform = kPlatform;
  it.author_id = c.user.id;
  it.text = p.get_or("message", "");
  if (it.text.empty()) graph_error(req, 400, "(#100) The parameter message is required", "OAuthException", 100);
  it.in_reply_to_id = parent_id;
  it.root_id = media->id;
  return json(req, 200, {{"id", ctx_.store.create_item(it, format_comment).item.id}});
}

http::Response InstagramPlatform::insights(http::Request& req) {
  auto c = require_token(req);
  const auto& id = req.param("id");
  auto media = ctx_.store.item(kPlatform, id);
  if (!media || media->deleted || !media->in_reply_to_id.empty() || media->author_id != c.user.id) {
    missing(req, id, "get");
  }
  static const std::vector<std::string> kMetrics{
      "reach", "likes", "comments", "shares", "saved", "total_interactions", "views", "impressions"};
  auto wanted = req.query_param("metric").value_or("");
  if (wanted.empty()) graph_error(req, 400, "(#100) The parameter metric is required", "OAuthException", 100);
  nlohmann::json data = nlohmann::json::array();
  std::size_t index = 0;
  for (std::size_t at = 0; at <= wanted.size(); ++index) {
    auto end = std::min(wanted.find(',', at), wanted.size());
    auto name = wanted.substr(at, end - at);
    at = end + 1;
    if (std::find(kMetrics.begin(), kMetrics.end(), name) == kMetrics.end()) {
      graph_error(req, 400,
                  "(#100) metric[" + std::to_string(index) +
                      "] must be one of the following values: reach, likes, comments, shares, saved, "
                      "total_interactions, views, impressions",
                  "OAuthException", 100);
    }
    std::int64_t value = name == "comments" || name == "total_interactions"
                             ? static_cast<std::int64_t>(comments_of(id, c.user.id).size())
                             : 0;
    data.push_back({{"name", name},
                    {"period", "lifetime"},
                    {"values", {{{"value", value}}}},
                    {"title", name},
                    {"description", "Herald sandbox: simulated metric"},
                    {"id", id + "/insights/" + name + "/lifetime"}});
  }
  return json(req, 200, {{"data", data}});
}

http::Response InstagramPlatform::publishing_limit(http::Request& req) {
  auto c = require_owner(req);
  auto since = ctx_.clock.now() - std::chrono::hours(24);
  auto used = ctx_.store
                  .items(kPlatform,
                         [&](const Item& it) {
                           return it.author_id == c.user.id && it.in_reply_to_id.empty() && !it.generated &&
                                  it.created_at >= since;
                         })
                  .size();
  nlohmann::json entry = {{"quota_usage", used}};
  for (const auto& f : fields_of(req, "quota_usage")) {
    if (f.name == "config") entry["config"] = {{"quota_total", 100}, {"quota_duration", 86400}};
  }
  return json(req, 200, {{"data", {entry}}});
}

Item InstagramPlatform::seed_media(const Account& user) {
  Item seed;
  seed.platform = kPlatform;
  seed.author_id = user.id;
  seed.text = "Hello from the Herald sandbox!";
  seed.generated = true;
  seed.extra["media_type"] = "IMAGE";
  seed.extra["media_url"] = "https://scontent.cdninstagram.com/sandbox-seed.jpg";
  return ctx_.store.create_item(seed, format_media).item;
}

void InstagramPlatform::deliver(const std::string& ig_user_id, const nlohmann::json& entry_part, int index,
                                const GenerateRequest& r) {
  nlohmann::json entry = {{"id", ig_user_id}, {"time", unix_seconds(event_time(r, index))}};
  entry.update(entry_part);
  nlohmann::json payload = {{"object", "instagram"}, {"entry", {entry}}};
  Delivery d;
  d.platform = kPlatform;
  d.event = entry_part.contains("messaging") ? "messaging" : entry_part["changes"][0].value("field", "comments");
  d.body = payload.dump();
  d.headers = {{"X-Hub-Signature-256", meta_signature(client_secret(), d.body)}};
  d.not_before = event_due(r, index);
  ctx_.webhooks.enqueue(std::move(d));
}

GenerateResult InstagramPlatform::generate(const GenerateRequest& r) {
  GenerateResult result;
  auto user = account_for_handle(r.handle);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto author = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_user, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = author.id;
    it.text = ev.text;
    it.language = ev.language;
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    IdFormat format = format_comment;
    if (r.kind == EventKind::comment) {
      auto media = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.author_id == user.id && x.kind == ItemKind::post && x.in_reply_to_id.empty() && !x.deleted;
      });
      auto target = media.empty() ? seed_media(user) : media.back();
      it.in_reply_to_id = it.root_id = target.id;
    } else if (r.kind == EventKind::mention) {
      it.text = ev.text + " @" + user.handle;
      it.mention_ids = {user.id};
      it.extra["media_type"] = "IMAGE";
      it.extra["media_url"] = "https://scontent.cdninstagram.com/sandbox-mention.jpg";
      format = format_media;
    } else {
      it.kind = ItemKind::dm;
      it.recipient_id = user.id;
      it.conversation_id = "aWdfZAG06" + author.id;
      format = [](std::uint64_t n) { return "aWdfZAG1faXRlbToxOk" + std::to_string(n); };
    }
    auto created = ctx_.store.create_item(it, format).item;
    if (result.first_id.empty()) result.first_id = created.id;
    result.last_id = created.id;
    ++result.generated;
    if (!r.webhook) continue;
    nlohmann::json part;
    if (r.kind == EventKind::comment) {
      nlohmann::json value = {{"from", {{"id", author.id}, {"username", author.handle}}},
                              {"media", {{"id", created.root_id}, {"media_product_type", "FEED"}}},
                              {"id", created.id},
                              {"text", created.text}};
      part = {{"changes", {{{"field", "comments"}, {"value", value}}}}};
    } else if (r.kind == EventKind::mention) {
      part = {{"changes", {{{"field", "mentions"}, {"value", {{"media_id", created.id}}}}}}};
    } else {
      part = {{"messaging",
               {{{"sender", {{"id", author.id}}},
                 {"recipient", {{"id", user.id}}},
                 {"timestamp", unix_millis(created.created_at)},
                 {"message", {{"mid", created.id}, {"text", created.text}}}}}}};
    }
    deliver(user.id, part, i, r);
  }
  return result;
}

void InstagramPlatform::on_webhook_registered(const std::string& /*url*/) {
  // As for Facebook: GET hub.mode=subscribe&hub.challenge=N&hub.verify_token=T, answered with N.
  Delivery d;
  d.platform = kPlatform;
  d.event = "verification";
  d.method = "GET";
  std::string challenge = std::to_string(ctx_.store.next_number("instagram-challenge") * 7919 + 2000000);
  d.query = "hub.mode=subscribe&hub.challenge=" + challenge + "&hub.verify_token=" + url_encode(client_secret());
  d.verify = [challenge](const SendResult& r) -> std::string {
    if (r.status != 200 || r.body != challenge) return "verification failed: the answer must be the hub.challenge";
    return "";
  };
  ctx_.webhooks.enqueue(std::move(d));
}

}  // namespace herald::sandbox
