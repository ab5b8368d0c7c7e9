#pragma once
// Runs herald-sandbox (the platform emulator, adapters/sandbox) as a child process for an
// integration test: free ports, its own port file, killed with the object.
//
//   SandboxProcess sandbox({.token_ttl_s = 120});
//   HeraldOptions o; o.env["HERALD_PLATFORMS_SANDBOX_FILE"] = sandbox.port_file();
//   Http control("127.0.0.1", sandbox.control_port());   // /_sandbox/requests, /faults, ...
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace herald::testing {

struct SandboxOptions {
  int seed = 1;
  int token_ttl_s = 3600;
  std::chrono::milliseconds start_timeout{15000};
};

class SandboxProcess {
 public:
  explicit SandboxProcess(SandboxOptions options = {});
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  [[nodiscard]] std::string port_file() const { return (dir_ / "sandbox.json").string(); }
  [[nodiscard]] const nlohmann::json& addresses() const { return addresses_; }
  [[nodiscard]] int control_port() const { return control_port_; }
  // The base URL of one platform ("http://127.0.0.1:P"), or "" when the sandbox lacks it.
  [[nodiscard]] std::string platform_url(const std::string& platform) const;
  [[nodiscard]] std::string output_text() const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  nlohmann::json addresses_;
  int control_port_ = 0;
};

}  // namespace herald::testing
