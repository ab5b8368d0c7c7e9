// Facebook Graph API emulator (Pages). Shapes from the official documentation (developers.facebook.com/docs):
//   facebook-login/guides/advanced/manual-flow (GET /{v}/dialog/oauth, GET /{v}/oauth/access_token)
//   graph-api/reference/page/feed (POST/GET /{page-id}/feed), graph-api/reference/object/comments
//   (GET/POST /{object-id}/comments), graph-api/reference/comment (POST /{comment-id} is_hidden),
//   pages-api/getting-started (GET /me/accounts: page tokens), messenger-platform/reference/send-api
//   (POST /{page-id}/messages), graph-api/reference/page/conversations, graph-api/guides/error-handling
//   ({"error":{message,type,code,error_subcode,fbtrace_id}}; 190 = invalid token, 32 = page rate limit),
//   graph-api/overview/rate-limiting (X-App-Usage, X-Business-Use-Case-Usage),
//   graph-api/webhooks/getting-started (hub.mode/hub.challenge/hub.verify_token, X-Hub-Signature-256),
//   graph-api/webhooks/reference/page (feed changes: item comment, verb add; mention; messaging).
// The OAuth'd handle owns one Page (same account in the store); /me with the user token is the user, with a
// page token the page. The webhook verify_token the sandbox sends is the client secret. rate_limit faults
// answer 429 (the sandbox contract) with Graph's code-32 body and usage headers; Graph itself uses 4xx codes.
// On ad account paths (/act_...) they answer the Marketing API's 613 "too many calls from this ad-account" with
// X-Ad-Account-Usage (marketing-api/overview/rate-limiting). The Marketing API itself is in facebook_ads.cpp.
#include "adapters/sandbox/platforms/facebook.hpp"

#include <algorithm>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/platforms/graph_fields.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/random.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "facebook";
constexpr std::uint64_t kUserOffset = 500000000000000ULL;

std::string format_id(std::uint64_t n) { return std::to_string(102000000000000ULL + n); }
std::string object_number(std::uint64_t n) { return std::to_string(1000000000000ULL + n); }

}  // namespace

FacebookPlatform::FacebookPlatform(Context& ctx) : Platform(kPlatform, "Facebook", ctx) {}

Account FacebookPlatform::account_for_handle(const std::string& handle) {
  return ctx_.store.ensure_account(kPlatform, handle, format_id);
}

std::string FacebookPlatform::user_id_of(const Account& page) const {
  return std::to_string(std::stoull(page.id) + kUserOffset);
}

void FacebookPlatform::graph_error(const http::Request& req, int status, const std::string& message,
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

http::Response FacebookPlatform::error_response(const http::Request& req, int status, const std::string& message) {
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

http::Response FacebookPlatform::rate_limit_response(const http::Request& req) {
  if (auto at = req.path.find("/act_"); at != std::string::npos) {
    auto account = req.path.substr(at + 5, req.path.find('/', at + 5) - at - 5);
    auto res = json(
        req, 429,
        {{"error",
          {{"message", "(#613) There have been too many calls from this ad-account. Please wait a bit and try again."},
           {"type", "OAuthException"},
           {"code", 613},
           {"error_subcode", 1487742},
           {"fbtrace_id", req.trace_id}}}});
    res.set("X-Ad-Account-Usage",
            nlohmann::json(
                {{"acc_id_util_pct", 100}, {"reset_time_duration", 300}, {"ads_api_access_tier", "standard_access"}})
                .dump());
    nlohmann::json buc = nlohmann::json::object();
    buc[account] = {{{"type", "ads_management"},
                     {"call_count", 100},
                     {"total_cputime", 100},
                     {"total_time", 100},
                     {"estimated_time_to_regain_access", 5}}};
    res.set("X-Business-Use-Case-Usage", buc.dump());
    return res;
  }
  nlohmann::json usage = {{"call_count", 100}, {"total_cputime", 100}, {"total_time", 100}};
  auto res = json(req, 429,
                  {{"error",
                    {{"message", "(#32) Page request limit reached"},
                     {"type", "OAuthException"},
                     {"code", 32},
                     {"fbtrace_id", req.trace_id}}}});
  res.set("X-App-Usage", usage.dump());
  nlohmann::json buc = nlohmann::json::object();
  buc["page"] = {{{"type", "pages"},
                  {"call_count", 100},
                  {"total_cputime", 100},
                  {"total_time", 100},
                  {"estimated_time_to_regain_access", 5}}};
  res.set("X-Business-Use-Case-Usage", buc.dump());
  return res;
}

void FacebookPlatform::decorate(const http::Request& req, http::Response& res, const std::string& /*route*/) {
  if (res.result_int() == 429) return;
  auto s = rate_windows_.hit(bearer_token(req).value_or(req.query_param("access_token").value_or(req.remote_address)),
                             200, std::chrono::hours(1), ctx_.clock.now());
  auto pct = (s.limit - s.remaining) * 100 / s.limit;
  res.set("X-App-Usage", nlohmann::json({{"call_count", pct}, {"total_cputime", 0}, {"total_time", 0}}).dump());
  if (req.path.find("/act_") != std::string::npos) {
    res.set("X-Ad-Account-Usage",
            nlohmann::json(
                {{"acc_id_util_pct", pct}, {"reset_time_duration", 0}, {"ads_api_access_tier", "standard_access"}})
                .dump());
  }
}

void FacebookPlatform::check_version(const http::Request& req) {
  const auto& v = req.param("v");
  if (v.size() < 4 || v[0] != 'v' || v.find('.') == std::string::npos) {
    graph_error(req, 400, "Unknown path components: " + req.path, "OAuthException", 2500);
  }
}

FacebookPlatform::Caller FacebookPlatform::require_token(const http::Request& req) {
  auto token = bearer_token(req);
  if (!token) token = req.query_param("access_token");
  if (!token) {
    auto p = Params::from_request(req);
    token = p.get("access_token");
  }
  if (!token)
    graph_error(req, 400, "An active access token must be used to query information about the current user.",
                "OAuthException", 2500);
  auto check = ctx_.oauth.check(kPlatform, *token);
  if (check.state == TokenState::expired) {
    graph_error(req, 401, "Error validating access token: Session has expired.", "OAuthException", 190, 463);
  }
  if (check.state == TokenState::revoked) {
    graph_error(req, 401, "Error validating access token: The user has not authorized application.", "OAuthException",
                190, 458);
  }
  if (check.state != TokenState::valid)
    graph_error(req, 401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
  auto page = ctx_.store.account(kPlatform, check.account_id);
  if (!page) graph_error(req, 401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
  return {*page, check.scope == "page"};
}

std::vector<FieldSpec> FacebookPlatform::fields_of(const http::Request& req, const std::string& defaults) {
  try {
    return parse_fields(req.query_param("fields").value_or(defaults));
  } catch (const std::invalid_argument&) {
    graph_error(req, 400, "Syntax error in the fields parameter", "OAuthException", 2500);
  }
}

nlohmann::json FacebookPlatform::post_json(const Item& it, const std::vector<FieldSpec>& fields) const {
  auto author = ctx_.store.account(kPlatform, it.author_id);
  nlohmann::json j = {{"id", it.id}};
  for (const auto& f : fields) {
    if (f.name == "message") {
      j["message"] = it.text;
    } else if (f.name == "created_time") {
      j["created_time"] = graph_time(it.created_at);
    } else if (f.name == "updated_time") {
      j["updated_time"] = graph_time(it.edited_at.value_or(it.created_at));
    } else if (f.name == "from" && author) {
      j["from"] = {{"id", author->id}, {"name", author->display_name}};
    } else if (f.name == "is_hidden") {
      j["is_hidden"] = it.hidden;
    } else if (f.name == "parent" && !it.in_reply_to_id.empty()) {
      auto parent = ctx_.store.item(kPlatform, it.in_reply_to_id);
      if (parent && !parent->in_reply_to_id.empty()) j["parent"] = {{"id", parent->id}};  // replies to comments
    } else if (f.name == "permalink_url") {
      j["permalink_url"] = "https://www.facebook.com/" + it.id;
    } else if (f.name == "shares") {
      j["shares"] = {{"count", 0}};
    } else if (f.name == "reactions" || f.name == "likes") {
      j[f.name] = {{"data", nlohmann::json::array()}, {"summary", {{"total_count", 0}}}};
    } else if (f.name == "comments") {
      auto now = ctx_.clock.now();
      auto list = ctx_.store.items(
          kPlatform, [&](const Item& c) { return c.in_reply_to_id == it.id && !c.deleted && c.visible_at <= now; });
      if (f.modifier("order").value_or("") == "reverse_chronological") std::reverse(list.begin(), list.end());
      std::uint64_t limit = 25;
      if (auto l = f.modifier("limit")) (void)parse_u64(*l, limit);
      auto sub = f.fields.empty() ? parse_fields("id,message,created_time,from") : f.fields;
      nlohmann::json data = nlohmann::json::array();
      for (std::size_t i = 0; i < list.size() && i < limit; ++i) data.push_back(post_json(list[i], sub));
      nlohmann::json c = {{"data", data}};
      if (f.modifier("summary").value_or("") == "true") {
        c["summary"] = {{"order", "chronological"}, {"total_count", list.size()}};
      }
      j["comments"] = c;
    }
  }
  return j;
}

void FacebookPlatform::add_routes() {
  auto authorize = [this](http::Request& req, Call&) {
    check_version(req);
    return Platform::authorize(req, false);
  };
  route(Verb::get, "/{v}/dialog/oauth", authorize);
  route(Verb::post, "/{v}/dialog/oauth", authorize);
  route(Verb::get, "/{v}/oauth/access_token", [this](http::Request& req, Call&) { return access_token(req); });
  route(Verb::post, "/{v}/oauth/access_token", [this](http::Request& req, Call&) { return access_token(req); });
  route(Verb::get, "/{v}/me", [this](http::Request& req, Call&) {
    check_version(req);
    auto c = require_token(req);
    if (c.page_token) return json(req, 200, {{"id", c.page.id}, {"name", c.page.display_name}});
    return json(req, 200, {{"id", user_id_of(c.page)}, {"name", c.page.display_name}});
  });
  route(Verb::get, "/{v}/me/accounts", [this](http::Request& req, Call&) {
    check_version(req);
    auto c = require_token(req);
    if (c.page_token)
      graph_error(req, 400, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)", "OAuthException",
                  100);
    auto t = ctx_.oauth.issue(kPlatform, c.page.id, client_id(), "page", false);
    nlohmann::json page = {{"access_token", t.access_token},
                           {"category", "Brand"},
                           {"category_list", {{{"id", "1605186416478696"}, {"name", "Brand"}}}},
                           {"name", c.page.display_name + " Page"},
                           {"id", c.page.id},
                           {"tasks", {"ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"}}};
    return json(req, 200, {{"data", {page}}, {"paging", {{"cursors", {{"before", "QVFI"}, {"after", "QVFI"}}}}}});
  });
  route(Verb::get, "/{v}/{id}", [this](http::Request& req, Call&) { return node(req); });
  route(Verb::post, "/{v}/{id}", [this](http::Request& req, Call&) { return update_node(req); });
  route(Verb::delete_, "/{v}/{id}", [this](http::Request& req, Call&) { return delete_node(req); });
  for (const char* edge : {"/{v}/{id}/feed", "/{v}/{id}/posts", "/{v}/{id}/published_posts", "/{v}/{id}/tagged"}) {
    route(Verb::get, edge, [this](http::Request& req, Call&) { return feed(req); });
  }
  route(Verb::post, "/{v}/{id}/feed", [this](http::Request& req, Call&) { return publish(req); });
  route(Verb::get, "/{v}/{id}/comments", [this](http::Request& req, Call&) { return comments(req); });
  route(Verb::post, "/{v}/{id}/comments", [this](http::Request& req, Call&) { return add_comment(req); });
  route(Verb::post, "/{v}/{id}/messages", [this](http::Request& req, Call&) { return send_message(req); });
  route(Verb::get, "/{v}/{id}/conversations", [this](http::Request& req, Call&) { return conversations(req); });
  route(Verb::post, "/{v}/{id}/photos", [this](http::Request& req, Call&) { return publish(req); });
  add_ads_routes();
}

http::Response FacebookPlatform::access_token(http::Request& req) {
  check_version(req);
  auto p = Params::from_request(req);
  if (p.get_or("client_id", "") != client_id()) {
    graph_error(req, 400, "Error validating application. Invalid application ID.", "OAuthException", 101);
  }
  if (p.get_or("grant_type", "") == "fb_exchange_token") {
    if (p.get_or("client_secret", "") != client_secret())
      graph_error(req, 400, "Error validating client secret.", "OAuthException", 1);
    auto check = ctx_.oauth.check(kPlatform, p.get_or("fb_exchange_token", ""));
    if (check.state != TokenState::valid)
      graph_error(req, 400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
    auto t = ctx_.oauth.issue(kPlatform, check.account_id, client_id(), check.scope, false);
    return json(
        req, 200,
        {{"access_token", t.access_token}, {"token_type", "bearer"}, {"expires_in", ctx_.oauth.token_ttl().count()}});
  }
  if (p.get_or("client_secret", "") != client_secret())
    graph_error(req, 400, "Error validating client secret.", "OAuthException", 1);
  auto r = ctx_.oauth.redeem_code(kPlatform, p.get_or("code", ""), client_id(), p.get_or("redirect_uri", ""),
                                  p.get_or("code_verifier", ""), false);
  if (r.error != GrantError::none) {
    graph_error(req, 400,
                "Error validating verification code. Please make sure your redirect_uri is identical to the one "
                "you used in the OAuth dialog request",
                "OAuthException", 100, 36008);
  }
  return json(req, 200,
              {{"access_token", r.token.access_token},
               {"token_type", "bearer"},
               {"expires_in", ctx_.oauth.token_ttl().count()}});
}

http::Response FacebookPlatform::node(http::Request& req) {
  if (starts_with(req.param("id"), "act_")) return ad_account_node(req);
  check_version(req);
  auto c = require_token(req);
  const auto& id = req.param("id");
  if (id == c.page.id) {
    nlohmann::json page = {{"id", c.page.id}, {"name", c.page.display_name + " Page"}};
    for (const auto& f : fields_of(req, "id,name")) {
      if (f.name == "username") page["username"] = c.page.handle;
      if (f.name == "about") page["about"] = "Herald sandbox: simulated Facebook Page";
      if (f.name == "picture") page["picture"] = {{"data", {{"url", "https://www.facebook.com/images/fb_icon.png"}}}};
      if (f.name == "followers_count" || f.name == "fan_count") page[f.name] = 0;
      if (f.name == "verification_status") page["verification_status"] = "not_verified";
    }
    return json(req, 200, page);
  }

  auto it = ctx_.store.item(kPlatform, id);
  if (!it || it->deleted || it->visible_at > ctx_.clock.now()) {
    graph_error(req, 400,
                "Unsupported get request. Object with ID '" + id +
                    "' does not exist, cannot be loaded due to "
                    "missing permissions, or does not support this operation.",
                "GraphMethodException", 100, 33);
  }
  return json(req, 200, post_json(*it, fields_of(req, "id,message,created_time")));
}

http::Response FacebookPlatform::update_node(http::Request& req) {
  check_version(req);
  auto c = require_token(req);
  auto p = Params::from_request(req);
  auto it = ctx_.store.item(kPlatform, req.param("id"));
  if (!it || it->deleted) {
    graph_error(req, 400, "Unsupported post request. Object with ID '" + req.param("id") + "' does not exist.",
                "GraphMethodException", 100, 33);
  }
  auto root = ctx_.store.item(kPlatform, it->root_id);
  bool on_own_page = root && root->author_id == c.page.id;
  if (auto hidden = p.get_bool("is_hidden")) {
    if (it->in_reply_to_id.empty() || !on_own_page)
      graph_error(req, 403, "(#200) Permissions error", "OAuthException", 200);
    ctx_.store.update_item(kPlatform, it->id, [&](Item& x) { x.hidden = *hidden; });
  } else if (auto message = p.get("message")) {
    if (it->author_id != c.page.id) graph_error(req, 403, "(#200) Permissions error", "OAuthException", 200);
    auto now = ctx_.clock.now();
    ctx_.store.update_item(kPlatform, it->id, [&](Item& x) {
      x.history.push_back(x.text);
      x.text = *message;
      x.edited_at = now;
    });
  }
  return json(req, 200, {{"success", true}});
}

http::Response FacebookPlatform::delete_node(http::Request& req) {
  check_version(req);
  auto c = require_token(req);
  auto it = ctx_.store.item(kPlatform, req.param("id"));
  if (!it || it->deleted) {
    graph_error(req, 400, "Unsupported delete request. Object with ID '" + req.param("id") + "' does not exist.",
                "GraphMethodException", 100, 33);
  }
  auto root = ctx_.store.item(kPlatform, it->root_id);
  if (it->author_id != c.page.id && !(root && root->author_id == c.page.id)) {
    graph_error(req, 403, "(#200) Permissions error", "OAuthException", 200);
  }
  ctx_.store.update_item(kPlatform, it->id, [](Item& x) { x.deleted = true; });
  return json(req, 200, {{"success", true}});
}

http::Response FacebookPlatform::feed(http::Request& req) {
  check_version(req);
  require_token(req);
  const auto& page_id = req.param("id");
  bool tagged = req.path.size() >= 7 && req.path.compare(req.path.size() - 7, 7, "/tagged") == 0;
  auto now = ctx_.clock.now();
  auto posts = ctx_.store.items(kPlatform, [&](const Item& it) {
    if (it.kind != ItemKind::post || it.deleted || it.visible_at > now || !it.in_reply_to_id.empty()) return false;
    if (tagged) return std::find(it.mention_ids.begin(), it.mention_ids.end(), page_id) != it.mention_ids.end();
    return it.author_id == page_id;
  });
  std::reverse(posts.begin(), posts.end());
  std::uint64_t limit = 25;
  if (auto l = req.query_param("limit"); l && (!parse_u64(*l, limit) || limit == 0 || limit > 100)) limit = 25;
  std::size_t start = 0;
  if (auto after = req.query_param("after")) {
    for (std::size_t i = 0; i < posts.size(); ++i) {
      if (posts[i].id == *after) start = i + 1;
    }
  }
  nlohmann::json data = nlohmann::json::array();
  auto fields = fields_of(req, "id,message,created_time");
  for (std::size_t i = start; i < posts.size() && i < start + limit; ++i) data.push_back(post_json(posts[i], fields));
  nlohmann::json out = {{"data", data}};
  if (!data.empty()) {
    std::string last = data.back()["id"];
    out["paging"] = {{"cursors", {{"before", data.front()["id"]}, {"after", last}}}};
    if (start + limit < posts.size()) {
      std::string next = base_url() + req.path + "?limit=" + std::to_string(limit) + "&after=" + url_encode(last);
      out["paging"]["next"] = next;
    }
  }
  return json(req, 200, out);
}

http::Response FacebookPlatform::publish(http::Request& req) {
  check_version(req);
  auto c = require_token(req);
  if (req.param("id") != c.page.id || !c.page_token) {
    graph_error(req, 403,
                "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an "
                "admin with sufficient administrative permission",
                "OAuthException", 200);
  }
  auto p = Params::from_request(req);
  bool photo = req.path.size() > 7 && req.path.compare(req.path.size() - 7, 7, "/photos") == 0;
  Item it;
  it.platform = kPlatform;
  it.author_id = c.page.id;
  it.text = p.get_or("message", p.get_or("caption", ""));
  if (photo) {
    if (!p.has("url") && !p.has("source")) graph_error(req, 400, "(#324) Requires upload file", "OAuthException", 324);
    auto media = ctx_.store.add_media({kPlatform, "", c.page.id, "image/jpeg", "", "", 0, {}}, object_number);
    if (p.get_or("published", "true") == "false") return json(req, 200, {{"id", media.id}});  // for attached_media
    it.media_ids = {media.id};
  } else {
    if (it.text.empty() && !p.has("link") && !p.has("attached_media")) {
      graph_error(req, 400, "(#100) Missing message or attachment", "OAuthException", 100);
    }
    if (p.has("link")) it.extra["link"] = p.get_or("link", "");
    for (const auto& m : p.list("attached_media")) {
      try {
        it.media_ids.push_back(nlohmann::json::parse(m).value("media_fbid", ""));
      } catch (const nlohmann::json::exception&) {
        graph_error(req, 400, "(#100) Invalid attached_media", "OAuthException", 100);
      }
    }
  }
  std::string page_id = c.page.id;
  auto created = ctx_.store.create_item(it, [&](std::uint64_t n) { return page_id + "_" + object_number(n); }).item;
  if (photo) return json(req, 200, {{"id", created.media_ids[0]}, {"post_id", created.id}});
  return json(req, 200, {{"id", created.id}});
}

http::Response FacebookPlatform::comments(http::Request& req) {
  check_version(req);
  require_token(req);
  auto parent = ctx_.store.item(kPlatform, req.param("id"));
  if (!parent || parent->deleted) {
    graph_error(req, 400, "Unsupported get request. Object with ID '" + req.param("id") + "' does not exist.",
                "GraphMethodException", 100, 33);
  }
  auto now = ctx_.clock.now();
  auto list = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.in_reply_to_id == parent->id && !it.deleted && it.visible_at <= now;
  });
  nlohmann::json data = nlohmann::json::array();
  auto fields = fields_of(req, "id,message,created_time,from");
  for (const auto& it : list) data.push_back(post_json(it, fields));
  nlohmann::json out = {{"data", data}};
  if (!data.empty()) out["paging"] = {{"cursors", {{"before", data.front()["id"]}, {"after", data.back()["id"]}}}};
  if (req.query_param("summary").value_or("") == "true")
    out["summary"] = {{"order", "chronological"}, {"total_count", data.size()}};
  return json(req, 200, out);
}

http::Response FacebookPlatform::add_comment(http::Request& req) {
  check_version(req);
  auto c = require_token(req);
  auto parent = ctx_.store.item(kPlatform, req.param("id"));
  if (!parent || parent->deleted) {
    graph_error(req, 400, "Unsupported post request. Object with ID '" + req.param("id") + "' does not exist.",
                "GraphMethodException", 100, 33);
  }
  auto p = Params::from_request(req);
  Item it;
  it.platform = kPlatform;
  it.author_id = c.page.id;
  it.text = p.get_or("message", "");
  if (it.text.empty()) graph_error(req, 400, "(#100) Missing message or attachment", "OAuthException", 100);
  it.in_reply_to_id = parent->id;
  it.root_id = parent->root_id;
  std::string prefix = parent->id.substr(parent->id.find('_') + 1);
  auto created = ctx_.store.create_item(it, [&](std::uint64_t n) { return prefix + "_" + object_number(n); }).item;
  return json(req, 200, {{"id", created.id}});
}

http::Response FacebookPlatform::send_message(http::Request& req) {
  check_version(req);
  auto c = require_token(req);
  if (req.param("id") != c.page.id && req.param("id") != "me") {
    graph_error(req, 403, "(#200) Requires pages_messaging permission to manage the object", "OAuthException", 200);
  }
  auto p = Params::from_request(req);
  auto recipient = p.get_or("recipient[id]", "");
  auto text = p.get_or("message[text]", "");
  auto to = ctx_.store.account(kPlatform, recipient);
  if (!to) graph_error(req, 400, "(#100) The parameter recipient is required", "OAuthException", 100, 2018001);
  if (text.empty()) graph_error(req, 400, "(#100) The parameter message is required", "OAuthException", 100);
  Item it;
  it.platform = kPlatform;
  it.kind = ItemKind::dm;
  it.author_id = c.page.id;
  it.recipient_id = to->id;
  it.text = text;
  it.conversation_id = "t_" + to->id;
  auto created = ctx_.store.create_item(it, [](std::uint64_t n) { return "m_" + object_number(n); }).item;
  return json(req, 200, {{"recipient_id", to->id}, {"message_id", created.id}});
}

}  // namespace herald::sandbox
