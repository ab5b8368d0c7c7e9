#include "services/gateway/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "services/core/http/problem.hpp"

namespace herald::gateway {

namespace http = core::http;

namespace {

std::string content_type_for(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".ico", "image/x-icon"}, {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

constexpr const char* kPlaceholder = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Herald</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>Herald is running</h1>
<p>The API is at <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>. The web app has not been
built into <code>web/dist</code> yet.</p>
</body></html>
)html";

}  // namespace

std::string content_security_policy(const std::string& image_sources) {
  return "default-src 'self'; img-src 'self' data:" + (image_sources.empty() ? "" : " " + image_sources) +
         "; font-src 'self' data:; style-src 'self' 'unsafe-inline'";
}

StaticFiles::StaticFiles(const std::string& root, std::string image_sources)
    : policy_(content_security_policy(image_sources)) {
  if (root.empty() || !std::filesystem::is_directory(root)) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.file_size() > 20 * 1024 * 1024) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto rel = std::filesystem::relative(entry.path(), root).generic_string();
    files_["/" + rel] = File{ss.str(), content_type_for(entry.path())};
  }
}

http::Response StaticFiles::serve(const http::Request& req) const {
  std::string path = req.path;
  if (path.rfind("/api/", 0) == 0 || path == "/api") http::not_found("no such resource: " + path);
  if (path == "/") path = "/index.html";
  auto it = files_.find(path);
  bool fallback = false;
  if (it == files_.end()) {
    it = files_.find("/index.html");
    fallback = true;
  }
  http::Response res{boost::beast::http::status::ok, req.raw.version()};
  res.keep_alive(req.raw.keep_alive());
  if (it == files_.end()) {
    if (path != "/index.html") http::not_found("no such resource: " + req.path);
    res.set(boost::beast::http::field::content_type, "text/html; charset=utf-8");
    res.body() = kPlaceholder;
  } else {
    res.set(boost::beast::http::field::content_type, it->second.content_type);
    // Hashed assets are immutable; index.html must be revalidated.
    bool immutable = !fallback && path.rfind("/assets/", 0) == 0;
    res.set(boost::beast::http::field::cache_control, immutable ? "public, max-age=31536000, immutable" : "no-cache");
    res.body() = it->second.content;
  }
  res.set("Content-Security-Policy", policy_);
  res.set("X-Frame-Options", "DENY");
  res.prepare_payload();
  return res;
}

}  // namespace herald::gateway
