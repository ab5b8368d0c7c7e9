#pragma once
// The reconciler (DESIGN.md section 3: every Redis structure can be rebuilt from PostgreSQL):
// puts every pending job of the scheduler's table back into the Redis due set if it is missing
// there (ZADD NX semantics, so a FLUSHALL loses nothing), settles jobs the dispatcher moved but
// could not record (a crash between the claim and PostgreSQL), and runs the missed-post
// detector: a pending job overdue by more than `missed_after` raises a "missed" event for
// publishing, a warning log and the herald_scheduler_missed_total counter. Runs at start and
// every `interval`.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "scheduler/dispatch/dispatcher.hpp"
#include "scheduler/store/job_store.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/util/clock.hpp"

namespace herald::scheduler {

struct ReconcilerOptions {
  std::chrono::milliseconds interval{30000};            // between passes (30 s)
  std::chrono::milliseconds missed_after{60000};        // overdue threshold of the detector (60 s)
  int page = 2000;                                      // pending rows per PostgreSQL page (2000)
  std::chrono::milliseconds mark_retention{3600000};    // settled marks kept in Redis (1 h)
  std::chrono::milliseconds seen_retention{604800000};  // command ids kept in PostgreSQL (7 days)
  std::string worker = "scheduler";
};

struct ReconcileReport {
  std::size_t pending = 0;    // pending rows seen
  std::size_t restored = 0;   // put back into the due set
  std::size_t recovered = 0;  // found dispatched/held in Redis, now recorded in PostgreSQL
  std::size_t missed = 0;     // reported by the detector
};

class Reconciler {
 public:
  Reconciler(JobStore& store, core::redis::Pool& redis, Dispatcher& dispatcher, const core::Clock& clock,
             core::log::Logger& logger, core::metrics::Registry& metrics, std::string prefix,
             ReconcilerOptions options = {});
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // Rebuild + recovery + housekeeping (not the detector).
  ReconcileReport rebuild();
  // The missed-post detector; returns how many jobs it reported.
  std::size_t detect_missed();
  // Both, as the background pass does.
  ReconcileReport run_once();

  void start();
  void stop();

 private:
  void run();
  [[nodiscard]] std::int64_t now_ms() const;

  JobStore& store_;
  core::redis::Pool& redis_;
  Dispatcher& dispatcher_;
  const core::Clock& clock_;
  core::log::Logger& logger_;
  contracts::StreamNames streams_;
  DueSet due_;
  ReconcilerOptions options_;
  core::metrics::Counter& missed_;
  core::metrics::Counter& restored_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::scheduler
