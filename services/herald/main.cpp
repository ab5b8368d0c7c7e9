// herald: every module in one process — the embedded default a new user runs. Modules still
// talk through Redis streams, so one machine exercises the same paths as a cluster.
// Composition root only: config -> process -> modules -> run.
//
//   herald              serve
//   herald rotate-keys  re-encrypt every stored platform token under the current master key
//                       version (HERALD_SECURITY_MASTER_KEY="1:OLD,2:NEW"), then exit
#include <cstring>
#include <iostream>

#include "services/accounts/accounts_module.hpp"
#include "services/core/app/process.hpp"
#include "services/gateway/gateway_module.hpp"

int main(int argc, char** argv) {
  using namespace herald;  // NOLINT: composition root
  bool rotate = argc > 1 && std::strcmp(argv[1], "rotate-keys") == 0;
  if (argc > 1 && !rotate) {
    std::cerr << "usage: herald [rotate-keys]" << std::endl;
    return 2;
  }
  try {
    auto config = core::config::load(core::config::process_environment());
    core::Process process("herald", config, {gateway::GatewayModule::schema(), accounts::AccountsModule::schema()});
    gateway::GatewayModule gateway(process);
    accounts::AccountsModule accounts(process, gateway.identity());
    if (rotate) {
      auto r = accounts.rotate_keys();
      std::cout << "rotate-keys: " << r.resealed << " re-encrypted, " << r.already_current
                << " already under the current key, " << r.failed << " could not be opened" << std::endl;
      return r.failed == 0 ? 0 : 1;
    }
    gateway.bootstrap_first_admin();
    accounts.start_background();
    return process.run();
  } catch (const core::config::ConfigError& e) {
    std::cerr << "herald: configuration error: " << e.what() << std::endl;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "herald: cannot start: " << e.what() << std::endl;
    return 1;
  }
}
