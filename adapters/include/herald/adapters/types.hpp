#pragma once
// The values that cross the Adapter interface. Times are UTC unix seconds.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace herald::adapters {

// Where a platform is reached and as which app. base_url is the platform's real API root, or
// the sandbox's address for that platform in tests and demos (herald-sandbox prints them).
struct Endpoint {
  std::string base_url;       // e.g. "https://api.x.com" or "http://127.0.0.1:40123"
  std::string auth_base_url;  // where the user's browser goes to authorize; empty = base_url
  std::string client_id;      // the app's id / key
  std::string client_secret;  // the app's secret (never logged)
  // The key webhooks are signed with where it is not client_secret (X's consumer secret, which
  // differs from its OAuth 2.0 client secret); empty = client_secret. Never logged.
  std::string webhook_secret{};
  // The token a subscription handshake must echo (Meta's hub.verify_token); chosen by us.
  std::string webhook_verify_token{};
};

// OAuth 2.0 tokens of one connected account. Never logged, never returned by the API.
struct TokenSet {
  std::string access_token;
  std::string refresh_token;            // empty when the platform issues none
  std::optional<std::int64_t> expires_at;  // unix seconds; nullopt = does not expire
  std::vector<std::string> scopes;      // as granted
  std::string platform_account_id;      // the account (user, page, open_id) the token belongs to
};

// What an adapter needs to act as one account.
struct Credentials {
  std::string access_token;
  std::string platform_account_id;            // user id / page id / open_id / DID
  std::map<std::string, std::string> extra;   // platform specifics (e.g. "ig_user_id", "handle")
};

struct AuthorizeRequest {
  std::string redirect_uri;
  std::string state;
  std::string code_challenge;  // S256 of the verifier; ignored where PKCE is unsupported
  std::vector<std::string> scopes;  // empty = the platform's required scopes
};

struct AccountProfile {
  std::string platform_account_id;
  std::string handle;
  std::string display_name;
  std::string avatar_url;
  std::string bio;
  bool verified = false;
  std::optional<std::int64_t> followers;
};

struct Media {
  enum class Kind { kImage, kVideo };
  Kind kind = Kind::kImage;
  std::string url;        // where the platform (or the sandbox) can fetch it
  std::string mime_type;  // "image/jpeg", "video/mp4", ...
  std::int64_t bytes = 0;
  int width = 0;
  int height = 0;
  double duration_s = 0;  // video only
  std::string alt_text;
};

struct PostContent {
  std::string text;
  std::vector<Media> media;
  std::optional<std::string> link;
  std::optional<std::string> title;           // WeChat articles, LinkedIn articles
  std::vector<std::string> thread;            // follow-up posts (X, Mastodon, Bluesky threads)
  std::optional<std::string> first_comment;   // posted as a reply/comment right after
  // A marker unique to this target, placed where the platform keeps it (an invisible suffix, a
  // tag, a client field) so that find_by_marker can tell whether an uncertain send landed.
  std::string client_marker;
  // Sent as the platform's idempotency key where it has one (Mastodon's Idempotency-Key).
  std::string idempotency_key;
};

struct PublishedPost {
  std::string platform_post_id;
  std::string url;
  std::vector<std::string> thread_ids;  // ids of the follow-up posts
  std::string first_comment_id;
  // Assisted publishing: no call was made; a person posts by hand and confirms.
  bool assisted = false;
  std::string deep_link;
};

struct RemotePost {
  std::string platform_post_id;
  std::string text;
  std::string url;
  std::int64_t created_at = 0;
};

enum class InboundKind { kComment, kMention, kDirectMessage };

struct InboundItem {
  InboundKind kind = InboundKind::kComment;
  // The platform id of our account that received it (set by parse_webhook; fetch_inbound leaves
  // it empty: the caller knows).
  std::string account_platform_id;
  std::string platform_item_id;
  std::string platform_post_id;      // the post commented on / mentioned in
  std::string parent_id;             // the comment replied to, empty at top level
  std::string conversation_id;       // DMs
  std::string author_id;
  std::string author_handle;
  std::string author_name;
  bool author_verified = false;
  std::string text;
  std::int64_t created_at = 0;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty when there is nothing more
};

// A webhook as received: what parse_webhook verifies and reads.
struct WebhookRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct WebhookResult {
  std::vector<InboundItem> items;
  // A verification handshake (Meta's hub.challenge, X's CRC, WeChat's echostr): answer with this
  // body and no items.
  std::optional<std::string> challenge_response;
};

enum class Moderation { kHide, kUnhide, kDelete, kPin };

struct PostMetrics {
  std::optional<std::int64_t> impressions, reach, likes, comments, shares, saves, clicks, video_views, follows;
};

struct AdEntity {
  enum class Level { kAccount, kCampaign, kAdSet, kAd };
  Level level = Level::kCampaign;
  std::string id;
  std::string parent_id;
  std::string name;
  std::string status;
  std::string objective;  // campaigns
  std::string ad_type;    // ads: in_feed, banner, video, interactive
  std::optional<std::int64_t> daily_budget_minor;
  std::string currency;
};

struct AdInsight {
  std::string date;  // YYYY-MM-DD in the ad account's zone
  std::string entity_id;
  std::int64_t impressions = 0, clicks = 0, conversions = 0, follows = 0;
  std::int64_t spend_minor = 0, revenue_minor = 0;  // minor units of currency
  std::string currency;
};

}  // namespace herald::adapters
