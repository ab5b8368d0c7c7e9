// herald-sandbox: the platform emulator (DESIGN.md section 8; contract in README.md here).
// Composition root only: parse the command line, build the app, publish the ports, wait for
// SIGINT/SIGTERM, stop.
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "adapters/sandbox/options.hpp"
#include "adapters/sandbox/sandbox_app.hpp"
#include "services/core/log/logger.hpp"

int main(int argc, char** argv) {
  using namespace herald;
  sandbox::SandboxOptions options;
  try {
    options = sandbox::parse_options(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const sandbox::UsageError& e) {
    std::cerr << "herald-sandbox: " << e.what() << "\n" << sandbox::usage();
    return 2;
  }
  if (options.help) {
    std::cout << sandbox::usage();
    return 0;
  }
  // Signals are taken by sigwait below: block them before any thread starts, so none gets them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  core::SystemClock clock;
  try {
    sandbox::SandboxApp app(options, clock, core::log::Logger::to_stderr("herald-sandbox"));
    app.start();
    std::cout << app.ports_json().dump() << std::endl;
    std::thread runner([&app] { app.run(); });
    int sig = 0;
    sigwait(&signals, &sig);
    app.shutdown();
    runner.join();
  } catch (const std::exception& e) {
    std::cerr << "herald-sandbox: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
