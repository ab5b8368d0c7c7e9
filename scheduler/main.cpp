// herald-scheduler: the scheduler (due -> sent) as its own process, scaled on its own; several
// replicas share the due set safely. Composition root only: config -> process -> module -> run.
#include <iostream>

#include "scheduler/scheduler_module.hpp"
#include "services/core/app/process.hpp"

int main() {
  using namespace herald;  // NOLINT: composition root
  try {
    auto config = core::config::load(core::config::process_environment());
    core::Process process("scheduler", config, {scheduler::SchedulerModule::schema()});
    scheduler::SchedulerOptions options;
    options.governor.scale = static_cast<double>(config.scheduler.governor_scale);
    scheduler::SchedulerModule module(process, process.clock(), options);
    module.start_background();
    return process.run();
  } catch (const core::config::ConfigError& e) {
    std::cerr << "herald-scheduler: configuration error: " << e.what() << std::endl;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "herald-scheduler: cannot start: " << e.what() << std::endl;
    return 1;
  }
}
