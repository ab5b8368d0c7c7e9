#pragma once
// The adapter workers (DESIGN.md sections 3 to 5): N threads, each with its own Redis client,
// consuming every platform's dispatch stream in the group "workers" and sending each job once
// through the send gate (sender.hpp), with the attempt ledger in the worker's own table.
// Threads stop when the server shuts down (or when the module is destroyed).
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "adapters/transport/httplib_transport.hpp"
#include "adapters/worker/credential_cache.hpp"
#include "adapters/worker/queue/consumer.hpp"
#include "adapters/worker/sender.hpp"
#include "adapters/worker/store/attempt_ledger.hpp"
#include "herald/adapters/platforms.hpp"
#include "services/core/app/process.hpp"

namespace herald::worker {

struct WorkerOptions {
  int threads = 4;  // worker threads, each with its own Redis client (default 4)
  SenderOptions sender{};
  ConsumerOptions consumer{};
  std::chrono::milliseconds credentials_ttl{5000};  // per-account credential cache (default 5 s)
  adapters::TransportOptions transport{};           // platform call timeouts (httplib_transport.hpp)
  Governor governor{};                              // the scheduler's governor; null = no limit
};

class WorkerModule {
 public:
  static core::DatabaseSchema schema();

  WorkerModule(core::Process& process, contracts::AccountDirectory& directory, adapters::Platforms& platforms,
               const core::Clock& clock, WorkerOptions options = {});
  ~WorkerModule();
  WorkerModule(const WorkerModule&) = delete;
  WorkerModule& operator=(const WorkerModule&) = delete;

  // Starts the worker threads (stopped on server shutdown).
  void start_background();
  // Stops and joins the threads (idempotent).
  void stop();
  [[nodiscard]] AttemptLedger& ledger() { return *ledger_; }

 private:
  void run_thread(int index);

  core::Process& process_;
  adapters::Platforms& platforms_;
  const core::Clock& clock_;
  WorkerOptions options_;
  contracts::StreamNames streams_;
  contracts::gate::SendGate gate_;
  std::unique_ptr<CredentialCache> credentials_;
  std::unique_ptr<PgAttemptLedger> ledger_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

// "<host>:<pid>:<index>": unique per process and thread, never holding '|' (the gate's separator).
std::string worker_name(int index);

}  // namespace herald::worker
