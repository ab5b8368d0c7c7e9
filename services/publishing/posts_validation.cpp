// Validation of each variant against its account and platform: errors name the account and why.
#include "services/publishing/posts.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/capabilities.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/crypto/random.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"
#include "services/publishing/domain/local_time.hpp"
#include "services/publishing/posts_support.hpp"

namespace herald::publishing {

namespace http = core::http;
namespace perm = iam::perm;
using contracts::Outcome;
using namespace detail;  // NOLINT: the module's own shared helpers (posts_support.hpp)

void Posts::validate_variants(const std::string& org_id, const std::string& brand_id,
                              const std::vector<Variant>& variants, std::vector<std::string>* platforms) {
  nlohmann::json errors = nlohmann::json::array();
  auto fail = [&](std::size_t i, const std::string& field, const std::string& account_id, const std::string& platform,
                  const std::string& reason) {
    errors.push_back({{"field", "variants[" + std::to_string(i) + "]" + (field.empty() ? "" : "." + field)},
                      {"account_id", account_id},
                      {"platform", platform},
                      {"reason", reason}});
  };
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const auto& v = variants[i];
    std::string platform;
    if (contains(seen, v.account_id)) {
      fail(i, "account_id", v.account_id, "", "the account appears twice; one variant per account");
      platforms->push_back("");
      continue;
    }
    seen.push_back(v.account_id);
    auto account = directory_.account(org_id, v.account_id);
    if (!account) {
      fail(i, "account_id", v.account_id, "", "no such account");
      platforms->push_back("");
      continue;
    }
    platform = account->platform;
    platforms->push_back(platform);
    if (account->brand_id != brand_id) {
      fail(i, "account_id", v.account_id, platform, "the account belongs to another brand");
      continue;
    }
    const auto* caps = capabilities_of(platform);
    if (caps == nullptr) {
      fail(i, "account_id", v.account_id, platform, "no adapter for platform '" + platform + "'");
      continue;
    }
    const std::string who =
        caps->display_name + " account " + (account->handle.empty() ? v.account_id : account->handle);
    auto text = hashtagged(v);
    int length = adapters::count_text(caps->counting, text);
    if (caps->max_text_length > 0 && length > caps->max_text_length) {
      fail(i, "text", v.account_id, platform,
           who + ": the text with its hashtags is " + std::to_string(length) + " long as " + caps->display_name +
               " counts it; the limit is " + std::to_string(caps->max_text_length));
    }
    int images = 0;
    int videos = 0;
    for (std::size_t m = 0; m < v.media.size(); ++m) {
      const auto& item = v.media[m];
      const std::string field = "media[" + std::to_string(m) + "]";
      std::string kind = item.value("kind", std::string("image"));
      std::string mime = item.value("mime_type", std::string());
      auto bytes = item.value("bytes", std::int64_t{0});
      if (kind == "image") {
        ++images;
        if (!caps->image_types.empty() && !mime.empty() && !contains(caps->image_types, mime)) {
          fail(i, field + ".mime_type", v.account_id, platform,
               who + ": " + caps->display_name + " does not take " + mime + " images");
        }
        if (caps->max_image_bytes > 0 && bytes > caps->max_image_bytes) {
          fail(i, field + ".bytes", v.account_id, platform,
               who + ": the image is " + std::to_string(bytes) + " bytes; the limit is " +
                   std::to_string(caps->max_image_bytes));
        }
      } else {
        ++videos;
        if (!caps->video_types.empty() && !mime.empty() && !contains(caps->video_types, mime)) {
          fail(i, field + ".mime_type", v.account_id, platform,
               who + ": " + caps->display_name + " does not take " + mime + " videos");
        }
        if (caps->max_video_bytes > 0 && bytes > caps->max_video_bytes) {
          fail(i, field + ".bytes", v.account_id, platform,
               who + ": the video is " + std::to_string(bytes) + " bytes; the limit is " +
                   std::to_string(caps->max_video_bytes));
        }
        double duration = item.value("duration_s", 0.0);
        if (caps->max_video_duration_s > 0 && duration > caps->max_video_duration_s) {
          fail(i, field + ".duration_s", v.account_id, platform,
               who + ": the video lasts " + std::to_string(static_cast<long>(duration)) + " s; the limit is " +
                   std::to_string(static_cast<long>(caps->max_video_duration_s)) + " s");
        }
      }
    }
    if (images > caps->max_images) {
      fail(i, "media", v.account_id, platform,
           who + ": " + std::to_string(images) + " images; " + caps->display_name + " takes at most " +
               std::to_string(caps->max_images));
    }
    if (videos > caps->max_videos) {
      fail(i, "media", v.account_id, platform,
           who + ": " + std::to_string(videos) + " videos; " + caps->display_name + " takes at most " +
               std::to_string(caps->max_videos));
    }
    if (images > 0 && videos > 0 && !caps->mixed_media) {
      fail(i, "media", v.account_id, platform, who + ": " + caps->display_name + " does not mix images and a video");
    }
    if (caps->requires_media && images + videos == 0) {
      fail(i, "media", v.account_id, platform, who + ": " + caps->display_name + " posts need an image or a video");
    }
    if (text.empty() && images + videos == 0) {
      fail(i, "text", v.account_id, platform, who + ": the post has neither text nor media");
    }
    if (!v.thread.empty() && !caps->can_thread) {
      fail(i, "thread", v.account_id, platform, who + ": " + caps->display_name + " has no threads");
    }
    for (std::size_t k = 0; k < v.thread.size(); ++k) {
      int n = adapters::count_text(caps->counting, v.thread[k]);
      if (caps->max_text_length > 0 && n > caps->max_text_length) {
        fail(i, "thread[" + std::to_string(k) + "]", v.account_id, platform,
             who + ": this follow-up is " + std::to_string(n) + " long; the limit is " +
                 std::to_string(caps->max_text_length));
      }
    }
    if (v.first_comment && !caps->can_first_comment) {
      fail(i, "first_comment", v.account_id, platform, who + ": " + caps->display_name + " has no first comment");
    }
  }
  if (!errors.empty()) {
    std::string detail = std::to_string(errors.size()) + " problem" + (errors.size() == 1 ? "" : "s") +
                         " with the variants: " + errors[0]["reason"].get<std::string>();
    throw http::HttpError(422, "Unprocessable Content", detail, {{"errors", errors}});
  }
}

}  // namespace herald::publishing
