// Mastodon REST API, as documented at docs.joinmastodon.org:
//   OAuth                 https://docs.joinmastodon.org/methods/oauth/ (authorize, token, revoke; PKCE since 4.3)
//   Statuses              https://docs.joinmastodon.org/methods/statuses/ (Idempotency-Key on POST, PUT to edit)
//   Media                 https://docs.joinmastodon.org/methods/media/ (POST /api/v2/media: 202 while processing)
//   Accounts              https://docs.joinmastodon.org/methods/accounts/ (verify_credentials, :id/statuses)
//   Notifications         https://docs.joinmastodon.org/methods/notifications/ (types[], min_id)
//   Rate limits           https://docs.joinmastodon.org/api/rate-limits/ (X-RateLimit-*, ISO 8601 reset)
//   Entities and errors   https://docs.joinmastodon.org/entities/Status/, https://docs.joinmastodon.org/entities/Error/
#include "adapters/mastodon/mastodon_adapter.hpp"

#include <cctype>
#include <cstdlib>

#include "herald/adapters/classify.hpp"
#include "herald/adapters/marker.hpp"
#include "herald/adapters/multipart.hpp"
#include "herald/adapters/support.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;

constexpr int kMaxMediaPolls = 60;
constexpr int kPageSize = 40;

Capabilities make_capabilities() {
  Capabilities c;
  c.platform = "mastodon";
  c.display_name = "Mastodon";
  c.counting = TextCounting::kCodePoints;  // the instance may raise it (configuration.statuses.max_characters)
  c.max_text_length = 500;
  c.max_images = 4;
  c.max_videos = 1;
  c.max_image_bytes = 16 * 1024 * 1024;
  c.max_video_bytes = 99 * 1024 * 1024;
  c.image_types = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "image/avif"};
  c.video_types = {"video/mp4", "video/webm", "video/quicktime", "video/ogg"};
  c.can_edit = true;
  c.can_delete = true;
  c.can_thread = true;
  c.can_first_comment = true;
  c.can_reply = true;
  c.can_dm = true;
  c.has_metrics = true;
  c.supports_pkce = true;
  c.supports_revoke = true;
  c.required_scopes = {"read:accounts", "read:statuses", "read:notifications", "write:statuses", "write:media"};
  c.publish_limit = {300, 5 * 60};  // every authenticated call, per account
  c.app_limit = {7500, 5 * 60};     // per IP address
  return c;
}

bool id_newer(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() > b.size();
  return a > b;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class MastodonAdapter final : public Adapter {
 public:
  MastodonAdapter(Endpoint e, Clock clock)
      : Adapter(std::move(e)), clock_(std::move(clock)), caps_(make_capabilities()) {}

  const Capabilities& capabilities() const override { return caps_; }

  std::string authorize_url(const AuthorizeRequest& r) const override {
    std::string scopes;
    for (const auto& s : r.scopes.empty() ? caps_.required_scopes : r.scopes) scopes += (scopes.empty() ? "" : " ") + s;
    std::vector<std::pair<std::string, std::string>> q = {{"response_type", "code"},
                                                          {"client_id", endpoint_.client_id},
                                                          {"redirect_uri", r.redirect_uri},
                                                          {"scope", scopes},
                                                          {"state", r.state}};
    if (!r.code_challenge.empty()) {
      q.emplace_back("code_challenge", r.code_challenge);
      q.emplace_back("code_challenge_method", "S256");
    }
    return auth_base() + "/oauth/authorize?" + form_encode(q);
  }

  Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string& code_verifier,
                                 const std::string& redirect_uri) override {
    std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "authorization_code"},
                                                             {"code", code},
                                                             {"client_id", endpoint_.client_id},
                                                             {"client_secret", endpoint_.client_secret},
                                                             {"redirect_uri", redirect_uri}};
    if (!code_verifier.empty()) form.emplace_back("code_verifier", code_verifier);
    auto r = call(t, form_request("/oauth/token", form), false);
    if (!r) return r.error();
    TokenSet ts;
    ts.access_token = json_string(*r, "access_token");
    ts.refresh_token = json_string(*r, "refresh_token");
    if (auto in = json_int(*r, "expires_in")) ts.expires_at = clock_.now() + *in;  // Mastodon tokens do not expire
    std::string scope = json_string(*r, "scope");
    for (std::size_t p = 0; p < scope.size();) {
      auto q = scope.find(' ', p);
      if (q == std::string::npos) q = scope.size();
      if (q > p) ts.scopes.push_back(scope.substr(p, q - p));
      p = q + 1;
    }
    if (ts.access_token.empty()) return Error{ErrorClass::kRejected, "malformed", "no access_token", 0, std::nullopt};
    auto me = call(t, get("/api/v1/accounts/verify_credentials", ts.access_token), false);
    if (!me) return me.error();
    ts.platform_account_id = json_string(*me, "id");
    return ts;
  }

  Result<Ok> revoke(Transport& t, const TokenSet& tokens) override {
    auto r = call(t,
                  form_request("/oauth/revoke", {{"client_id", endpoint_.client_id},
                                                 {"client_secret", endpoint_.client_secret},
                                                 {"token", tokens.access_token}}),
                  false);
    if (!r) return r.error();
    return Ok{};
  }

  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    auto r = call(t, get("/api/v1/accounts/verify_credentials", c.access_token), false);
    if (!r) return r.error();
    AccountProfile p;
    p.platform_account_id = json_string(*r, "id");
    p.handle = json_string(*r, "acct");
    p.display_name = json_string(*r, "display_name");
    p.avatar_url = json_string(*r, "avatar");
    p.bio = mastodon_html_to_text(json_string(*r, "note"));
    p.followers = json_int(*r, "followers_count");
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    auto media_ids = upload_all(t, c, content.media);
    if (!media_ids) return media_ids.error();
    json body{{"status", content.text + invisible_marker(content.client_marker)}, {"visibility", "public"}};
    if (!media_ids->empty()) body["media_ids"] = *media_ids;
    auto main = create_status(t, c, body, content.idempotency_key);
    if (!main) return main.error();
    PublishedPost p;
    p.platform_post_id = json_string(*main, "id");
    p.url = json_string(*main, "url");
    std::string previous = p.platform_post_id;
    for (std::size_t i = 0; i < content.thread.size(); ++i) {
      auto part = create_status(
          t, c, json{{"status", content.thread[i]}, {"in_reply_to_id", previous}, {"visibility", "public"}},
          derived_key(content.idempotency_key, ":thread:" + std::to_string(i + 1)));
      if (!part) return p;  // the main status is live: report what exists
      previous = json_string(*part, "id");
      p.thread_ids.push_back(previous);
    }
    if (content.first_comment) {
      auto fc = create_status(
          t, c,
          json{{"status", *content.first_comment}, {"in_reply_to_id", p.platform_post_id}, {"visibility", "public"}},
          derived_key(content.idempotency_key, ":first_comment"));
      if (fc) p.first_comment_id = json_string(*fc, "id");
    }
    return p;
  }

  Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto resp = t.send(with_method("DELETE", get("/api/v1/statuses/" + url_encode(post_id), c.access_token)));
    if (resp.status == 404) return Ok{};  // already gone: a repeated delete succeeds
    auto r = parse(resp, true);
    if (!r) return r.error();
    return Ok{};
  }

  Result<Ok> edit_post(Transport& t, const Credentials& c, const std::string& post_id,
                       const PostContent& content) override {
    auto media_ids = upload_all(t, c, content.media);
    if (!media_ids) return media_ids.error();
    json body{{"status", content.text + invisible_marker(content.client_marker)}, {"media_ids", *media_ids}};
    auto req = json_request("PUT", "/api/v1/statuses/" + url_encode(post_id), c.access_token, body);
    auto r = call(t, req, false);  // an edit sets the whole text: repeating it is harmless
    if (!r) return r.error();
    return Ok{};
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto resp = t.send(get("/api/v1/statuses/" + url_encode(post_id), c.access_token));
    if (resp.status == 404) return std::optional<RemotePost>{};
    auto r = parse(resp, false);
    if (!r) return r.error();
    return std::optional<RemotePost>{post_of(*r)};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    std::string path =
        "/api/v1/accounts/" + url_encode(c.platform_account_id) + "/statuses?limit=" + std::to_string(kPageSize);
    if (!cursor.empty()) path += "&max_id=" + url_encode(cursor);
    auto r = call(t, get(path, c.access_token), false);
    if (!r) return r.error();
    Page<RemotePost> page;
    if (!r->is_array()) return page;
    for (const auto& s : *r) page.items.push_back(post_of(s));
    if (static_cast<int>(page.items.size()) == kPageSize) page.next_cursor = page.items.back().platform_post_id;
    return page;
  }

  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    std::string path = "/api/v1/notifications?types[]=mention&limit=" + std::to_string(kPageSize);
    if (!cursor.empty()) path += "&min_id=" + url_encode(cursor);
    auto r = call(t, get(path, c.access_token), false);
    if (!r) return r.error();
    Page<InboundItem> page;
    page.next_cursor = cursor;
    if (!r->is_array()) return page;
    for (const auto& n : *r) {
      std::string id = json_string(n, "id");
      if (page.next_cursor.empty() || id_newer(id, page.next_cursor)) page.next_cursor = id;
      const auto& s = json_at(n, "status");
      if (!s.is_object()) continue;
      InboundKind k = json_string(s, "visibility") == "direct"                            ? InboundKind::kDirectMessage
                      : json_string(s, "in_reply_to_account_id") == c.platform_account_id ? InboundKind::kComment
                                                                                          : InboundKind::kMention;
      if (k != kind) continue;
      InboundItem item;
      item.kind = k;
      item.platform_item_id = json_string(s, "id");
      item.platform_post_id = k == InboundKind::kComment ? json_string(s, "in_reply_to_id") : item.platform_item_id;
      const auto& a = json_at(s, "account");
      item.author_id = json_string(a, "id");
      item.author_handle = json_string(a, "acct");
      item.author_name = json_string(a, "display_name");
      if (k == InboundKind::kDirectMessage) item.conversation_id = item.author_handle;
      item.text = mastodon_html_to_text(json_string(s, "content"));
      item.created_at = parse_time(json_string(s, "created_at")).value_or(0);
      page.items.push_back(std::move(item));
    }
    return page;
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string& idempotency_key) override {
    bool direct = to.kind == InboundKind::kDirectMessage;
    json body{{"status", mention_prefix(to.author_handle, text) + text},
              {"in_reply_to_id", to.platform_item_id},
              {"visibility", direct ? "direct" : "public"}};
    auto r = create_status(t, c, body, idempotency_key);
    if (!r) return r.error();
    return json_string(*r, "id");
  }

  // A direct message is a status with visibility "direct" that mentions its recipient.
  Result<std::string> send_dm(Transport& t, const Credentials& c, const std::string& acct, const std::string& text,
                              const std::string& idempotency_key) override {
    auto r = create_status(t, c, json{{"status", mention_prefix(acct, text) + text}, {"visibility", "direct"}},
                           idempotency_key);
    if (!r) return r.error();
    return json_string(*r, "id");
  }

  Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t, get("/api/v1/statuses/" + url_encode(post_id), c.access_token), false);
    if (!r) return r.error();
    PostMetrics m;
    m.likes = json_int(*r, "favourites_count");
    m.shares = json_int(*r, "reblogs_count");
    m.comments = json_int(*r, "replies_count");
    return m;
  }

 private:
  std::string auth_base() const {
    return endpoint_.auth_base_url.empty() ? endpoint_.base_url : endpoint_.auth_base_url;
  }

  HttpRequest get(const std::string& path, const std::string& token) const {
    return HttpRequest{"GET", endpoint_.base_url + path, {{"Authorization", bearer(token)}}, {}};
  }
  static HttpRequest with_method(std::string method, HttpRequest r) {
    r.method = std::move(method);
    return r;
  }
  HttpRequest json_request(std::string method, const std::string& path, const std::string& token,
                           const json& body) const {
    return HttpRequest{std::move(method),
                       endpoint_.base_url + path,
                       {{"Authorization", bearer(token)}, {"Content-Type", "application/json"}},
                       body.dump()};
  }
  HttpRequest form_request(const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& form) const {
    return HttpRequest{
        "POST", endpoint_.base_url + path, {{"Content-Type", "application/x-www-form-urlencoded"}}, form_encode(form)};
  }

  static std::string derived_key(const std::string& key, const std::string& suffix) {
    return key.empty() ? std::string() : key + suffix;
  }
  static std::string mention_prefix(const std::string& acct, const std::string& text) {
    if (acct.empty() || text.rfind("@" + acct, 0) == 0) return {};
    return "@" + acct + " ";
  }

  Error error_of(const HttpResponse& r, bool mutating) const {
    std::string code, message;
    if (auto j = parse_json(r.body); j && j->is_object()) {
      message = json_string(*j, "error");  // {"error": "..."} or OAuth {"error","error_description"}
      if (auto d = json_string(*j, "error_description"); !d.empty()) {
        code = message;
        message = d;
      }
    }
    Error e = classify_http(r, mutating, code, message, nullptr, clock_.now());
    if (e.cls == ErrorClass::kRateLimited && !e.retry_after) {
      if (auto reset = r.header("x-ratelimit-reset")) {  // ISO 8601, e.g. 2024-05-01T12:05:00.000Z
        if (auto at = parse_time(*reset))
          e.retry_after = std::chrono::seconds(std::max<std::int64_t>(*at - clock_.now(), 0));
      }
    }
    return e;
  }

  Result<json> parse(const HttpResponse& r, bool mutating) const {
    if (r.transport_error || r.status < 200 || r.status >= 300) return error_of(r, mutating);
    if (r.body.empty()) return json::object();
    auto j = parse_json(r.body);
    if (!j)
      return Error{ErrorClass::kRetryable, "malformed", "Mastodon answered with a body that is not JSON", r.status,
                   std::nullopt};
    return *j;
  }
  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const { return parse(t.send(req), mutating); }

  Result<json> create_status(Transport& t, const Credentials& c, const json& body, const std::string& key) {
    auto req = json_request("POST", "/api/v1/statuses", c.access_token, body);
    if (!key.empty()) req.headers.emplace_back("Idempotency-Key", key);
    auto r = call(t, req, true);
    if (r && json_string(*r, "id").empty()) {
      return Error{ErrorClass::kUnknownOutcome, "malformed", "no status id in the answer", 0, std::nullopt};
    }
    return r;
  }

  Result<std::vector<std::string>> upload_all(Transport& t, const Credentials& c, const std::vector<Media>& media) {
    std::vector<std::string> ids;
    for (const auto& m : media) {
      auto id = upload(t, c, m);
      if (!id) return id.error();
      ids.push_back(*id);
    }
    return ids;
  }

  // An upload is not a status: one that timed out is retried (an unattached upload is removed).
  Result<std::string> upload(Transport& t, const Credentials& c, const Media& m) {
    auto bytes = fetch_media(t, m, m.kind == Media::Kind::kImage ? caps_.max_image_bytes : caps_.max_video_bytes);
    if (!bytes) return bytes.error();
    std::string filename = m.url.substr(m.url.find_last_of('/') + 1);
    if (filename.empty() || filename.find('?') != std::string::npos) filename = "upload";
    std::vector<MultipartPart> parts = {{"file", std::move(*bytes), filename, m.mime_type}};
    if (!m.alt_text.empty()) parts.push_back({"description", m.alt_text, "", ""});
    auto form = multipart_form_data(parts);
    HttpRequest req{"POST",
                    endpoint_.base_url + "/api/v2/media",
                    {{"Authorization", bearer(c.access_token)}, {"Content-Type", form.content_type}},
                    std::move(form.body)};
    auto resp = t.send(req);
    auto r = parse(resp, false);
    if (!r) return r.error();
    std::string id = json_string(*r, "id");
    // 202: still processing (url is null); GET /api/v1/media/:id answers 206 until it is done.
    for (int i = 0; resp.status == 202 || resp.status == 206; ++i) {
      if (i == kMaxMediaPolls) {
        return Error{ErrorClass::kRetryable, "media_processing_timeout", "the media is still processing", 0,
                     std::nullopt};
      }
      clock_.sleep(std::chrono::seconds(1));
      resp = t.send(get("/api/v1/media/" + url_encode(id), c.access_token));
      if (auto st = parse(resp, false); !st) return st.error();
    }
    return id;
  }

  static RemotePost post_of(const json& s) {
    RemotePost p;
    p.platform_post_id = json_string(s, "id");
    p.text = mastodon_html_to_text(json_string(s, "content"));
    p.url = json_string(s, "url");
    p.created_at = parse_time(json_string(s, "created_at")).value_or(0);
    return p;
  }

  Clock clock_;
  Capabilities caps_;
};

}  // namespace

std::string mastodon_html_to_text(std::string_view html) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    char ch = html[i];
    if (ch == '<') {
      auto end = html.find('>', i);
      if (end == std::string_view::npos) break;
      std::string tag(html.substr(i + 1, end - i - 1));
      for (auto& x : tag) x = static_cast<char>(std::tolower(static_cast<unsigned char>(x)));
      if (tag.rfind("br", 0) == 0) out += '\n';
      if (tag == "/p") out += "\n\n";
      i = end + 1;
    } else if (ch == '&') {
      auto end = html.find(';', i);
      std::string_view ent = end == std::string_view::npos ? std::string_view() : html.substr(i + 1, end - i - 1);
      static const std::pair<const char*, const char*> kNamed[] = {{"amp", "&"},   {"lt", "<"},   {"gt", ">"},
                                                                   {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
      bool done = false;
      for (const auto& [name, text] : kNamed) {
        if (ent == name) {
          out += text;
          done = true;
        }
      }
      if (!done && ent.size() > 1 && ent.size() < 9 && ent[0] == '#') {
        bool hex = ent[1] == 'x' || ent[1] == 'X';
        auto digits = std::string(ent.substr(hex ? 2 : 1));
        char* stop = nullptr;
        auto cp = std::strtoul(digits.c_str(), &stop, hex ? 16 : 10);
        if (!digits.empty() && stop != nullptr && *stop == '\0' && cp > 0 && cp <= 0x10FFFF) {
          append_utf8(out, static_cast<std::uint32_t>(cp));
          done = true;
        }
      }
      if (done) {
        i = end + 1;
      } else {
        out += '&';
        ++i;
      }
    } else {
      out += ch;
      ++i;
    }
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::unique_ptr<Adapter> make_mastodon_adapter(Endpoint endpoint) {
  return make_mastodon_adapter(std::move(endpoint), system_clock());
}

std::unique_ptr<Adapter> make_mastodon_adapter(Endpoint endpoint, Clock clock) {
  return std::make_unique<MastodonAdapter>(std::move(endpoint), std::move(clock));
}

}  // namespace herald::adapters
