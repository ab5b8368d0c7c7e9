#pragma once
// herald-sandbox's command line:
//   herald-sandbox [--seed N] [--listen 127.0.0.1] [--port-file PATH] [--token-ttl SECONDS]
//                  [--client-secret S] [--port-base N]
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/sandbox/context.hpp"

namespace herald::sandbox {

struct SandboxOptions {
  SandboxConfig config;
  std::string listen = "127.0.0.1";
  std::string port_file;
  std::optional<std::uint16_t> port_base;  // fixed ports: control = N, platforms N+1... (kPlatformOrder)
  bool help = false;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[nodiscard]] const char* usage();
// Throws UsageError naming the offending option.
[[nodiscard]] SandboxOptions parse_options(const std::vector<std::string>& args);

}  // namespace herald::sandbox
