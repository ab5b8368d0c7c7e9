// LinkedIn Marketing / Community Management REST API, as documented at learn.microsoft.com/linkedin:
//   OAuth 2.0        https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow,
//                    .../programmatic-refresh-tokens (refresh), /oauth/v2/revoke (best-known public shape)
//   Posts API        https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api
//                    (POST /rest/posts -> x-restli-id; GET, PARTIAL_UPDATE, DELETE /rest/posts/{encoded urn};
//                    FINDER q=author)
//   little text      https://learn.microsoft.com/linkedin/marketing/community-management/shares/little-text-format
//   Images, videos   .../shares/images-api, .../shares/videos-api (initializeUpload, PUT, finalizeUpload)
//   Comments         https://learn.microsoft.com/linkedin/marketing/community-management/shares/comments-api
//   Statistics       .../organizations/share-statistics, .../shares/network-update-social-actions
//   Errors, limits   https://learn.microsoft.com/linkedin/shared/api-guide/concepts/error-handling,
//                    .../concepts/rate-limits (daily limits reset at midnight UTC)
#include "adapters/linkedin/linkedin_adapter.hpp"

#include <cctype>
#include <cstdlib>

#include "herald/adapters/classify.hpp"
#include "herald/adapters/marker.hpp"
#include "herald/adapters/multipart.hpp"
#include "herald/adapters/support.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;

constexpr const char* kVersion = "202601";  // LinkedIn-Version (YYYYMM; each is served for about a year)
constexpr int kRecentCount = 50;
constexpr int kCommentPosts = 10;

Capabilities make_capabilities() {
  Capabilities c;
  c.platform = "linkedin";
  c.display_name = "LinkedIn";
  c.counting = TextCounting::kCodePoints;
  c.max_text_length = 3000;
  c.max_images = 20;  // multiImage: 2 to 20
  c.max_videos = 1;
  c.max_video_bytes = 500LL * 1024 * 1024;
  c.max_video_duration_s = 30 * 60;
  c.image_types = {"image/jpeg", "image/png", "image/gif"};  // limited by pixels (36,152,320), not bytes
  c.video_types = {"video/mp4"};
  c.can_edit = true;
  c.can_delete = true;
  c.can_first_comment = true;
  c.can_reply = true;
  c.can_delete_comment = true;
  c.has_metrics = true;
  c.supports_refresh = true;  // programmatic refresh tokens: approved partners
  c.supports_revoke = true;
  c.required_scopes = {"openid", "profile", "w_member_social", "w_organization_social", "r_organization_social"};
  c.daily_post_cap = 150;  // member-level daily limit on creating posts
  c.app_limit = {100000, 24 * 3600};
  return c;
}

std::string author_urn(const Credentials& c) {
  const auto& id = c.platform_account_id;
  return id.rfind("urn:li:", 0) == 0 ? id : "urn:li:person:" + id;
}

// "urn:li:comment:(urn:li:activity:1,2)" -> "2".
std::string comment_id_of(const std::string& urn) {
  auto comma = urn.rfind(',');
  auto close = urn.rfind(')');
  if (comma == std::string::npos || close == std::string::npos || close < comma) return urn;
  return urn.substr(comma + 1, close - comma - 1);
}

class LinkedinAdapter final : public Adapter {
 public:
  LinkedinAdapter(Endpoint e, Clock clock)
      : Adapter(std::move(e)), clock_(std::move(clock)), caps_(make_capabilities()) {}

  const Capabilities& capabilities() const override { return caps_; }

  // LinkedIn offers PKCE only to native clients it enables; the challenge is not sent.
  std::string authorize_url(const AuthorizeRequest& r) const override {
    std::string scopes;
    for (const auto& s : r.scopes.empty() ? caps_.required_scopes : r.scopes) scopes += (scopes.empty() ? "" : " ") + s;
    return auth_base() + "/oauth/v2/authorization?" +
           form_encode({{"response_type", "code"},
                        {"client_id", endpoint_.client_id},
                        {"redirect_uri", r.redirect_uri},
                        {"state", r.state},
                        {"scope", scopes}});
  }

  Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string&,
                                 const std::string& redirect_uri) override {
    auto ts = token_call(t,
                         {{"grant_type", "authorization_code"},
                          {"code", code},
                          {"redirect_uri", redirect_uri},
                          {"client_id", endpoint_.client_id},
                          {"client_secret", endpoint_.client_secret}},
                         false);
    if (!ts) return ts;
    auto me = call(
        t, HttpRequest{"GET", endpoint_.base_url + "/v2/userinfo", {{"Authorization", bearer(ts->access_token)}}, {}},
        false);
    if (!me) return me.error();
    ts->platform_account_id = "urn:li:person:" + json_string(*me, "sub");
    return ts;
  }

  Result<TokenSet> refresh(Transport& t, const TokenSet& current) override {
    auto ts = token_call(t,
                         {{"grant_type", "refresh_token"},
                          {"refresh_token", current.refresh_token},
                          {"client_id", endpoint_.client_id},
                          {"client_secret", endpoint_.client_secret}},
                         true);
    if (ts) ts->platform_account_id = current.platform_account_id;
    return ts;
  }

  Result<Ok> revoke(Transport& t, const TokenSet& tokens) override {
    return ok_of(call(t,
                      form_request("/oauth/v2/revoke", {{"client_id", endpoint_.client_id},
                                                        {"client_secret", endpoint_.client_secret},
                                                        {"token", tokens.access_token}}),
                      false));
  }

  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    std::string author = author_urn(c);
    AccountProfile p;
    p.platform_account_id = author;
    if (author.rfind("urn:li:organization:", 0) == 0) {
      std::string id = author.substr(std::string("urn:li:organization:").size());
      auto org = call(t, rest("GET", "/rest/organizations/" + url_encode(id), c), false);
      if (!org) return org.error();
      p.display_name = json_string(*org, "localizedName");
      p.handle = json_string(*org, "vanityName");
      auto size =
          call(t, rest("GET", "/rest/networkSizes/" + url_encode(author) + "?edgeType=COMPANY_FOLLOWED_BY_MEMBER", c),
               false);
      if (size) p.followers = json_int(*size, "firstDegreeSize");
      return p;
    }
    auto me = call(
        t, HttpRequest{"GET", endpoint_.base_url + "/v2/userinfo", {{"Authorization", bearer(c.access_token)}}, {}},
        false);
    if (!me) return me.error();
    p.display_name = json_string(*me, "name");
    p.avatar_url = json_string(*me, "picture");
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    const std::string author = author_urn(c);
    json post{{"author", author},
              {"commentary", linkedin_little_text(content.text) + invisible_marker(content.client_marker)},
              {"visibility", "PUBLIC"},
              {"distribution",
               {{"feedDistribution", "MAIN_FEED"},
                {"targetEntities", json::array()},
                {"thirdPartyDistributionChannels", json::array()}}},
              {"lifecycleState", "PUBLISHED"},
              {"isReshareDisabledByAuthor", false}};
    bool has_video = false;
    for (const auto& m : content.media) has_video = has_video || m.kind == Media::Kind::kVideo;
    if (has_video && content.media.size() > 1) {
      return Error{ErrorClass::kRejected, "unsupported_media", "a LinkedIn post carries one video or images", 0,
                   std::nullopt};
    }
    std::vector<std::string> images;
    std::string video;
    for (const auto& m : content.media) {
      auto urn = m.kind == Media::Kind::kImage ? upload_image(t, c, m) : upload_video(t, c, m);
      if (!urn) return urn.error();
      if (m.kind == Media::Kind::kImage) {
        images.push_back(*urn);
      } else {
        video = *urn;
      }
    }
    auto alt = [&](std::size_t i) { return i < content.media.size() ? content.media[i].alt_text : std::string(); };
    if (!video.empty()) {
      post["content"] = {{"media", {{"id", video}, {"title", content.title.value_or("")}}}};
    } else if (images.size() == 1) {
      post["content"] = {{"media", {{"id", images[0]}, {"altText", alt(0)}}}};
    } else if (images.size() > 1) {
      json list = json::array();
      for (std::size_t i = 0; i < images.size(); ++i) list.push_back({{"id", images[i]}, {"altText", alt(i)}});
      post["content"] = {{"multiImage", {{"images", list}}}};
    } else if (content.link) {
      post["content"] = {{"article", {{"source", *content.link}, {"title", content.title.value_or(*content.link)}}}};
    }
    auto resp = t.send(rest("POST", "/rest/posts", c, post));
    if (auto r = parse(resp, true); !r) return r.error();
    PublishedPost p;
    p.platform_post_id = resp.header("x-restli-id").value_or("");
    if (p.platform_post_id.empty()) {
      return Error{ErrorClass::kUnknownOutcome, "malformed", "no x-restli-id in the answer", resp.status, std::nullopt};
    }
    p.url = "https://www.linkedin.com/feed/update/" + p.platform_post_id + "/";
    if (content.first_comment) {
      if (auto id = comment(t, c, p.platform_post_id, p.platform_post_id, "", *content.first_comment)) {
        p.first_comment_id = *id;  // the post is live either way
      }
    }
    return p;
  }

  Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto resp = t.send(rest("DELETE", "/rest/posts/" + url_encode(post_id), c));
    if (resp.status == 404) return Ok{};  // already gone: a repeated delete succeeds
    return ok_of(parse(resp, false));
  }

  Result<Ok> edit_post(Transport& t, const Credentials& c, const std::string& post_id,
                       const PostContent& content) override {
    auto req = rest(
        "POST", "/rest/posts/" + url_encode(post_id), c,
        json{{"patch",
              {{"$set",
                {{"commentary", linkedin_little_text(content.text) + invisible_marker(content.client_marker)}}}}}});
    req.headers.emplace_back("X-RestLi-Method", "PARTIAL_UPDATE");
    return ok_of(call(t, req, false));  // sets the whole commentary: repeating it is harmless
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto resp = t.send(rest("GET", "/rest/posts/" + url_encode(post_id), c));
    if (resp.status == 404) return std::optional<RemotePost>{};
    auto r = parse(resp, false);
    if (!r) return r.error();
    return std::optional<RemotePost>{post_of(*r)};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    return list_posts(t, c, cursor, kRecentCount);
  }

  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    if (kind != InboundKind::kComment) return unsupported("LinkedIn mentions and messages");
    std::int64_t since = cursor.empty() ? 0 : std::strtoll(cursor.c_str(), nullptr, 10);
    auto posts = list_posts(t, c, "", kCommentPosts);
    if (!posts) return posts.error();
    const std::string author = author_urn(c);
    Page<InboundItem> page;
    std::int64_t newest = since;
    for (const auto& post : posts->items) {
      auto r = call(t, rest("GET", "/rest/socialActions/" + url_encode(post.platform_post_id) + "/comments", c), false);
      if (!r) return r.error();
      for (const auto& cm : json_at(*r, "elements")) {
        InboundItem item;
        item.kind = InboundKind::kComment;
        item.platform_item_id = json_string(cm, "commentUrn");
        if (item.platform_item_id.empty()) item.platform_item_id = json_string(cm, "$URN");
        item.platform_post_id = post.platform_post_id;
        item.parent_id = json_string(cm, "parentComment");
        item.author_id = json_string(cm, "actor");
        item.text = json_string(json_at(cm, "message"), "text");
        item.created_at = json_int(json_at(cm, "created"), "time").value_or(0) / 1000;
        if (item.author_id == author || item.created_at < since) continue;
        newest = std::max(newest, item.created_at);
        page.items.push_back(std::move(item));
      }
    }
    page.next_cursor = std::to_string(newest);
    return page;
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string&) override {
    // A nested comment is created under the comment it answers, with the post as its object.
    return comment(t, c, to.platform_item_id, to.platform_post_id, to.platform_item_id, text);
  }

  Result<Ok> moderate(Transport& t, const Credentials& c, const InboundItem& item, Moderation action) override {
    if (action != Moderation::kDelete) return unsupported("this moderation action on LinkedIn");
    auto resp =
        t.send(rest("DELETE",
                    "/rest/socialActions/" + url_encode(item.platform_post_id) + "/comments/" +
                        url_encode(comment_id_of(item.platform_item_id)) + "?actor=" + url_encode(author_urn(c)),
                    c));
    if (resp.status == 404) return Ok{};
    return ok_of(parse(resp, false));
  }

  Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id) override {
    const std::string author = author_urn(c);
    PostMetrics m;
    if (author.rfind("urn:li:organization:", 0) == 0) {
      const char* list = post_id.rfind("urn:li:ugcPost:", 0) == 0 ? "ugcPosts" : "shares";
      auto r = call(t,
                    rest("GET",
                         "/rest/organizationalEntityShareStatistics?q=organizationalEntity"
                         "&organizationalEntity=" +
                             url_encode(author) + "&" + list + "=List(" + url_encode(post_id) + ")",
                         c),
                    false);
      if (!r) return r.error();
      const auto& elements = json_at(*r, "elements");
      if (elements.is_array() && !elements.empty()) {
        const auto& s = json_at(elements[0], "totalShareStatistics");
        m.impressions = json_int(s, "impressionCount");
        m.reach = json_int(s, "uniqueImpressionsCount");
        m.clicks = json_int(s, "clickCount");
        m.likes = json_int(s, "likeCount");
        m.comments = json_int(s, "commentCount");
        m.shares = json_int(s, "shareCount");
      }
      return m;
    }
    auto r = call(t, rest("GET", "/rest/socialActions/" + url_encode(post_id), c), false);
    if (!r) return r.error();
    m.likes = json_int(json_at(*r, "likesSummary"), "totalLikes");
    m.comments = json_int(json_at(*r, "commentsSummary"), "aggregatedTotalComments");
    return m;
  }

 private:
  std::string auth_base() const {
    return endpoint_.auth_base_url.empty() ? endpoint_.base_url : endpoint_.auth_base_url;
  }

  HttpRequest rest(std::string method, const std::string& path, const Credentials& c,
                   const std::optional<json>& body = std::nullopt) const {
    HttpRequest r{std::move(method),
                  endpoint_.base_url + path,
                  {{"Authorization", bearer(c.access_token)},
                   {"LinkedIn-Version", kVersion},
                   {"X-Restli-Protocol-Version", "2.0.0"}},
                  body ? body->dump() : ""};
    if (body) r.headers.emplace_back("Content-Type", "application/json");
    return r;
  }
  HttpRequest form_request(const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& form) const {
    return HttpRequest{
        "POST", auth_base() + path, {{"Content-Type", "application/x-www-form-urlencoded"}}, form_encode(form)};
  }
  static Result<Ok> ok_of(const Result<json>& r) {
    if (!r) return r.error();
    return Ok{};
  }

  Error error_of(const HttpResponse& r, bool mutating) const {
    std::string code, message;
    std::int64_t service = 0;
    if (auto j = parse_json(r.body); j && j->is_object()) {
      service = json_int(*j, "serviceErrorCode").value_or(0);
      code = service != 0 ? std::to_string(service) : json_string(*j, "code");
      if (code.empty()) code = json_string(*j, "error");  // OAuth: {"error","error_description"}
      message = json_string(*j, "message");
      if (message.empty()) message = json_string(*j, "error_description");
    }
    Error e = classify_http(r, mutating, code, message, nullptr, clock_.now());
    if (service == 65600 || service == 65601 || service == 65602) e.cls = ErrorClass::kAuthExpired;
    if (e.cls == ErrorClass::kRateLimited && !e.retry_after) {
      e.retry_after = std::chrono::seconds(86400 - clock_.now() % 86400);  // daily limits reset at 00:00 UTC
    }
    return e;
  }

  Result<json> parse(const HttpResponse& r, bool mutating) const {
    if (r.transport_error || r.status < 200 || r.status >= 300) return error_of(r, mutating);
    if (r.body.empty()) return json::object();
    auto j = parse_json(r.body);
    if (!j)
      return Error{ErrorClass::kRetryable, "malformed", "LinkedIn answered with a body that is not JSON", r.status,
                   std::nullopt};
    return *j;
  }
  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const { return parse(t.send(req), mutating); }

  Result<TokenSet> token_call(Transport& t, const std::vector<std::pair<std::string, std::string>>& form,
                              bool refreshing) {
    auto r = call(t, form_request("/oauth/v2/accessToken", form), false);
    if (!r) {
      Error e = r.error();
      if (refreshing && e.code == "invalid_grant") e.cls = ErrorClass::kAuthExpired;
      return e;
    }
    TokenSet ts;
    ts.access_token = json_string(*r, "access_token");
    ts.refresh_token = json_string(*r, "refresh_token");
    if (auto in = json_int(*r, "expires_in")) ts.expires_at = clock_.now() + *in;
    std::string scope = json_string(*r, "scope");  // comma-separated
    for (std::size_t p = 0; p < scope.size();) {
      auto q = scope.find_first_of(", ", p);
      if (q == std::string::npos) q = scope.size();
      if (q > p) ts.scopes.push_back(scope.substr(p, q - p));
      p = q + 1;
    }
    if (ts.access_token.empty()) return Error{ErrorClass::kRejected, "malformed", "no access_token", 0, std::nullopt};
    return ts;
  }

  Result<Page<RemotePost>> list_posts(Transport& t, const Credentials& c, const std::string& cursor, int count) {
    std::int64_t start = cursor.empty() ? 0 : std::strtoll(cursor.c_str(), nullptr, 10);
    auto req = rest("GET",
                    "/rest/posts?author=" + url_encode(author_urn(c)) + "&q=author&count=" + std::to_string(count) +
                        "&start=" + std::to_string(start) + "&sortBy=LAST_MODIFIED",
                    c);
    req.headers.emplace_back("X-RestLi-Method", "FINDER");
    auto r = call(t, req, false);
    if (!r) return r.error();
    Page<RemotePost> page;
    for (const auto& e : json_at(*r, "elements")) page.items.push_back(post_of(e));
    if (static_cast<int>(page.items.size()) == count) page.next_cursor = std::to_string(start + count);
    return page;
  }

  // POST /rest/socialActions/{target}/comments; returns the comment URN.
  Result<std::string> comment(Transport& t, const Credentials& c, const std::string& target, const std::string& object,
                              const std::string& parent, const std::string& text) {
    json body{{"actor", author_urn(c)}, {"object", object}, {"message", {{"text", text}}}};
    if (!parent.empty()) body["parentComment"] = parent;
    auto resp = t.send(rest("POST", "/rest/socialActions/" + url_encode(target) + "/comments", c, body));
    auto r = parse(resp, true);
    if (!r) return r.error();
    std::string urn = json_string(*r, "commentUrn");
    if (urn.empty()) urn = json_string(*r, "$URN");
    if (urn.empty()) urn = resp.header("x-restli-id").value_or("");
    return urn;
  }

  Result<std::string> upload_image(Transport& t, const Credentials& c, const Media& m) {
    auto init = call(t,
                     rest("POST", "/rest/images?action=initializeUpload", c,
                          json{{"initializeUploadRequest", {{"owner", author_urn(c)}}}}),
                     false);
    if (!init) return init.error();
    const auto& v = json_at(*init, "value");
    auto bytes = fetch_media(t, m, caps_.max_image_bytes);
    if (!bytes) return bytes.error();
    HttpRequest put{"PUT",
                    json_string(v, "uploadUrl"),
                    {{"Authorization", bearer(c.access_token)}, {"Content-Type", "application/octet-stream"}},
                    std::move(*bytes)};
    if (auto up = parse(t.send(put), false); !up) return up.error();  // an unused image is discarded
    return json_string(v, "image");
  }

  Result<std::string> upload_video(Transport& t, const Credentials& c, const Media& m) {
    auto bytes = fetch_media(t, m, caps_.max_video_bytes);
    if (!bytes) return bytes.error();
    auto init = call(t,
                     rest("POST", "/rest/videos?action=initializeUpload", c,
                          json{{"initializeUploadRequest",
                                {{"owner", author_urn(c)},
                                 {"fileSizeBytes", bytes->size()},
                                 {"uploadCaptions", false},
                                 {"uploadThumbnail", false}}}}),
                     false);
    if (!init) return init.error();
    const auto& v = json_at(*init, "value");
    json etags = json::array();
    for (const auto& part : json_at(v, "uploadInstructions")) {
      auto first = static_cast<std::size_t>(json_int(part, "firstByte").value_or(0));
      auto last = static_cast<std::size_t>(json_int(part, "lastByte").value_or(0));
      if (first >= bytes->size() || last < first) break;
      HttpRequest put{"PUT",
                      json_string(part, "uploadUrl"),
                      {{"Content-Type", "application/octet-stream"}},
                      bytes->substr(first, last - first + 1)};
      auto resp = t.send(put);
      if (auto up = parse(resp, false); !up) return up.error();
      etags.push_back(resp.header("etag").value_or(""));
    }
    std::string video = json_string(v, "video");
    auto fin = call(
        t,
        rest("POST", "/rest/videos?action=finalizeUpload", c,
             json{{"finalizeUploadRequest",
                   {{"video", video}, {"uploadToken", json_string(v, "uploadToken")}, {"uploadedPartIds", etags}}}}),
        false);
    if (!fin) return fin.error();
    return video;
  }

  static RemotePost post_of(const json& e) {
    RemotePost p;
    p.platform_post_id = json_string(e, "id");
    p.text = json_string(e, "commentary");
    p.url = "https://www.linkedin.com/feed/update/" + p.platform_post_id + "/";
    auto at = json_int(e, "publishedAt");
    if (!at) at = json_int(e, "createdAt");
    p.created_at = at.value_or(0) / 1000;
    return p;
  }

  Clock clock_;
  Capabilities caps_;
};

}  // namespace

std::string linkedin_little_text(std::string_view text) {
  static constexpr std::string_view kReserved = "\\|{}@[]()<>*_~";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    bool hashtag =
        ch == '#' && i + 1 < text.size() &&
        (std::isalnum(static_cast<unsigned char>(text[i + 1])) != 0 || static_cast<unsigned char>(text[i + 1]) >= 0x80);
    if (kReserved.find(ch) != std::string_view::npos || (ch == '#' && !hashtag)) out += '\\';
    out += ch;
  }
  return out;
}

std::unique_ptr<Adapter> make_linkedin_adapter(Endpoint endpoint) {
  return make_linkedin_adapter(std::move(endpoint), system_clock());
}

std::unique_ptr<Adapter> make_linkedin_adapter(Endpoint endpoint, Clock clock) {
  return std::make_unique<LinkedinAdapter>(std::move(endpoint), std::move(clock));
}

}  // namespace herald::adapters
