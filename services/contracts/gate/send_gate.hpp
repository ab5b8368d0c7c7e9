#pragma once
// BeginSend: the one gate every outbound platform call passes (DESIGN.md section 5). It checks
// the freeze fence and records the send as in flight in the same atomic step (one Lua script), so
// after a freeze is acknowledged no call starts for anything in its scope, and one send key is
// never in flight twice.
//
// Redis keys (one hash slot, `{fence}`, so every script is atomic on a cluster too):
//   herald:{fence}:state     hash  epoch (monotonic), loaded_ms: present only once the fence is loaded
//   herald:{fence}:scopes    set   active freeze scopes: "all" (the installation), "org:<id>" (all of
//                                  one organization), "brand:<id>", "platform:<name>" (or
//                                  "org:<id>:platform:<name>"), "account:<id>", "campaign:<id>",
//                                  "tag:<tag>" (or "org:<id>:tag:<tag>")
//   herald:{fence}:inflight  hash  send key -> "<lease_until_ms>|<worker>|<started_ms>|<epoch>"
//   herald:{fence}:done      zset  send key -> finished ms: sends that settled (published or failed
//                                  for good); a done key never begins again
//
// Fail closed: with no state hash (Redis lost it, or nobody loaded it) or an epoch older than the
// one the caller knows from PostgreSQL, every send is refused until the fence is reloaded.
// The crisis module (F4) owns freezes and raises the fence; until then the composition root loads
// an empty fence (ensure_loaded).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/core/redis/client.hpp"

namespace herald::contracts::gate {

struct SendScope {
  std::string brand_id;
  std::string platform;
  std::string account_id;
  std::string campaign_id;  // "" when none
  std::vector<std::string> tags;
  bool exempt = false;  // an approved crisis statement: passes a freeze (the exemption lane)
  std::string org_id{};  // the organization: a freeze of "all" its brands is "org:<id>"
};

// "all" plus one key per non-empty field of the scope, in the spelling of the scopes set.
std::vector<std::string> scope_keys(const SendScope& scope);

enum class Verdict {
  kOpen,          // go: the send is now in flight under this caller's lease
  kFrozen,        // a freeze covers it (`matched` names the scope)
  kFenceAbsent,   // fail closed: the fence is not loaded
  kFenceStale,    // fail closed: Redis holds an older epoch than the caller knows
  kInFlight,      // another lease on this send key is still live
  kLeaseExpired,  // a previous attempt's lease ran out (its worker died): reconcile before sending
  kAlreadyDone,   // this send key settled before: never send it again
};
std::string_view to_string(Verdict v);

struct Decision {
  Verdict verdict = Verdict::kFenceAbsent;
  std::int64_t epoch = 0;
  std::string matched;  // kFrozen: the scope key; kLeaseExpired: the stale lease record
  [[nodiscard]] bool open() const { return verdict == Verdict::kOpen; }
};

struct BeginRequest {
  std::string send_key;
  SendScope scope;
  std::string worker;
  std::int64_t now_ms = 0;
  std::int64_t lease_ms = 60'000;
  std::int64_t min_epoch = 0;  // the epoch PostgreSQL has (0: only require a loaded fence)
  bool take_over = false;      // replace an expired lease (after read-back proved the post absent)
};

enum class Settle {
  kDone,     // published or failed for good: the key is finished
  kRelease,  // retry later or outcome unknown: the key may begin again
};

struct InFlight {
  std::string send_key;
  std::string worker;
  std::int64_t started_ms = 0;
  std::int64_t lease_until_ms = 0;
};

// The key names, under a namespace ("herald" in production; tests use a unique one).
struct FenceKeys {
  explicit FenceKeys(const std::string& ns = "herald")
      : state(ns + ":{fence}:state"),
        scopes(ns + ":{fence}:scopes"),
        inflight(ns + ":{fence}:inflight"),
        done(ns + ":{fence}:done") {}
  std::string state, scopes, inflight, done;
};

class SendGate {
 public:
  explicit SendGate(FenceKeys keys = FenceKeys{}) : keys_(std::move(keys)) {}
  // BeginSend. Throws redis::Error when Redis cannot be reached: the caller must not send then.
  Decision begin(core::redis::Client& redis, const BeginRequest& request) const;
  // EndSend: drops the lease (only if `worker` still holds it) and, for kDone, marks the key done.
  // Returns false when the lease was no longer this worker's.
  bool end(core::redis::Client& redis, const std::string& send_key, const std::string& worker, Settle settle,
           std::int64_t now_ms) const;
  // Sends in flight now (live leases only), for the freeze acknowledgement.
  std::vector<InFlight> in_flight(core::redis::Client& redis, std::int64_t now_ms) const;
  // Whether the send key settled (published or failed for good).
  bool done(core::redis::Client& redis, const std::string& send_key) const;
  // Forgets done keys older than `before_ms` (housekeeping).
  std::int64_t trim_done(core::redis::Client& redis, std::int64_t before_ms) const;
  [[nodiscard]] const FenceKeys& keys() const { return keys_; }

 private:
  FenceKeys keys_;
};

// The fence's writer side (the crisis module, and the composition root until it exists).
class Fence {
 public:
  explicit Fence(FenceKeys keys = FenceKeys{}) : keys_(std::move(keys)) {}
  // Raises or lowers the fence: replaces the active scopes and sets the epoch, atomically, only
  // if `epoch` is not older than the stored one. Returns the stored epoch afterwards and, when
  // applied, the sends in flight at that instant.
  struct Applied {
    bool applied = false;
    std::int64_t epoch = 0;
    std::vector<InFlight> in_flight;
  };
  Applied publish(core::redis::Client& redis, std::int64_t epoch, const std::vector<std::string>& scopes,
                  std::int64_t now_ms) const;
  // Loads an empty fence at `epoch` if none is loaded; true when it was absent.
  bool ensure_loaded(core::redis::Client& redis, std::int64_t epoch, std::int64_t now_ms) const;
  // The loaded epoch, or nullopt when absent.
  std::optional<std::int64_t> epoch(core::redis::Client& redis) const;
  // The active scopes (empty when not frozen or not loaded).
  std::vector<std::string> scopes(core::redis::Client& redis) const;
  // Drops the whole fence state (tests and the reconciler's "Redis was lost" drill).
  void clear(core::redis::Client& redis) const;

 private:
  FenceKeys keys_;
};

}  // namespace herald::contracts::gate
