#include "herald/adapters/platforms.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace herald::adapters {

std::optional<Endpoint> Platforms::endpoint(const std::string& platform) {
  if (!is_platform(platform) || options_.sandbox_file.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  if (sandbox_urls_.empty()) {
    std::ifstream in(options_.sandbox_file);
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_object() && j.contains("platforms") && j["platforms"].is_object()) {
      for (const auto& [name, url] : j["platforms"].items()) {
        if (url.is_string()) sandbox_urls_[name] = url.get<std::string>();
      }
    }
  }
  auto it = sandbox_urls_.find(platform);
  if (it == sandbox_urls_.end()) return std::nullopt;
  Endpoint e;
  e.base_url = it->second;
  e.auth_base_url = it->second;
  e.client_id = "herald-" + platform;
  e.client_secret = options_.sandbox_client_secret;
  return e;
}

std::unique_ptr<Adapter> Platforms::adapter(const std::string& platform) {
  if (auto e = endpoint(platform)) return make_adapter(platform, std::move(*e));
  // Assisted platforms make no calls, so they need no endpoint.
  auto a = make_adapter(platform, Endpoint{});
  if (a && a->capabilities().mode == PublishMode::kAssisted) return a;
  return nullptr;
}

}  // namespace herald::adapters
