// Instagram Graph API (Instagram API with Facebook Login), as documented at developers.facebook.com
// (<ig> = https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference):
//   Content publishing  https://developers.facebook.com/docs/instagram-platform/content-publishing
//                       (POST /{ig-user-id}/media, GET /{container-id}?fields=status_code, POST .../media_publish)
//   Publishing limit    <ig>/ig-user/content_publishing_limit
//   Comments            <ig>/ig-media/comments, <ig>/ig-comment (hide, delete), <ig>/ig-comment/replies,
//                       <ig>/ig-user/mentions, <ig>/ig-user/tags
//   Insights            <ig>/ig-media/insights
//   Webhooks            https://developers.facebook.com/docs/instagram-platform/webhooks (comments, mentions)
#include "adapters/instagram/instagram_adapter.hpp"

#include <cstdlib>

#include "adapters/facebook/graph.hpp"
#include "herald/adapters/classify.hpp"
#include "herald/adapters/marker.hpp"
#include "herald/adapters/support.hpp"

namespace herald::adapters {
namespace {

using graph::Fields;
using nlohmann::json;

constexpr int kMaxStatusPolls = 60;  // with kPollInterval: five minutes, as Meta suggests
constexpr std::chrono::seconds kPollInterval{5};
constexpr const char* kMediaFields = "id,caption,permalink,timestamp";

Capabilities make_capabilities() {
  Capabilities c;
  c.platform = "instagram";
  c.display_name = "Instagram";
  c.counting = TextCounting::kUtf16;
  c.max_text_length = 2200;
  c.max_images = 10;  // carousel items
  c.max_videos = 10;
  c.mixed_media = true;
  c.max_image_bytes = 8 * 1024 * 1024;
  c.max_video_bytes = 300LL * 1024 * 1024;  // Reels
  c.max_video_duration_s = 15 * 60;
  c.image_types = {"image/jpeg"};
  c.video_types = {"video/mp4", "video/quicktime"};
  c.requires_media = true;
  c.can_first_comment = true;
  c.can_reply = true;
  c.can_hide_comment = true;
  c.can_delete_comment = true;
  c.has_webhooks = true;
  c.has_metrics = true;
  c.required_scopes = {"instagram_basic",           "instagram_content_publish", "instagram_manage_comments",
                       "instagram_manage_insights", "pages_show_list",           "pages_read_engagement"};
  // content_publishing_limit: the reference's example reports quota_total 50 per 86400 s (newer
  // accounts see 100); carousels count as one. We keep the lower figure.
  c.publish_limit = {50, 24 * 3600};
  c.daily_post_cap = 50;
  c.app_limit = {200, 3600};
  return c;
}

class InstagramAdapter final : public Adapter {
 public:
  InstagramAdapter(Endpoint e, Clock clock)
      : Adapter(std::move(e)), graph_(endpoint_), clock_(std::move(clock)), caps_(make_capabilities()) {}

  const Capabilities& capabilities() const override { return caps_; }

  std::string authorize_url(const AuthorizeRequest& r) const override {
    return graph_.dialog_url(r, caps_.required_scopes);
  }

  Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string&,
                                 const std::string& redirect_uri) override {
    auto user = graph_.long_lived_user_token(t, code, redirect_uri, clock_.now());
    if (!user) return user;
    auto pages = call(t,
                      graph_.get("/me/accounts", user->access_token,
                                 {{"fields", "id,name,access_token,instagram_business_account{id,username}"}}),
                      false);
    if (!pages) return pages.error();
    for (const auto& page : json_at(*pages, "data")) {
      std::string ig = json_string(json_at(page, "instagram_business_account"), "id");
      if (ig.empty()) continue;
      TokenSet ts;
      ts.access_token = json_string(page, "access_token");
      ts.platform_account_id = ig;
      return ts;
    }
    return Error{ErrorClass::kRejected, "no_instagram_account",
                 "no Page of this user has an Instagram professional account", 0, std::nullopt};
  }

  Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) override {
    auto r = call(t,
                  graph_.get("/" + url_encode(c.platform_account_id), c.access_token,
                             {{"fields", "id,username,name,profile_picture_url,biography,followers_count"}}),
                  false);
    if (!r) return r.error();
    AccountProfile p;
    p.platform_account_id = json_string(*r, "id");
    p.handle = json_string(*r, "username");
    p.display_name = json_string(*r, "name");
    p.avatar_url = json_string(*r, "profile_picture_url");
    p.bio = json_string(*r, "biography");
    p.followers = json_int(*r, "followers_count");
    return p;
  }

  Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) override {
    if (content.media.empty()) {
      return Error{ErrorClass::kRejected, "media_required", "an Instagram post needs an image or a video", 0,
                   std::nullopt};
    }
    if (content.media.size() > 10) {
      return Error{ErrorClass::kRejected, "too_many_media", "a carousel holds at most 10 items", 0, std::nullopt};
    }
    const std::string caption = content.text + invisible_marker(content.client_marker);
    Result<std::string> container = std::string();
    if (content.media.size() == 1) {
      container = create_container(t, c, item_fields(content.media[0], false, caption));
    } else {
      std::vector<std::string> children;
      for (const auto& m : content.media) {
        auto child = create_container(t, c, item_fields(m, true, ""));
        if (!child) return child.error();
        if (m.kind == Media::Kind::kVideo) {
          if (auto ready = await_container(t, c, *child); !ready) return ready.error();
        }
        children.push_back(*child);
      }
      std::string list;
      for (const auto& id : children) list += (list.empty() ? "" : ",") + id;
      container = create_container(t, c, {{"media_type", "CAROUSEL"}, {"children", list}, {"caption", caption}});
    }
    if (!container) return container.error();
    if (auto ready = await_container(t, c, *container); !ready) return ready.error();
    auto published = call(t,
                          graph_.post_form("/" + url_encode(c.platform_account_id) + "/media_publish", c.access_token,
                                           {{"creation_id", *container}}),
                          true);
    if (!published) return published.error();
    PublishedPost p;
    p.platform_post_id = json_string(*published, "id");
    if (p.platform_post_id.empty()) {
      return Error{ErrorClass::kUnknownOutcome, "malformed", "no media id in the answer", 0, std::nullopt};
    }
    // The media is live from here on: what follows never fails the publish.
    if (auto link = call(t, graph_.get("/" + url_encode(p.platform_post_id), c.access_token, {{"fields", "permalink"}}),
                         false)) {
      p.url = json_string(*link, "permalink");
    }
    if (content.first_comment) {
      auto r = call(t,
                    graph_.post_form("/" + url_encode(p.platform_post_id) + "/comments", c.access_token,
                                     {{"message", *content.first_comment}}),
                    true);
      if (r) p.first_comment_id = json_string(*r, "id");
    }
    return p;
  }

  Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t, graph_.get("/" + url_encode(post_id), c.access_token, {{"fields", kMediaFields}}), false);
    if (!r) {
      if (graph::is_missing(r.error())) return std::optional<RemotePost>{};
      return r.error();
    }
    return std::optional<RemotePost>{post_of(*r)};
  }

  Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor) override {
    Fields q = {{"fields", kMediaFields}, {"limit", "50"}};
    if (!cursor.empty()) q.emplace_back("after", cursor);
    auto r = call(t, graph_.get("/" + url_encode(c.platform_account_id) + "/media", c.access_token, q), false);
    if (!r) return r.error();
    Page<RemotePost> page;
    for (const auto& d : json_at(*r, "data")) page.items.push_back(post_of(d));
    if (!json_string(json_at(*r, "paging"), "next").empty()) {
      page.next_cursor = json_string(json_at(json_at(*r, "paging"), "cursors"), "after");
    }
    return page;
  }

  Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                          const std::string& cursor) override {
    if (kind == InboundKind::kDirectMessage) return unsupported("Instagram direct messages");
    std::int64_t since = cursor.empty() ? 0 : std::strtoll(cursor.c_str(), nullptr, 10);
    std::int64_t newest = since;
    Page<InboundItem> page;
    auto keep = [&](InboundItem item) {
      if (item.author_id == c.platform_account_id || item.created_at < since) return;
      newest = std::max(newest, item.created_at);
      page.items.push_back(std::move(item));
    };
    const std::string me = "/" + url_encode(c.platform_account_id);
    if (kind == InboundKind::kComment) {
      auto r = call(t,
                    graph_.get(me + "/media", c.access_token,
                               {{"fields",
                                 "id,comments.limit(50){id,text,timestamp,username,from{id,username},"
                                 "replies{id,text,timestamp,username,from{id,username}}}"},
                                {"limit", "25"}}),
                    false);
      if (!r) return r.error();
      for (const auto& media : json_at(*r, "data")) {
        for (const auto& cm : json_at(json_at(media, "comments"), "data")) {
          keep(comment_of(cm, json_string(media, "id"), ""));
          for (const auto& reply : json_at(json_at(cm, "replies"), "data")) {
            keep(comment_of(reply, json_string(media, "id"), json_string(cm, "id")));
          }
        }
      }
    } else {
      auto r = call(t,
                    graph_.get(me + "/tags", c.access_token,
                               {{"fields", "id,caption,timestamp,username,permalink"}, {"limit", "50"}}),
                    false);
      if (!r) return r.error();
      for (const auto& media : json_at(*r, "data")) {
        InboundItem item;
        item.kind = InboundKind::kMention;
        item.platform_item_id = json_string(media, "id");
        item.platform_post_id = item.platform_item_id;
        item.author_handle = json_string(media, "username");
        item.text = json_string(media, "caption");
        item.created_at = parse_time(json_string(media, "timestamp")).value_or(0);
        keep(std::move(item));
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
      std::string me = json_string(entry, "id");
      std::int64_t time = json_int(entry, "time").value_or(0);
      for (const auto& ch : json_at(entry, "changes")) {
        const auto& v2 = json_at(ch, "value");
        std::string field = json_string(ch, "field");
        InboundItem item;
        item.account_platform_id = me;
        item.created_at = time;
        if (field == "comments") {
          item.kind = InboundKind::kComment;
          item.platform_item_id = json_string(v2, "id");
          item.platform_post_id = json_string(json_at(v2, "media"), "id");
          item.parent_id = json_string(v2, "parent_id");
          item.author_id = json_string(json_at(v2, "from"), "id");
          item.author_handle = json_string(json_at(v2, "from"), "username");
          item.text = json_string(v2, "text");
          if (item.author_id == me) continue;
        } else if (field == "mentions") {  // mentioned in a caption or a comment: ids only
          item.kind = InboundKind::kMention;
          item.platform_post_id = json_string(v2, "media_id");
          item.platform_item_id = json_string(v2, "comment_id");
          if (item.platform_item_id.empty()) item.platform_item_id = item.platform_post_id;
        } else {
          continue;
        }
        out.items.push_back(std::move(item));
      }
    }
    return out;
  }

  Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                            const std::string&) override {
    Result<json> r = json();
    if (to.kind == InboundKind::kMention) {  // a comment on media the account is tagged or mentioned in
      Fields form = {{"media_id", to.platform_post_id}, {"message", text}};
      if (to.platform_item_id != to.platform_post_id) form.emplace_back("comment_id", to.platform_item_id);
      r = call(t, graph_.post_form("/" + url_encode(c.platform_account_id) + "/mentions", c.access_token, form), true);
    } else {
      // Instagram threads one level deep: a reply to a reply answers its top-level comment.
      const std::string& target = to.parent_id.empty() ? to.platform_item_id : to.parent_id;
      r = call(t, graph_.post_form("/" + url_encode(target) + "/replies", c.access_token, {{"message", text}}), true);
    }
    if (!r) return r.error();
    return json_string(*r, "id");
  }

  Result<Ok> moderate(Transport& t, const Credentials& c, const InboundItem& item, Moderation action) override {
    const std::string path = "/" + url_encode(item.platform_item_id);
    Result<json> r = json();
    switch (action) {
      case Moderation::kHide:
      case Moderation::kUnhide:
        r = call(t, graph_.post_form(path, c.access_token, {{"hide", action == Moderation::kHide ? "true" : "false"}}),
                 false);
        break;
      case Moderation::kDelete:
        r = call(t, graph_.del(path, c.access_token), true);
        break;
      case Moderation::kPin:
        return unsupported("pinning a comment");
    }
    if (!r) return r.error();
    return Ok{};
  }

  // impressions is left out: Graph v19 rejects it for Reels, and one bad metric fails the call.
  Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id) override {
    auto r = call(t,
                  graph_.get("/" + url_encode(post_id) + "/insights", c.access_token,
                             {{"metric", "reach,likes,comments,shares,saved"}}),
                  false);
    if (!r) return r.error();
    PostMetrics m;
    for (const auto& metric : json_at(*r, "data")) {
      std::optional<std::int64_t> v = json_int(json_at(metric, "total_value"), "value");
      if (const auto& values = json_at(metric, "values"); !v && values.is_array() && !values.empty()) {
        v = json_int(values.back(), "value");
      }
      std::string name = json_string(metric, "name");
      if (name == "reach") m.reach = v;
      if (name == "likes") m.likes = v;
      if (name == "comments") m.comments = v;
      if (name == "shares") m.shares = v;
      if (name == "saved") m.saves = v;
    }
    return m;
  }

 private:
  Result<json> call(Transport& t, const HttpRequest& req, bool mutating) const {
    return graph::parse(t.send(req), mutating, clock_.now());
  }

  static Fields item_fields(const Media& m, bool carousel_item, const std::string& caption) {
    Fields f;
    if (m.kind == Media::Kind::kImage) {
      f.emplace_back("image_url", m.url);
    } else {
      f.emplace_back("media_type", carousel_item ? "VIDEO" : "REELS");
      f.emplace_back("video_url", m.url);
    }
    if (carousel_item) f.emplace_back("is_carousel_item", "true");
    if (!caption.empty()) f.emplace_back("caption", caption);
    return f;
  }

  // A container is not a post: creating one that timed out is retried (unused ones expire in 24 h).
  Result<std::string> create_container(Transport& t, const Credentials& c, const Fields& fields) {
    auto r =
        call(t, graph_.post_form("/" + url_encode(c.platform_account_id) + "/media", c.access_token, fields), false);
    if (!r) return r.error();
    std::string id = json_string(*r, "id");
    if (id.empty()) return Error{ErrorClass::kRetryable, "malformed", "no container id in the answer", 0, std::nullopt};
    return id;
  }

  Result<Ok> await_container(Transport& t, const Credentials& c, const std::string& id) {
    for (int i = 0; i < kMaxStatusPolls; ++i) {
      if (i > 0) clock_.sleep(kPollInterval);
      auto r = call(t, graph_.get("/" + url_encode(id), c.access_token, {{"fields", "status_code,status"}}), false);
      if (!r) return r.error();
      std::string code = json_string(*r, "status_code");
      if (code == "FINISHED" || code == "PUBLISHED") return Ok{};
      if (code == "ERROR" || code == "EXPIRED") {
        std::string status = json_string(*r, "status");
        return Error{ErrorClass::kRejected, "container_" + code,
                     "Instagram could not prepare the media" + (status.empty() ? "" : ": " + status), 0, std::nullopt};
      }
    }
    return Error{ErrorClass::kRetryable, "container_in_progress", "the media is still processing", 0, std::nullopt};
  }

  static RemotePost post_of(const json& d) {
    RemotePost p;
    p.platform_post_id = json_string(d, "id");
    p.text = json_string(d, "caption");
    p.url = json_string(d, "permalink");
    p.created_at = parse_time(json_string(d, "timestamp")).value_or(0);
    return p;
  }

  static InboundItem comment_of(const json& cm, const std::string& media_id, const std::string& parent) {
    InboundItem item;
    item.kind = InboundKind::kComment;
    item.platform_item_id = json_string(cm, "id");
    item.platform_post_id = media_id;
    item.parent_id = parent;
    item.author_id = json_string(json_at(cm, "from"), "id");
    item.author_handle = json_string(cm, "username");
    if (item.author_handle.empty()) item.author_handle = json_string(json_at(cm, "from"), "username");
    item.text = json_string(cm, "text");
    item.created_at = parse_time(json_string(cm, "timestamp")).value_or(0);
    return item;
  }

  graph::Client graph_;
  Clock clock_;
  Capabilities caps_;
};

}  // namespace

std::unique_ptr<Adapter> make_instagram_adapter(Endpoint endpoint) {
  return make_instagram_adapter(std::move(endpoint), system_clock());
}

std::unique_ptr<Adapter> make_instagram_adapter(Endpoint endpoint, Clock clock) {
  return std::make_unique<InstagramAdapter>(std::move(endpoint), std::move(clock));
}

}  // namespace herald::adapters
