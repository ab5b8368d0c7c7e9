// Facebook Pages through the Graph API and the Marketing API, as documented at developers.facebook.com:
//   Pages posts       https://developers.facebook.com/docs/pages-api/posts (POST /{page-id}/feed, /photos, edit,
//   delete) Page videos       https://developers.facebook.com/docs/video-api/guides/publishing (file_url) Comments
//   https://developers.facebook.com/docs/graph-api/reference/object/comments, .../comment (is_hidden) Messenger
//   https://developers.facebook.com/docs/messenger-platform/reference/send-api, .../conversations-api Insights
//   https://developers.facebook.com/docs/graph-api/reference/insights (post_impressions, ...) Page webhooks
//   https://developers.facebook.com/docs/graph-api/webhooks/reference/page (feed, mention, messages) Marketing API
//   https://developers.facebook.com/docs/marketing-api/reference/ad-account (campaigns, adsets,
//                     ads, insights with time_increment=1; spend is a decimal string in the account currency)
// The Graph version, error mapping and webhook checks are shared with Instagram in graph.hpp.
#include "adapters/facebook/facebook_adapter.hpp"

#include <cstdlib>

#include "adapters/facebook/graph.hpp"
#include "herald/adapters/classify.hpp"
#include "herald/adapters/marker.hpp"
#include "herald/adapters/support.hpp"

namespace herald::adapters {
namespace {

using graph::Fields;
using nlohmann::json;

// Pagination bound for ads listings (at 500 insight rows a page, 500,000 rows): a caller that needs more
// asks for shorter date ranges; reaching it is an error, never a silent truncation.
constexpr int kMaxPages = 1000;
constexpr const char* kPostFields = "id,message,created_time,permalink_url";

Capabilities make_capabilities() {
  Capabilities c;
  c.platform = "facebook";
  c.display_name = "Facebook";
  c.counting = TextCounting::kUtf16;
  c.max_text_length = 63206;
  c.max_images = 10;
  c.max_videos = 1;
  c.max_image_bytes = 4 * 1024 * 1024;
  c.max_video_bytes = 10LL * 1024 * 1024 * 1024;
  c.max_video_duration_s = 240 * 60;
  c.image_types = {"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff", "image/heif", "image/webp"};
  c.video_types = {"video/mp4", "video/quicktime"};
  c.can_edit = true;
  c.can_delete = true;
  c.can_first_comment = true;
  c.can_reply = true;
  c.can_dm = true;
  c.can_hide_comment = true;
  c.can_delete_comment = true;
  c.has_webhooks = true;
  c.has_metrics = true;
  c.has_ads = true;
  c.required_scopes = {
      "pages_show_list",         "pages_read_engagement", "pages_manage_posts", "pages_manage_engagement",
      "pages_read_user_content", "pages_messaging",       "read_insights",      "ads_read"};
  c.app_limit = {200, 3600};  // Platform rate limit: 200 calls per user per rolling hour
  return c;
}

std::string act(const std::string& ad_account_id) {
  return ad_account_id.rfind("act_", 0) == 0 ? ad_account_id : "act_" + ad_account_id;
}

class FacebookAdapter final : public Adapter {
 public:
  FacebookAdapter(Endpoint e, Clock clock)
      : Adapter(std::move(e)), graph_(endpoint_), clock_(std::move(clock)), caps_(make_capabilities()) {}

  const Capabilities& capabilities() const override { return caps_; }

  std::string authorize_url(const AuthorizeRequest& r) const override {
    return graph_.dialog_url(r, caps_.required_scopes);
  }

  Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string&,
                                 const std::string& redirect_uri) override {
    auto user = graph_.long_lived_user_token(t, code, redirect_uri, clock_.now());
    if (!user) return user;
    auto pages =
        call(t, graph_.get("/me/accounts", user->access_token, {{"fields", "id,name,access_token,tasks"}}), false);
    if (!pages) return pages.error();
    const auto& data = json_at(*pages, "data");
    if (!data.is_array() || data.empty()) {
      return Error{ErrorClass::kRejected, "no_page", "the user manages no Facebook Page", 0, std::nullopt};
    }
    TokenSet ts;
    ts.access_token = json_string(data[0], "access_token");  // a Page token from a long-lived user token: no expiry
    ts.platform_account_id = json_string(data[0], "id");
    // The Page's `tasks` (CREATE_CONTENT, MODERATE, ...) are roles on the Page, not the OAuth
    // permissions granted: scopes stay empty (unknown) until /me/permissions is read.
    return ts;
  }

  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    auto r = call(t,
                  graph_.get("/" + url_encode(c.platform_account_id), c.access_token,
                             {{"fields", "id,name,username,about,picture{url},followers_count,verification_status"}}),
                  false);
    if (!r) return r.error();
    AccountProfile p;
    p.platform_account_id = json_string(*r, "id");
    p.handle = json_string(*r, "username");
    p.display_name = json_string(*r, "name");
    p.avatar_url = json_string(json_at(json_at(*r, "picture"), "data"), "url");
    p.bio = json_string(*r, "about");
    p.verified = json_string(*r, "verification_status") == "blue_verified";
    p.followers = json_int(*r, "followers_count");
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    const std::string page = "/" + url_encode(c.platform_account_id);
    const std::string message = content.text + invisible_marker(content.client_marker);
    PublishedPost p;
    std::vector<Media> images, videos;
    for (const auto& m : content.media) (m.kind == Media::Kind::kImage ? images : videos).push_back(m);
    if (!videos.empty()) {
      if (videos.size() > 1 || !images.empty()) {
        return Error{ErrorClass::kRejected, "unsupported_media", "a Page post carries one video or photos", 0,
                     std::nullopt};
      }
      Fields form = {{"file_url", videos[0].url}, {"description", message}};
      if (content.title) form.emplace_back("title", *content.title);
      auto r = call(t, graph_.post_form(page + "/videos", c.access_token, form), true);
      if (!r) return r.error();
      p.platform_post_id = json_string(*r, "id");
    } else if (images.size() == 1) {
      auto r = call(t,
                    graph_.post_form(page + "/photos", c.access_token,
                                     {{"url", images[0].url}, {"message", message}, {"published", "true"}}),
                    true);
      if (!r) return r.error();
      p.platform_post_id = json_string(*r, "post_id");
      if (p.platform_post_id.empty()) p.platform_post_id = json_string(*r, "id");
    } else {
      Fields form = {{"message", message}};
      if (content.link) form.emplace_back("link", *content.link);
      for (std::size_t i = 0; i < images.size(); ++i) {
        // Unpublished photos are not posts: an upload that timed out is retried.
        auto r = call(
            t, graph_.post_form(page + "/photos", c.access_token, {{"url", images[i].url}, {"published", "false"}}),
            false);
        if (!r) return r.error();
        form.emplace_back("attached_media[" + std::to_string(i) + "]",
                          json{{"media_fbid", json_string(*r, "id")}}.dump());
      }
      auto r = call(t, graph_.post_form(page + "/feed", c.access_token, form), true);
      if (!r) return r.error();
      p.platform_post_id = json_string(*r, "id");
    }
    if (p.platform_post_id.empty()) {
      return Error{ErrorClass::kUnknownOutcome, "malformed", "no post id in the answer", 0, std::nullopt};
    }
    p.url = "https://www.facebook.com/" + p.platform_post_id;
    if (content.first_comment) {
      auto r = call(t,
                    graph_.post_form("/" + url_encode(p.platform_post_id) + "/comments", c.access_token,
                                     {{"message", *content.first_comment}}),
                    true);
      if (r) p.first_comment_id = json_string(*r, "id");  // the post is live either way
    }
    return p;
  }

  Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    return ok_of(call(t, graph_.del("/" + url_encode(post_id), c.access_token), true));
  }

  Result<Ok> edit_post(Transport& t, const Credentials& c, const std::string& post_id,
                       const PostContent& content) override {
    return ok_of(call(t,
                      graph_.post_form("/" + url_encode(post_id), c.access_token,
                                       {{"message", content.text + invisible_marker(content.client_marker)}}),
                      false));  // sets the whole message: repeating it is harmless
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t, graph_.get("/" + url_encode(post_id), c.access_token, {{"fields", kPostFields}}), false);
    if (!r) {
      if (graph::is_missing(r.error())) return std::optional<RemotePost>{};
      return r.error();
    }
    return std::optional<RemotePost>{post_of(*r)};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    Fields q = {{"fields", kPostFields}, {"limit", "50"}};
    if (!cursor.empty()) q.emplace_back("after", cursor);
    auto r = call(t, graph_.get("/" + url_encode(c.platform_account_id) + "/posts", c.access_token, q), false);
    if (!r) return r.error();
    Page<RemotePost> page;
    for (const auto& d : json_at(*r, "data")) page.items.push_back(post_of(d));
    page.next_cursor = next_cursor(*r);
    return page;
  }

  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    std::int64_t since = cursor.empty() ? 0 : std::strtoll(cursor.c_str(), nullptr, 10);
    const std::string page_path = "/" + url_encode(c.platform_account_id);
    Page<InboundItem> page;
    std::int64_t newest = since;
    auto keep = [&](InboundItem item) {
      if (item.author_id == c.platform_account_id || item.created_at < since) return;
      newest = std::max(newest, item.created_at);
      page.items.push_back(std::move(item));
    };
    if (kind == InboundKind::kComment) {
      auto r = call(t,
                    graph_.get(page_path + "/feed", c.access_token,
                               {{"fields",
                                 "id,comments.limit(50).order(reverse_chronological)"
                                 "{id,message,from{id,name},created_time,parent{id}}"},
                                {"limit", "25"}}),
                    false);
      if (!r) return r.error();
      for (const auto& post : json_at(*r, "data")) {
        for (const auto& cm : json_at(json_at(post, "comments"), "data")) {
          InboundItem item = from_of(InboundKind::kComment, cm);
          item.platform_post_id = json_string(post, "id");
          item.parent_id = json_string(json_at(cm, "parent"), "id");
          keep(std::move(item));
        }
      }
    } else if (kind == InboundKind::kMention) {
      auto r = call(t,
                    graph_.get(page_path + "/tagged", c.access_token,
                               {{"fields", "id,message,from{id,name},created_time"}, {"limit", "50"}}),
                    false);
      if (!r) return r.error();
      for (const auto& post : json_at(*r, "data")) {
        InboundItem item = from_of(InboundKind::kMention, post);
        item.platform_post_id = item.platform_item_id;
        keep(std::move(item));
      }
    } else {
      auto r = call(t,
                    graph_.get(page_path + "/conversations", c.access_token,
                               {{"platform", "messenger"},
                                {"fields", "id,updated_time,messages.limit(20){id,message,from,created_time}"}}),
                    false);
      if (!r) return r.error();
      for (const auto& conv : json_at(*r, "data")) {
        for (const auto& msg : json_at(json_at(conv, "messages"), "data")) {
          InboundItem item = from_of(InboundKind::kDirectMessage, msg);
          item.conversation_id = item.author_id;  // the sender's page-scoped id, as webhooks carry it
          keep(std::move(item));
        }
      }
    }
    page.next_cursor = std::to_string(newest);
    return page;
  }

  Result<WebhookResult> parse_webhook(const WebhookRequest& w) const override {
    const std::string& secret = endpoint_.webhook_secret.empty() ? endpoint_.client_secret : endpoint_.webhook_secret;
    auto v = graph::verify_webhook(w, secret, endpoint_.webhook_verify_token);
    if (!v) return v.error();
    WebhookResult out;
    if (v->has_value()) {
      out.challenge_response = **v;
      return out;
    }
    auto body = parse_json(w.body);
    if (!body) return Error{ErrorClass::kRejected, "bad_request", "not JSON", 400, std::nullopt};
    for (const auto& entry : json_at(*body, "entry")) {
      std::string page_id = json_string(entry, "id");
      for (const auto& ch : json_at(entry, "changes")) {
        const auto& v2 = json_at(ch, "value");
        std::string field = json_string(ch, "field");
        bool comment = field == "feed" && json_string(v2, "item") == "comment" && json_string(v2, "verb") == "add";
        bool mention = field == "mention" && json_string(v2, "verb") == "add";
        if (!comment && !mention) continue;
        InboundItem item;
        item.kind = comment ? InboundKind::kComment : InboundKind::kMention;
        item.account_platform_id = page_id;
        item.platform_post_id = json_string(v2, "post_id");
        item.platform_item_id =
            comment || json_string(v2, "item") == "comment" ? json_string(v2, "comment_id") : item.platform_post_id;
        if (auto parent = json_string(v2, "parent_id"); comment && parent != item.platform_post_id) {
          item.parent_id = parent;
        }
        item.author_id = json_string(json_at(v2, "from"), "id");
        item.author_name = json_string(json_at(v2, "from"), "name");
        if (item.author_id == page_id) continue;
        item.text = json_string(v2, "message");
        item.created_at = json_int(v2, "created_time").value_or(0);
        out.items.push_back(std::move(item));
      }
      for (const auto& m : json_at(entry, "messaging")) {
        const auto& msg = json_at(m, "message");
        if (!msg.is_object() || json_bool(msg, "is_echo")) continue;
        InboundItem item;
        item.kind = InboundKind::kDirectMessage;
        item.account_platform_id = page_id;
        item.platform_item_id = json_string(msg, "mid");
        item.author_id = json_string(json_at(m, "sender"), "id");
        item.conversation_id = item.author_id;
        item.text = json_string(msg, "text");
        item.created_at = json_int(m, "timestamp").value_or(0) / 1000;
        out.items.push_back(std::move(item));
      }
    }
    return out;
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string& idempotency_key) override {
    if (to.kind == InboundKind::kDirectMessage) return send_dm(t, c, to.author_id, text, idempotency_key);
    auto r = call(
        t, graph_.post_form("/" + url_encode(to.platform_item_id) + "/comments", c.access_token, {{"message", text}}),
        true);
    if (!r) return r.error();
    return json_string(*r, "id");
  }

  Result<std::string> send_dm(Transport& t, const Credentials& c, const std::string& psid, const std::string& text,
                              const std::string&) override {
    auto r =
        call(t,
             graph_.post_json(
                 "/" + url_encode(c.platform_account_id) + "/messages", c.access_token,
                 json{{"recipient", {{"id", psid}}}, {"messaging_type", "RESPONSE"}, {"message", {{"text", text}}}}),
             true);
    if (!r) return r.error();
    return json_string(*r, "message_id");
  }

  Result<Ok> moderate(Transport& t, const Credentials& c, const InboundItem& item, Moderation action) override {
    const std::string path = "/" + url_encode(item.platform_item_id);
    switch (action) {
      case Moderation::kHide:
      case Moderation::kUnhide:
        return ok_of(call(
            t, graph_.post_form(path, c.access_token, {{"is_hidden", action == Moderation::kHide ? "true" : "false"}}),
            false));
      case Moderation::kDelete:
        return ok_of(call(t, graph_.del(path, c.access_token), true));
      case Moderation::kPin:
        break;
    }
    return unsupported("pinning a comment");
  }

  Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id) override {
    const std::string path = "/" + url_encode(post_id);
    auto ins = call(t,
                    graph_.get(path + "/insights", c.access_token,
                               {{"metric", "post_impressions,post_impressions_unique,post_clicks"}}),
                    false);
    if (!ins) return ins.error();
    auto obj = call(t,
                    graph_.get(path, c.access_token,
                               {{"fields", "shares,comments.summary(true).limit(0),reactions.summary(true).limit(0)"}}),
                    false);
    if (!obj) return obj.error();
    PostMetrics m;
    for (const auto& metric : json_at(*ins, "data")) {
      const auto& values = json_at(metric, "values");
      if (!values.is_array() || values.empty()) continue;
      auto v = json_int(values.back(), "value");
      std::string name = json_string(metric, "name");
      if (name == "post_impressions") m.impressions = v;
      if (name == "post_impressions_unique") m.reach = v;
      if (name == "post_clicks") m.clicks = v;
    }
    m.shares = json_int(json_at(*obj, "shares"), "count");
    m.comments = json_int(json_at(json_at(*obj, "comments"), "summary"), "total_count");
    m.likes = json_int(json_at(json_at(*obj, "reactions"), "summary"), "total_count");
    return m;
  }

  Result<std::vector<AdEntity>> fetch_ad_entities(Transport& t, const Credentials& c,
                                                  const std::string& ad_account_id) override {
    const std::string account = "/" + url_encode(act(ad_account_id));
    auto acc = call(t, graph_.get(account, c.access_token, {{"fields", "id,name,currency,account_status"}}), false);
    if (!acc) return acc.error();
    std::string currency = json_string(*acc, "currency");
    std::vector<AdEntity> out;
    out.push_back({AdEntity::Level::kAccount, json_string(*acc, "id"), "", json_string(*acc, "name"),
                   json_string(*acc, "account_status"), "", "", std::nullopt, currency});
    struct Edge {
      const char* path;
      const char* fields;
      AdEntity::Level level;
      const char* parent;
    };
    const Edge edges[] = {
        {"/campaigns", "id,name,status,objective,daily_budget", AdEntity::Level::kCampaign, nullptr},
        {"/adsets", "id,name,status,campaign_id,daily_budget", AdEntity::Level::kAdSet, "campaign_id"},
        {"/ads", "id,name,status,adset_id,creative{object_type}", AdEntity::Level::kAd, "adset_id"}};
    for (const auto& edge : edges) {
      auto rows = paged(t, c, account + edge.path, {{"fields", edge.fields}, {"limit", "200"}});
      if (!rows) return rows.error();
      for (const auto& d : *rows) {
        AdEntity e;
        e.level = edge.level;
        e.id = json_string(d, "id");
        e.parent_id = edge.parent != nullptr ? json_string(d, edge.parent) : json_string(*acc, "id");
        e.name = json_string(d, "name");
        e.status = json_string(d, "status");
        e.objective = json_string(d, "objective");
        if (edge.level == AdEntity::Level::kAd) {
          e.ad_type = json_string(json_at(d, "creative"), "object_type") == "VIDEO" ? "video" : "in_feed";
        }
        if (auto b = json_int(d, "daily_budget")) e.daily_budget_minor = graph::budget_to_minor(*b, currency);
        e.currency = currency;
        out.push_back(std::move(e));
      }
    }
    return out;
  }

  Result<std::vector<AdInsight>> fetch_ad_insights(Transport& t, const Credentials& c, const std::string& ad_account_id,
                                                   const std::string& date_from, const std::string& date_to) override {
    const std::string account = "/" + url_encode(act(ad_account_id));
    auto acc = call(t, graph_.get(account, c.access_token, {{"fields", "currency"}}), false);
    if (!acc) return acc.error();
    std::string currency = json_string(*acc, "currency");
    auto rows = paged(t, c, account + "/insights",
                      {{"level", "ad"},
                       {"time_increment", "1"},
                       {"time_range", json{{"since", date_from}, {"until", date_to}}.dump()},
                       {"fields", "ad_id,impressions,clicks,spend,actions,action_values,date_start"},
                       {"limit", "500"}});
    if (!rows) return rows.error();
    std::vector<AdInsight> out;
    for (const auto& d : *rows) {
      AdInsight in;
      in.date = json_string(d, "date_start");
      in.entity_id = json_string(d, "ad_id");
      in.impressions = json_int(d, "impressions").value_or(0);
      in.clicks = json_int(d, "clicks").value_or(0);
      in.spend_minor = graph::to_minor_units(json_string(d, "spend"), currency);
      in.conversions = action_value(json_at(d, "actions"), [](const std::string& v) -> std::optional<std::int64_t> {
        return std::strtoll(v.c_str(), nullptr, 10);  // counts may be reported as "3" or "3.0"
      });
      in.revenue_minor = action_value(
          json_at(d, "action_values"),
          [&](const std::string& v) -> std::optional<std::int64_t> { return graph::to_minor_units(v, currency); });
      for (const auto& a : json_at(d, "actions")) {
        if (json_string(a, "action_type") == "like") in.follows = json_int(a, "value").value_or(0);
      }
      in.currency = currency;
      out.push_back(std::move(in));
    }
    return out;
  }

 private:
  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const {
    return graph::parse(t.send(req), mutating, clock_.now());
  }
  static Result<Ok> ok_of(const Result<json>& r) {
    if (!r) return r.error();
    return Ok{};
  }
  static std::string next_cursor(const json& body) {
    const auto& paging = json_at(body, "paging");
    if (json_string(paging, "next").empty()) return {};
    return json_string(json_at(paging, "cursors"), "after");
  }

  // Every row of a paged edge, following paging.cursors.after (paging.next holds Meta's own host).
  Result<std::vector<json>> paged(Transport& t, const Credentials& c, const std::string& path, Fields query) {
    std::vector<json> rows;
    std::string after;
    for (int i = 0; i < kMaxPages; ++i) {
      Fields q = query;
      if (!after.empty()) q.emplace_back("after", after);
      auto r = call(t, graph_.get(path, c.access_token, q), false);
      if (!r) return r.error();
      for (const auto& d : json_at(*r, "data")) rows.push_back(d);
      after = next_cursor(*r);
      if (after.empty()) return rows;
    }
    return Error{ErrorClass::kRejected, "too_many_pages",
                 "more than " + std::to_string(kMaxPages) + " pages of " + path + ": ask for a shorter date range", 0,
                 std::nullopt};
  }

  // Purchases: the de-duplicated "omni_purchase" when reported, else "purchase", else the pixel's.
  template <class Convert>
  static std::int64_t action_value(const json& actions, Convert convert) {
    for (const char* type : {"omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase"}) {
      for (const auto& a : actions) {
        if (json_string(a, "action_type") == type) return convert(json_string(a, "value")).value_or(0);
      }
    }
    return 0;
  }

  static RemotePost post_of(const json& d) {
    RemotePost p;
    p.platform_post_id = json_string(d, "id");
    p.text = json_string(d, "message");
    p.url = json_string(d, "permalink_url");
    p.created_at = parse_time(json_string(d, "created_time")).value_or(0);
    return p;
  }

  static InboundItem from_of(InboundKind kind, const json& d) {
    InboundItem item;
    item.kind = kind;
    item.platform_item_id = json_string(d, "id");
    item.author_id = json_string(json_at(d, "from"), "id");
    item.author_name = json_string(json_at(d, "from"), "name");
    item.text = json_string(d, "message");
    item.created_at = parse_time(json_string(d, "created_time")).value_or(0);
    return item;
  }

  graph::Client graph_;
  Clock clock_;
  Capabilities caps_;
};

}  // namespace

std::unique_ptr<Adapter> make_facebook_adapter(Endpoint endpoint) {
  return make_facebook_adapter(std::move(endpoint), system_clock());
}

std::unique_ptr<Adapter> make_facebook_adapter(Endpoint endpoint, Clock clock) {
  return std::make_unique<FacebookAdapter>(std::move(endpoint), std::move(clock));
}

}  // namespace herald::adapters
