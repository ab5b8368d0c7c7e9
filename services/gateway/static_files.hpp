#pragma once
// The browser app's files (web/dist), read into memory once at start-up and served with a
// content type and cache headers. Unknown paths outside /api fall back to index.html (the app
// routes on the client); unknown /api paths are 404 problems. Paths never leave the root.
#include <map>
#include <string>

#include "services/core/http/request.hpp"

namespace herald::gateway {

class StaticFiles {
 public:
  explicit StaticFiles(const std::string& root);
  [[nodiscard]] core::http::Response serve(const core::http::Request& req) const;
  [[nodiscard]] bool empty() const { return files_.empty(); }
  [[nodiscard]] std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string content_type;
  };
  std::map<std::string, File> files_;  // "/index.html" -> file
};

}  // namespace herald::gateway
