#pragma once
// One DispatchJob, sent once (DESIGN.md sections 4 and 5): the governor's token, the account's
// credentials, BeginSend (the freeze fence and the in-flight lease, one atomic step), the
// adapter's publish, the attempt ledger row, the result event on publishing_events, EndSend.
// The consumer (queue/consumer.hpp) acknowledges the stream entry or leaves it as the returned
// Handling says. A Sender belongs to one thread (it holds that thread's Redis client and
// adapters); the gate makes several Senders, in one process or many, safe on the same job.
//
// Order of effects, chosen so that a crash between any two loses and duplicates nothing:
//   begin (lease) -> "sending" -> platform call -> ledger row -> result event -> end -> ack.
// A crash before the result event leaves the lease to expire: whoever picks the entry up next
// reads back by marker before sending again. The result event goes out before EndSend marks the
// key done, so a done key always has its event (a redelivered done key is just acknowledged).
// Event ids are "<send_key>:<attempt>:<outcome>": a repeated event is the same message.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "adapters/worker/domain/backoff.hpp"
#include "adapters/worker/store/attempt_ledger.hpp"
#include "herald/adapters/adapter.hpp"
#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/gate/send_gate.hpp"
#include "services/contracts/publishing/messages.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/redis/client.hpp"
#include "services/core/util/clock.hpp"

namespace herald::worker {

// The rate/quota governor's answer (the scheduler owns the token buckets; the composition root
// wires them in). granted = false: not now, try again at retry_at_ms.
struct GovernorVerdict {
  bool granted = true;
  std::int64_t retry_at_ms = 0;
};
// Null = no limit.
using Governor = std::function<GovernorVerdict(const contracts::DispatchJob& job, std::int64_t now_ms)>;

// The adapter for a platform, or nullptr when the platform is not configured.
using AdapterSource = std::function<std::unique_ptr<adapters::Adapter>(const std::string& platform)>;

struct SenderOptions {
  std::chrono::milliseconds lease{60'000};  // the in-flight lease a send holds (default 60 s)
  std::int64_t max_attempts = 5;            // publish calls that fail retryably before the target is failed (5);
                                            // waiting for a governor token is not a call
  BackoffPolicy backoff{};
  std::int64_t min_epoch = 0;               // the fence epoch PostgreSQL knows (0: any loaded fence)
  // A draw from [0, 1) for the jitter; null: a per-Sender PRNG.
  std::function<double()> random01{};
};

// What the consumer does with the stream entry.
enum class Disposition {
  kAck,        // settled (or handed to publishing as an event): acknowledge
  kRetrySoon,  // the fence is not loaded, or another worker holds the lease: try again shortly
  kLeave,      // uncertain and unsettled: leave it pending; it is reclaimed after the lease
};

struct Handling {
  Disposition disposition = Disposition::kAck;
  std::optional<contracts::Outcome> outcome;  // the result event sent, if any (besides "sending")
  std::string note;                           // why, for logs and tests ("frozen", "in_flight", ...)
};

class Sender {
 public:
  struct Deps {
    core::redis::Client& redis;
    adapters::Transport& transport;
    const core::Clock& clock;
    const contracts::gate::SendGate& gate;
    contracts::AccountDirectory& directory;
    AdapterSource adapters;
    AttemptLedger& ledger;
    const core::log::Logger& logger;
    contracts::StreamNames streams;
    Governor governor{};
    // Told the account whose token the platform refused, so that cached credentials are dropped
    // and the next send reads the vault again (after a reconnect). Optional.
    std::function<void(const std::string& account_id)> forget_credentials{};
  };

  Sender(Deps deps, std::string worker, SenderOptions options = {});

  // Never throws for what a platform does; throws core::redis::Error when Redis cannot be
  // reached (the entry stays pending and is tried again).
  Handling handle(const contracts::DispatchJob& job);

  [[nodiscard]] const std::string& worker() const { return worker_; }

 private:
  struct Call;  // one adapter call with its recorded requests

  Handling send(const contracts::DispatchJob& job, adapters::Adapter& adapter, const adapters::Credentials& creds,
                bool take_over);
  Handling reconcile_expired(const contracts::DispatchJob& job, adapters::Adapter& adapter,
                             const adapters::Credentials& creds);
  // `tries`: the publish calls made so far (the retry limit and the backoff count them).
  Handling retry_or_fail(const contracts::DispatchJob& job, const adapters::Error& error, std::int64_t tries);
  std::int64_t publish_calls(const contracts::DispatchJob& job);
  Handling fail(const contracts::DispatchJob& job, const std::string& error_class, const std::string& code,
                const std::string& message);
  void record(AttemptRow row);
  void emit(contracts::TargetEvent event, const contracts::DispatchJob& job);
  contracts::TargetEvent event_of(const contracts::DispatchJob& job, contracts::Outcome outcome) const;
  adapters::Adapter* adapter_for(const std::string& platform);
  [[nodiscard]] std::int64_t now_ms() const;
  double draw();

  Deps d_;
  std::string worker_;
  SenderOptions options_;
  std::map<std::string, std::unique_ptr<adapters::Adapter>> adapters_;
  std::uint64_t prng_;
};

// The PostContent a platform receives for a job (client marker, idempotency key = send key).
adapters::PostContent post_content(const contracts::DispatchJob& job);
// The gate's scope of a job.
contracts::gate::SendScope send_scope(const contracts::DispatchJob& job);

}  // namespace herald::worker
