#pragma once
// Consumes publishing's commands (consumer group "scheduler" on StreamNames.scheduler_commands):
// "schedule.set" upserts the target's job, "schedule.cancel" cancels it. Each entry's effect is
// made durable in PostgreSQL first (with its envelope id, so a redelivery is a no-op), then
// mirrored into the Redis due set, then acknowledged. A batch is one transaction; if it fails,
// its entries are applied one by one so a single bad one cannot hold the others back (a bad
// one stays unacknowledged and goes to the dead-letter stream after max_deliveries).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "scheduler/dispatch/due_set.hpp"
#include "scheduler/store/job_store.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/redis/streams.hpp"
#include "services/core/util/clock.hpp"

namespace herald::scheduler {

struct ConsumerOptions {
  std::string group = "scheduler";
  std::string consumer = "scheduler";             // unique per process (the module uses host-pid)
  std::size_t batch = 500;                        // entries per read (500)
  std::chrono::milliseconds block{1000};          // XREADGROUP BLOCK (1 s)
  std::chrono::milliseconds reclaim_idle{30000};  // entries idle this long are taken over (30 s)
  std::int64_t max_deliveries = 5;                // then they go to <stream>:dead (5)
  std::chrono::milliseconds error_wait{500};      // pause after a failure (500 ms)
};

struct ApplyReport {
  std::size_t applied = 0;     // a job set or cancelled
  std::size_t ignored = 0;     // an older version, or nothing to cancel
  std::size_t duplicates = 0;  // envelope id seen before
  std::size_t malformed = 0;   // acknowledged and logged, no effect
  std::size_t failed = 0;      // left unacknowledged for a redelivery
};

class CommandConsumer {
 public:
  // `on_due` is told the due instant of every job added (the dispatcher's notify).
  CommandConsumer(core::pg::Pool& pg, core::redis::Pool& redis, const core::Clock& clock, core::log::Logger& logger,
                  core::metrics::Registry& metrics, std::string prefix, std::function<void(std::int64_t)> on_due,
                  ConsumerOptions options = {});
  ~CommandConsumer();
  CommandConsumer(const CommandConsumer&) = delete;
  CommandConsumer& operator=(const CommandConsumer&) = delete;

  void ensure_group();
  // Reads new entries (waiting up to `block`), applies and acknowledges them.
  ApplyReport poll_once(std::chrono::milliseconds block);
  // Applies entries and acknowledges those whose effect is durable.
  ApplyReport apply(const std::vector<core::redis::StreamEntry>& entries);
  // Takes over entries left idle by a dead consumer and applies them.
  ApplyReport reclaim_once();

  void start();
  void stop();

 private:
  struct Command;
  void run();
  // Applies `commands` in one transaction, then to Redis; throws on a PostgreSQL failure.
  void apply_batch(std::vector<Command>& commands, ApplyReport& report);
  [[nodiscard]] std::int64_t now_ms() const;

  core::pg::Pool& pg_;
  core::redis::Pool& redis_;
  const core::Clock& clock_;
  core::log::Logger& logger_;
  contracts::StreamNames streams_;
  DueSet due_;
  std::function<void(std::int64_t)> on_due_;
  ConsumerOptions options_;
  core::metrics::Counter& applied_;
  core::metrics::Counter& malformed_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::scheduler
