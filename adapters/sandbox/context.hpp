#pragma once
// What every part of the sandbox shares, built once in SandboxApp (the composition root) and
// handed to the platforms and the control routes by reference.
#include <chrono>
#include <cstdint>
#include <string>

#include "adapters/sandbox/faults.hpp"
#include "adapters/sandbox/generator.hpp"
#include "adapters/sandbox/hangs.hpp"
#include "adapters/sandbox/oauth.hpp"
#include "adapters/sandbox/request_log.hpp"
#include "adapters/sandbox/state_store.hpp"
#include "adapters/sandbox/webhooks.hpp"
#include "services/core/util/clock.hpp"

namespace herald::sandbox {

struct SandboxConfig {
  std::uint64_t seed = 0;
  std::string client_secret = "sandbox-secret";
  std::chrono::seconds token_ttl{3600};
};

struct Context {
  const core::Clock& clock;
  const SandboxConfig& config;
  StateStore& store;
  OAuthStore& oauth;
  RequestLog& log;
  Faults& faults;
  WebhookDispatcher& webhooks;
  Generator& generator;
  HangRegistry& hangs;
};

}  // namespace herald::sandbox
