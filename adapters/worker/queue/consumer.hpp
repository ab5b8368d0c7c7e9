#pragma once
// One worker thread's stream consumer (DESIGN.md section 3): consumer group "workers" over every
// platform's dispatch stream. Each round it re-handles the entries it parked for a moment (fence
// not loaded, another worker's live lease), takes over entries idle longer than a lease
// (XAUTOCLAIM: a killed worker's work; after max_deliveries they go to <stream>:dead), then reads
// new entries (XREADGROUP, COUNT batch, BLOCK). Entries are acknowledged once their outcome event
// is on publishing_events; a malformed entry goes to <stream>:dead at once.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/worker/sender.hpp"
#include "services/core/redis/streams.hpp"

namespace herald::worker {

inline constexpr std::string_view kWorkersGroup = "workers";

struct ConsumerOptions {
  std::size_t batch = 32;                      // XREADGROUP COUNT (default 32)
  std::chrono::milliseconds block{1000};       // XREADGROUP BLOCK; also bounds shutdown (default 1 s)
  // A parked entry is tried again after this, doubling per try up to 32x (default 0.5 s).
  std::chrono::milliseconds retry_soon{500};
  std::chrono::milliseconds reclaim_idle{65'000};  // take over entries idle this long (default lease + 5 s)
  std::chrono::milliseconds reclaim_every{5000};   // how often to look for them (default 5 s)
  std::int64_t max_deliveries = 10;            // then <stream>:dead (default 10)
};

struct ConsumerStats {
  std::uint64_t handled = 0, acked = 0, parked = 0, left = 0, reclaimed = 0, dead = 0, malformed = 0, errors = 0;
};

class Consumer {
 public:
  Consumer(core::redis::Client& redis, Sender& sender, std::vector<std::string> streams, std::string name,
           const core::Clock& clock, const core::log::Logger& logger, ConsumerOptions options = {});

  // XGROUP CREATE for every stream (an existing group is fine).
  void ensure_groups();
  // One round as described above. Returns how many entries were handled. Throws redis::Error.
  std::size_t poll_once();
  // Rounds until `stopping` (Redis failures are logged and retried after a pause).
  void run(const std::atomic<bool>& stopping);
  // Takes over every entry idle at least `min_idle` now, on every stream (tests: min_idle 0).
  std::size_t reclaim_now(std::chrono::milliseconds min_idle);

  [[nodiscard]] const ConsumerStats& stats() const { return stats_; }
  [[nodiscard]] std::size_t parked() const { return parked_.size(); }

 private:
  struct Parked {
    std::string stream;
    std::string id;
    contracts::DispatchJob job;
    std::chrono::steady_clock::time_point due;
    int tries = 0;
  };
  void process(const core::redis::StreamEntry& entry);
  void apply(const std::string& stream, const std::string& id, const contracts::DispatchJob& job, int tries = 0);
  void dead_letter(const core::redis::StreamEntry& entry, const std::string& why);

  core::redis::Client& redis_;
  Sender& sender_;
  std::vector<std::string> streams_;
  std::string name_;
  const core::Clock& clock_;
  const core::log::Logger& logger_;
  ConsumerOptions options_;
  std::vector<Parked> parked_;
  std::chrono::steady_clock::time_point next_reclaim_{};
  ConsumerStats stats_;
};

}  // namespace herald::worker
