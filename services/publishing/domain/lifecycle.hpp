#pragma once
// The publish lifecycle of one target (one post on one account), DESIGN.md section 4:
//
//   DRAFT -> IN_REVIEW -> APPROVED -> SCHEDULED -> DISPATCHED -> SENDING -> PUBLISHED | FAILED | UNKNOWN
//   plus HELD (frozen), EXPIRED (approval came too late) and CANCELLED.
//
// Pure: a table of (state, event) -> next state or the reason it is refused. The store applies a
// transition as a compare-and-set on the stored state (UPDATE ... WHERE state = from), so two
// writers racing (a user cancelling a DISPATCHED target while its worker begins the send) cannot
// both win: whichever commits first decides, and the other's event is refused.
//
// The guarantees the table keeps (lifecycle_test.cpp tries every reachable path to break them):
//  - Nothing reaches SCHEDULED, DISPATCHED or SENDING without an `approve` since the last `edit`.
//    An edit is accepted only where the content is still ours (DRAFT, IN_REVIEW, APPROVED,
//    SCHEDULED, HELD, EXPIRED, FAILED) and always lands in DRAFT or IN_REVIEW.
//  - UNKNOWN never goes back to SENDING directly: only `reconcile_found` (-> PUBLISHED) or
//    `reconcile_absent` (-> SCHEDULED, from where the dispatcher starts a new attempt) leave it.
//    It cannot be cancelled, edited or held either: the post may already be live.
//  - HELD never leaves on its own: only a person's `reschedule`, `release_from_hold`, `submit`
//    (ask for re-approval), `edit` or `cancel` moves it.
//
// `Target` adds the approval bookkeeping the store persists (content version and the version
// that was approved), so the invariant is also checked on the stored row, not only implied by
// the table: `advance()` refuses to enter SCHEDULED/DISPATCHED/SENDING when the approved version
// is not the current content version.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::publishing {

enum class State {
  kDraft,
  kInReview,
  kApproved,
  kScheduled,
  kDispatched,
  kSending,
  kPublished,
  kFailed,
  kUnknown,
  kHeld,
  kExpired,
  kCancelled,
};

enum class Event {
  kSubmit,           // author asks for review (DRAFT, EXPIRED, HELD -> IN_REVIEW)
  kApprove,          // the approval policy is complete (IN_REVIEW -> APPROVED)
  kReject,           // a reviewer rejected with a reason (IN_REVIEW -> DRAFT)
  kSchedule,         // give an approved target a slot (APPROVED -> SCHEDULED)
  kDispatch,         // the dispatcher claimed due work (SCHEDULED -> DISPATCHED)
  kBeginSend,        // the worker passed the send gate (DISPATCHED -> SENDING)
  kSucceed,          // the platform confirmed the post (SENDING -> PUBLISHED)
  kFailRetryable,    // retryable or rate-limited: try again later (SENDING/DISPATCHED -> SCHEDULED)
  kFailPermanent,    // rejected, auth expired, or retries exhausted (SENDING/DISPATCHED -> FAILED)
  kOutcomeUnknown,   // timeout/reset after the request was written, or a lost lease (SENDING -> UNKNOWN)
  kReconcileFound,   // read-back found the post (UNKNOWN -> PUBLISHED)
  kReconcileAbsent,  // read-back proved it absent (UNKNOWN -> SCHEDULED, a new attempt)
  kFreezeHold,       // due while frozen, or refused by the gate (SCHEDULED/DISPATCHED -> HELD)
  kReleaseFromHold,  // review lane: keep it, without a slot (HELD -> APPROVED)
  kExpire,           // the approval deadline before the slot passed (IN_REVIEW -> EXPIRED)
  kCancel,           // discard (-> CANCELLED) unless SENDING, UNKNOWN or settled
  kEdit,             // the content changed: approval is invalidated (-> DRAFT or IN_REVIEW)
  kReschedule,       // a new slot (SCHEDULED/HELD/FAILED -> SCHEDULED, EXPIRED -> IN_REVIEW;
                     // DRAFT and IN_REVIEW stay: only the planned slot moves)
};

inline constexpr State kAllStates[] = {
    State::kDraft,     State::kInReview, State::kApproved, State::kScheduled, State::kDispatched, State::kSending,
    State::kPublished, State::kFailed,   State::kUnknown,  State::kHeld,      State::kExpired,    State::kCancelled,
};
inline constexpr Event kAllEvents[] = {
    Event::kSubmit,        Event::kApprove,         Event::kReject,         Event::kSchedule,
    Event::kDispatch,      Event::kBeginSend,       Event::kSucceed,        Event::kFailRetryable,
    Event::kFailPermanent, Event::kOutcomeUnknown,  Event::kReconcileFound, Event::kReconcileAbsent,
    Event::kFreezeHold,    Event::kReleaseFromHold, Event::kExpire,         Event::kCancel,
    Event::kEdit,          Event::kReschedule,
};

// "DRAFT", "IN_REVIEW", ... (the stored and API spelling).
std::string_view to_string(State state);
// "submit", "begin_send", ... (the API and audit spelling).
std::string_view to_string(Event event);
std::optional<State> state_from_string(std::string_view text);
std::optional<Event> event_from_string(std::string_view text);

// Where an edit of approved content sends the target (a per-brand setting).
enum class EditAfterApproval {
  kBackToReview,  // default: the edited post goes straight back to review (decisions so far lapse)
  kBackToDraft,   // the author resubmits when ready
};

struct LifecycleOptions {
  EditAfterApproval edit_after_approval = EditAfterApproval::kBackToReview;
};

struct TransitionResult {
  std::optional<State> to;  // set when the event is allowed
  std::string reason;       // why not, for people, when it is refused

  [[nodiscard]] bool ok() const { return to.has_value(); }
};

// nullopt when `event` is allowed in `from`; otherwise the reason in plain words.
std::optional<std::string> why_not(State from, Event event, const LifecycleOptions& options = {});
TransitionResult transition(State from, Event event, const LifecycleOptions& options = {});

// The events a person or process may send in `state` (for the UI's buttons and the API's 409s).
std::vector<Event> allowed_events(State state, const LifecycleOptions& options = {});

// PUBLISHED and CANCELLED: nothing leaves them.
bool is_terminal(State state);
// DISPATCHED, SENDING, UNKNOWN: a platform call may be under way or may have happened.
bool is_in_flight(State state);

// The stored row's lifecycle part. `content_version` grows with every edit; `approved_version` is
// the content version that the last completed approval covered (nullopt: never approved).
struct Target {
  State state = State::kDraft;
  std::int64_t content_version = 1;
  std::optional<std::int64_t> approved_version;

  [[nodiscard]] bool approval_current() const { return approved_version && *approved_version == content_version; }
};

struct AdvanceResult {
  std::optional<Target> target;  // the new row when allowed
  std::string reason;

  [[nodiscard]] bool ok() const { return target.has_value(); }
};

// transition() plus the bookkeeping: `approve` records the current content version as approved,
// `edit` bumps the content version; entering SCHEDULED/DISPATCHED/SENDING is refused unless the
// approval is current (a stale or corrupted row can never reach a platform).
AdvanceResult advance(const Target& target, Event event, const LifecycleOptions& options = {});

}  // namespace herald::publishing
