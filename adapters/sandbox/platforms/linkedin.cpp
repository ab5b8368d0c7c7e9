// LinkedIn emulator. Shapes from the official documentation (learn.microsoft.com/linkedin):
//   shared/authentication/authorization-code-flow (GET /oauth/v2/authorization, POST /oauth/v2/accessToken:
//     {access_token, expires_in, refresh_token, refresh_token_expires_in, scope (comma-separated)}; errors
//     {"error","error_description"}), shared/authentication/programmatic-refresh-tokens (the refresh token keeps
//     its value), shared/authentication/token-introspection, consumer/integrations/self-serve/sign-in-with-
//     linkedin-v2 (GET /v2/userinfo); /oauth/v2/revoke is the best-known public shape
//   marketing/versioning (LinkedIn-Version: YYYYMM on every /rest call; a version is served for a year)
//   marketing/community-management/shares/posts-api (POST /rest/posts -> 201 + x-restli-id; GET/DELETE
//     /rest/posts/{encoded urn}; PARTIAL_UPDATE with {"patch":{"$set":{...}}}; FINDER q=author)
//   .../shares/images-api, .../shares/videos-api (initializeUpload, PUT to uploadUrl, finalizeUpload)
//   .../shares/comments-api (GET/POST /rest/socialActions/{urn}/comments, nested comments with parentComment,
//     DELETE .../comments/{id}?actor=), .../shares/network-update-social-actions (GET /rest/socialActions/{urn})
//   .../organizations/organization-lookup-api, .../organizations/organization-access-control-by-role,
//     .../organizations/organization-follower-statistics (networkSizes), .../organizations/share-statistics
//   shared/api-guide/concepts/error-handling ({"status","serviceErrorCode","code","message"}; 65600 invalid,
//     65601 revoked, 65602 expired access token), shared/api-guide/concepts/rate-limits (429, no Retry-After;
//     daily limits reset at midnight UTC)
// www.linkedin.com (OAuth) and api.linkedin.com (REST, /v2/userinfo) share the one port. Every member
// administers one organization (created with the member, "<name> Inc."), so posts can be by urn:li:person or
// urn:li:organization. Upload URLs point back at this port (PUT /dms-uploads/{token}). LinkedIn-Version must be
// a month from twelve months ago to now (426 NONEXISTENT_VERSION otherwise). Not emulated (README TODO):
// webhooks, reactions, mentions (generated mentions are stored, no API lists them), messaging.
#include "adapters/sandbox/platforms/linkedin.hpp"

#include <algorithm>
#include <ctime>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/random.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "linkedin";
constexpr char kPerson[] = "urn:li:person:";
constexpr char kOrganization[] = "urn:li:organization:";
constexpr char kShare[] = "urn:li:share:";
constexpr std::size_t kMaxCommentary = 3000;
constexpr std::size_t kVideoPart = 4 * 1024 * 1024;
constexpr std::int64_t kRefreshTtl = 365LL * 24 * 3600;

// Member ids are opaque 10-character strings ("yrZCpj2Z12").
std::string format_member(std::uint64_t n) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::uint64_t v = (n + 1000) * 0x9E3779B97F4A7C15ULL;
  std::string s;
  for (int i = 0; i < 10; ++i, v /= 62) s += kAlphabet[v % 62];
  return s;
}
std::string format_org(std::uint64_t n) { return std::to_string(90000000ULL + n); }
std::string number(std::uint64_t n) { return std::to_string(7300000000000000000ULL + n); }
std::string format_share(std::uint64_t n) { return kShare + number(n); }

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The post URN of a comment URN "urn:li:comment:(urn:li:share:1,2)".
std::string thread_of(const std::string& comment_urn) {
  auto open = comment_urn.find('(');
  auto comma = comment_urn.rfind(',');
  if (open == std::string::npos || comma == std::string::npos || comma < open) return "";
  return comment_urn.substr(open + 1, comma - open - 1);
}

std::string comment_number(const std::string& comment_urn) {
  auto comma = comment_urn.rfind(',');
  auto close = comment_urn.rfind(')');
  if (comma == std::string::npos || close == std::string::npos || close < comma) return "";
  return comment_urn.substr(comma + 1, close - comma - 1);
}

}  // namespace

LinkedinPlatform::LinkedinPlatform(Context& ctx) : Platform(kPlatform, "LinkedIn", ctx) {}

Account LinkedinPlatform::account_for_handle(const std::string& handle) {
  auto member = ctx_.store.ensure_account(kPlatform, handle, format_member);
  organization_of(member);
  return member;
}

Account LinkedinPlatform::organization_of(const Account& member) {
  return ctx_.store.ensure_account(kPlatform, "org_" + member.handle, format_org, member.display_name + " Inc.");
}

std::string LinkedinPlatform::urn_of(const Account& a) const {
  return (all_digits(a.id) ? kOrganization : kPerson) + a.id;
}

std::optional<Account> LinkedinPlatform::author_for(const Account& member, const std::string& urn) {
  if (urn == urn_of(member)) return member;
  auto org = organization_of(member);
  if (urn == urn_of(org)) return org;
  return std::nullopt;
}

void LinkedinPlatform::fail(const http::Request& req, int status, const std::string& code, const std::string& message,
                            int service_code) {
  nlohmann::json body = {{"status", status}, {"message", message}};
  if (!code.empty()) body["code"] = code;
  if (service_code != 0) body["serviceErrorCode"] = service_code;
  throw ErrorResponse(json(req, status, body));
}

void LinkedinPlatform::input_error(const http::Request& req, const std::string& field, const std::string& code,
                                   const std::string& description) {
  nlohmann::json body = {
      {"errorDetailType", "com.linkedin.common.error.BadRequest"},
      {"message", "ERROR :: " + field + " :: " + description},
      {"errorDetails",
       {{"inputErrors",
         {{{"description", description}, {"input", {{"inputPath", {{"fieldPath", field}}}}}, {"code", code}}}}}},
      {"status", 422}};
  throw ErrorResponse(json(req, 422, body));
}

http::Response LinkedinPlatform::error_response(const http::Request& req, int status, const std::string& message) {
  std::string code = status == 400   ? "ILLEGAL_ARGUMENT"
                     : status == 401 ? "INVALID_ACCESS_TOKEN"
                     : status == 403 ? "ACCESS_DENIED"
                     : status == 404 ? "NOT_FOUND"
                     : status == 422 ? "UNPROCESSABLE_ENTITY"
                     : status == 503 ? "SERVICE_UNAVAILABLE"
                     : status >= 500 ? "INTERNAL_SERVER_ERROR"
                                     : "";
  nlohmann::json body = {{"status", status}, {"message", message}};
  if (!code.empty()) body["code"] = code;
  if (status == 401) body["serviceErrorCode"] = 65600;
  return json(req, status, body);
}

http::Response LinkedinPlatform::rate_limit_response(const http::Request& req) {
  return json(req, 429,
              {{"status", 429},
               {"serviceErrorCode", 101},
               {"code", "TOO_MANY_REQUESTS"},
               {"message", "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}});
}

void LinkedinPlatform::decorate(const http::Request& /*req*/, http::Response& res, const std::string& route) {
  if (starts_with(route, "/rest/")) res.set("X-RestLi-Protocol-Version", "2.0.0");
  res.set("x-li-responseorigin", "RGW");
}

Account LinkedinPlatform::require_member(const http::Request& req) {
  auto token = bearer_token(req);
  if (!token) token = req.query_param("oauth2_access_token");
  if (!token) fail(req, 401, "EMPTY_ACCESS_TOKEN", "Empty oauth2 access token", 65604);
  auto check = ctx_.oauth.check(kPlatform, *token);
  if (check.state == TokenState::revoked) {
    fail(req, 401, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user", 65601);
  }
  if (check.state == TokenState::expired) {
    fail(req, 401, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired", 65602);
  }
  auto member = check.state == TokenState::valid ? ctx_.store.account(kPlatform, check.account_id) : std::nullopt;
  if (!member) fail(req, 401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600);
  return *member;
}

void LinkedinPlatform::check_version(const http::Request& req) {
  auto v = std::string(req.header("LinkedIn-Version").value_or(""));
  if (v.empty()) {
    fail(req, 400, "VERSION_MISSING",
         "A version must be present. Please specify a version by adding the LinkedIn-Version header.");
  }
  std::string month = v.substr(0, v.find('.'));
  std::uint64_t yyyymm = 0;
  bool ok = month.size() == 6 && parse_u64(month, yyyymm) && yyyymm % 100 >= 1 && yyyymm % 100 <= 12;
  if (ok) {
    std::time_t secs = std::chrono::system_clock::to_time_t(ctx_.clock.now());
    std::tm tm{};
    gmtime_r(&secs, &tm);
    auto months = [](std::uint64_t ym) { return static_cast<std::int64_t>(ym / 100 * 12 + ym % 100 - 1); };
    std::int64_t now = (tm.tm_year + 1900) * 12 + tm.tm_mon;
    std::int64_t asked = months(yyyymm);
    ok = asked <= now && asked >= now - 12;  // served for a year
  }
  if (!ok) fail(req, 426, "NONEXISTENT_VERSION", "Requested version " + v + " is not active");
}

Account LinkedinPlatform::require_rest(const http::Request& req) {
  auto member = require_member(req);
  check_version(req);
  return member;
}

nlohmann::json LinkedinPlatform::post_json(const Item& it) const {
  auto created = unix_millis(it.created_at);
  nlohmann::json j = {{"id", it.id},
                      {"author", it.extra.value("author", "")},
                      {"commentary", it.text},
                      {"visibility", it.extra.value("visibility", "PUBLIC")},
                      {"distribution", it.extra.value("distribution", nlohmann::json::object())},
                      {"lifecycleState", it.extra.value("lifecycleState", "PUBLISHED")},
                      {"isReshareDisabledByAuthor", it.extra.value("isReshareDisabledByAuthor", false)},
                      {"createdAt", created},
                      {"lastModifiedAt", it.edited_at ? unix_millis(*it.edited_at) : created},
                      {"lifecycleStateInfo", {{"isEditedByAuthor", it.edited_at.has_value()}}}};
  if (j["lifecycleState"] == "PUBLISHED") j["publishedAt"] = created;
  if (it.extra.contains("content")) j["content"] = it.extra["content"];
  return j;
}

nlohmann::json LinkedinPlatform::comment_json(const Item& it) const {
  auto author = ctx_.store.account(kPlatform, it.author_id);
  std::string actor = author ? urn_of(*author) : "";
  auto at = unix_millis(it.created_at);
  nlohmann::json j = {{"actor", actor},
                      {"commentUrn", it.id},
                      {"$URN", it.id},
                      {"id", comment_number(it.id)},
                      {"created", {{"actor", actor}, {"time", at}}},
                      {"lastModified", {{"actor", actor}, {"time", at}}},
                      {"message", {{"text", it.text}, {"attributes", nlohmann::json::array()}}},
                      {"object", it.root_id},
                      {"likesSummary",
                       {{"selectedLikes", nlohmann::json::array()},
                        {"aggregatedTotalLikes", 0},
                        {"likedByCurrentUser", false},
                        {"totalLikes", 0}}},
                      {"commentsSummary",
                       {{"totalFirstLevelComments", comments_on(it.id).size()},
                        {"aggregatedTotalComments", comments_on(it.id).size()}}}};
  if (it.in_reply_to_id != it.root_id) j["parentComment"] = it.in_reply_to_id;
  return j;
}

std::vector<Item> LinkedinPlatform::comments_on(const std::string& target) const {
  auto now = ctx_.clock.now();
  return ctx_.store.items(kPlatform, [&](const Item& c) {
    return c.in_reply_to_id == target && !c.deleted && c.visible_at <= now && c.kind == ItemKind::post;
  });
}

std::vector<Item> LinkedinPlatform::posts_of(const std::string& author_id) const {
  auto now = ctx_.clock.now();
  return ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.author_id == author_id && it.in_reply_to_id.empty() && !it.deleted && it.visible_at <= now &&
           it.kind == ItemKind::post;
  });
}

void LinkedinPlatform::add_routes() {
  auto authorize = [this](http::Request& req, Call&) { return Platform::authorize(req, false); };
  route(Verb::get, "/oauth/v2/authorization", authorize);
  route(Verb::post, "/oauth/v2/authorization", authorize);
  route(Verb::post, "/oauth/v2/accessToken", [this](http::Request& req, Call&) { return token(req); });
  route(Verb::post, "/oauth/v2/revoke", [this](http::Request& req, Call&) { return revoke(req); });
  route(Verb::post, "/oauth/v2/introspectToken", [this](http::Request& req, Call&) { return introspect(req); });
  route(Verb::get, "/v2/userinfo", [this](http::Request& req, Call&) {
    auto m = require_member(req);
    auto space = m.display_name.find(' ');
    return json(req, 200,
                {{"sub", m.id},
                 {"name", m.display_name},
                 {"given_name", m.display_name.substr(0, space)},
                 {"family_name", space == std::string::npos ? "" : m.display_name.substr(space + 1)},
                 {"picture", "https://media.licdn.com/dms/image/sandbox/profile.jpg"},
                 {"locale", {{"country", "US"}, {"language", "en"}}},
                 {"email", m.handle + "@example.com"},
                 {"email_verified", true}});
  });
  route(Verb::post, "/rest/posts", [this](http::Request& req, Call&) { return create_post(req); });
  route(Verb::get, "/rest/posts", [this](http::Request& req, Call&) { return find_posts(req); });
  route(Verb::get, "/rest/posts/{urn}", [this](http::Request& req, Call&) { return get_post(req); });
  route(Verb::post, "/rest/posts/{urn}", [this](http::Request& req, Call&) { return update_post(req); });
  route(Verb::delete_, "/rest/posts/{urn}", [this](http::Request& req, Call&) { return delete_post(req); });
  route(Verb::post, "/rest/images", [this](http::Request& req, Call&) { return initialize_upload(req, false); });
  route(Verb::get, "/rest/images/{urn}", [this](http::Request& req, Call&) { return media_status(req, false); });
  route(Verb::post, "/rest/videos", [this](http::Request& req, Call&) {
    auto action = req.query_param("action").value_or("");
    if (action == "finalizeUpload") return finalize_upload(req);
    return initialize_upload(req, true);
  });
  route(Verb::get, "/rest/videos/{urn}", [this](http::Request& req, Call&) { return media_status(req, true); });
  route(Verb::put, "/dms-uploads/{token}", [this](http::Request& req, Call&) { return put_upload(req); });
  route(Verb::get, "/rest/socialActions/{urn}", [this](http::Request& req, Call&) { return social_summary(req); });
  route(Verb::get, "/rest/socialActions/{urn}/comments",
        [this](http::Request& req, Call&) { return list_comments(req); });
  route(Verb::post, "/rest/socialActions/{urn}/comments",
        [this](http::Request& req, Call&) { return create_comment(req); });
  route(Verb::delete_, "/rest/socialActions/{urn}/comments/{id}",
        [this](http::Request& req, Call&) { return delete_comment(req); });
  route(Verb::get, "/rest/organizations/{id}", [this](http::Request& req, Call&) { return organization(req); });
  route(Verb::get, "/rest/organizationAcls", [this](http::Request& req, Call&) {
    auto m = require_rest(req);
    auto org = organization_of(m);
    nlohmann::json e = {
        {"roleAssignee", urn_of(m)}, {"role", "ADMINISTRATOR"}, {"organization", urn_of(org)}, {"state", "APPROVED"}};
    return json(req, 200,
                {{"paging", {{"start", 0}, {"count", 10}, {"links", nlohmann::json::array()}}}, {"elements", {e}}});
  });
  route(Verb::get, "/rest/networkSizes/{urn}", [this](http::Request& req, Call&) {
    require_rest(req);
    return json(req, 200, {{"firstDegreeSize", 0}});
  });
  route(Verb::get, "/rest/organizationalEntityShareStatistics",
        [this](http::Request& req, Call&) { return share_statistics(req); });
}

http::Response LinkedinPlatform::token(http::Request& req) {
  auto p = Params::from_request(req);
  auto oauth_error = [&](int status, const std::string& error, const std::string& description) {
    return json(req, status, {{"error", error}, {"error_description", description}});
  };
  if (p.get_or("client_id", "") != client_id() || p.get_or("client_secret", "") != client_secret()) {
    return oauth_error(401, "invalid_client", "Client authentication failed");
  }
  auto grant = p.get_or("grant_type", "");
  GrantResult r;
  if (grant == "authorization_code") {
    r = ctx_.oauth.redeem_code(kPlatform, p.get_or("code", ""), client_id(), p.get_or("redirect_uri", ""),
                               p.get_or("code_verifier", ""), true);
    if (r.error != GrantError::none) {
      return oauth_error(400, "invalid_request",
                         "Unable to retrieve access token: appid/redirect uri/code verifier does not match "
                         "authorization code. Or authorization code expired. Or external member binding exists");
    }
  } else if (grant == "refresh_token") {
    r = ctx_.oauth.refresh(kPlatform, p.get_or("refresh_token", ""), client_id(), false);
    if (r.error != GrantError::none) {
      return oauth_error(400, "invalid_grant",
                         "The provided authorization grant or refresh token is invalid, expired or revoked.");
    }
  } else {
    return oauth_error(400, "unsupported_grant_type", "The grant type " + grant + " is not supported");
  }
  std::string scope = r.token.scope;
  std::replace(scope.begin(), scope.end(), ' ', ',');
  nlohmann::json out = {{"access_token", r.token.access_token},
                        {"expires_in", ctx_.oauth.token_ttl().count()},
                        {"refresh_token", r.token.refresh_token},
                        {"refresh_token_expires_in", kRefreshTtl},
                        {"scope", scope},
                        {"token_type", "Bearer"}};
  if (("," + scope + ",").find(",openid,") != std::string::npos) {
    auto m = ctx_.store.account(kPlatform, r.token.account_id);
    auto iat = unix_seconds(r.token.issued_at);
    nlohmann::json claims = {
        {"iss", "https://www.linkedin.com/oauth"}, {"aud", client_id()}, {"sub", r.token.account_id},
        {"name", m ? m->display_name : ""},        {"iat", iat},         {"exp", iat + ctx_.oauth.token_ttl().count()}};
    out["id_token"] = core::crypto::base64url_encode(R"({"alg":"RS256","kid":"sandbox","typ":"JWT"})") + "." +
                      core::crypto::base64url_encode(claims.dump()) + "." +
                      core::crypto::base64url_encode("herald-sandbox-unsigned");
  }
  return json(req, 200, out);
}

http::Response LinkedinPlatform::revoke(http::Request& req) {
  auto p = Params::from_request(req);
  if (p.get_or("client_id", "") != client_id() || p.get_or("client_secret", "") != client_secret()) {
    return json(req, 401, {{"error", "invalid_client"}, {"error_description", "Client authentication failed"}});
  }
  ctx_.oauth.revoke(kPlatform, p.get_or("token", ""));
  return http::empty_response(req, 200);
}

http::Response LinkedinPlatform::introspect(http::Request& req) {
  auto p = Params::from_request(req);
  if (p.get_or("client_id", "") != client_id() || p.get_or("client_secret", "") != client_secret()) {
    return json(req, 401, {{"error", "invalid_client"}, {"error_description", "Client authentication failed"}});
  }
  auto check = ctx_.oauth.check(kPlatform, p.get_or("token", ""));
  if (check.state != TokenState::valid) {
    std::string status = check.state == TokenState::revoked ? "revoked" : "expired";
    return json(req, 200, {{"active", false}, {"status", check.state == TokenState::unknown ? "invalid" : status}});
  }
  std::string scope = check.scope;
  std::replace(scope.begin(), scope.end(), ' ', ',');
  return json(req, 200,
              {{"active", true},
               {"client_id", client_id()},
               {"status", "active"},
               {"scope", scope},
               {"auth_type", "3L"},
               {"authorized_at", unix_seconds(ctx_.clock.now())}});
}

http::Response LinkedinPlatform::create_post(http::Request& req) {
  auto member = require_rest(req);
  auto p = Params::from_request(req);
  const auto& body = p.json();
  if (!body.is_object()) fail(req, 400, "ILLEGAL_ARGUMENT", "The request body must be a JSON object");
  auto author_urn = body.value("author", "");
  if (author_urn.empty()) input_error(req, "/author", "FIELD_VALUE_REQUIRED", "field is required but not found");
  auto author = author_for(member, author_urn);
  if (!author) {
    fail(req, 403, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260101", 100);
  }
  static const std::vector<std::string> kVisibility{"PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"};
  auto visibility = body.value("visibility", "");
  if (std::find(kVisibility.begin(), kVisibility.end(), visibility) == kVisibility.end()) {
    input_error(req, "/visibility", visibility.empty() ? "FIELD_VALUE_REQUIRED" : "INVALID_VALUE_FOR_FIELD",
                "visibility must be PUBLIC, CONNECTIONS, LOGGED_IN or CONTAINER");
  }
  if (!body.contains("distribution") || !body["distribution"].is_object() ||
      body["distribution"].value("feedDistribution", "").empty()) {
    input_error(req, "/distribution/feedDistribution", "FIELD_VALUE_REQUIRED", "field is required but not found");
  }
  auto lifecycle = body.value("lifecycleState", "");
  if (lifecycle != "PUBLISHED" && lifecycle != "DRAFT") {
    input_error(req, "/lifecycleState", "INVALID_VALUE_FOR_FIELD", "lifecycleState must be PUBLISHED or DRAFT");
  }
  std::string commentary =
      body.contains("commentary") && body["commentary"].is_string() ? body["commentary"].get<std::string>() : "";
  if (code_points(commentary) > kMaxCommentary) {
    input_error(req, "/commentary", "INVALID_VALUE_FOR_FIELD", "length of commentary exceeds 3000 characters");
  }
  if (commentary.empty() && !body.contains("content")) {
    input_error(req, "/commentary", "FIELD_VALUE_REQUIRED", "a post needs commentary or content");
  }
  if (body.contains("content")) {
    std::vector<std::string> media;
    const auto& content = body["content"];
    if (content.contains("media")) media.push_back(content["media"].value("id", ""));
    if (content.contains("multiImage")) {
      for (const auto& img : content["multiImage"].value("images", nlohmann::json::array())) {
        media.push_back(img.value("id", ""));
      }
    }
    std::lock_guard lock(mutex_);
    for (const auto& urn : media) {
      auto up = uploads_.find(urn);
      bool ready = up != uploads_.end() && up->second.owner == author_urn &&
                   (up->second.video ? up->second.finalized : up->second.received > 0);
      if (!ready) input_error(req, "/content/media/id", "INVALID_VALUE_FOR_FIELD", urn + " is not an available asset");
    }
  }
  if (!commentary.empty()) {
    const auto now = ctx_.clock.now();
    for (const auto& other : ctx_.store.items_with_text(kPlatform, author->id, commentary)) {
      if (other.in_reply_to_id.empty() && !other.deleted && other.visible_at <= now && other.kind == ItemKind::post) {
        input_error(req, "/commentary", "DUPLICATE_POST", "Content is a duplicate of " + other.id);
      }
    }
  }
  Item it;
  it.platform = kPlatform;
  it.author_id = author->id;
  it.text = commentary;
  it.visibility = lower(visibility);
  it.extra = {{"author", author_urn},
              {"visibility", visibility},
              {"distribution", body["distribution"]},
              {"lifecycleState", lifecycle},
              {"isReshareDisabledByAuthor", body.value("isReshareDisabledByAuthor", false)}};
  if (body.contains("content")) it.extra["content"] = body["content"];
  auto created = ctx_.store.create_item(it, format_share).item;
  auto res = http::empty_response(req, 201);
  res.set("x-restli-id", created.id);
  res.set("x-linkedin-id", created.id);
  return res;
}

http::Response LinkedinPlatform::get_post(http::Request& req) {
  require_rest(req);
  auto it = ctx_.store.item(kPlatform, req.param("urn"));
  if (!it || it->deleted || !it->in_reply_to_id.empty() || it->visible_at > ctx_.clock.now()) {
    fail(req, 404, "NOT_FOUND", "Post " + req.param("urn") + " does not exist");
  }
  return json(req, 200, post_json(*it));
}

http::Response LinkedinPlatform::update_post(http::Request& req) {
  auto member = require_rest(req);
  if (lower(req.header("X-RestLi-Method").value_or("")) != "partial_update") {
    fail(req, 400, "ILLEGAL_ARGUMENT", "POST on a post entity needs X-RestLi-Method: PARTIAL_UPDATE");
  }
  auto it = ctx_.store.item(kPlatform, req.param("urn"));
  if (!it || it->deleted || !it->in_reply_to_id.empty()) {
    fail(req, 404, "NOT_FOUND", "Post " + req.param("urn") + " does not exist");
  }
  if (!author_for(member, it->extra.value("author", ""))) {
    fail(req, 403, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.UPDATE.20260101", 100);
  }
  auto p = Params::from_request(req);
  const auto& body = p.json();
  const nlohmann::json set = body.is_object() && body.contains("patch") && body["patch"].contains("$set")
                                 ? body["patch"]["$set"]
                                 : nlohmann::json::object();
  if (!set.is_object()) fail(req, 400, "ILLEGAL_ARGUMENT", "patch.$set must be an object");
  for (const auto& [k, v] : set.items()) {
    if (k != "commentary" && k != "contentCallToActionLabel" && k != "contentLandingPage" && k != "lifecycleState" &&
        k != "adContext") {
      input_error(req, "/patch/$set/" + k, "UNPERMITTED_FIELD", "field cannot be updated");
    }
    if (k == "commentary" && (!v.is_string() || code_points(v.get<std::string>()) > kMaxCommentary)) {
      input_error(req, "/patch/$set/commentary", "INVALID_VALUE_FOR_FIELD", "commentary is at most 3000 characters");
    }
  }
  auto now = ctx_.clock.now();
  ctx_.store.update_item(kPlatform, it->id, [&](Item& x) {
    if (set.contains("commentary")) {
      x.history.push_back(x.text);
      x.text = set["commentary"].get<std::string>();
    }
    if (set.contains("lifecycleState") && set["lifecycleState"].is_string()) {
      x.extra["lifecycleState"] = set["lifecycleState"];
    }
    x.edited_at = now;
  });
  return http::empty_response(req, 204);
}

http::Response LinkedinPlatform::delete_post(http::Request& req) {
  auto member = require_rest(req);
  auto it = ctx_.store.item(kPlatform, req.param("urn"));
  if (!it || it->deleted || !it->in_reply_to_id.empty()) {
    fail(req, 404, "NOT_FOUND", "Post " + req.param("urn") + " does not exist");
  }
  if (!author_for(member, it->extra.value("author", ""))) {
    fail(req, 403, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.DELETE.20260101", 100);
  }
  ctx_.store.update_item(kPlatform, it->id, [](Item& x) { x.deleted = true; });
  return http::empty_response(req, 204);
}

http::Response LinkedinPlatform::find_posts(http::Request& req) {
  auto member = require_rest(req);
  if (req.query_param("q").value_or("") != "author") {
    fail(req, 400, "ILLEGAL_ARGUMENT", "The finder q=author (with author=) is the one supported");
  }
  auto author = author_for(member, req.query_param("author").value_or(""));
  if (!author) {
    fail(req, 403, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.FINDER-author", 100);
  }
  std::uint64_t count = 10;
  std::uint64_t start = 0;
  if (auto c = req.query_param("count"); c && (!parse_u64(*c, count) || count == 0 || count > 100)) {
    fail(req, 400, "ILLEGAL_ARGUMENT", "count must be between 1 and 100");
  }
  if (auto s = req.query_param("start"); s && !parse_u64(*s, start)) {
    fail(req, 400, "ILLEGAL_ARGUMENT", "start must be a non-negative integer");
  }
  auto posts = posts_of(author->id);
  bool by_created = req.query_param("sortBy").value_or("LAST_MODIFIED") == "CREATED";
  std::stable_sort(posts.begin(), posts.end(), [&](const Item& a, const Item& b) {
    auto ta = by_created ? a.created_at : a.edited_at.value_or(a.created_at);
    auto tb = by_created ? b.created_at : b.edited_at.value_or(b.created_at);
    return ta != tb ? ta > tb : a.seq > b.seq;  // newest first
  });
  nlohmann::json elements = nlohmann::json::array();
  for (std::size_t i = start; i < posts.size() && i < start + count; ++i) elements.push_back(post_json(posts[i]));
  nlohmann::json links = nlohmann::json::array();
  if (start + count < posts.size()) {
    std::string next = "/rest/posts?author=" + url_encode(urn_of(*author)) +
                       "&q=author&count=" + std::to_string(count) + "&start=" + std::to_string(start + count);
    links.push_back({{"type", "application/json"}, {"rel", "next"}, {"href", next}});
  }
  return json(req, 200,
              {{"paging", {{"start", start}, {"count", count}, {"links", links}, {"total", posts.size()}}},
               {"elements", elements}});
}

http::Response LinkedinPlatform::initialize_upload(http::Request& req, bool video) {
  auto member = require_rest(req);
  if (req.query_param("action").value_or("") != "initializeUpload") {
    fail(req, 400, "ILLEGAL_ARGUMENT", "Unsupported action: use action=initializeUpload");
  }
  auto p = Params::from_request(req);
  const auto& body = p.json();
  nlohmann::json request = body.is_object() && body.contains("initializeUploadRequest")
                               ? body["initializeUploadRequest"]
                               : nlohmann::json::object();
  Upload up;
  up.owner = request.value("owner", "");
  if (!author_for(member, up.owner)) {
    input_error(req, "/initializeUploadRequest/owner", "INVALID_VALUE_FOR_FIELD",
                "owner must be the member or an organization they administer");
  }
  up.video = video;
  auto n = ctx_.store.next_number(kPlatform);
  up.urn = std::string(video ? "urn:li:video:D" : "urn:li:image:C") + "4E10AQ" + format_member(n);
  auto expires = unix_millis(ctx_.clock.now() + std::chrono::hours(24));
  nlohmann::json value;
  std::lock_guard lock(mutex_);
  if (!video) {
    auto token = core::crypto::random_token(18);
    upload_urls_[token] = up.urn;
    value = {{"uploadUrlExpiresAt", expires}, {"uploadUrl", base_url() + "/dms-uploads/" + token}, {"image", up.urn}};
  } else {
    up.size = static_cast<std::size_t>(request.value("fileSizeBytes", 0));
    if (up.size == 0) {
      input_error(req, "/initializeUploadRequest/fileSizeBytes", "FIELD_VALUE_REQUIRED", "fileSizeBytes is required");
    }
    nlohmann::json parts = nlohmann::json::array();
    for (std::size_t first = 0; first < up.size; first += kVideoPart) {
      auto token = core::crypto::random_token(18);
      upload_urls_[token] = up.urn;
      parts.push_back({{"uploadUrl", base_url() + "/dms-uploads/" + token},
                       {"firstByte", first},
                       {"lastByte", std::min(first + kVideoPart, up.size) - 1}});
    }
    value = {{"uploadUrlsExpireAt", expires}, {"video", up.urn}, {"uploadInstructions", parts}, {"uploadToken", ""}};
  }
  uploads_[up.urn] = up;
  return json(req, 200, {{"value", value}});
}

http::Response LinkedinPlatform::put_upload(http::Request& req) {
  std::lock_guard lock(mutex_);
  auto t = upload_urls_.find(req.param("token"));
  if (t == upload_urls_.end()) fail(req, 404, "NOT_FOUND", "No such upload URL");
  auto& up = uploads_[t->second];
  if (req.raw.body().empty()) fail(req, 400, "ILLEGAL_ARGUMENT", "The upload body is empty");
  up.received += req.raw.body().size();
  auto etag = "/ambry-video/" + core::crypto::random_token(12);
  up.etags.push_back(etag);
  upload_urls_.erase(t);  // each upload URL takes one PUT
  auto res = http::empty_response(req, up.video ? 200 : 201);
  res.set(http::beast_http::field::etag, etag);
  return res;
}

http::Response LinkedinPlatform::finalize_upload(http::Request& req) {
  auto member = require_rest(req);
  auto p = Params::from_request(req);
  const auto& body = p.json();
  nlohmann::json f = body.is_object() && body.contains("finalizeUploadRequest") ? body["finalizeUploadRequest"]
                                                                                : nlohmann::json::object();
  std::lock_guard lock(mutex_);
  auto it = uploads_.find(f.value("video", ""));
  if (it == uploads_.end() || !author_for(member, it->second.owner)) {
    input_error(req, "/finalizeUploadRequest/video", "INVALID_VALUE_FOR_FIELD", "unknown video");
  }
  auto& up = it->second;
  std::vector<std::string> given;
  for (const auto& e : f.value("uploadedPartIds", nlohmann::json::array())) given.push_back(e.get<std::string>());
  if (up.received != up.size || given != up.etags) {
    input_error(req, "/finalizeUploadRequest/uploadedPartIds", "INVALID_VALUE_FOR_FIELD",
                "the uploaded parts do not match the upload instructions");
  }
  up.finalized = true;
  return http::empty_response(req, 200);
}

http::Response LinkedinPlatform::media_status(http::Request& req, bool video) {
  require_rest(req);
  std::lock_guard lock(mutex_);
  auto it = uploads_.find(req.param("urn"));
  if (it == uploads_.end() || it->second.video != video) fail(req, 404, "NOT_FOUND", "No such asset");
  const auto& up = it->second;
  bool ready = video ? up.finalized : up.received > 0;
  nlohmann::json j = {{"id", up.urn}, {"owner", up.owner}, {"status", ready ? "AVAILABLE" : "WAITING_UPLOAD"}};
  if (ready) j["downloadUrl"] = base_url() + "/dms/" + url_encode(up.urn);
  return json(req, 200, j);
}

http::Response LinkedinPlatform::list_comments(http::Request& req) {
  require_rest(req);
  const auto& target = req.param("urn");
  auto it = ctx_.store.item(kPlatform, target);
  if (!it || it->deleted) fail(req, 404, "NOT_FOUND", "No such post or comment: " + target);
  std::uint64_t count = 10;
  std::uint64_t start = 0;
  if (auto c = req.query_param("count")) (void)parse_u64(*c, count);
  if (auto s = req.query_param("start")) (void)parse_u64(*s, start);
  auto list = comments_on(target);
  nlohmann::json elements = nlohmann::json::array();
  for (std::size_t i = start; i < list.size() && i < start + count; ++i) elements.push_back(comment_json(list[i]));
  return json(
      req, 200,
      {{"paging", {{"start", start}, {"count", count}, {"links", nlohmann::json::array()}, {"total", list.size()}}},
       {"elements", elements}});
}

http::Response LinkedinPlatform::create_comment(http::Request& req) {
  auto member = require_rest(req);
  const auto& target = req.param("urn");
  auto parent = ctx_.store.item(kPlatform, target);
  if (!parent || parent->deleted) fail(req, 404, "NOT_FOUND", "No such post or comment: " + target);
  auto p = Params::from_request(req);
  const auto& body = p.json();
  if (!body.is_object()) fail(req, 400, "ILLEGAL_ARGUMENT", "The request body must be a JSON object");
  auto actor = author_for(member, body.value("actor", ""));
  if (!actor) input_error(req, "/actor", "INVALID_VALUE_FOR_FIELD", "actor must be the member or their organization");
  std::string text = body.contains("message") && body["message"].is_object() ? body["message"].value("text", "") : "";
  if (text.empty()) input_error(req, "/message/text", "FIELD_VALUE_REQUIRED", "field is required but not found");
  bool nested = !parent->in_reply_to_id.empty();
  if (body.value("object", "") != parent->root_id) {
    input_error(req, "/object", "INVALID_VALUE_FOR_FIELD", "object must be the post the comment is on");
  }
  if (nested && body.value("parentComment", "") != parent->id) {
    input_error(req, "/parentComment", "INVALID_VALUE_FOR_FIELD", "parentComment must be the comment in the path");
  }
  if (nested && parent->in_reply_to_id != parent->root_id) {
    input_error(req, "/parentComment", "INVALID_VALUE_FOR_FIELD", "comments nest one level deep");
  }
  Item it;
  it.platform = kPlatform;
  it.author_id = actor->id;
  it.text = text;
  it.in_reply_to_id = parent->id;
  it.root_id = parent->root_id;
  std::string thread = parent->root_id;
  auto created =
      ctx_.store.create_item(it, [&](std::uint64_t n) { return "urn:li:comment:(" + thread + "," + number(n) + ")"; })
          .item;
  auto res = json(req, 201, comment_json(created));
  res.set("x-restli-id", created.id);
  return res;
}

http::Response LinkedinPlatform::delete_comment(http::Request& req) {
  auto member = require_rest(req);
  const auto& target = req.param("urn");
  std::string thread = starts_with(target, "urn:li:comment:") ? thread_of(target) : target;
  std::string urn = "urn:li:comment:(" + thread + "," + req.param("id") + ")";
  auto it = ctx_.store.item(kPlatform, urn);
  if (!it || it->deleted) fail(req, 404, "NOT_FOUND", "No such comment: " + urn);
  auto actor = author_for(member, req.query_param("actor").value_or(""));
  auto post = ctx_.store.item(kPlatform, it->root_id);
  bool allowed = actor && (it->author_id == actor->id || (post && post->author_id == actor->id));
  if (!allowed) fail(req, 403, "ACCESS_DENIED", "Not enough permissions to delete this comment", 100);
  ctx_.store.update_item(kPlatform, urn, [](Item& x) { x.deleted = true; });
  return http::empty_response(req, 204);
}

http::Response LinkedinPlatform::social_summary(http::Request& req) {
  require_rest(req);
  const auto& target = req.param("urn");
  auto it = ctx_.store.item(kPlatform, target);
  if (!it || it->deleted) fail(req, 404, "NOT_FOUND", "No such post or comment: " + target);
  auto first = comments_on(target);
  auto all = ctx_.store.items(kPlatform, [&](const Item& c) {
    return c.root_id == target && c.id != target && !c.deleted && c.visible_at <= ctx_.clock.now();
  });
  return json(req, 200,
              {{"target", target},
               {"$URN", "urn:li:socialActions:" + target},
               {"likesSummary",
                {{"selectedLikes", nlohmann::json::array()},
                 {"aggregatedTotalLikes", 0},
                 {"likedByCurrentUser", false},
                 {"totalLikes", 0}}},
               {"commentsSummary",
                {{"selectedComments", nlohmann::json::array()},
                 {"totalFirstLevelComments", first.size()},
                 {"commentsState", "OPEN"},
                 {"aggregatedTotalComments", all.size()}}}});
}

http::Response LinkedinPlatform::organization(http::Request& req) {
  require_rest(req);
  auto org = ctx_.store.account(kPlatform, req.param("id"));
  if (!org || !all_digits(org->id)) fail(req, 404, "NOT_FOUND", "Organization " + req.param("id") + " not found");
  std::string vanity = org->handle.substr(4);
  std::replace(vanity.begin(), vanity.end(), '_', '-');
  return json(
      req, 200,
      {{"id", std::stoull(org->id)},
       {"$URN", urn_of(*org)},
       {"localizedName", org->display_name},
       {"name",
        {{"localized", {{"en_US", org->display_name}}}, {"preferredLocale", {{"country", "US"}, {"language", "en"}}}}},
       {"vanityName", vanity},
       {"primaryOrganizationType", "NONE"},
       {"locations", nlohmann::json::array()}});
}

http::Response LinkedinPlatform::share_statistics(http::Request& req) {
  auto member = require_rest(req);
  auto entity = req.query_param("organizationalEntity").value_or("");
  if (req.query_param("q").value_or("") != "organizationalEntity" || !author_for(member, entity) ||
      !starts_with(entity, kOrganization)) {
    fail(req, 403, "ACCESS_DENIED", "Not enough permissions to access organizationalEntityShareStatistics", 100);
  }
  nlohmann::json elements = nlohmann::json::array();
  for (const char* list : {"shares", "ugcPosts"}) {
    std::string v = req.query_param(list).value_or("");
    if (!starts_with(v, "List(") || v.back() != ')') continue;
    v = v.substr(5, v.size() - 6);
    for (std::size_t at = 0; at <= v.size();) {
      auto end = std::min(v.find(',', at), v.size());
      auto urn = http::url_decode(v.substr(at, end - at), false);
      at = end + 1;
      auto post = ctx_.store.item(kPlatform, urn);
      if (!post || post->deleted) continue;
      auto comments = ctx_.store.items(kPlatform, [&](const Item& c) { return c.root_id == urn && c.id != urn; });
      elements.push_back({{"organizationalEntity", entity},
                          {std::string(list) == "shares" ? "share" : "ugcPost", urn},
                          {"totalShareStatistics",
                           {{"uniqueImpressionsCount", 0},
                            {"shareCount", 0},
                            {"engagement", 0},
                            {"clickCount", 0},
                            {"likeCount", 0},
                            {"impressionCount", 0},
                            {"commentCount", comments.size()}}}});
    }
  }
  return json(req, 200,
              {{"paging", {{"start", 0}, {"count", 10}, {"links", nlohmann::json::array()}}}, {"elements", elements}});
}

GenerateResult LinkedinPlatform::generate(const GenerateRequest& r) {
  if (r.kind == EventKind::dm) core::http::invalid_field("kind", "linkedin has no messaging API in the sandbox");
  GenerateResult result;
  auto member = account_for_handle(r.handle);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto author = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_member, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = author.id;
    it.text = ev.text;
    it.language = ev.language;
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    Item created;
    if (r.kind == EventKind::comment) {
      auto posts = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.author_id == member.id && x.kind == ItemKind::post && x.in_reply_to_id.empty() && !x.deleted;
      });
      if (posts.empty()) {
        Item seed;
        seed.platform = kPlatform;
        seed.author_id = member.id;
        seed.text = "Hello from the Herald sandbox!";
        seed.generated = true;
        seed.extra = {{"author", urn_of(member)},
                      {"visibility", "PUBLIC"},
                      {"distribution", {{"feedDistribution", "MAIN_FEED"}}},
                      {"lifecycleState", "PUBLISHED"}};
        posts.push_back(ctx_.store.create_item(seed, format_share).item);
      }
      std::string thread = posts.back().id;
      it.in_reply_to_id = it.root_id = thread;
      created =
          ctx_.store
              .create_item(it, [&](std::uint64_t n) { return "urn:li:comment:(" + thread + "," + number(n) + ")"; })
              .item;
    } else {  // a post by another member that mentions the account (little text mention)
      it.text = "@[" + member.display_name + "](" + urn_of(member) + ") " + ev.text;
      it.mention_ids = {member.id};
      it.extra = {{"author", urn_of(author)},
                  {"visibility", "PUBLIC"},
                  {"distribution", {{"feedDistribution", "MAIN_FEED"}}},
                  {"lifecycleState", "PUBLISHED"}};
      created = ctx_.store.create_item(it, format_share).item;
    }
    if (result.first_id.empty()) result.first_id = created.id;
    result.last_id = created.id;
    ++result.generated;
  }
  return result;
}

}  // namespace herald::sandbox
