#pragma once
// A whole herald-sandbox in-process on port 0 (ManualClock), for the platform emulators' tests: start,
// per-platform httplib clients, the control API and the authorize form.
#include <httplib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "adapters/sandbox/sandbox_app.hpp"
#include "tests/support/manual_clock.hpp"

namespace herald::sandbox::testing {

class SandboxFixture {
 public:
  SandboxFixture() {
    SandboxOptions o;
    o.config.seed = 99;
    app_ = std::make_unique<SandboxApp>(o, clock, core::log::Logger("sandbox-test", [](std::string_view) {}));
    app_->start();
    runner_ = std::thread([this] { app_->run(); });
    ports = app_->ports_json();
  }
  ~SandboxFixture() {
    app_->shutdown();
    runner_.join();
  }
  SandboxFixture(const SandboxFixture&) = delete;
  SandboxFixture& operator=(const SandboxFixture&) = delete;

  int port_of(const std::string& platform) const {
    std::string url =
        platform == "control" ? ports["control"].get<std::string>() : ports["platforms"][platform].get<std::string>();
    return std::stoi(url.substr(url.rfind(':') + 1));
  }
  httplib::Client client(const std::string& platform) const {
    httplib::Client c("127.0.0.1", port_of(platform));
    c.set_read_timeout(std::chrono::seconds(5));
    return c;
  }
  httplib::Result control_post(const std::string& path, const nlohmann::json& body) const {
    return client("control").Post(path, body.dump(), "application/json");
  }
  // Approves the authorize form at `path` (query without handle/decision) and returns the code.
  std::string approve(const std::string& platform, const std::string& path_and_query, const std::string& handle) {
    auto res = client(platform).Post(path_and_query, "handle=" + handle + "&decision=approve",
                                     "application/x-www-form-urlencoded");
    if (!res || res->status != 302) return "";
    auto location = res->get_header_value("Location");
    auto at = location.find("code=");
    if (at == std::string::npos) return "";
    at += 5;
    return location.substr(at, location.find('&', at) - at);
  }
  SandboxApp& app() { return *app_; }

  herald::testing::ManualClock clock;
  nlohmann::json ports;

 private:
  std::unique_ptr<SandboxApp> app_;
  std::thread runner_;
};

}  // namespace herald::sandbox::testing
