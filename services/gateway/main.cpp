// herald-gateway: the public edge (IAM, OpenAPI, WebSocket, web app) as its own process.
// Composition root only: config -> process -> modules -> run.
#include <iostream>

#include "services/core/app/process.hpp"
#include "services/gateway/gateway_module.hpp"

int main() {
  using namespace herald;  // NOLINT: composition root
  try {
    auto config = core::config::load(core::config::process_environment());
    core::Process process("gateway", config, {gateway::GatewayModule::schema()});
    gateway::GatewayModule gateway(process);
    gateway.bootstrap_first_admin();
    return process.run();
  } catch (const core::config::ConfigError& e) {
    std::cerr << "herald-gateway: configuration error: " << e.what() << std::endl;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "herald-gateway: cannot start: " << e.what() << std::endl;
    return 1;
  }
}
