#pragma once
// The outbox relay: scheduler commands are written to publishing_outbox in the transaction of the
// state change that implies them; the relay XADDs them, in id order, to the stream each row names
// (StreamNames(prefix).scheduler_commands) and deletes them in one transaction per batch. A crash
// between the XADD and the commit sends a row twice: the scheduler de-duplicates on the
// envelope id (DESIGN.md section 3), so nothing is lost and nothing is applied twice. Rows are
// taken with SKIP LOCKED, so several replicas may relay side by side.
#include <cstddef>

#include "services/core/log/logger.hpp"
#include "services/core/redis/pool.hpp"
#include "services/publishing/store/post_store.hpp"

namespace herald::publishing {

struct RelayOptions {
  int batch = 200;  // rows per transaction (default 200)
};

class OutboxRelay {
 public:
  OutboxRelay(PostStore& store, core::redis::Pool& redis, const core::log::Logger& log, RelayOptions options = {})
      : store_(store), redis_(redis), log_(log), options_(options) {}

  // One batch: XADDs up to `batch` rows and deletes them. Returns how many were sent; throws on
  // a PostgreSQL or Redis failure (the rows stay for the next pass).
  int relay_once();
  // Relays until the outbox is empty (or a pass fails: logged). Returns how many were sent.
  int drain();

 private:
  PostStore& store_;
  core::redis::Pool& redis_;
  const core::log::Logger& log_;
  RelayOptions options_;
};

}  // namespace herald::publishing
