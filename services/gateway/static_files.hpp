#pragma once
// The browser app's files (web/dist), read into memory once at start-up and served with a
// content type and cache headers. Unknown paths outside /api fall back to index.html (the app
// routes on the client); unknown /api paths are 404 problems. Paths never leave the root.
#include <map>
#include <string>

#include "services/core/http/request.hpp"

namespace herald::gateway {

// The Content-Security-Policy of the app's pages: everything from the gateway itself, except
// images, which may also come from `image_sources` (the platforms' avatar hosts), and the fonts
// and styles the calendar embeds (data: fonts, inline styles).
std::string content_security_policy(const std::string& image_sources);

class StaticFiles {
 public:
  // image_sources: as content_security_policy takes them ("https:" for the real platforms).
  explicit StaticFiles(const std::string& root, std::string image_sources = "https:");
  [[nodiscard]] core::http::Response serve(const core::http::Request& req) const;
  [[nodiscard]] bool empty() const { return files_.empty(); }
  [[nodiscard]] std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string content_type;
  };
  std::map<std::string, File> files_;  // "/index.html" -> file
  std::string policy_;
};

}  // namespace herald::gateway
