// X API v2 emulator. Shapes from the official documentation (docs.x.com):
//   /x-api/posts/manage-tweets (POST /2/tweets, DELETE /2/tweets/:id), /x-api/posts/lookup (GET /2/tweets[/:id]),
//   /x-api/posts/timelines (GET /2/users/:id/tweets and /mentions: max_results, pagination_token, since_id,
//   until_id, meta.next_token), /x-api/posts/search (GET /2/tweets/search/recent, conversation_id: operator),
//   /x-api/posts/hide-replies (PUT /2/tweets/:id/hidden), /x-api/users/lookup (GET /2/users/me),
//   /x-api/direct-messages (POST /2/dm_conversations/with/:id/messages, GET /2/dm_events),
//   /resources/fundamentals/authentication/oauth-2-0/user-access-token (GET /i/oauth2/authorize with PKCE,
//   POST /2/oauth2/token with HTTP Basic client auth for confidential clients, POST /2/oauth2/revoke),
//   /x-api/fundamentals/rate-limits (x-rate-limit-limit/-remaining/-reset on every answer, 429 body),
//   /x-api/fundamentals/response-codes-and-errors (problem documents: title, detail, type, status),
//   /x-api/webhooks (x-twitter-webhooks-signature, CRC response_token) and the Account Activity API payloads.
// Token errors follow what X returns ({"error":"invalid_request","error_description":"Value passed for the
// authorization code was invalid."} for a bad, reused or expired code or a wrong code_verifier).
// Scopes are recorded but not enforced. A refresh token is issued only with the offline.access scope.
#include "adapters/sandbox/platforms/x.hpp"

#include <algorithm>
#include <tuple>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/random.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "x";
constexpr char kInvalidRequestType[] = "https://api.twitter.com/2/problems/invalid-request";
constexpr char kNotFoundType[] = "https://api.twitter.com/2/problems/resource-not-found";

std::string format_id(std::uint64_t n) { return std::to_string(1790000000000000000ULL + n); }

// X's weighted length: code points in the Latin/punctuation ranges count 1, the rest (CJK, emoji) 2.
std::size_t weighted_length(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = c;
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    if (len > 1) cp = c & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    bool light = cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247);
    n += light ? 1 : 2;
  }
  return n;
}

bool has_field(const std::string& list, const std::string& field) {
  std::size_t pos = 0;
  while (pos <= list.size()) {
    auto comma = list.find(',', pos);
    if (list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos) == field) return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

std::string dm_conversation(const std::string& a, const std::string& b) {
  return id_less(a, b) ? a + "-" + b : b + "-" + a;
}

}  // namespace

XPlatform::XPlatform(Context& ctx) : Platform(kPlatform, "X", ctx) {}

Account XPlatform::account_for_handle(const std::string& handle) {
  return ctx_.store.ensure_account(kPlatform, handle, format_id);
}

http::Response XPlatform::error_response(const http::Request& req, int status, const std::string& message) {
  static const std::map<int, std::string> kTitles{
      {400, "Invalid Request"},       {401, "Unauthorized"}, {403, "Forbidden"},
      {404, "Not Found Error"},       {409, "Conflict"},     {429, "Too Many Requests"},
      {500, "Internal Server Error"}, {502, "Bad Gateway"},  {503, "Service Unavailable"},
      {504, "Gateway Timeout"}};
  auto t = kTitles.find(status);
  std::string title = t == kTitles.end() ? "Error" : t->second;
  if (status == 404 && starts_with(message, "no such endpoint")) {
    return json(req, 404, {{"errors", {{{"message", "Sorry, that page does not exist"}, {"code", 34}}}}});
  }
  std::string detail = status == 401 ? "Unauthorized" : status >= 500 ? title : message;
  return json(req, status,
              {{"title", title},
               {"detail", detail},
               {"type", status == 400 ? kInvalidRequestType : "about:blank"},
               {"status", status}});
}

void XPlatform::problem(const http::Request& req, int status, const std::string& title, const std::string& detail,
                        const std::string& type) {
  throw ErrorResponse(json(req, status, {{"title", title}, {"detail", detail}, {"type", type}, {"status", status}}));
}

http::Response XPlatform::rate_limit_response(const http::Request& req) {
  auto now = ctx_.clock.now();
  auto s = rate_windows_.exhaust(bearer_token(req).value_or(req.remote_address) + " " + req.path, 900,
                                 std::chrono::minutes(15), now);
  auto res =
      json(req, 429,
           {{"title", "Too Many Requests"}, {"detail", "Too Many Requests"}, {"type", "about:blank"}, {"status", 429}});
  res.set("x-rate-limit-limit", std::to_string(s.limit));
  res.set("x-rate-limit-remaining", "0");
  res.set("x-rate-limit-reset", std::to_string(unix_seconds(s.reset)));
  return res;
}

void XPlatform::decorate(const http::Request& req, http::Response& res, const std::string& route) {
  if (res.result_int() == 429) return;
  // Per-endpoint 15-minute windows (user context), limits from the rate-limit table.
  std::int64_t limit = 900;
  if (route == "/2/tweets" && req.raw.method() == Verb::post) limit = 100;
  if (route == "/2/users/me") limit = 75;
  if (starts_with(route, "/2/dm_")) limit = 300;
  if (starts_with(route, "/2/oauth2")) limit = 1000;
  auto s = rate_windows_.hit(bearer_token(req).value_or(req.remote_address) + " " +
                                 std::string(http::beast_http::to_string(req.raw.method())) + " " + route,
                             limit, std::chrono::minutes(15), ctx_.clock.now());
  res.set("x-rate-limit-limit", std::to_string(s.limit));
  res.set("x-rate-limit-remaining", std::to_string(s.remaining));
  res.set("x-rate-limit-reset", std::to_string(unix_seconds(s.reset)));
  if (route == "/2/tweets" && req.raw.method() == Verb::post) {
    // The per-user 24-hour posting cap (docs: rate limits, x-user-limit-24hour-*).
    auto day = rate_windows_.hit("24h " + bearer_token(req).value_or(req.remote_address), 100, std::chrono::hours(24),
                                 ctx_.clock.now());
    res.set("x-user-limit-24hour-limit", std::to_string(day.limit));
    res.set("x-user-limit-24hour-remaining", std::to_string(day.remaining));
    res.set("x-user-limit-24hour-reset", std::to_string(unix_seconds(day.reset)));
  }
}

Account XPlatform::require_user(const http::Request& req) {
  auto token = bearer_token(req);
  auto check = token ? ctx_.oauth.check(kPlatform, *token) : TokenCheck{};
  if (check.state != TokenState::valid || check.account_id.empty()) {
    problem(req, 401, "Unauthorized", "Unauthorized");
  }
  auto acc = ctx_.store.account(kPlatform, check.account_id);
  if (!acc) problem(req, 401, "Unauthorized", "Unauthorized");
  return *acc;
}

bool XPlatform::visible(const Item& it) const { return !it.deleted && it.visible_at <= ctx_.clock.now(); }

std::vector<std::string> XPlatform::resolve_mentions(const std::string& text) const {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '@') continue;
    std::size_t j = i + 1;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
    if (auto a = ctx_.store.account_by_handle(kPlatform, text.substr(i + 1, j - i - 1))) {
      if (std::find(ids.begin(), ids.end(), a->id) == ids.end()) ids.push_back(a->id);
    }
    i = j;
  }
  return ids;
}

nlohmann::json XPlatform::user_json(const Account& a, const std::string& fields) const {
  nlohmann::json j = {{"id", a.id}, {"name", a.display_name}, {"username", a.handle}};
  if (has_field(fields, "created_at")) j["created_at"] = iso8601_ms(a.created_at);
  if (has_field(fields, "description")) j["description"] = "";
  if (has_field(fields, "protected")) j["protected"] = false;
  if (has_field(fields, "verified")) j["verified"] = false;
  if (has_field(fields, "profile_image_url")) {
    j["profile_image_url"] = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png";
  }
  if (has_field(fields, "public_metrics")) {
    auto n = ctx_.store.items(kPlatform, [&](const Item& it) { return it.author_id == a.id && visible(it); }).size();
    j["public_metrics"] = {{"followers_count", 0}, {"following_count", 0}, {"tweet_count", n}, {"listed_count", 0}};
  }
  return j;
}

nlohmann::json XPlatform::tweet_json(const Item& it, const std::string& fields) const {
  nlohmann::json j = {{"id", it.id}, {"text", it.text}};
  nlohmann::json history = nlohmann::json::array({it.id});
  j["edit_history_tweet_ids"] = history;
  if (has_field(fields, "created_at")) j["created_at"] = iso8601_ms(it.created_at);
  if (has_field(fields, "author_id")) j["author_id"] = it.author_id;
  if (has_field(fields, "conversation_id")) j["conversation_id"] = it.root_id;
  if (has_field(fields, "lang")) j["lang"] = it.language.empty() ? "en" : it.language;
  if (has_field(fields, "reply_settings")) j["reply_settings"] = "everyone";
  if (!it.in_reply_to_id.empty()) {
    auto parent = ctx_.store.item(kPlatform, it.in_reply_to_id);
    if (has_field(fields, "in_reply_to_user_id") && parent) j["in_reply_to_user_id"] = parent->author_id;
    if (has_field(fields, "referenced_tweets")) {
      j["referenced_tweets"] = {{{"type", "replied_to"}, {"id", it.in_reply_to_id}}};
    }
  }
  if (has_field(fields, "public_metrics")) {
    auto replies = ctx_.store.items(kPlatform, [&](const Item& r) { return r.in_reply_to_id == it.id && visible(r); });
    j["public_metrics"] = {{"retweet_count", 0}, {"reply_count", replies.size()}, {"like_count", 0},
                           {"quote_count", 0},   {"bookmark_count", 0},           {"impression_count", 0}};
  }
  if (has_field(fields, "attachments") && !it.media_ids.empty()) {
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& m : it.media_ids) keys.push_back("3_" + m);
    j["attachments"] = {{"media_keys", keys}};
  }
  if (has_field(fields, "entities") && !it.mention_ids.empty()) {
    nlohmann::json mentions = nlohmann::json::array();
    for (const auto& id : it.mention_ids) {
      auto a = ctx_.store.account(kPlatform, id);
      if (!a) continue;
      auto pos = it.text.find("@" + a->handle);
      if (pos == std::string::npos) continue;
      mentions.push_back({{"start", pos}, {"end", pos + a->handle.size() + 1}, {"username", a->handle}, {"id", id}});
    }
    j["entities"] = {{"mentions", mentions}};
  }
  return j;
}

nlohmann::json XPlatform::tweets_document(const http::Request& req, const std::vector<Item>& tweets) const {
  auto fields = req.query_param("tweet.fields").value_or("");
  auto user_fields = req.query_param("user.fields").value_or("");
  auto expansions = req.query_param("expansions").value_or("");
  nlohmann::json data = nlohmann::json::array();
  std::vector<std::string> user_ids;
  auto want_user = [&](const std::string& id) {
    if (!id.empty() && std::find(user_ids.begin(), user_ids.end(), id) == user_ids.end()) user_ids.push_back(id);
  };
  nlohmann::json included_tweets = nlohmann::json::array();
  for (const auto& it : tweets) {
    data.push_back(tweet_json(it, fields));
    if (has_field(expansions, "author_id")) want_user(it.author_id);
    if (has_field(expansions, "entities.mentions.username")) {
      for (const auto& id : it.mention_ids) want_user(id);
    }
    if (!it.in_reply_to_id.empty()) {
      auto parent = ctx_.store.item(kPlatform, it.in_reply_to_id);
      if (parent && has_field(expansions, "in_reply_to_user_id")) want_user(parent->author_id);
      if (parent && has_field(expansions, "referenced_tweets.id"))
        included_tweets.push_back(tweet_json(*parent, fields));
    }
  }
  nlohmann::json doc = {{"data", data}};
  nlohmann::json includes = nlohmann::json::object();
  if (!user_ids.empty()) {
    nlohmann::json users = nlohmann::json::array();
    for (const auto& id : user_ids) {
      if (auto a = ctx_.store.account(kPlatform, id)) users.push_back(user_json(*a, user_fields));
    }
    includes["users"] = users;
  }
  if (!included_tweets.empty()) includes["tweets"] = included_tweets;
  if (!includes.empty()) doc["includes"] = includes;
  return doc;
}

void XPlatform::add_routes() {
  auto authorize = [this](http::Request& req, Call&) { return Platform::authorize(req, true); };
  route(Verb::get, "/i/oauth2/authorize", authorize);
  route(Verb::post, "/i/oauth2/authorize", authorize);
  route(Verb::post, "/2/oauth2/token", [this](http::Request& req, Call&) { return token(req); });
  route(Verb::post, "/2/oauth2/revoke", [this](http::Request& req, Call&) { return revoke(req); });
  route(Verb::get, "/2/users/me", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    return json(req, 200, {{"data", user_json(me, req.query_param("user.fields").value_or(""))}});
  });
  route(Verb::get, "/2/users/{id}", [this](http::Request& req, Call&) {
    require_user(req);
    auto a = ctx_.store.account(kPlatform, req.param("id"));
    if (!a) {
      return json(req, 200,
                  {{"errors",
                    {{{"value", req.param("id")},
                      {"detail", "Could not find user with id: [" + req.param("id") + "]."},
                      {"title", "Not Found Error"},
                      {"resource_type", "user"},
                      {"parameter", "id"},
                      {"resource_id", req.param("id")},
                      {"type", kNotFoundType}}}}});
    }
    return json(req, 200, {{"data", user_json(*a, req.query_param("user.fields").value_or(""))}});
  });
  route(Verb::post, "/2/tweets", [this](http::Request& req, Call&) { return create_tweet(req); });
  route(Verb::get, "/2/tweets", [this](http::Request& req, Call&) {
    require_user(req);
    std::vector<std::string> ids;
    auto list = req.query_param("ids").value_or("");
    for (std::size_t pos = 0; pos < list.size();) {
      auto comma = list.find(',', pos);
      ids.push_back(list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
      pos = comma == std::string::npos ? list.size() : comma + 1;
    }
    return lookup_tweets(req, ids, false);
  });
  route(Verb::get, "/2/tweets/search/recent", [this](http::Request& req, Call&) { return search(req); });
  route(Verb::get, "/2/tweets/{id}", [this](http::Request& req, Call&) {
    require_user(req);
    return lookup_tweets(req, {req.param("id")}, true);
  });
  route(Verb::delete_, "/2/tweets/{id}", [this](http::Request& req, Call&) { return delete_tweet(req); });
  route(Verb::put, "/2/tweets/{id}/hidden", [this](http::Request& req, Call&) { return hide_reply(req); });
  route(Verb::post, "/2/media/upload", [this](http::Request& req, Call&) { return media_upload(req, ""); });
  route(Verb::post, "/2/media/upload/initialize",
        [this](http::Request& req, Call&) { return media_upload(req, "initialize"); });
  route(Verb::post, "/2/media/upload/{id}/append",
        [this](http::Request& req, Call&) { return media_upload(req, "append"); });
  route(Verb::post, "/2/media/upload/{id}/finalize",
        [this](http::Request& req, Call&) { return media_upload(req, "finalize"); });
  route(Verb::get, "/2/media/upload", [this](http::Request& req, Call&) { return media_upload(req, "status"); });
  route(Verb::post, "/2/media/metadata", [this](http::Request& req, Call&) { return media_upload(req, "metadata"); });
  route(Verb::get, "/2/users/{id}/tweets", [this](http::Request& req, Call&) {
    require_user(req);
    auto id = req.param("id");
    bool no_replies = has_field(req.query_param("exclude").value_or(""), "replies");
    return timeline(req, [id, no_replies](const Item& it) {
      return it.author_id == id && !(no_replies && !it.in_reply_to_id.empty());
    });
  });
  route(Verb::get, "/2/users/{id}/mentions", [this](http::Request& req, Call&) {
    require_user(req);
    auto id = req.param("id");
    return timeline(req, [id](const Item& it) {
      return it.author_id != id && std::find(it.mention_ids.begin(), it.mention_ids.end(), id) != it.mention_ids.end();
    });
  });
  route(Verb::post, "/2/dm_conversations/with/{participant_id}/messages",
        [this](http::Request& req, Call&) { return send_dm(req, "", req.param("participant_id")); });
  route(Verb::post, "/2/dm_conversations/{dm_conversation_id}/messages",
        [this](http::Request& req, Call&) { return send_dm(req, req.param("dm_conversation_id"), ""); });
  route(Verb::get, "/2/dm_events", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    return dm_events(req, [id = me.id](const Item& it) { return it.author_id == id || it.recipient_id == id; });
  });
  route(Verb::get, "/2/dm_conversations/with/{participant_id}/dm_events", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    auto conv = dm_conversation(me.id, req.param("participant_id"));
    return dm_events(req, [conv](const Item& it) { return it.conversation_id == conv; });
  });
  route(Verb::get, "/2/dm_conversations/{dm_conversation_id}/dm_events", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    auto conv = req.param("dm_conversation_id");
    return dm_events(req, [conv, id = me.id](const Item& it) {
      return it.conversation_id == conv && (it.author_id == id || it.recipient_id == id);
    });
  });
}

http::Response XPlatform::token(http::Request& req) {
  auto p = Params::from_request(req);
  auto oauth_error = [&](int status, const std::string& error, const std::string& description) {
    return json(req, status, {{"error", error}, {"error_description", description}});
  };
  std::string id = p.get_or("client_id", "");
  if (auto basic = basic_auth(req)) {
    if (basic->first != client_id() || basic->second != client_secret()) {
      return oauth_error(401, "unauthorized_client", "Missing valid authorization header");
    }
    id = basic->first;
  } else if (req.header("Authorization")) {
    return oauth_error(401, "unauthorized_client", "Missing valid authorization header");
  }
  if (id != client_id()) return oauth_error(400, "invalid_request", "Missing required parameter [client_id].");
  std::string grant = p.get_or("grant_type", "");
  GrantResult r;
  if (grant == "authorization_code") {
    if (!p.has("code")) return oauth_error(400, "invalid_request", "Missing required parameter [code].");
    // The refresh token comes only with offline.access, which is known once the code is read.
    r = ctx_.oauth.redeem_code(kPlatform, p.get_or("code", ""), id, p.get_or("redirect_uri", ""),
                               p.get_or("code_verifier", ""), true);
    if (r.error != GrantError::none) {
      return oauth_error(400, "invalid_request", "Value passed for the authorization code was invalid.");
    }
  } else if (grant == "refresh_token") {
    r = ctx_.oauth.refresh(kPlatform, p.get_or("refresh_token", ""), id);
    if (r.error != GrantError::none)
      return oauth_error(400, "invalid_request", "Value passed for the token was invalid.");
  } else {
    return oauth_error(400, "invalid_request", "Missing required parameter [grant_type].");
  }
  nlohmann::json body = {{"token_type", "bearer"},
                         {"expires_in", ctx_.oauth.token_ttl().count()},
                         {"access_token", r.token.access_token},
                         {"scope", r.token.scope}};
  // offline.access decides whether the client gets (and may use) the refresh token.
  if ((" " + r.token.scope + " ").find(" offline.access ") != std::string::npos) {
    body["refresh_token"] = r.token.refresh_token;
  }
  return json(req, 200, body);
}

http::Response XPlatform::revoke(http::Request& req) {
  auto p = Params::from_request(req);
  if (auto basic = basic_auth(req); basic && (basic->first != client_id() || basic->second != client_secret())) {
    return json(req, 401,
                {{"error", "unauthorized_client"}, {"error_description", "Missing valid authorization header"}});
  }
  ctx_.oauth.revoke(kPlatform, p.get_or("token", ""));
  return json(req, 200, {{"revoked", true}});
}

http::Response XPlatform::create_tweet(http::Request& req) {
  auto me = require_user(req);
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(req.raw.body());
  } catch (const nlohmann::json::exception&) {
    problem(req, 400, "Invalid Request", "One or more parameters to your request was invalid.", kInvalidRequestType);
  }
  if (!body.is_object())
    problem(req, 400, "Invalid Request", "One or more parameters to your request was invalid.", kInvalidRequestType);
  Item it;
  it.platform = kPlatform;
  it.author_id = me.id;
  if (body.contains("text") && body["text"].is_string()) it.text = body["text"].get<std::string>();
  if (body.contains("media") && body["media"].contains("media_ids") && body["media"]["media_ids"].is_array()) {
    for (const auto& m : body["media"]["media_ids"]) {
      if (m.is_string()) it.media_ids.push_back(m.get<std::string>());
    }
  }
  for (const auto& id : it.media_ids) {
    auto m = ctx_.store.media(kPlatform, id);
    if (!m || m->owner_id != me.id || m->description == "incomplete") {
      throw ErrorResponse(json(req, 400,
                               {{"errors", {{{"message", "Your media IDs are invalid."}}}},
                                {"title", "Invalid Request"},
                                {"detail", "One or more parameters to your request was invalid."},
                                {"type", kInvalidRequestType}}));
    }
  }
  if (it.text.empty() && it.media_ids.empty()) {
    throw ErrorResponse(json(req, 400,
                             {{"errors", {{{"message", "Post text is required if no media is provided"}}}},
                              {"title", "Invalid Request"},
                              {"detail", "One or more parameters to your request was invalid."},
                              {"type", kInvalidRequestType}}));
  }
  if (weighted_length(it.text) > 280) {
    problem(req, 403, "Forbidden", "You are not permitted to perform this action. Your Tweet text is too long.");
  }
  if (body.contains("reply") && body["reply"].is_object() && body["reply"].contains("in_reply_to_tweet_id")) {
    auto parent = ctx_.store.item(kPlatform, body["reply"]["in_reply_to_tweet_id"].get<std::string>());
    if (!parent || !visible(*parent)) {
      problem(req, 403, "Forbidden", "Reply to a Tweet that is deleted or not visible to you is not allowed.");
    }
    it.in_reply_to_id = parent->id;
    it.root_id = parent->root_id;
  }
  bool same = false;
  if (!it.text.empty()) {
    for (const auto& x : ctx_.store.items_with_text(kPlatform, me.id, it.text)) {
      same = same || (x.kind == ItemKind::post && !x.deleted);
    }
  }
  if (same) problem(req, 403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.");
  it.mention_ids = resolve_mentions(it.text);
  auto created = ctx_.store.create_item(it, format_id).item;
  return json(req, 201,
              {{"data",
                {{"id", created.id},
                 {"text", created.text},
                 {"edit_history_tweet_ids", nlohmann::json::array({created.id})}}}});
}

http::Response XPlatform::delete_tweet(http::Request& req) {
  auto me = require_user(req);
  auto it = ctx_.store.item(kPlatform, req.param("id"));
  if (!it || it->kind != ItemKind::post) {
    problem(req, 404, "Not Found Error", "Could not find tweet with id: [" + req.param("id") + "].", kNotFoundType);
  }
  if (it->author_id != me.id) problem(req, 403, "Forbidden", "You are not authorized to delete this Tweet.");
  ctx_.store.update_item(kPlatform, it->id, [](Item& x) { x.deleted = true; });
  return json(req, 200, {{"data", {{"deleted", true}}}});
}

http::Response XPlatform::lookup_tweets(http::Request& req, const std::vector<std::string>& ids, bool single) {
  std::vector<Item> found;
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& id : ids) {
    auto it = ctx_.store.item(kPlatform, id);
    if (it && it->kind == ItemKind::post && visible(*it)) {
      found.push_back(*it);
    } else {
      errors.push_back({{"value", id},
                        {"detail", "Could not find tweet with id: [" + id + "]."},
                        {"title", "Not Found Error"},
                        {"resource_type", "tweet"},
                        {"parameter", single ? "id" : "ids"},
                        {"resource_id", id},
                        {"type", kNotFoundType}});
    }
  }
  nlohmann::json doc = found.empty() ? nlohmann::json::object() : tweets_document(req, found);
  if (single && doc.contains("data")) doc["data"] = doc["data"][0];
  if (!errors.empty()) doc["errors"] = errors;
  return json(req, 200, doc);
}

http::Response XPlatform::timeline(http::Request& req, const std::function<bool(const Item&)>& keep) {
  std::uint64_t max_results = 10;
  if (auto m = req.query_param("max_results")) {
    if (!parse_u64(*m, max_results) || max_results < 5 || max_results > 100) {
      throw ErrorResponse(
          json(req, 400,
               {{"errors",
                 {{{"parameters", {{"max_results", {*m}}}},
                   {"message", "The `max_results` query parameter value [" + *m + "] is not between 5 and 100"}}}},
                {"title", "Invalid Request"},
                {"detail", "One or more parameters to your request was invalid."},
                {"type", kInvalidRequestType}}));
    }
  }
  auto since = req.query_param("since_id").value_or("");
  auto until = req.query_param("until_id").value_or("");
  auto cursor = req.query_param("pagination_token").value_or("");
  if (!cursor.empty()) cursor = cursor.substr(1);  // "p<id>": the page starts at that id
  auto all = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.kind == ItemKind::post && visible(it) && keep(it) && (since.empty() || id_less(since, it.id)) &&
           (until.empty() || id_less(it.id, until)) && (cursor.empty() || !id_less(cursor, it.id));
  });
  std::sort(all.begin(), all.end(), [](const Item& a, const Item& b) { return id_less(b.id, a.id); });
  std::string next;
  if (all.size() > max_results) {
    next = "p" + all[max_results].id;
    all.resize(max_results);
  }
  nlohmann::json doc = all.empty() ? nlohmann::json::object() : tweets_document(req, all);
  nlohmann::json meta = {{"result_count", all.size()}};
  if (!all.empty()) {
    meta["newest_id"] = all.front().id;
    meta["oldest_id"] = all.back().id;
  }
  if (!next.empty()) meta["next_token"] = next;
  doc["meta"] = meta;
  return json(req, 200, doc);
}

http::Response XPlatform::search(http::Request& req) {
  require_user(req);
  auto query = req.query_param("query").value_or("");
  if (query.empty())
    problem(req, 400, "Invalid Request", "One or more parameters to your request was invalid.", kInvalidRequestType);
  std::vector<std::string> terms;
  for (std::size_t pos = 0; pos < query.size();) {
    auto sp = query.find(' ', pos);
    auto term = query.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
    if (!term.empty()) terms.push_back(term);
    pos = sp == std::string::npos ? query.size() : sp + 1;
  }
  auto author_handle = [this](const Item& it) {
    auto a = ctx_.store.account(kPlatform, it.author_id);
    return a ? lower(a->handle) : std::string();
  };
  return timeline(req, [&](const Item& it) {
    for (const auto& t : terms) {
      bool negate = t[0] == '-';
      std::string term = negate ? t.substr(1) : t;
      bool ok = true;
      if (starts_with(term, "conversation_id:")) {
        ok = it.root_id == term.substr(16);
      } else if (starts_with(term, "from:")) {
        ok = author_handle(it) == lower(term.substr(5));
      } else if (starts_with(term, "to:")) {
        auto parent = it.in_reply_to_id.empty() ? std::nullopt : ctx_.store.item(kPlatform, it.in_reply_to_id);
        auto to = parent ? ctx_.store.account(kPlatform, parent->author_id) : std::nullopt;
        ok = to && lower(to->handle) == lower(term.substr(3));
      } else if (term == "is:reply") {
        ok = !it.in_reply_to_id.empty();
      } else if (term == "is:retweet" || term == "is:quote") {
        ok = false;
      } else {
        ok = lower(it.text).find(lower(term)) != std::string::npos;
      }
      if (ok == negate) return false;
    }
    return true;
  });
}

http::Response XPlatform::hide_reply(http::Request& req) {
  auto me = require_user(req);
  auto it = ctx_.store.item(kPlatform, req.param("id"));
  if (!it || !visible(*it))
    problem(req, 404, "Not Found Error", "Could not find tweet with id: [" + req.param("id") + "].", kNotFoundType);
  auto root = ctx_.store.item(kPlatform, it->root_id);
  if (it->in_reply_to_id.empty() || !root || root->author_id != me.id) {
    problem(req, 403, "Forbidden", "You can only hide or unhide replies to conversations you authored.");
  }
  bool hidden = false;
  try {
    auto body = nlohmann::json::parse(req.raw.body());
    if (!body.is_object() || !body.contains("hidden") || !body["hidden"].is_boolean())
      throw std::invalid_argument("hidden");
    hidden = body["hidden"].get<bool>();
  } catch (const std::exception&) {
    problem(req, 400, "Invalid Request", "One or more parameters to your request was invalid.", kInvalidRequestType);
  }
  ctx_.store.update_item(kPlatform, it->id, [hidden](Item& x) { x.hidden = hidden; });
  return json(req, 200, {{"data", {{"hidden", hidden}}}});
}

}  // namespace herald::sandbox
