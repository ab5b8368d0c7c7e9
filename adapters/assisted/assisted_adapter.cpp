// Assisted publishing for 快手 Kuaishou, 哔哩哔哩 Bilibili and 小红书 Xiaohongshu.
//
// What each platform documents for third parties (checked for this adapter):
// - Kuaishou: the open platform documents a video publishing API (mp.kuaishou.com/platformDocs, 内容管理 > 创建视频:
//   POST open.kuaishou.com/openapi/photo/start_upload -> upload_token + endpoint, upload to {endpoint}/api/upload
//   (direct under 10 MB, or fragments), then /openapi/photo/publish; scope user_video_publish; plus delete/list
//   APIs). A full API adapter is future work.
// - Bilibili: the open platform (openhome.bilibili.com) documents server-side video submission (视频稿件管理 >
//   服务端视频稿件投递: upload pre-processing, chunked upload, merge, cover upload, 视频稿件提交) and 专栏 articles,
//   for approved apps. A full API adapter is future work.
// - Xiaohongshu: no documented note-publishing API for brands (the open platform covers e-commerce and ads); tools
//   that post notes drive the web app. Assisted it stays.
//
// The account is registered by its handle: authorize_url() is "" and exchange_code(code = handle) records it as
// the platform account id, with no token. publish() makes no network call and returns PublishedPost{assisted,
// deep_link = the creator studio's upload page} (Endpoint.auth_base_url, when set, replaces the studio's origin, for
// the sandbox and demos); a person posts and confirms. Everything else is unsupported.
//
// Content limits are the creator studios' best-known values (none of these is an API contract): Kuaishou captions
// 500 characters, one video (mp4/mov, 4 GB, 15 minutes); Bilibili descriptions (简介) 2000 characters with an
// 80-character title, one video (mp4/flv/mov/mkv/webm..., 8 GB, 10 hours); Xiaohongshu note bodies 1000 characters
// with a 20-character title, 18 images (jpeg/png/webp, 32 MB each) or one video (mp4/mov, 20 GB, 60 minutes).
#include "adapters/assisted/assisted_adapter.hpp"

#include "herald/adapters/capabilities.hpp"

namespace herald::adapters {
namespace {

struct AssistedPlatform {
  Capabilities caps;
  std::string studio_origin;  // the creator studio, where a person posts
  std::string upload_path;
  int max_title = 0;          // 0: the platform has no separate title
};

constexpr std::int64_t kGiB = 1024LL * 1024 * 1024;

Capabilities assisted_caps(std::string platform, std::string display, int text) {
  Capabilities c;
  c.platform = std::move(platform);
  c.display_name = std::move(display);
  c.mode = PublishMode::kAssisted;
  c.counting = TextCounting::kCodePoints;
  c.max_text_length = text;
  c.max_videos = 1;
  c.requires_media = true;
  return c;
}

AssistedPlatform kuaishou() {
  AssistedPlatform p{assisted_caps("kuaishou", "快手 Kuaishou", 500), "https://cp.kuaishou.com",
                     "/article/publish/video", 0};
  p.caps.max_video_bytes = 4 * kGiB;
  p.caps.max_video_duration_s = 15 * 60;
  p.caps.video_types = {"video/mp4", "video/quicktime"};
  return p;
}

AssistedPlatform bilibili() {
  AssistedPlatform p{assisted_caps("bilibili", "哔哩哔哩 Bilibili", 2000), "https://member.bilibili.com",
                     "/platform/upload/video/frame", 80};
  p.caps.max_video_bytes = 8 * kGiB;
  p.caps.max_video_duration_s = 10 * 3600;
  p.caps.video_types = {"video/mp4", "video/x-flv", "video/quicktime", "video/x-matroska", "video/webm"};
  return p;
}

AssistedPlatform xiaohongshu() {
  AssistedPlatform p{assisted_caps("xiaohongshu", "小红书 Xiaohongshu", 1000), "https://creator.xiaohongshu.com",
                     "/publish/publish", 20};
  p.caps.max_images = 18;
  p.caps.max_image_bytes = 32LL * 1024 * 1024;
  p.caps.image_types = {"image/jpeg", "image/png", "image/webp"};
  p.caps.max_video_bytes = 20 * kGiB;
  p.caps.max_video_duration_s = 60 * 60;
  p.caps.video_types = {"video/mp4", "video/quicktime"};
  return p;
}

Error rejected(std::string code, std::string message) {
  return Error{ErrorClass::kRejected, std::move(code), std::move(message), 0, std::nullopt};
}

class AssistedAdapter final : public Adapter {
 public:
  AssistedAdapter(Endpoint e, AssistedPlatform p) : Adapter(std::move(e)), p_(std::move(p)) {}

  [[nodiscard]] const Capabilities& capabilities() const override { return p_.caps; }

  [[nodiscard]] std::string authorize_url(const AuthorizeRequest&) const override { return ""; }

  // code: the account's handle as the person typed it ("@brand" or "brand").
  Result<TokenSet> exchange_code(Transport&, const std::string& code, const std::string&,
                                 const std::string&) override {
    auto first = code.find_first_not_of(" \t@");
    auto last = code.find_last_not_of(" \t");
    if (first == std::string::npos) return rejected("missing_handle", "enter the account's handle");
    TokenSet ts;
    ts.platform_account_id = code.substr(first, last - first + 1);
    return ts;
  }

  Result<AccountProfile> fetch_profile(Transport&, const Credentials& c) override {
    AccountProfile p;
    p.platform_account_id = c.platform_account_id;
    p.handle = c.platform_account_id;
    auto name = c.extra.find("name");
    p.display_name = name == c.extra.end() ? p.handle : name->second;
    return p;
  }

  Result<PublishedPost> publish(Transport&, const Credentials&, const PostContent& content) override {
    const auto& caps = p_.caps;
    if (count_text(caps.counting, content.text) > caps.max_text_length) {
      return rejected("text_too_long", caps.display_name + " takes at most " + std::to_string(caps.max_text_length) +
                                           " characters");
    }
    if (content.title && p_.max_title > 0 && count_text(caps.counting, *content.title) > p_.max_title) {
      return rejected("title_too_long", caps.display_name + " titles take at most " + std::to_string(p_.max_title) +
                                            " characters");
    }
    int images = 0;
    int videos = 0;
    for (const auto& m : content.media) (m.kind == Media::Kind::kVideo ? videos : images) += 1;
    if (caps.requires_media && images + videos == 0) {
      return rejected("media_required",
                      caps.display_name + " needs a video" + (caps.max_images > 0 ? " or images" : ""));
    }
    if (images > caps.max_images || videos > caps.max_videos || (images > 0 && videos > 0)) {
      return rejected("unsupported_media", caps.display_name + " takes " +
                                               (caps.max_images > 0 ? "images or one video" : "one video"));
    }
    PublishedPost out;
    out.assisted = true;
    out.deep_link = (endpoint_.auth_base_url.empty() ? p_.studio_origin : endpoint_.auth_base_url) + p_.upload_path;
    return out;
  }

 private:
  AssistedPlatform p_;
};

}  // namespace

std::unique_ptr<Adapter> make_kuaishou_adapter(Endpoint endpoint) {
  return std::make_unique<AssistedAdapter>(std::move(endpoint), kuaishou());
}

std::unique_ptr<Adapter> make_bilibili_adapter(Endpoint endpoint) {
  return std::make_unique<AssistedAdapter>(std::move(endpoint), bilibili());
}

std::unique_ptr<Adapter> make_xiaohongshu_adapter(Endpoint endpoint) {
  return std::make_unique<AssistedAdapter>(std::move(endpoint), xiaohongshu());
}

}  // namespace herald::adapters
