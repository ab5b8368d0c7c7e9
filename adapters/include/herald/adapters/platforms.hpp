#pragma once
// Where each platform is reached, for every service that calls platforms (accounts connecting
// and refreshing, the adapter workers publishing). With a sandbox file set, every platform is the
// herald-sandbox emulator (its port file names an address per platform) with the sandbox's demo
// apps: "herald-<platform>" and the sandbox client secret. Real platform apps are not
// configurable yet (no machine here can reach a real platform). Thread-safe.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "herald/adapters/adapter.hpp"

namespace herald::adapters {

struct PlatformsOptions {
  std::string sandbox_file;           // herald-sandbox's --port-file (JSON {"platforms": {name: url}})
  std::string sandbox_client_secret;  // the sandbox apps' secret (never logged)
};

class Platforms {
 public:
  explicit Platforms(PlatformsOptions options) : options_(std::move(options)) {}

  // The endpoint for a platform, or nullopt when it is unknown or not configured. Reads the
  // sandbox port file on first use (the sandbox may start after Herald).
  std::optional<Endpoint> endpoint(const std::string& platform);
  // A fresh adapter for the platform (nullptr when endpoint() is nullopt and the platform is
  // not an assisted one, which makes no calls).
  std::unique_ptr<Adapter> adapter(const std::string& platform);
  [[nodiscard]] bool sandbox() const { return !options_.sandbox_file.empty(); }

 private:
  PlatformsOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::string> sandbox_urls_;  // loaded once, when complete
};

}  // namespace herald::adapters
