#pragma once
// The scheduler module (DESIGN.md sections 3 to 5): due -> sent. Wires the command consumer
// (publishing's schedule.set / schedule.cancel), the dispatcher (timed wake-ups, atomic claims,
// the freeze fence, per-platform streams), the reconciler with its missed-post detector, and
// the rate/quota governor the adapter workers call. Threads start with start_background() and
// stop when the server shuts down (or with the module).
#include <memory>
#include <string>

#include "scheduler/dispatch/dispatcher.hpp"
#include "scheduler/governor.hpp"
#include "scheduler/queue/command_consumer.hpp"
#include "scheduler/reconciler.hpp"
#include "scheduler/store/job_store.hpp"
#include "services/core/app/process.hpp"

namespace herald::scheduler {

struct SchedulerOptions {
  DispatcherOptions dispatcher;
  ConsumerOptions consumer;  // consumer name: "" = "scheduler-<host>-<pid>"
  ReconcilerOptions reconciler;
  GovernorOptions governor;
  // The fence is loaded by the crisis module's fence keeper (from PostgreSQL's freezes); with
  // none loaded the dispatcher moves nothing (fail closed).
};

class SchedulerModule {
 public:
  static core::DatabaseSchema schema();

  SchedulerModule(core::Process& process, const core::Clock& clock, SchedulerOptions options = {});
  ~SchedulerModule();
  SchedulerModule(const SchedulerModule&) = delete;
  SchedulerModule& operator=(const SchedulerModule&) = delete;

  // Reconciles once, then starts the consumer, dispatcher and reconciler threads.
  void start_background();
  void stop();

  [[nodiscard]] Governor& governor() { return *governor_; }
  [[nodiscard]] Dispatcher& dispatcher() { return *dispatcher_; }
  [[nodiscard]] CommandConsumer& consumer() { return *consumer_; }
  [[nodiscard]] Reconciler& reconciler() { return *reconciler_; }
  [[nodiscard]] JobStore& store() { return *store_; }

 private:
  core::Process& process_;
  const core::Clock& clock_;
  SchedulerOptions options_;
  std::unique_ptr<JobStore> store_;
  std::unique_ptr<Governor> governor_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<CommandConsumer> consumer_;
  std::unique_ptr<Reconciler> reconciler_;
  bool started_ = false;
};

}  // namespace herald::scheduler
