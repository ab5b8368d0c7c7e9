#pragma once
// Sample media files to publish with (GET /_sandbox/media/{name} on the control port), so that flows
// whose platform fetches or receives the bytes (WeChat's cover, Douyin's video, Weibo's pic, LinkedIn
// uploads, Instagram's image_url) have a URL on loopback to point at. Tiny and well-formed by their
// headers: sample.jpg (8x8 grey baseline JPEG), sample.png (2x2 RGB), sample.gif (1x1), sample.mp4 (an
// ISO BMFF ftyp + mdat box structure, not a playable video: the sandbox never decodes media).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::sandbox {

struct SampleMedia {
  std::string content_type;
  std::string bytes;
};

[[nodiscard]] std::optional<SampleMedia> sample_media(std::string_view name);
[[nodiscard]] const std::vector<std::string>& sample_names();

}  // namespace herald::sandbox
