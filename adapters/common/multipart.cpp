#include "herald/adapters/multipart.hpp"

#include "herald/adapters/classify.hpp"

namespace herald::adapters {

MultipartBody multipart_form_data(const std::vector<MultipartPart>& parts) {
  std::string boundary = "HeraldFormBoundary7MA4YWxkTrZu0gW";
  for (int attempt = 0;; ++attempt) {
    bool clash = false;
    for (const auto& p : parts) {
      if (p.data.find(boundary) != std::string::npos) clash = true;
    }
    if (!clash) break;
    boundary += std::to_string(attempt % 10);
  }
  std::string body;
  for (const auto& p : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) body += "; filename=\"" + p.filename + "\"";
    body += "\r\n";
    if (!p.content_type.empty()) body += "Content-Type: " + p.content_type + "\r\n";
    body += "\r\n";
    body += p.data;
    body += "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return MultipartBody{"multipart/form-data; boundary=" + boundary, std::move(body)};
}

Result<std::string> fetch_media(Transport& t, const Media& media, std::int64_t max_bytes) {
  if (media.url.empty()) return Error{ErrorClass::kRejected, "media_unavailable", "the media has no URL", 0, {}};
  if (max_bytes > 0 && media.bytes > max_bytes) {
    return Error{ErrorClass::kRejected, "media_too_large",
                 "the media is larger than the platform accepts (" + std::to_string(max_bytes) + " bytes)", 0, {}};
  }
  HttpRequest req{"GET", media.url, {}, ""};
  HttpResponse r = t.send(req);
  if (r.transport_error || r.status < 200 || r.status >= 300) {
    Error e = classify_http(r, false, "media_unavailable", "could not fetch the media");
    return e;
  }
  if (max_bytes > 0 && static_cast<std::int64_t>(r.body.size()) > max_bytes) {
    return Error{ErrorClass::kRejected, "media_too_large",
                 "the media is larger than the platform accepts (" + std::to_string(max_bytes) + " bytes)", 0, {}};
  }
  return std::move(r.body);
}

}  // namespace herald::adapters
