#pragma once
// The dispatcher: one thread per scheduler process that wakes exactly at the next due instant
// (a condition variable waits until the earliest score; a new command with an earlier due time
// wakes it sooner), claims due work in batches with one Lua script (DueSet::claim), reports
// "dispatched" / "held" events to publishing and records them in PostgreSQL in batches (a
// second thread, so the claim path never waits on PostgreSQL).
//
// Nothing is dispatched before its due time: a job is claimed only when its score (due ms) is
// <= the clock's now in whole milliseconds.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "scheduler/dispatch/due_set.hpp"
#include "scheduler/store/job_store.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/util/clock.hpp"

namespace herald::scheduler {

struct DispatcherOptions {
  std::size_t batch = 1000;                        // jobs claimed per script call (default 1000)
  std::chrono::milliseconds idle_wait{1000};       // longest sleep, also with nothing due (1 s)
  std::chrono::milliseconds fence_absent_wait{250};  // retry while the fence is not loaded (250 ms)
  std::chrono::milliseconds error_wait{500};       // after a Redis or PostgreSQL failure (500 ms)
  std::string worker = "scheduler";                // the `worker` of the events it reports
};

struct PassReport {
  std::size_t dispatched = 0;
  std::size_t held = 0;
  bool fence_absent = false;
  bool more = false;  // a full batch: more may be due right now
  std::optional<std::int64_t> next_due_ms;
};

class Dispatcher {
 public:
  Dispatcher(core::redis::Pool& redis, JobStore& store, const core::Clock& clock, core::log::Logger& logger,
             core::metrics::Registry& metrics, std::string prefix, DispatcherOptions options = {});
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // One pass at the clock's now: claims up to `batch` due jobs, reports their events and queues
  // their PostgreSQL marks (flush_marks writes them).
  PassReport dispatch_due();
  // Writes the queued marks to PostgreSQL now; returns how many rows moved.
  std::size_t flush_marks();
  // Reports and records settled jobs found by the reconciler (recovery after a crash).
  void settle(const std::vector<Claimed>& claimed, std::int64_t now_ms);

  // A job due at `due_ms` was added: wake up sooner if that is before the planned wake-up.
  void notify(std::int64_t due_ms);

  void start();
  void stop();

  [[nodiscard]] const DueSet& due_set() const { return due_; }

 private:
  void run();
  void run_marks();
  void emit(core::redis::Client& redis, const std::vector<Claimed>& claimed, std::int64_t now_ms);
  [[nodiscard]] std::int64_t now_ms() const;

  core::redis::Pool& redis_;
  JobStore& store_;
  const core::Clock& clock_;
  core::log::Logger& logger_;
  contracts::StreamNames streams_;
  DueSet due_;
  DispatcherOptions options_;
  core::metrics::Counter& dispatched_;
  core::metrics::Counter& held_;
  core::metrics::Counter& failures_;
  core::metrics::Histogram& lateness_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poked_ = false;
  std::int64_t next_wake_ms_ = 0;
  std::thread thread_;

  std::mutex marks_mutex_;
  std::condition_variable marks_ready_;
  std::vector<Settled> marks_;
  bool marks_stopping_ = false;
  std::thread marks_thread_;
};

}  // namespace herald::scheduler
