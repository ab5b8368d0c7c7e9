// herald: every module in one process — the embedded default a new user runs. Modules still
// talk through Redis streams, so one machine exercises the same paths as a cluster.
// Composition root only: config -> process -> modules -> run.
#include <iostream>

#include "services/core/app/process.hpp"
#include "services/gateway/gateway_module.hpp"

int main() {
  using namespace herald;  // NOLINT: composition root
  try {
    auto config = core::config::load(core::config::process_environment());
    core::Process process("herald", config, {gateway::GatewayModule::schema()});
    gateway::GatewayModule gateway(process);
    gateway.bootstrap_first_admin();
    return process.run();
  } catch (const core::config::ConfigError& e) {
    std::cerr << "herald: configuration error: " << e.what() << std::endl;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "herald: cannot start: " << e.what() << std::endl;
    return 1;
  }
}
