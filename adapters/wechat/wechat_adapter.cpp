// WeChat Official Account platform (https://developers.weixin.qq.com/doc/offiaccount/), as documented:
// - Access token: POST /cgi-bin/stable_token {grant_type:"client_credential", appid, secret, force_refresh}
//   -> {access_token, expires_in:7200}; every call then carries ?access_token=. There is no user OAuth and no
//   revocation (the AppSecret is reset in the MP console), so authorize_url() is "" and Herald shows an
//   AppID/AppSecret form; TokenSet.refresh_token keeps the AppSecret so refresh() can fetch a new stable token.
// - Publishing (发布能力) is draft then publish: POST /cgi-bin/material/add_material?type=image (multipart "media";
//   bmp/png/jpeg/jpg/gif, 10 MB) -> {media_id} for the cover (thumb_media_id, required); images inside the body go
//   through /cgi-bin/media/uploadimg (jpg/png under 1 MB) because external image URLs are filtered;
//   POST /cgi-bin/draft/add {articles:[{title, author, digest, content (HTML, under 20,000 characters and 1 MB, JS
//   removed), content_source_url, thumb_media_id, need_open_comment, only_fans_can_comment}]} -> {media_id};
//   POST /cgi-bin/freepublish/submit {media_id} -> {publish_id, msg_data_id}; POST /cgi-bin/freepublish/get
//   {publish_id} -> publish_status 0 success (article_id, article_detail.item[].article_url), 1 publishing,
//   2 原创失败, 3 常规失败, 4 审核不通过, 5 deleted after success, 6 banned after success. publish() polls a bounded
//   number of times; still publishing after that is kUnknownOutcome (reconciled by find_by_marker).
//   Title limit: 64 characters as the MP editor counts (code points); the digest 120 (45003/45004 otherwise).
// - Read back /cgi-bin/freepublish/getarticle {article_id} (53600: invalid article_id), delete
//   /cgi-bin/freepublish/delete {article_id}, list /cgi-bin/freepublish/batchget {offset, count<=20, no_content}.
// - Comments (图文消息留言管理): /cgi-bin/comment/list {msg_data_id, index, begin, count<50, type}, reply
//   /cgi-bin/comment/reply/add, delete /cgi-bin/comment/delete, elect (Herald's pin) /cgi-bin/comment/markelect.
//   msg_data_id is the "mid" and index the "idx"-1 of the article URL; a comment's platform_item_id is
//   "<msg_data_id>:<index>:<user_comment_id>". The account cannot post a comment of its own (no first comment).
// - Customer-service messages (DMs): POST /cgi-bin/message/custom/send {touser, msgtype:"text", text:{content}}
//   within 48 hours of the user's last message (45015 otherwise). Incoming DMs arrive only by webhook.
// - Server messages (消息推送, 接入指南): signature = SHA1 of the sorted concatenation of token, timestamp, nonce;
//   GET answers echostr; POST carries XML (plaintext mode). Safe mode (encrypt_type=aes, msg_signature, AES-CBC) is
//   future work and is refused. A webhook whose timestamp is over 5 minutes off is refused (replays).
// - Global return codes: {"errcode":40001,"errmsg":"..."} with HTTP 200. 40001/40014/42001 -> kAuthExpired;
//   -1 system busy -> kRetryable; 45009 daily quota -> kRateLimited until 00:00 Beijing time; 45011 minute quota
//   -> kRateLimited 60 s; 48001 api unauthorized, 53503.. publish checks and the rest -> kRejected.
// - Client marker: an HTML comment "<!--herald:MARKER-->" at the end of the article body; find_by_marker reads the
//   recent published articles with their content. If WeChat's sanitizer drops comments, nothing is found.
#include "adapters/wechat/wechat_adapter.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>
#include <thread>

#include "herald/adapters/classify.hpp"
#include "herald/adapters/multipart.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;

constexpr int kMaxTitle = 64;
constexpr int kMaxContent = 20000;
constexpr std::size_t kMaxContentBytes = 1024 * 1024;
constexpr std::int64_t kMaxCoverBytes = 10 * 1024 * 1024;
constexpr std::int64_t kMaxBodyImageBytes = 1024 * 1024;
constexpr int kPublishPolls = 6;
constexpr std::chrono::milliseconds kPollInterval{2000};
constexpr int kListPage = 20;
constexpr int kMarkerScan = 10;
constexpr int kCommentArticles = 5;
constexpr int kCommentPage = 49;  // ">=50会被拒绝"
constexpr std::int64_t kWebhookSkew = 300;

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error rejected(std::string code, std::string message) {
  return Error{ErrorClass::kRejected, std::move(code), std::move(message), 0, std::nullopt};
}

std::string sha1_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  static const unsigned char kEmpty = 0;
  const void* bytes = data.empty() ? static_cast<const void*>(&kEmpty) : static_cast<const void*>(data.data());
  if (EVP_Digest(bytes, data.size(), out, &len, EVP_sha1(), nullptr) != 1) return "";
  return core::crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(out), len));
}

std::string str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  if (j[key].is_string()) return j[key].get<std::string>();
  if (j[key].is_number_integer()) return std::to_string(j[key].get<std::int64_t>());
  return "";
}

std::int64_t to_int(std::string_view s, std::int64_t fallback = 0) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

// Article bodies are HTML (a text starting with '<' is taken as HTML); plain text becomes one <p> per line.
std::string to_html(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '<') return text;
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty()) out += "<p>" + html_escape(line) + "</p>";
    start = end + 1;
  }
  return out;
}

std::string marker_comment(const std::string& marker) {
  std::string safe;
  for (char ch : marker) safe += (ch == '-' && !safe.empty() && safe.back() == '-') || ch == '>' ? '_' : ch;
  return "<!--herald:" + safe + "-->";
}

std::string query_param(const std::string& url, const std::string& name) {
  auto q = url.find('?');
  if (q == std::string::npos) return "";
  std::string s = "&" + url.substr(q + 1);
  auto at = s.find("&" + name + "=");
  if (at == std::string::npos) return "";
  at += name.size() + 2;
  auto end = s.find_first_of("&#", at);
  return s.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::string xml_value(std::string_view raw) {
  static constexpr std::string_view kOpen = "<![CDATA[";
  if (raw.substr(0, kOpen.size()) == kOpen && raw.size() >= kOpen.size() + 3 && raw.substr(raw.size() - 3) == "]]>") {
    return std::string(raw.substr(kOpen.size(), raw.size() - kOpen.size() - 3));
  }
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    static const std::pair<std::string_view, char> kEntities[] = {
        {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool done = false;
    for (const auto& [entity, ch] : kEntities) {
      if (raw.substr(i, entity.size()) == entity) {
        out += ch;
        i += entity.size() - 1;
        done = true;
        break;
      }
    }
    if (!done) out += raw[i];
  }
  return out;
}

// The flat <xml><Name>value</Name>...</xml> of WeChat's plaintext messages (nested elements kept raw).
std::optional<std::map<std::string, std::string>> parse_xml(std::string_view body) {
  auto start = body.find("<xml>");
  auto end = body.rfind("</xml>");
  if (start == std::string_view::npos || end == std::string_view::npos || end < start) return std::nullopt;
  std::string_view in = body.substr(start + 5, end - start - 5);
  std::map<std::string, std::string> out;
  for (std::size_t i = 0;;) {
    auto lt = in.find('<', i);
    if (lt == std::string_view::npos) break;
    auto gt = in.find('>', lt);
    if (gt == std::string_view::npos) return std::nullopt;
    std::string name(in.substr(lt + 1, gt - lt - 1));
    if (name.empty() || name[0] == '/' || name[0] == '!' || name[0] == '?') return std::nullopt;
    if (name.back() == '/') {
      name.pop_back();
      out[name] = "";
      i = gt + 1;
      continue;
    }
    std::string close = "</" + name + ">";
    auto ce = in.find(close, gt + 1);
    if (ce == std::string_view::npos) return std::nullopt;
    out[name] = xml_value(in.substr(gt + 1, ce - gt - 1));
    i = ce + close.size();
  }
  return out;
}

struct CommentRef {
  std::string msg_data_id;
  int index = 0;
  std::string user_comment_id;
};

std::optional<CommentRef> comment_ref(const std::string& id) {
  auto a = id.find(':');
  auto b = id.find(':', a == std::string::npos ? a : a + 1);
  if (a == std::string::npos || b == std::string::npos) return std::nullopt;
  return CommentRef{id.substr(0, a), static_cast<int>(to_int(id.substr(a + 1, b - a - 1))), id.substr(b + 1)};
}

json comment_body(const CommentRef& ref) {
  return json{{"msg_data_id", to_int(ref.msg_data_id)}, {"index", ref.index},
              {"user_comment_id", to_int(ref.user_comment_id)}};
}

struct Article {
  std::string article_id, title, content, url;
  std::int64_t updated = 0;
  bool deleted = false;
};

std::vector<Article> articles_of(const json& batch) {
  std::vector<Article> out;
  const auto& items = batch.contains("item") ? batch["item"] : json::array();
  for (const auto& it : items) {
    Article a;
    a.article_id = str(it, "article_id");
    a.updated = to_int(str(it, "update_time"));
    const auto& news = it.contains("content") ? it["content"].value("news_item", json::array()) : json::array();
    if (!news.empty()) {
      a.title = news[0].value("title", "");
      a.content = news[0].value("content", "");
      a.url = news[0].value("url", "");
      a.deleted = news[0].value("is_deleted", false);
    }
    out.push_back(std::move(a));
  }
  return out;
}

RemotePost to_remote(const Article& a) { return RemotePost{a.article_id, a.title, a.url, a.updated}; }

class WechatAdapter final : public Adapter {
 public:
  WechatAdapter(Endpoint e, std::function<std::int64_t()> now, std::function<void(std::chrono::milliseconds)> sleep)
      : Adapter(std::move(e)), now_(std::move(now)), sleep_(std::move(sleep)) {}

  [[nodiscard]] const Capabilities& capabilities() const override {
    static const Capabilities kCaps = [] {
      Capabilities c;
      c.platform = "wechat";
      c.display_name = "微信公众号 WeChat";
      c.counting = TextCounting::kCodePoints;
      c.max_text_length = kMaxContent - 1;  // "必须少于2万字符"
      c.max_images = 10;  // the cover plus body images (Herald's bound; WeChat caps the body at 1 MB)
      c.max_image_bytes = kMaxCoverBytes;
      c.image_types = {"image/jpeg", "image/png", "image/gif", "image/bmp"};
      c.requires_media = true;  // draft/add requires thumb_media_id
      c.can_delete = true;
      c.can_reply = true;
      c.can_dm = true;
      c.can_delete_comment = true;
      c.can_pin_comment = true;
      c.has_webhooks = true;
      c.supports_refresh = true;
      c.app_limit = {2000, 86400};  // access-token fetches per day per account
      return c;
    }();
    return kCaps;
  }

  [[nodiscard]] std::string authorize_url(const AuthorizeRequest&) const override { return ""; }

  Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string& code_verifier,
                                 const std::string&) override {
    if (code.empty() || code_verifier.empty()) return rejected("missing_credentials", "AppID and AppSecret needed");
    return stable_token(t, code_verifier, code);
  }

  Result<TokenSet> refresh(Transport& t, const TokenSet& current) override {
    auto r = stable_token(t, current.platform_account_id, current.refresh_token);
    if (!r && (r.error().code == "40125" || r.error().code == "40013")) {
      Error e = r.error();
      e.cls = ErrorClass::kAuthExpired;  // the AppSecret was reset: reconnect the account
      return e;
    }
    return r;
  }

  // No API reads an account's own profile: the call proves the token works; names come from the connect form.
  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    auto r = call(t, HttpRequest{"GET", url("/cgi-bin/get_api_domain_ip", c.access_token), {}, ""}, false);
    if (!r) return r.error();
    AccountProfile p;
    p.platform_account_id = c.platform_account_id;
    auto extra = [&](const char* k, const std::string& fallback) {
      auto it = c.extra.find(k);
      return it == c.extra.end() ? fallback : it->second;
    };
    p.handle = extra("handle", c.platform_account_id);
    p.display_name = extra("name", p.handle);
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    const std::string title = content.title.value_or("");
    if (title.empty()) return rejected("title_required", "a WeChat article needs a title");
    if (count_text(TextCounting::kCodePoints, title) > kMaxTitle) {
      return rejected("title_too_long", "a WeChat title takes at most 64 characters");
    }
    std::string html = to_html(content.text);
    if (auto e = check_body(html)) return *e;
    std::vector<const Media*> images;
    for (const auto& m : content.media) {
      if (m.kind == Media::Kind::kVideo) return rejected("unsupported_media", "Herald posts no video to WeChat");
      images.push_back(&m);
    }
    if (images.empty()) return rejected("cover_required", "a WeChat article needs a cover image");
    auto cover = upload(t, c.access_token, "/cgi-bin/material/add_material", "&type=image", *images[0], kMaxCoverBytes);
    if (!cover) return cover.error();
    for (std::size_t i = 1; i < images.size(); ++i) {
      auto img = upload(t, c.access_token, "/cgi-bin/media/uploadimg", "", *images[i], kMaxBodyImageBytes);
      if (!img) return img.error();
      html += "<p><img src=\"" + html_escape(str(*img, "url")) + "\"/></p>";
    }
    if (!content.client_marker.empty()) html += marker_comment(content.client_marker);
    if (auto e = check_body(html)) return *e;
    json article = {{"title", title},
                    {"content", html},
                    {"thumb_media_id", str(*cover, "media_id")},
                    {"need_open_comment", 1},
                    {"only_fans_can_comment", 0}};
    if (auto a = c.extra.find("author"); a != c.extra.end()) article["author"] = a->second;
    if (content.link) article["content_source_url"] = *content.link;
    // A draft publishes nothing either (a repeated one is only a spare draft); submit is the publishing call.
    auto draft = post(t, "/cgi-bin/draft/add", c.access_token, json{{"articles", json::array({article})}}, false);
    if (!draft) return draft.error();
    auto submit = post(t, "/cgi-bin/freepublish/submit", c.access_token, json{{"media_id", str(*draft, "media_id")}},
                       true);
    if (!submit) return submit.error();
    const std::string publish_id = str(*submit, "publish_id");
    for (int i = 0; i < kPublishPolls; ++i) {
      if (i > 0) sleep_(kPollInterval);
      auto st = post(t, "/cgi-bin/freepublish/get", c.access_token, json{{"publish_id", publish_id}}, false);
      if (!st) continue;  // the job runs whatever happens to one poll
      int status = static_cast<int>(to_int(str(*st, "publish_status"), 1));
      if (status == 1) continue;
      if (status != 0) {
        return rejected("publish_failed_" + std::to_string(status),
                        "WeChat did not publish the article (publish_status " + std::to_string(status) + ")");
      }
      PublishedPost out;
      out.platform_post_id = str(*st, "article_id");
      const auto& detail = st->value("article_detail", json::object());
      const auto& items = detail.value("item", json::array());
      if (!items.empty()) out.url = items[0].value("article_url", "");
      return out;
    }
    return Error{ErrorClass::kUnknownOutcome, "publishing",
                 "WeChat is still publishing (publish_id " + publish_id + "): reconcile later", 0, std::nullopt};
  }

  Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = post(t, "/cgi-bin/freepublish/delete", c.access_token, json{{"article_id", post_id}}, true);
    if (!r && r.error().code != "53600") return r.error();
    return Ok{};
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = post(t, "/cgi-bin/freepublish/getarticle", c.access_token, json{{"article_id", post_id}}, false);
    if (!r) {
      if (r.error().code == "53600") return std::optional<RemotePost>{};
      return r.error();
    }
    const auto& news = r->value("news_item", json::array());
    if (news.empty() || news[0].value("is_deleted", false)) return std::optional<RemotePost>{};
    return std::optional<RemotePost>{RemotePost{post_id, news[0].value("title", ""), news[0].value("url", ""), 0}};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    std::int64_t offset = to_int(cursor);
    auto r = batchget(t, c, offset, kListPage, true);
    if (!r) return r.error();
    Page<RemotePost> page;
    for (const auto& a : articles_of(*r)) page.items.push_back(to_remote(a));
    std::int64_t next = offset + static_cast<std::int64_t>(to_int(str(*r, "item_count")));
    if (next < to_int(str(*r, "total_count")) && !page.items.empty()) page.next_cursor = std::to_string(next);
    return page;
  }

  Result<std::optional<RemotePost>> find_by_marker(Transport& t, const Credentials& c,
                                                   const std::string& marker) override {
    if (marker.empty()) return std::optional<RemotePost>{};
    auto r = batchget(t, c, 0, kMarkerScan, false);
    if (!r) return r.error();
    for (const auto& a : articles_of(*r)) {
      if (a.content.find(marker_comment(marker)) != std::string::npos) return std::optional<RemotePost>{to_remote(a)};
    }
    return std::optional<RemotePost>{};
  }

  // Comments of the most recent articles, newer than the cursor (a create_time; the same second is
  // read again so none is missed: the inbox de-duplicates by platform_item_id).
  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    if (kind != InboundKind::kComment) return unsupported("polling WeChat messages (they arrive by webhook)");
    auto recent = batchget(t, c, 0, kCommentArticles, true);
    if (!recent) return recent.error();
    const std::int64_t since = to_int(cursor);
    std::int64_t newest = since;
    Page<InboundItem> page;
    for (const auto& a : articles_of(*recent)) {
      std::string mid = query_param(a.url, "mid");
      int index = static_cast<int>(std::max<std::int64_t>(to_int(query_param(a.url, "idx"), 1) - 1, 0));
      if (mid.empty()) continue;
      json body = {{"msg_data_id", to_int(mid)}, {"index", index}, {"begin", 0}, {"count", kCommentPage}, {"type", 0}};
      auto r = post(t, "/cgi-bin/comment/list", c.access_token, body, false);
      if (!r) {
        if (r.error().cls == ErrorClass::kRejected) continue;  // comments closed on this article
        return r.error();
      }
      for (const auto& cm : r->value("comment", json::array())) {
        std::int64_t at = to_int(str(cm, "create_time"));
        if (at < since) continue;
        InboundItem item;
        item.kind = InboundKind::kComment;
        item.platform_item_id = mid + ":" + std::to_string(index) + ":" + str(cm, "user_comment_id");
        item.platform_post_id = a.article_id;
        item.author_id = str(cm, "openid");
        item.text = cm.value("content", "");
        item.created_at = at;
        newest = std::max(newest, at);
        page.items.push_back(std::move(item));
      }
    }
    page.next_cursor = newest > 0 ? std::to_string(newest) : cursor;
    return page;
  }

  [[nodiscard]] Result<WebhookResult> parse_webhook(const WebhookRequest& request) const override {
    auto q = [&](const char* k) {
      auto it = request.query.find(k);
      return it == request.query.end() ? std::string() : it->second;
    };
    if (q("encrypt_type") == "aes") return rejected("unsupported_encryption", "WeChat safe mode is not supported yet");
    if (endpoint_.client_secret.empty()) return rejected("not_configured", "no server-configuration Token set");
    std::vector<std::string> parts = {endpoint_.client_secret, q("timestamp"), q("nonce")};
    std::sort(parts.begin(), parts.end());
    std::string expected = sha1_hex(parts[0] + parts[1] + parts[2]);
    std::string given = q("signature");
    for (auto& ch : given) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (expected.empty() || !core::crypto::constant_time_equal(expected, given)) {
      return rejected("bad_signature", "the WeChat signature does not match");
    }
    std::int64_t ts = to_int(q("timestamp"), -1);
    if (ts < 0 || std::abs(now_() - ts) > kWebhookSkew) return rejected("stale", "the WeChat timestamp is too old");
    WebhookResult out;
    if (request.method == "GET") {
      if (q("echostr").empty()) return rejected("bad_payload", "the handshake has no echostr");
      out.challenge_response = q("echostr");
      return out;
    }
    auto msg = parse_xml(request.body);
    if (!msg) return rejected("bad_payload", "the WeChat message is not the expected XML");
    auto f = [&](const char* k) {
      auto it = msg->find(k);
      return it == msg->end() ? std::string() : it->second;
    };
    const std::string type = f("MsgType");
    const std::string event = f("Event");
    if (type == "event" && event.size() >= 9 && event.substr(event.size() - 9) == "JOBFINISH") return out;  // system
    InboundItem item;
    item.kind = InboundKind::kDirectMessage;
    item.account_platform_id = f("ToUserName");  // the original id (gh_...), not the AppID: see fetch_profile
    item.author_id = f("FromUserName");
    item.conversation_id = item.author_id;
    item.created_at = to_int(f("CreateTime"));
    item.platform_item_id = f("MsgId").empty() ? item.author_id + ":" + f("CreateTime") + ":" + event : f("MsgId");
    if (type == "text") {
      item.text = f("Content");
    } else if (type == "image") {
      item.text = "[image] " + f("PicUrl");
    } else if (type == "voice") {
      item.text = "[voice]" + (f("Recognition").empty() ? "" : " " + f("Recognition"));
    } else if (type == "location") {
      item.text = "[location] " + f("Label");
    } else if (type == "link") {
      item.text = "[link] " + f("Title") + " " + f("Url");
    } else if (type == "event") {
      item.text = "[event] " + event + (f("EventKey").empty() ? "" : " " + f("EventKey"));
    } else {
      item.text = "[" + type + "]";
    }
    out.items.push_back(std::move(item));
    return out;
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string& idempotency_key) override {
    if (to.kind == InboundKind::kDirectMessage) return send_dm(t, c, to.conversation_id, text, idempotency_key);
    auto ref = comment_ref(to.platform_item_id);
    if (to.kind != InboundKind::kComment || !ref) return rejected("bad_item", "not a WeChat comment id");
    json body = comment_body(*ref);
    body["content"] = text;
    auto r = post(t, "/cgi-bin/comment/reply/add", c.access_token, body, true);
    if (!r) return r.error();
    return to.platform_item_id + ":reply";  // one reply per comment; WeChat gives it no id
  }

  Result<std::string> send_dm(Transport& t, const Credentials& c, const std::string& recipient, const std::string& text,
                              const std::string&) override {
    json body = {{"touser", recipient}, {"msgtype", "text"}, {"text", {{"content", text}}}};
    auto r = post(t, "/cgi-bin/message/custom/send", c.access_token, body, true);
    if (!r) return r.error();
    return std::string();  // WeChat returns no message id
  }

  Result<Ok> moderate(Transport& t, const Credentials& c, const InboundItem& item, Moderation action) override {
    auto ref = comment_ref(item.platform_item_id);
    if (item.kind != InboundKind::kComment || !ref) return rejected("bad_item", "not a WeChat comment id");
    const char* path = action == Moderation::kPin      ? "/cgi-bin/comment/markelect"
                       : action == Moderation::kDelete ? "/cgi-bin/comment/delete"
                                                       : nullptr;
    if (path == nullptr) return unsupported("hiding WeChat comments");
    auto r = post(t, path, c.access_token, comment_body(*ref), true);
    if (!r) return r.error();
    return Ok{};
  }

 private:
  Result<TokenSet> stable_token(Transport& t, const std::string& appid, const std::string& secret) {
    json body = {{"grant_type", "client_credential"}, {"appid", appid}, {"secret", secret}, {"force_refresh", false}};
    auto r = call(t, HttpRequest{"POST", endpoint_.base_url + "/cgi-bin/stable_token",
                                 {{"Content-Type", "application/json"}}, body.dump()},
                  false);
    if (!r) return r.error();
    TokenSet ts;
    ts.access_token = str(*r, "access_token");
    if (ts.access_token.empty()) return rejected("bad_response", "WeChat returned no access_token");
    ts.refresh_token = secret;
    ts.platform_account_id = appid;
    ts.expires_at = now_() + to_int(str(*r, "expires_in"), 7200);
    return ts;
  }

  [[nodiscard]] std::optional<Error> check_body(const std::string& html) const {
    if (count_text(TextCounting::kCodePoints, html) >= kMaxContent || html.size() >= kMaxContentBytes) {
      return rejected("text_too_long", "a WeChat article body must stay under 20,000 characters and 1 MB");
    }
    return std::nullopt;
  }

  Result<json> batchget(Transport& t, const Credentials& c, std::int64_t offset, int count, bool no_content) {
    return post(t, "/cgi-bin/freepublish/batchget", c.access_token,
                json{{"offset", offset}, {"count", count}, {"no_content", no_content ? 1 : 0}}, false);
  }

  Result<json> upload(Transport& t, const std::string& token, const char* path, const char* query, const Media& m,
                      std::int64_t max_bytes) {
    auto bytes = fetch_media(t, m, max_bytes);
    if (!bytes) return bytes.error();
    std::string type = m.mime_type.empty() ? "image/jpeg" : m.mime_type;
    std::string ext = type == "image/png" ? "png" : type == "image/gif" ? "gif" : type == "image/bmp" ? "bmp" : "jpg";
    auto body = multipart_form_data({{"media", std::move(*bytes), "media." + ext, type}});
    // Not mutating: an upload publishes nothing, so one cut off can simply be repeated.
    return call(t, HttpRequest{"POST", url(path, token) + query, {{"Content-Type", body.content_type}},
                               std::move(body.body)},
                false);
  }

  [[nodiscard]] std::string url(const char* path, const std::string& token) const {
    return endpoint_.base_url + path + "?access_token=" + url_encode(token);
  }

  Result<json> post(Transport& t, const char* path, const std::string& token, const json& body, bool mutating) {
    return call(t, HttpRequest{"POST", url(path, token), {{"Content-Type", "application/json"}}, body.dump()},
                mutating);
  }

  // WeChat answers HTTP 200 with {"errcode":N,"errmsg":"..."} on errors: every body is checked.
  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const {
    HttpResponse r = t.send(req);
    if (r.transport_error) return classify_http(r, mutating, "", "");
    auto j = parse_json(r.body);
    if (j && j->is_object() && j->contains("errcode") && to_int(str(*j, "errcode")) != 0) {
      return platform_error(r, *j, mutating);
    }
    if (r.status < 200 || r.status >= 300) return classify_http(r, mutating, "", "");
    if (!j) {
      return Error{mutating ? ErrorClass::kUnknownOutcome : ErrorClass::kRetryable, "bad_response",
                   "WeChat answered with a body that is not JSON", r.status, std::nullopt};
    }
    return std::move(*j);
  }

  [[nodiscard]] Error platform_error(const HttpResponse& r, const json& j, bool mutating) const {
    std::string code = str(j, "errcode");
    Error e = classify_http(r, mutating, code, j.value("errmsg", "WeChat error " + code));
    switch (to_int(code)) {
      case 40001: case 40014: case 42001:
        e.cls = ErrorClass::kAuthExpired;
        break;
      case -1:
        e.cls = ErrorClass::kRetryable;
        break;
      case 45009:  // the daily quota resets at 00:00 Beijing time (UTC+8)
        e.cls = ErrorClass::kRateLimited;
        e.retry_after = std::chrono::seconds(86400 - (now_() + 8 * 3600) % 86400);
        break;
      case 45011:
        e.cls = ErrorClass::kRateLimited;
        e.retry_after = std::chrono::seconds(60);
        break;
      case 45015:
        e.cls = ErrorClass::kRejected;
        e.code = "outside_window";
        e.message = "the user last wrote more than 48 hours ago: " + e.message;
        break;
      default:
        break;  // 48001 api unauthorized, 53503 publish checks, ...: classify_http's kRejected for HTTP 200
    }
    return e;
  }

  std::function<std::int64_t()> now_;
  std::function<void(std::chrono::milliseconds)> sleep_;
};

}  // namespace

std::unique_ptr<Adapter> make_wechat_adapter(Endpoint endpoint) {
  return make_wechat_adapter(std::move(endpoint), system_now,
                             [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); });
}

std::unique_ptr<Adapter> make_wechat_adapter(Endpoint endpoint, std::function<std::int64_t()> now,
                                             std::function<void(std::chrono::milliseconds)> sleep) {
  return std::make_unique<WechatAdapter>(std::move(endpoint), std::move(now), std::move(sleep));
}

}  // namespace herald::adapters
