#pragma once
// What each platform allows, as data: the composer's counters, pre-flight validation and the
// rate governor read this table; adapters fill it from their platform's documentation.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace herald::adapters {

// How a platform counts the length of a text.
enum class TextCounting {
  kCodePoints,       // Unicode code points (Mastodon, Bluesky graphemes approximated, LinkedIn)
  kUtf16,            // UTF-16 code units (Facebook, Instagram)
  kTwitterWeighted,  // twitter-text: CJK and most non-Latin count 2, URLs count 23
  kWeibo,            // Weibo: a Chinese character counts 1, two ASCII characters count 1
  kBytes,            // UTF-8 bytes (WeChat title/digest limits)
};

// The text's length by the rule, as the platform would count it.
int count_text(TextCounting rule, std::string_view utf8);

enum class PublishMode { kApi, kAssisted };

struct RateLimit {
  int requests = 0;       // 0 = no known limit
  int window_seconds = 0;
};

struct Capabilities {
  std::string platform;      // "x", "mastodon", "weibo", ...
  std::string display_name;  // "X", "Mastodon", "微博 Weibo"
  PublishMode mode = PublishMode::kApi;
  TextCounting counting = TextCounting::kCodePoints;
  int max_text_length = 0;
  int max_images = 0;
  int max_videos = 0;
  bool mixed_media = false;  // images and a video in one post
  std::int64_t max_image_bytes = 0;
  std::int64_t max_video_bytes = 0;
  double max_video_duration_s = 0;
  std::vector<std::string> image_types;  // MIME types
  std::vector<std::string> video_types;
  bool requires_media = false;  // Instagram, Douyin
  bool can_edit = false;
  bool can_delete = false;
  bool can_thread = false;
  bool can_first_comment = false;
  bool can_reply = false;
  bool can_dm = false;
  bool can_hide_comment = false;
  bool can_delete_comment = false;
  bool can_pin_comment = false;
  bool has_webhooks = false;
  bool has_metrics = false;
  bool has_ads = false;
  bool supports_pkce = false;
  bool supports_refresh = false;
  bool supports_revoke = false;
  std::vector<std::string> required_scopes;
  RateLimit publish_limit;  // per account
  RateLimit app_limit;      // per app
  int daily_post_cap = 0;   // per account; 0 = none known
};

}  // namespace herald::adapters
