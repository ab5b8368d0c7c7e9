#pragma once
// The publishing pipeline's streams and payloads (DESIGN.md sections 3 and 4), shared by the
// publishing service, the scheduler and the adapter workers:
//
//   publishing --schedule.set/cancel--> scheduler_commands --> scheduler (its own table + Redis)
//   scheduler  --due DispatchJob-------> dispatch(platform) --> adapters/worker
//   scheduler, worker --TargetEvent----> publishing_events --> publishing (the target's state)
//
// Every entry has one field, "payload": a JSON envelope {type, v, id, ts, trace_id, data}. `id` is
// unique per message and consumers are idempotent on it. A DispatchJob carries everything a
// worker needs to send (the content as approved, the scope the send gate checks), so a worker
// reads no other service's tables; credentials come from the accounts service
// (contracts/accounts/directory.hpp).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::contracts {

inline constexpr std::string_view kPayloadField = "payload";

// The stream names under the installation's key prefix (config redis.key_prefix, "herald").
struct StreamNames {
  explicit StreamNames(const std::string& p = "herald")
      : prefix(p), scheduler_commands(p + ":scheduler:commands"),
        publishing_events(p + ":publishing:events") {}
  std::string prefix;
  std::string scheduler_commands;  // publishing -> scheduler
  std::string publishing_events;   // scheduler, workers -> publishing
  // "<prefix>:publish:<platform>": due work for one platform's workers.
  [[nodiscard]] std::string dispatch(std::string_view platform) const {
    return prefix + ":publish:" + std::string(platform);
  }
};

// The envelope every stream message has (DESIGN.md section 3).
struct Envelope {
  std::string type;
  int v = 1;
  std::string id;
  std::int64_t ts_ms = 0;
  std::string trace_id;
  nlohmann::json data = nlohmann::json::object();
};

// {"payload": "<envelope json>"} for XADD.
std::vector<std::pair<std::string, std::string>> to_fields(const Envelope& e);
// Throws std::invalid_argument naming what is missing or malformed.
Envelope envelope_from_payload(std::string_view payload);

struct MediaRef {
  std::string kind = "image";  // "image" | "video"
  std::string url;
  std::string mime_type;
  std::int64_t bytes = 0;
  int width = 0;
  int height = 0;
  double duration_s = 0;
  std::string alt_text;
};

struct DispatchContent {
  std::string text;
  std::vector<MediaRef> media;
  std::optional<std::string> link;
  std::optional<std::string> title;
  std::vector<std::string> thread;
  std::optional<std::string> first_comment;
};

// One target (one post on one account) due for sending.
struct DispatchJob {
  std::string target_id;
  std::string post_id;
  std::string org_id;
  std::string brand_id;
  std::string account_id;
  std::string platform;
  std::string campaign_id;  // "" when none
  std::vector<std::string> tags;
  bool crisis_statement = false;  // approved through the crisis-statement lane: exempt from a freeze
  std::int64_t content_version = 1;
  std::int64_t due_at_ms = 0;  // UTC instant, milliseconds since the epoch
  std::int64_t attempt = 1;    // 1 for the first try; the scheduler is told a new due time for a retry
  DispatchContent content;
  std::string marker;  // the client marker placed in the post (read-back of uncertain sends)

  // The send gate's key: one send per target and approved content version.
  [[nodiscard]] std::string send_key() const { return target_id + ":" + std::to_string(content_version); }
};

nlohmann::json to_json(const DispatchJob& job);
// Throws std::invalid_argument naming the missing or malformed field.
DispatchJob dispatch_job_from_json(const nlohmann::json& j);

// publishing -> scheduler. type "schedule.set" (data: the job) or "schedule.cancel"
// (data: {target_id, content_version}: cancels that version or, with 0, any).
inline constexpr std::string_view kScheduleSet = "schedule.set";
inline constexpr std::string_view kScheduleCancel = "schedule.cancel";

// scheduler/worker -> publishing: what happened to a target. type "target.<outcome>".
enum class Outcome {
  kDispatched,  // the scheduler put it on its platform stream
  kHeld,        // due while frozen (scheduler) or refused by the gate (worker): waits for a person
  kSending,     // passed the gate; the platform call starts
  kPublished,   // the platform confirmed (or read-back found it)
  kRetry,       // retryable or rate-limited: due again at retry_at_ms
  kFailed,      // permanent: rejected, auth expired, or retries exhausted
  kUnknown,     // the outcome is uncertain and read-back could not settle it yet
  kMissed,      // the missed-post detector: still not sent well after its due time
};
std::string_view to_string(Outcome o);
std::optional<Outcome> outcome_from_string(std::string_view s);

struct TargetEvent {
  Outcome outcome = Outcome::kDispatched;
  std::string target_id;
  std::string org_id;
  std::int64_t content_version = 1;
  std::int64_t attempt = 1;
  std::int64_t at_ms = 0;
  std::string worker;            // who reported it
  std::string platform_post_id;  // kPublished
  std::string url;               // kPublished
  std::string first_comment_id;  // kPublished, when a first comment was posted
  std::string error_class;       // kRetry/kFailed/kUnknown/kHeld: adapters' ErrorClass spelling, or "frozen"
  std::string error_code;
  std::string error_message;  // never carries a secret (adapters guarantee it)
  std::int64_t retry_at_ms = 0;  // kRetry
};

Envelope to_envelope(const TargetEvent& e, std::string id, std::int64_t ts_ms, std::string trace_id = {});
// Throws std::invalid_argument.
TargetEvent target_event_from(const Envelope& e);

}  // namespace herald::contracts
