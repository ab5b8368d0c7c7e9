// Mastodon emulator. Shapes from the official documentation:
//   https://docs.joinmastodon.org/methods/statuses/       (create with Idempotency-Key, view, edit, delete,
//                                                          context, source, history)
//   https://docs.joinmastodon.org/methods/accounts/       (verify_credentials, account statuses)
//   https://docs.joinmastodon.org/methods/media/          (POST /api/v2/media, GET/PUT /api/v1/media/:id)
//   https://docs.joinmastodon.org/methods/notifications/  (max_id/since_id/min_id, types[])
//   https://docs.joinmastodon.org/methods/conversations/
//   https://docs.joinmastodon.org/methods/oauth/          (authorize, token, revoke; PKCE since 4.3)
//   https://docs.joinmastodon.org/api/guidelines/#pagination (Link header)
//   https://docs.joinmastodon.org/api/rate-limits/        (X-RateLimit-Limit/Remaining/Reset, 429 body)
//   https://docs.joinmastodon.org/admin/webhooks/ and app/workers/webhooks/delivery_worker.rb
//                                                          (X-Hub-Signature: sha256=<hex>)
// Error bodies are Mastodon's {"error": "..."}; 401s carry Doorkeeper's WWW-Authenticate header.
// Mastodon issues no refresh tokens; the sandbox's tokens still expire after --token-ttl.
#include "adapters/sandbox/platforms/mastodon.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <tuple>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/platforms/mastodon_detail.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/random.hpp"

namespace herald::sandbox {

using mastodon_detail::format_id;
using mastodon_detail::kPlatform;

namespace {

constexpr std::int64_t kRateLimit = 300;  // per account per 5 minutes (docs: rate limits)
constexpr std::size_t kMaxChars = 500;

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string to_html(const std::string& text) {
  std::string out = "<p>";
  for (char c : text) {
    if (c == '\n') {
      out += "<br>";
    } else {
      out += html_escape(std::string(1, c));
    }
  }
  return out + "</p>";
}

}  // namespace

MastodonPlatform::MastodonPlatform(Context& ctx) : Platform(kPlatform, "Mastodon", ctx) {}

Account MastodonPlatform::account_for_handle(const std::string& handle) {
  return ctx_.store.ensure_account(kPlatform, handle, format_id);
}

http::Response MastodonPlatform::error_response(const http::Request& req, int status, const std::string& message) {
  auto res = json(req, status, {{"error", message}});
  if (status == 401) {
    res.set(http::beast_http::field::www_authenticate,
            "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"" + message + "\"");
  }
  return res;
}

void MastodonPlatform::fail(const http::Request& req, int status, const std::string& message) {
  throw ErrorResponse(error_response(req, status, message));
}

http::Response MastodonPlatform::rate_limit_response(const http::Request& req) {
  auto now = ctx_.clock.now();
  auto s =
      rate_windows_.exhaust(bearer_token(req).value_or(req.remote_address), kRateLimit, std::chrono::minutes(5), now);
  auto res = json(req, 429, {{"error", "Too many requests"}});
  res.set("X-RateLimit-Limit", std::to_string(s.limit));
  res.set("X-RateLimit-Remaining", "0");
  res.set("X-RateLimit-Reset", iso8601_ms(s.reset));
  res.set(http::beast_http::field::retry_after,
          std::to_string(std::max<std::int64_t>(1, unix_seconds(s.reset) - unix_seconds(now))));
  return res;
}

void MastodonPlatform::decorate(const http::Request& req, http::Response& res, const std::string& route) {
  if (!starts_with(route, "/api/") || res.result_int() == 429) return;
  auto s = rate_windows_.hit(bearer_token(req).value_or(req.remote_address), kRateLimit, std::chrono::minutes(5),
                             ctx_.clock.now());
  res.set("X-RateLimit-Limit", std::to_string(s.limit));
  res.set("X-RateLimit-Remaining", std::to_string(s.remaining));
  res.set("X-RateLimit-Reset", iso8601_ms(s.reset));
}

Account MastodonPlatform::require_user(const http::Request& req) {
  auto token = bearer_token(req);
  if (!token) fail(req, 401, "The access token is invalid");
  auto check = ctx_.oauth.check(kPlatform, *token);
  switch (check.state) {
    case TokenState::valid:
      break;
    case TokenState::expired:
      fail(req, 401, "The access token expired");
    case TokenState::revoked:
      fail(req, 401, "The access token was revoked");
    case TokenState::unknown:
      fail(req, 401, "The access token is invalid");
  }
  if (check.account_id.empty()) fail(req, 422, "This method requires an authenticated user");
  auto acc = ctx_.store.account(kPlatform, check.account_id);
  if (!acc) fail(req, 401, "The access token is invalid");
  return *acc;
}

nlohmann::json MastodonPlatform::account_json(const Account& a) const {
  auto statuses = ctx_.store.live_items_of(kPlatform, a.id, ctx_.clock.now());
  std::string acct = a.external ? a.handle + "@social.example" : a.handle;
  std::string url = a.external ? "https://social.example/@" + a.handle : base_url() + "/@" + a.handle;
  std::string day = iso8601_ms(a.created_at).substr(0, 10) + "T00:00:00.000Z";
  return {{"id", a.id},
          {"username", a.handle},
          {"acct", acct},
          {"display_name", a.display_name},
          {"locked", false},
          {"bot", false},
          {"discoverable", true},
          {"group", false},
          {"created_at", day},
          {"note", ""},
          {"url", url},
          {"uri", a.external ? url : base_url() + "/users/" + a.handle},
          {"avatar", base_url() + "/avatars/original/missing.png"},
          {"avatar_static", base_url() + "/avatars/original/missing.png"},
          {"header", base_url() + "/headers/original/missing.png"},
          {"header_static", base_url() + "/headers/original/missing.png"},
          {"followers_count", 0},
          {"following_count", 0},
          {"statuses_count", statuses.count},
          {"last_status_at", !statuses.last_created
                                 ? nlohmann::json(nullptr)
                                 : nlohmann::json(iso8601_ms(*statuses.last_created).substr(0, 10))},
          {"emojis", nlohmann::json::array()},
          {"fields", nlohmann::json::array()}};
}

nlohmann::json MastodonPlatform::media_json(const Media& m) const {
  std::string type = starts_with(m.content_type, "image/")   ? (m.content_type == "image/gif" ? "gifv" : "image")
                     : starts_with(m.content_type, "video/") ? "video"
                     : starts_with(m.content_type, "audio/") ? "audio"
                                                             : "unknown";
  std::string url = base_url() + "/system/media_attachments/files/" + m.id + "/original/" +
                    (m.filename.empty() ? "file" : m.filename);
  return {{"id", m.id},
          {"type", type},
          {"url", url},
          {"preview_url", url},
          {"remote_url", nullptr},
          {"text_url", nullptr},
          {"meta", nlohmann::json::object()},
          {"description", m.description.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.description)},
          {"blurhash", nullptr}};
}

nlohmann::json MastodonPlatform::status_json(const Item& it) const {
  auto author = ctx_.store.account(kPlatform, it.author_id);
  nlohmann::json media = nlohmann::json::array();
  for (const auto& id : it.media_ids) {
    if (auto m = ctx_.store.media(kPlatform, id)) media.push_back(media_json(*m));
  }
  nlohmann::json mentions = nlohmann::json::array();
  for (const auto& id : it.mention_ids) {
    if (auto a = ctx_.store.account(kPlatform, id)) {
      auto aj = account_json(*a);
      mentions.push_back({{"id", a->id}, {"username", a->handle}, {"url", aj["url"]}, {"acct", aj["acct"]}});
    }
  }
  nlohmann::json in_reply_to_account = nullptr;
  if (!it.in_reply_to_id.empty()) {
    if (auto parent = ctx_.store.item(kPlatform, it.in_reply_to_id)) in_reply_to_account = parent->author_id;
  }
  auto now = ctx_.clock.now();
  auto replies = ctx_.store.items(
      kPlatform, [&](const Item& r) { return r.in_reply_to_id == it.id && !r.deleted && r.visible_at <= now; });
  std::string handle = author ? author->handle : "unknown";
  return {{"id", it.id},
          {"created_at", iso8601_ms(it.created_at)},
          {"in_reply_to_id", it.in_reply_to_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(it.in_reply_to_id)},
          {"in_reply_to_account_id", in_reply_to_account},
          {"sensitive", it.sensitive},
          {"spoiler_text", it.spoiler_text},
          {"visibility", it.visibility},
          {"language", it.language.empty() ? nlohmann::json(nullptr) : nlohmann::json(it.language)},
          {"uri", base_url() + "/users/" + handle + "/statuses/" + it.id},
          {"url", base_url() + "/@" + handle + "/" + it.id},
          {"replies_count", replies.size()},
          {"reblogs_count", 0},
          {"favourites_count", 0},
          {"edited_at", it.edited_at ? nlohmann::json(iso8601_ms(*it.edited_at)) : nlohmann::json(nullptr)},
          {"favourited", false},
          {"reblogged", false},
          {"muted", false},
          {"bookmarked", false},
          {"pinned", false},
          {"content", to_html(it.text)},
          {"filtered", nlohmann::json::array()},
          {"reblog", nullptr},
          {"application",
           it.generated ? nlohmann::json(nullptr) : nlohmann::json({{"name", client_id()}, {"website", nullptr}})},
          {"account", author ? account_json(*author) : nlohmann::json(nullptr)},
          {"media_attachments", media},
          {"mentions", mentions},
          {"tags", nlohmann::json::array()},
          {"emojis", nlohmann::json::array()},
          {"card", nullptr},
          {"poll", nullptr}};
}

bool MastodonPlatform::visible_to(const Item& it, const std::string& viewer_id) const {
  if (it.deleted || it.visible_at > ctx_.clock.now()) return false;
  if (it.visibility == "public" || it.visibility == "unlisted") return true;
  if (it.author_id == viewer_id) return true;
  return std::find(it.mention_ids.begin(), it.mention_ids.end(), viewer_id) != it.mention_ids.end();
}

Item MastodonPlatform::visible_status(const http::Request& req, const std::string& id, const std::string& viewer) {
  auto it = ctx_.store.item(kPlatform, id);
  if (!it || !visible_to(*it, viewer)) fail(req, 404, "Record not found");
  return *it;
}

std::vector<std::string> MastodonPlatform::resolve_mentions(const std::string& text) const {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '@' || (i > 0 && !std::isspace(static_cast<unsigned char>(text[i - 1])) && text[i - 1] != '(')) {
      continue;
    }
    std::size_t j = i + 1;
    while (j < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_' || text[j] == '.' || text[j] == '-')) {
      ++j;
    }
    auto handle = text.substr(i + 1, j - i - 1);
    while (!handle.empty() && handle.back() == '.') handle.pop_back();
    if (auto a = ctx_.store.account_by_handle(kPlatform, handle)) {
      if (std::find(ids.begin(), ids.end(), a->id) == ids.end()) ids.push_back(a->id);
    }
    i = j;
  }
  return ids;
}

void MastodonPlatform::notify_mentions(const Item& it) {
  for (const auto& id : it.mention_ids) {
    if (id == it.author_id) continue;
    Notification n{kPlatform, "", id, "mention", it.id, it.author_id, it.visible_at, 0};
    ctx_.store.add_notification(n, format_id);
  }
}

void MastodonPlatform::add_routes() {
  auto authorize = [this](http::Request& req, Call&) { return Platform::authorize(req, false); };
  route(Verb::get, "/oauth/authorize", authorize);
  route(Verb::post, "/oauth/authorize", authorize);
  route(Verb::post, "/oauth/token", [this](http::Request& req, Call&) { return token(req); });
  route(Verb::post, "/oauth/revoke", [this](http::Request& req, Call&) { return revoke(req); });
  route(Verb::post, "/api/v1/apps", [this](http::Request& req, Call&) {
    auto p = Params::from_request(req);
    return json(req, 200,
                {{"id", "1"},
                 {"name", p.get_or("client_name", "Herald")},
                 {"website", p.get_or("website", "")},
                 {"redirect_uri", p.get_or("redirect_uris", "")},
                 {"redirect_uris", p.list("redirect_uris")},
                 {"client_id", client_id()},
                 {"client_secret", client_secret()},
                 {"vapid_key", ""}});
  });
  route(Verb::get, "/api/v1/apps/verify_credentials", [this](http::Request& req, Call&) {
    auto token = bearer_token(req);
    if (!token || ctx_.oauth.check(kPlatform, *token).state != TokenState::valid) {
      fail(req, 401, "The access token is invalid");
    }
    return json(req, 200, {{"name", client_id()}, {"website", nullptr}, {"scopes", {"read", "write", "push"}}});
  });
  auto instance = [this](http::Request& req, Call&) {
    std::string host = base_url().substr(base_url().find("://") + 3);
    return json(req, 200,
                {{"uri", host},
                 {"domain", host},
                 {"title", "Herald sandbox (simulated Mastodon)"},
                 {"version", "4.3.0"},
                 {"description", "Herald sandbox: simulated Mastodon, not the real service"},
                 {"configuration", {{"statuses", {{"max_characters", kMaxChars}, {"max_media_attachments", 4}}}}}});
  };
  route(Verb::get, "/api/v1/instance", instance);
  route(Verb::get, "/api/v2/instance", instance);
  route(Verb::get, "/api/v1/accounts/verify_credentials", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    auto j = account_json(me);
    j["source"] = {{"privacy", "public"},
                   {"sensitive", false},
                   {"language", ""},
                   {"note", ""},
                   {"fields", nlohmann::json::array()},
                   {"follow_requests_count", 0}};
    return json(req, 200, j);
  });
  route(Verb::get, "/api/v1/accounts/{id}", [this](http::Request& req, Call&) {
    require_user(req);
    auto a = ctx_.store.account(kPlatform, req.param("id"));
    if (!a) fail(req, 404, "Record not found");
    return json(req, 200, account_json(*a));
  });
  route(Verb::get, "/api/v1/accounts/{id}/statuses",
        [this](http::Request& req, Call&) { return account_statuses(req); });
  route(Verb::post, "/api/v1/statuses", [this](http::Request& req, Call& call) { return create_status(req, call); });
  route(Verb::get, "/api/v1/statuses/{id}", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    return json(req, 200, status_json(visible_status(req, req.param("id"), me.id)));
  });
  route(Verb::put, "/api/v1/statuses/{id}", [this](http::Request& req, Call&) { return edit_status(req); });
  route(Verb::delete_, "/api/v1/statuses/{id}", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    auto it = visible_status(req, req.param("id"), me.id);
    if (it.author_id != me.id) fail(req, 404, "Record not found");
    auto deleted = ctx_.store.update_item(kPlatform, it.id, [](Item& x) { x.deleted = true; });
    auto j = status_json(*deleted);
    j["text"] = deleted->text;  // DELETE returns the source text for "delete and redraft"
    return json(req, 200, j);
  });
  route(Verb::get, "/api/v1/statuses/{id}/context", [this](http::Request& req, Call&) { return context(req); });
  route(Verb::get, "/api/v1/statuses/{id}/source", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    auto it = visible_status(req, req.param("id"), me.id);
    return json(req, 200, {{"id", it.id}, {"text", it.text}, {"spoiler_text", it.spoiler_text}});
  });
  route(Verb::get, "/api/v1/statuses/{id}/history", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    auto it = visible_status(req, req.param("id"), me.id);
    auto author = account_json(*ctx_.store.account(kPlatform, it.author_id));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& text : it.history) {
      out.push_back({{"content", to_html(text)},
                     {"spoiler_text", ""},
                     {"sensitive", false},
                     {"created_at", iso8601_ms(it.created_at)},
                     {"account", author},
                     {"media_attachments", nlohmann::json::array()},
                     {"emojis", nlohmann::json::array()}});
    }
    out.push_back({{"content", to_html(it.text)},
                   {"spoiler_text", it.spoiler_text},
                   {"sensitive", it.sensitive},
                   {"created_at", iso8601_ms(it.edited_at.value_or(it.created_at))},
                   {"account", author},
                   {"media_attachments", nlohmann::json::array()},
                   {"emojis", nlohmann::json::array()}});
    return json(req, 200, out);
  });
  route(Verb::post, "/api/v2/media", [this](http::Request& req, Call&) { return upload_media(req); });
  route(Verb::post, "/api/v1/media", [this](http::Request& req, Call&) { return upload_media(req); });
  route(Verb::get, "/api/v1/media/{id}", [this](http::Request& req, Call&) {
    auto me = require_user(req);
    auto m = ctx_.store.media(kPlatform, req.param("id"));
    if (!m || m->owner_id != me.id) fail(req, 404, "Record not found");
    return json(req, 200, media_json(*m));
  });
  route(Verb::get, "/api/v1/notifications", [this](http::Request& req, Call&) { return notifications(req); });
  route(Verb::get, "/api/v1/conversations", [this](http::Request& req, Call&) { return conversations(req); });
}

http::Response MastodonPlatform::token(http::Request& req) {
  auto p = Params::from_request(req);
  auto oauth_error = [&](int status, const std::string& error, const std::string& description) {
    return json(req, status, {{"error", error}, {"error_description", description}});
  };
  std::string id = p.get_or("client_id", "");
  std::string secret = p.get_or("client_secret", "");
  if (auto basic = basic_auth(req)) std::tie(id, secret) = *basic;
  if (id != client_id() || secret != client_secret()) {
    return oauth_error(401, "invalid_client",
                       "Client authentication failed due to unknown client, no client authentication included, "
                       "or unsupported authentication method.");
  }
  std::string grant = p.get_or("grant_type", "");
  Token t;
  if (grant == "authorization_code") {
    auto r = ctx_.oauth.redeem_code(kPlatform, p.get_or("code", ""), id, p.get_or("redirect_uri", ""),
                                    p.get_or("code_verifier", ""), false);
    if (r.error == GrantError::invalid_request) {
      return oauth_error(400, "invalid_request", "The request is missing a required parameter: " + r.description);
    }
    if (r.error != GrantError::none) {
      return oauth_error(400, "invalid_grant",
                         "The provided authorization grant is invalid, expired, revoked, does not match the "
                         "redirection URI used in the authorization request, or was issued to another client.");
    }
    t = r.token;
  } else if (grant == "client_credentials") {
    t = ctx_.oauth.issue(kPlatform, "", id, p.get_or("scope", "read"), false);
  } else {
    return oauth_error(400, "unsupported_grant_type",
                       "The authorization grant type is not supported by the authorization server.");
  }
  return json(req, 200,
              {{"access_token", t.access_token},
               {"token_type", "Bearer"},
               {"scope", t.scope.empty() ? "read" : t.scope},
               {"created_at", unix_seconds(t.issued_at)},
               {"expires_in", ctx_.oauth.token_ttl().count()}});
}

http::Response MastodonPlatform::revoke(http::Request& req) {
  auto p = Params::from_request(req);
  std::string id = p.get_or("client_id", "");
  std::string secret = p.get_or("client_secret", "");
  if (auto basic = basic_auth(req)) std::tie(id, secret) = *basic;
  if (id != client_id() || secret != client_secret()) {
    return json(
        req, 403,
        {{"error", "unauthorized_client"}, {"error_description", "You are not authorized to revoke this token"}});
  }
  ctx_.oauth.revoke(kPlatform, p.get_or("token", ""));  // RFC 7009: unknown tokens are not an error
  return json(req, 200, nlohmann::json::object());
}

http::Response MastodonPlatform::create_status(http::Request& req, Call& call) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  Item it;
  it.platform = kPlatform;
  it.author_id = me.id;
  it.text = p.get_or("status", "");
  it.media_ids = p.list("media_ids");
  it.spoiler_text = p.get_or("spoiler_text", "");
  it.sensitive = p.get_bool("sensitive").value_or(false);
  it.language = p.get_or("language", "");
  it.visibility = p.get_or("visibility", "public");
  if (it.text.empty() && it.media_ids.empty()) fail(req, 422, "Validation failed: Text can't be blank");
  if (utf8_length(it.text) > kMaxChars) fail(req, 422, "Validation failed: Text character limit of 500 exceeded");
  static const std::vector<std::string> kVisibilities{"public", "unlisted", "private", "direct"};
  if (std::find(kVisibilities.begin(), kVisibilities.end(), it.visibility) == kVisibilities.end()) {
    fail(req, 422, "Validation failed: Visibility is not included in the list");
  }
  if (it.media_ids.size() > 4) fail(req, 422, "Validation failed: Cannot attach more than 4 files");
  for (const auto& id : it.media_ids) {
    auto m = ctx_.store.media(kPlatform, id);
    if (!m || m->owner_id != me.id) fail(req, 422, "Validation failed: Media attachments are invalid");
  }
  it.mention_ids = resolve_mentions(it.text);
  if (auto parent_id = p.get("in_reply_to_id"); parent_id && !parent_id->empty()) {
    auto parent = visible_status(req, *parent_id, me.id);
    it.in_reply_to_id = parent.id;
    it.root_id = parent.root_id;
    it.conversation_id = parent.conversation_id;
  }
  if (it.visibility == "direct") {
    it.kind = ItemKind::dm;
    if (!it.mention_ids.empty()) it.recipient_id = it.mention_ids.front();
    if (it.conversation_id.empty()) it.conversation_id = format_id(ctx_.store.next_number(kPlatform));
  }
  auto key = call.idempotency_key.value_or("");
  auto created = ctx_.store.create_item(it, format_id, key);
  if (!created.replayed) notify_mentions(created.item);
  return json(req, 200, status_json(created.item));
}

http::Response MastodonPlatform::edit_status(http::Request& req) {
  auto me = require_user(req);
  auto it = visible_status(req, req.param("id"), me.id);
  if (it.author_id != me.id) fail(req, 404, "Record not found");
  auto p = Params::from_request(req);
  std::string text = p.get_or("status", it.text);
  if (text.empty() && it.media_ids.empty()) fail(req, 422, "Validation failed: Text can't be blank");
  if (utf8_length(text) > kMaxChars) fail(req, 422, "Validation failed: Text character limit of 500 exceeded");
  auto now = ctx_.clock.now();
  auto updated = ctx_.store.update_item(kPlatform, it.id, [&](Item& x) {
    x.history.push_back(x.text);
    x.text = text;
    x.spoiler_text = p.get_or("spoiler_text", x.spoiler_text);
    x.sensitive = p.get_bool("sensitive").value_or(x.sensitive);
    x.language = p.get_or("language", x.language);
    if (p.has("media_ids")) x.media_ids = p.list("media_ids");
    x.edited_at = now;
  });
  return json(req, 200, status_json(*updated));
}
http::Response MastodonPlatform::upload_media(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  const FormPart* file = p.file("file");
  if (file == nullptr) fail(req, 422, "Validation failed: File can't be blank");
  Media m;
  m.platform = kPlatform;
  m.owner_id = me.id;
  m.content_type = file->content_type.empty() ? "application/octet-stream" : file->content_type;
  m.filename = file->filename;
  m.size = file->data.size();
  m.description = p.get_or("description", "");
  auto stored = ctx_.store.add_media(m, format_id);
  return json(req, 200, media_json(stored));
}

}  // namespace herald::sandbox
