#pragma once
// The reply sender: delivers queued inbox replies, each once. A reply is claimed in PostgreSQL
// (FOR UPDATE SKIP LOCKED, so two senders never take one), passes the send gate under the key
// "inbox-reply:<id>" (which records it in flight and refuses a key that settled before), is sent
// with the reply's id as the platform idempotency key, and settles: sent (with the platform's
// id, filed as an outbound item of the thread), queued again after a retryable error, failed for
// good, or unknown when the outcome cannot be known (never resent blindly; a person decides).
// Replies written by people pass a freeze (community managers keep answering in a crisis);
// automated replies do not (DESIGN.md section 5). Blocking; run it on its own thread.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "herald/adapters/adapter.hpp"
#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/gate/send_gate.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/redis/pool.hpp"
#include "services/inbox/inbox.hpp"

namespace herald::inbox {

struct ReplySenderOptions {
  int batch = 20;
  int max_attempts = 5;
  std::int64_t lease_ms = 60'000;
  std::string worker = "inbox";  // the gate's worker name (unique per process)
};

// The adapter for a platform (nullptr: not reachable) and the transport to call it with.
using AdapterFor = std::function<std::unique_ptr<adapters::Adapter>(const std::string& platform)>;

class ReplySender {
 public:
  ReplySender(core::pg::Pool& pg, core::redis::Pool& redis, contracts::AccountDirectory& directory,
              AdapterFor adapters, adapters::Transport& transport, Inbox& inbox,
              contracts::gate::SendGate gate = contracts::gate::SendGate{}, ReplySenderOptions options = {});

  // Sends what is due; returns how many replies it settled or re-queued.
  int run_once(std::int64_t now_ms);

 private:
  void send_one(std::int64_t reply_id, int attempts, std::int64_t now_ms);

  core::pg::Pool& pg_;
  core::redis::Pool& redis_;
  contracts::AccountDirectory& directory_;
  AdapterFor adapters_;
  adapters::Transport& transport_;
  Inbox& inbox_;
  contracts::gate::SendGate gate_;
  ReplySenderOptions options_;
  std::int64_t last_sweep_ms_ = std::numeric_limits<std::int64_t>::min() / 2;
};

}  // namespace herald::inbox
