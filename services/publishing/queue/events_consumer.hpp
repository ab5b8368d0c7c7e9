#pragma once
// The consumer of publishing_events (consumer group "publishing"): each entry is a TargetEvent
// envelope from the scheduler or a worker, applied to its target by Posts::apply_event (a
// lifecycle compare-and-set, idempotent on the envelope id) and acknowledged after the commit.
// A refused transition (late, duplicate or out-of-order) and a malformed entry are logged and
// acknowledged; a failure to commit leaves the entry pending, and reclaim() takes over entries
// idle longer than `reclaim_idle` (after `max_deliveries` they go to the dead-letter stream).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/core/log/logger.hpp"
#include "services/core/redis/client.hpp"
#include "services/core/redis/streams.hpp"
#include "services/publishing/posts.hpp"

namespace herald::publishing {

struct ConsumerOptions {
  std::string group = "publishing";
  std::string consumer = "publishing";                // unique per replica (the module adds a suffix)
  std::size_t batch = 100;                            // entries per read (default 100)
  std::chrono::milliseconds block{1000};              // XREADGROUP BLOCK (default 1 s)
  std::chrono::milliseconds reclaim_idle{60'000};     // pending longer than this is taken over (60 s)
  std::int64_t max_deliveries = 10;                   // then dead-lettered (default 10)
};

struct ConsumerStats {
  int applied = 0;
  int skipped = 0;  // duplicate, stale, refused, unknown target, malformed
  int failed = 0;   // left pending
};

class EventsConsumer {
 public:
  EventsConsumer(Posts& posts, core::redis::Options redis, std::string stream, const core::log::Logger& log,
                 ConsumerOptions options = {});

  void ensure_group();
  // One XREADGROUP (blocking up to `block`) and the entries it returned.
  ConsumerStats poll_once();
  // Takes over and handles entries another consumer left pending.
  ConsumerStats reclaim_once();
  [[nodiscard]] const std::string& stream() const { return stream_; }

 private:
  void handle(const core::redis::StreamEntry& entry, ConsumerStats& stats);

  Posts& posts_;
  core::redis::Client client_;
  std::string stream_;
  const core::log::Logger& log_;
  ConsumerOptions options_;
};

}  // namespace herald::publishing
