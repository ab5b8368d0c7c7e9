#pragma once
// The composition root of herald-sandbox: builds the shared state, the platform emulators and
// one core::http::Server (with its own Router) per platform plus the control server, binds
// them, publishes the port map, runs them on their own threads and stops them together.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sandbox/context.hpp"
#include "adapters/sandbox/options.hpp"
#include "adapters/sandbox/platform.hpp"
#include "services/core/http/router.hpp"
#include "services/core/http/server.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"

namespace herald::sandbox {

// The fixed platform order (--port-base: control = N, then these at N+1, N+2, ...).
inline const std::vector<std::string> kPlatformOrder{"mastodon", "x",     "bluesky", "facebook", "instagram",
                                                     "linkedin", "weibo", "wechat",  "douyin"};

class SandboxApp {
 public:
  SandboxApp(SandboxOptions options, const core::Clock& clock, core::log::Logger logger);
  ~SandboxApp();
  SandboxApp(const SandboxApp&) = delete;
  SandboxApp& operator=(const SandboxApp&) = delete;

  // Binds every port, then writes the port file (tmp + rename) if one was asked for.
  void start();
  // {"control":"http://127.0.0.1:P","platforms":{"mastodon":"http://127.0.0.1:P1",...}}
  [[nodiscard]] nlohmann::json ports_json() const;
  // Runs every server on its own threads until shutdown() (blocks).
  void run();
  // Safe from any thread, more than once.
  void shutdown();

  [[nodiscard]] Context& context() { return ctx_; }
  [[nodiscard]] WebhookDispatcher& webhooks() { return webhooks_; }

 private:
  struct Listener {
    std::string name;  // "control" or the platform
    std::unique_ptr<core::http::Router> router;
    std::unique_ptr<core::metrics::Registry> metrics;
    std::unique_ptr<core::log::Logger> logger;
    std::unique_ptr<core::http::Server> server;
  };
  std::string url_of(const Listener& l) const;

  SandboxOptions options_;
  const core::Clock& clock_;
  core::log::Logger logger_;
  StateStore store_;
  OAuthStore oauth_;
  RequestLog log_;
  Faults faults_;
  WebhookDispatcher webhooks_;
  Generator generator_;
  HangRegistry hangs_;
  Context ctx_;
  std::vector<std::unique_ptr<Platform>> platforms_;
  std::map<std::string, Platform*> platform_map_;  // the control routes hold a reference
  std::vector<Listener> listeners_;                // [0] is the control server
  std::atomic<bool> stopped_{false};
};

}  // namespace herald::sandbox
