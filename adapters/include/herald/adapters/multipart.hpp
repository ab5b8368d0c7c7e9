#pragma once
// Uploading media: fetching a Media item's bytes through the Transport and building a
// multipart/form-data body (RFC 7578) for the platforms whose upload endpoints take files
// (Weibo's pic, WeChat's add_material/uploadimg, Douyin's upload_video/upload_image).
#include <cstdint>
#include <string>
#include <vector>

#include "herald/adapters/http.hpp"
#include "herald/adapters/result.hpp"
#include "herald/adapters/types.hpp"

namespace herald::adapters {

struct MultipartPart {
  std::string name;
  std::string data;
  std::string filename;      // empty for a plain field
  std::string content_type;  // empty for a plain field
};

struct MultipartBody {
  std::string content_type;  // "multipart/form-data; boundary=..."
  std::string body;
};

// A deterministic boundary that occurs in none of the parts.
MultipartBody multipart_form_data(const std::vector<MultipartPart>& parts);

// GET media.url through the transport. A failure is kRetryable (a GET can be repeated), a 4xx
// is kRejected "media_unavailable", a body over max_bytes is kRejected "media_too_large".
Result<std::string> fetch_media(Transport& t, const Media& media, std::int64_t max_bytes);

}  // namespace herald::adapters
