#pragma once
// Where each platform is reached. With platforms.sandbox_file set, every platform is the
// herald-sandbox emulator (its port file names an address per platform) with the sandbox's demo
// apps: "herald-<platform>" and the sandbox client secret. Real platform apps are not
// configurable yet (no machine here can reach a real platform).
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "herald/adapters/adapter.hpp"
#include "services/core/config/config.hpp"

namespace herald::accounts {

class Platforms {
 public:
  explicit Platforms(core::config::PlatformsConfig config) : config_(std::move(config)) {}

  // The endpoint for a platform, or nullopt when it is unknown or not configured. Reads the
  // sandbox port file on first use (the sandbox may start after Herald).
  std::optional<adapters::Endpoint> endpoint(const std::string& platform);
  // A fresh adapter for the platform (nullptr when endpoint() is nullopt).
  std::unique_ptr<adapters::Adapter> adapter(const std::string& platform);
  [[nodiscard]] bool sandbox() const { return !config_.sandbox_file.empty(); }

 private:
  core::config::PlatformsConfig config_;
  std::mutex mutex_;
  std::map<std::string, std::string> sandbox_urls_;  // loaded once, when complete
};

}  // namespace herald::accounts
