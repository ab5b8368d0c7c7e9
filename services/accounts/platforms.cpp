#include "services/accounts/platforms.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace herald::accounts {

std::optional<adapters::Endpoint> Platforms::endpoint(const std::string& platform) {
  if (!adapters::is_platform(platform) || config_.sandbox_file.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  if (sandbox_urls_.empty()) {
    std::ifstream in(config_.sandbox_file);
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
  adapters::Endpoint e;
  e.base_url = it->second;
  e.auth_base_url = it->second;
  e.client_id = "herald-" + platform;
  e.client_secret = config_.sandbox_client_secret;
  return e;
}

std::unique_ptr<adapters::Adapter> Platforms::adapter(const std::string& platform) {
  if (auto e = endpoint(platform)) return adapters::make_adapter(platform, std::move(*e));
  // Assisted platforms make no calls, so they need no endpoint.
  auto a = adapters::make_adapter(platform, adapters::Endpoint{});
  if (a && a->capabilities().mode == adapters::PublishMode::kAssisted) return a;
  return nullptr;
}

}  // namespace herald::accounts
