#include "services/publishing/domain/lifecycle.hpp"

#include <array>
#include <initializer_list>
#include <utility>

namespace herald::publishing {
namespace {

constexpr std::array<std::pair<State, std::string_view>, 12> kStateNames{{
    {State::kDraft, "DRAFT"},
    {State::kInReview, "IN_REVIEW"},
    {State::kApproved, "APPROVED"},
    {State::kScheduled, "SCHEDULED"},
    {State::kDispatched, "DISPATCHED"},
    {State::kSending, "SENDING"},
    {State::kPublished, "PUBLISHED"},
    {State::kFailed, "FAILED"},
    {State::kUnknown, "UNKNOWN"},
    {State::kHeld, "HELD"},
    {State::kExpired, "EXPIRED"},
    {State::kCancelled, "CANCELLED"},
}};

constexpr std::array<std::pair<Event, std::string_view>, 18> kEventNames{{
    {Event::kSubmit, "submit"},
    {Event::kApprove, "approve"},
    {Event::kReject, "reject"},
    {Event::kSchedule, "schedule"},
    {Event::kDispatch, "dispatch"},
    {Event::kBeginSend, "begin_send"},
    {Event::kSucceed, "succeed"},
    {Event::kFailRetryable, "fail_retryable"},
    {Event::kFailPermanent, "fail_permanent"},
    {Event::kOutcomeUnknown, "outcome_unknown"},
    {Event::kReconcileFound, "reconcile_found"},
    {Event::kReconcileAbsent, "reconcile_absent"},
    {Event::kFreezeHold, "freeze_hold"},
    {Event::kReleaseFromHold, "release_from_hold"},
    {Event::kExpire, "expire"},
    {Event::kCancel, "cancel"},
    {Event::kEdit, "edit"},
    {Event::kReschedule, "reschedule"},
}};

TransitionResult go(State to) { return TransitionResult{to, {}}; }

TransitionResult no(State from, Event event, std::string_view why) {
  std::string reason = "cannot ";
  reason += to_string(event);
  reason += " (the target is ";
  reason += to_string(from);
  reason += "): ";
  reason += why;
  return TransitionResult{std::nullopt, std::move(reason)};
}

bool in(State s, std::initializer_list<State> set) {
  for (auto x : set) {
    if (x == s) return true;
  }
  return false;
}

// The common refusals for states where the platform call may be under way or is settled.
std::optional<TransitionResult> settled_or_in_flight(State from, Event event) {
  switch (from) {
    case State::kDispatched:
      return no(from, event, "it has been handed to a worker (cancel it, or wait for the attempt's result)");
    case State::kSending:
      return no(from, event, "the request is already on its way to the platform");
    case State::kUnknown:
      return no(from, event, "the last attempt's outcome is unknown; reconcile with the platform first");
    case State::kPublished:
      return no(from, event, "it is already published");
    case State::kCancelled:
      return no(from, event, "it was cancelled");
    default:
      return std::nullopt;
  }
}

State edit_destination(const LifecycleOptions& options) {
  return options.edit_after_approval == EditAfterApproval::kBackToDraft ? State::kDraft : State::kInReview;
}

TransitionResult decide(State from, Event event, const LifecycleOptions& options) {
  switch (event) {
    case Event::kSubmit:
      if (in(from, {State::kDraft, State::kExpired, State::kHeld})) return go(State::kInReview);
      if (from == State::kInReview) return no(from, event, "it is already in review");
      return no(from, event, "only a DRAFT, EXPIRED or HELD target can be submitted for review");

    case Event::kApprove:
      if (from == State::kInReview) return go(State::kApproved);
      if (from == State::kDraft) return no(from, event, "submit it for review first");
      return no(from, event, "approval completes a review in progress (IN_REVIEW) only");

    case Event::kReject:
      if (from == State::kInReview) return go(State::kDraft);
      return no(from, event, "only a target IN_REVIEW can be rejected");

    case Event::kSchedule:
      if (from == State::kApproved) return go(State::kScheduled);
      if (in(from, {State::kDraft, State::kInReview, State::kExpired}))
        return no(from, event, "it is not approved; only APPROVED work can be scheduled");
      if (from == State::kScheduled) return no(from, event, "it is already scheduled; reschedule it instead");
      if (from == State::kHeld) return no(from, event, "it is held by a freeze; reschedule it from the review lane");
      if (from == State::kFailed) return no(from, event, "reschedule a failed target to try again");
      return no(from, event, "only APPROVED work can be scheduled");

    case Event::kDispatch:
      if (from == State::kScheduled) return go(State::kDispatched);
      return no(from, event, "only SCHEDULED work can be dispatched");

    case Event::kBeginSend:
      if (from == State::kDispatched) return go(State::kSending);
      if (from == State::kUnknown)
        return no(from, event,
                  "the last attempt's outcome is unknown; it must be reconciled with the platform before any new "
                  "attempt");
      return no(from, event, "only DISPATCHED work can begin sending");

    case Event::kSucceed:
      if (from == State::kSending) return go(State::kPublished);
      if (from == State::kUnknown) return no(from, event, "an unknown outcome is settled by reconcile_found");
      return no(from, event, "no send is under way");

    case Event::kFailRetryable:
    case Event::kFailPermanent:
      if (in(from, {State::kSending, State::kDispatched}))
        return go(event == Event::kFailRetryable ? State::kScheduled : State::kFailed);
      if (from == State::kUnknown)
        return no(from, event, "the last attempt's outcome is unknown; reconcile with the platform first");
      return no(from, event, "no attempt is under way");

    case Event::kOutcomeUnknown:
      if (from == State::kSending) return go(State::kUnknown);
      if (from == State::kDispatched)
        return no(from, event, "the send gate was not passed, so no request started; use fail_retryable");
      return no(from, event, "no send is under way");

    case Event::kReconcileFound:
    case Event::kReconcileAbsent:
      if (from == State::kUnknown) return go(event == Event::kReconcileFound ? State::kPublished : State::kScheduled);
      return no(from, event, "only an UNKNOWN outcome is reconciled");

    case Event::kFreezeHold:
      if (in(from, {State::kScheduled, State::kDispatched})) return go(State::kHeld);
      if (from == State::kHeld) return no(from, event, "it is already held");
      if (from == State::kSending)
        return no(from, event, "the send began before the freeze (it is reported as in flight)");
      if (from == State::kUnknown)
        return no(from, event, "the outcome is unknown; reconciliation (a read) continues during a freeze");
      return no(from, event, "it has no slot, so nothing is due; the freeze applies when it is scheduled");

    case Event::kReleaseFromHold:
      if (from == State::kHeld) return go(State::kApproved);
      return no(from, event, "only a HELD target can be released");

    case Event::kExpire:
      if (from == State::kInReview) return go(State::kExpired);
      return no(from, event, "only a review in progress (IN_REVIEW) can expire");

    case Event::kCancel:
      if (from == State::kSending) return no(from, event, "the request is already on its way to the platform");
      if (from == State::kUnknown)
        return no(from, event, "the post may already be live; reconcile with the platform first");
      if (from == State::kPublished) return no(from, event, "it is already published; delete it instead");
      if (from == State::kCancelled) return no(from, event, "it is already cancelled");
      return go(State::kCancelled);

    case Event::kEdit:
      if (auto refused = settled_or_in_flight(from, event)) return *refused;
      if (from == State::kDraft || from == State::kInReview) return go(from);
      return go(edit_destination(options));

    case Event::kReschedule:
      if (auto refused = settled_or_in_flight(from, event)) return *refused;
      if (in(from, {State::kScheduled, State::kHeld, State::kFailed})) return go(State::kScheduled);
      if (from == State::kExpired) return go(State::kInReview);
      if (from == State::kDraft || from == State::kInReview) return go(from);  // only the planned slot moves
      return no(from, event, "it has no slot yet; schedule it");
  }
  return no(from, event, "unknown event");
}

}  // namespace

std::string_view to_string(State state) {
  for (const auto& [s, name] : kStateNames) {
    if (s == state) return name;
  }
  return "?";
}

std::string_view to_string(Event event) {
  for (const auto& [e, name] : kEventNames) {
    if (e == event) return name;
  }
  return "?";
}

std::optional<State> state_from_string(std::string_view text) {
  for (const auto& [s, name] : kStateNames) {
    if (name == text) return s;
  }
  return std::nullopt;
}

std::optional<Event> event_from_string(std::string_view text) {
  for (const auto& [e, name] : kEventNames) {
    if (name == text) return e;
  }
  return std::nullopt;
}

std::optional<std::string> why_not(State from, Event event, const LifecycleOptions& options) {
  auto r = decide(from, event, options);
  if (r.ok()) return std::nullopt;
  return std::move(r.reason);
}

TransitionResult transition(State from, Event event, const LifecycleOptions& options) {
  return decide(from, event, options);
}

std::vector<Event> allowed_events(State state, const LifecycleOptions& options) {
  std::vector<Event> out;
  for (auto e : kAllEvents) {
    if (decide(state, e, options).ok()) out.push_back(e);
  }
  return out;
}

bool is_terminal(State state) { return state == State::kPublished || state == State::kCancelled; }

bool is_in_flight(State state) {
  return state == State::kDispatched || state == State::kSending || state == State::kUnknown;
}

AdvanceResult advance(const Target& target, Event event, const LifecycleOptions& options) {
  auto r = decide(target.state, event, options);
  if (!r.ok()) return AdvanceResult{std::nullopt, std::move(r.reason)};
  const State to = *r.to;
  if (in(to, {State::kScheduled, State::kDispatched, State::kSending}) && !target.approval_current()) {
    std::string reason = "cannot ";
    reason += to_string(event);
    reason += ": the approval does not cover the current content (version " + std::to_string(target.content_version) +
              ", approved " +
              (target.approved_version ? "version " + std::to_string(*target.approved_version) : "never") +
              "); it must be approved again";
    return AdvanceResult{std::nullopt, std::move(reason)};
  }
  Target next = target;
  next.state = to;
  if (event == Event::kApprove) next.approved_version = target.content_version;
  if (event == Event::kEdit) next.content_version = target.content_version + 1;
  return AdvanceResult{next, {}};
}

}  // namespace herald::publishing
