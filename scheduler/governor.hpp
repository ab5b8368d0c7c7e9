#pragma once
// The rate and quota governor (DESIGN.md section 4): token buckets per platform app, per account
// and per endpoint, taken together in one Lua script (all three or none), so every worker and
// replica shares them. The limits come from the adapters' capabilities (app_limit per platform
// app, publish_limit per account; endpoints have none unless configured), may be overridden or
// scaled (the benchmark relaxes them), and are corrected by what the platform reports in its
// rate-limit headers (observe).
//
// Redis keys (one hash slot, `{gov}`): <prefix>:{gov}:app:<platform>,
// <prefix>:{gov}:acct:<platform>:<account>, <prefix>:{gov}:ep:<platform>:<account>:<endpoint>;
// each a hash {tokens, ts, blocked_until}, expiring when idle.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "herald/adapters/capabilities.hpp"
#include "services/core/redis/client.hpp"

namespace herald::scheduler {

struct PlatformLimits {
  adapters::RateLimit app;      // per platform app
  adapters::RateLimit account;  // per account
  std::map<std::string, adapters::RateLimit> endpoints;  // per account and endpoint name
};

struct GovernorOptions {
  // Replaces the capabilities' limits of a platform entirely.
  std::map<std::string, PlatformLimits> overrides;
  // Multiplies every limit's request count (1: as documented; the benchmark uses a large one).
  double scale = 1.0;
  // Where the documented limits come from (default: the adapter registry's capabilities).
  std::function<std::optional<adapters::Capabilities>(const std::string& platform)> capabilities;
};

struct Grant {
  bool ok = false;
  std::int64_t wait_ms = 0;  // !ok: try again after this long
  std::string limited_by;    // !ok: "app", "account" or "endpoint"
};

class Governor {
 public:
  explicit Governor(std::string prefix = "herald", GovernorOptions options = {});

  // Takes one token from each of the three buckets (all or none) at `now_ms`.
  Grant take(core::redis::Client& redis, const std::string& platform, const std::string& account,
             const std::string& endpoint, std::int64_t now_ms) const;
  // Corrects the account bucket (or the endpoint's, when given) from a platform's rate-limit
  // headers: at most `remaining` tokens left, and none until `reset_at_ms` when it is 0.
  void observe(core::redis::Client& redis, const std::string& platform, const std::string& account,
               std::int64_t remaining, std::int64_t reset_at_ms, std::int64_t now_ms,
               const std::string& endpoint = {}) const;

  // The effective limits of a platform (after overrides and scale).
  [[nodiscard]] PlatformLimits limits(const std::string& platform) const;
  // Drops the buckets of one platform account (tests).
  void reset(core::redis::Client& redis, const std::string& platform, const std::string& account,
             const std::string& endpoint = {}) const;

 private:
  [[nodiscard]] std::string app_key(const std::string& platform) const;
  [[nodiscard]] std::string account_key(const std::string& platform, const std::string& account) const;
  [[nodiscard]] std::string endpoint_key(const std::string& platform, const std::string& account,
                                         const std::string& endpoint) const;

  std::string prefix_;
  GovernorOptions options_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, PlatformLimits> cache_;
};

}  // namespace herald::scheduler
