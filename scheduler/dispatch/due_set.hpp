#pragma once
// The Redis side of the scheduler (keys.hpp): the due set, its job payloads and the claim script
// that moves due work onto the platform streams. Every multi-key decision is one Lua script
// (DESIGN.md section 3), so any number of scheduler replicas can share one due set: a job is
// claimed by exactly one of them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/keys.hpp"
#include "services/contracts/gate/send_gate.hpp"
#include "services/contracts/publishing/messages.hpp"
#include "services/core/redis/client.hpp"

namespace herald::scheduler {

// The envelope type of a DispatchJob on a platform stream; its id is "dispatch:<job key>".
inline constexpr std::string_view kDispatchJobType = "dispatch.job";

// A job as the due set holds it.
struct DueEntry {
  std::string target_id;
  std::int64_t content_version = 0;
  std::int64_t attempt = 0;
  std::string platform;
  std::string org_id;
  std::int64_t due_ms = 0;
  std::string payload;  // DispatchJob json
};

enum class AddResult {
  kAdded,       // now in the due set
  kKept,        // a newer (or, for add_missing, any) version is already there
  kDispatched,  // this version was dispatched already (the settled mark says so)
  kHeld,        // this version was held already
  kCancelled,   // this version was cancelled (add_missing only)
};

struct Claimed {
  std::string target_id;
  std::int64_t content_version = 0;
  std::int64_t attempt = 0;
  std::string org_id;
  std::string platform;
  bool held = false;
  std::string scope;  // held: the matching freeze scope
  std::int64_t due_ms = 0;
};

struct ClaimBatch {
  bool fence_absent = false;  // fail closed: nothing was claimed, everything stays due
  std::vector<Claimed> claimed;
  std::optional<std::int64_t> next_due_ms;  // the earliest job left in the due set
};

class DueSet {
 public:
  explicit DueSet(std::string prefix);

  // Adds or replaces a job (the command consumer, after PostgreSQL): replaces only an older or
  // equal version and never re-adds a version already dispatched or held. One round trip per
  // call; add_many pipelines.
  AddResult add(core::redis::Client& redis, const DueEntry& entry) const;
  std::vector<AddResult> add_many(core::redis::Client& redis, const std::vector<DueEntry>& entries) const;
  // As add, but keeps whatever the due set already holds for the target (ZADD NX) and also
  // respects a cancellation mark: the reconciler's rebuild.
  std::vector<AddResult> add_missing(core::redis::Client& redis, const std::vector<DueEntry>& entries) const;
  // Removes the target's job if it is exactly that (content_version, attempt), the one PostgreSQL
  // cancelled, and marks it cancelled so a rebuild from an older snapshot cannot bring it back.
  // True when removed.
  bool cancel(core::redis::Client& redis, const std::string& target_id, std::int64_t content_version,
              std::int64_t attempt, std::int64_t now_ms) const;

  // The claim: up to `limit` (at most 2000) jobs due at `now_ms` (score <= now) leave the due set; each is either
  // appended to StreamNames(prefix).dispatch(platform) as a DispatchJob envelope or, when a freeze
  // covers it and it is not an exempt crisis statement, held. With the fence absent nothing moves.
  ClaimBatch claim(core::redis::Client& redis, std::int64_t now_ms, std::size_t limit) const;

  // The earliest due instant, or nullopt when the set is empty.
  std::optional<std::int64_t> next_due(core::redis::Client& redis) const;
  std::int64_t size(core::redis::Client& redis) const;
  // Forgets settled marks older than `before_ms` (once PostgreSQL surely has them).
  std::int64_t trim_marks(core::redis::Client& redis, std::int64_t before_ms) const;
  // Whether a settled mark ("d", "h" or "c") exists for that scheduling.
  bool marked(core::redis::Client& redis, char kind, const std::string& target_id, std::int64_t content_version,
              std::int64_t attempt) const;
  // Drops the scheduler's keys (tests; the "Redis was lost" drill).
  void clear(core::redis::Client& redis) const;

  [[nodiscard]] const SchedulerKeys& keys() const { return keys_; }

 private:
  std::vector<AddResult> add_pipelined(core::redis::Client& redis, const std::vector<DueEntry>& entries,
                                       bool only_missing) const;

  SchedulerKeys keys_;
  contracts::gate::FenceKeys fence_;
};

}  // namespace herald::scheduler
