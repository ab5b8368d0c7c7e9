// The pipeline's TargetEvents (scheduler, workers) applied to targets: compare-and-set through
// the lifecycle, idempotent on the envelope id, stale and out-of-order events ignored.
#include "services/publishing/posts.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/capabilities.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/crypto/random.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"
#include "services/publishing/domain/local_time.hpp"
#include "services/publishing/posts_support.hpp"

namespace herald::publishing {

namespace http = core::http;
namespace perm = iam::perm;
using contracts::Outcome;
using namespace detail;  // NOLINT: the module's own shared helpers (posts_support.hpp)

ApplyResult Posts::apply_event(const contracts::Envelope& envelope) {
  auto ev = contracts::target_event_from(envelope);
  if (!core::is_uuid(ev.target_id)) return {ApplyOutcome::kUnknownTarget, "the target id is not a UUID"};
  bool wrote_outbox = false;
  auto result = store_.transact([&](pqxx::work& tx) -> ApplyResult {
    if (!PostStore::mark_processed(tx, envelope.id)) return {ApplyOutcome::kDuplicate, "already applied"};
    auto post_id = PostStore::post_of_target(tx, ev.target_id);
    if (!post_id) return {ApplyOutcome::kUnknownTarget, "no such target"};
    auto post = PostStore::lock_post_any(tx, *post_id);
    auto targets = PostStore::targets(tx, *post_id, true);
    auto it = std::find_if(targets.begin(), targets.end(), [&](const auto& t) { return t.id == ev.target_id; });
    auto& t = *it;
    if (!ev.org_id.empty() && ev.org_id != t.org_id) {
      return {ApplyOutcome::kRefused, "the event names another organization"};
    }
    if (ev.content_version != t.content_version) {
      return {ApplyOutcome::kStale, "the event is for content version " + std::to_string(ev.content_version) +
                                        "; the target is at " + std::to_string(t.content_version)};
    }
    if (ev.attempt < t.attempt) {
      return {ApplyOutcome::kStale, "the event is for attempt " + std::to_string(ev.attempt) + "; the target is at " +
                                        std::to_string(t.attempt)};
    }
    const std::string actor = ev.worker.empty() ? "pipeline" : ev.worker;
    // The lifecycle events the outcome stands for from the stored state. Events can arrive late
    // or out of order (a worker's "published" before the scheduler's "dispatched"): the steps
    // the target missed are walked through advance() too, so the approval check still applies.
    std::vector<Event> steps;
    const auto s = t.state;
    switch (ev.outcome) {
      case Outcome::kDispatched: steps = {Event::kDispatch}; break;
      case Outcome::kSending:
        if (s == State::kScheduled) steps.push_back(Event::kDispatch);
        steps.push_back(Event::kBeginSend);
        break;
      case Outcome::kPublished:
        if (s == State::kUnknown) {
          steps = {Event::kReconcileFound};
          break;
        }
        if (s == State::kScheduled) steps.push_back(Event::kDispatch);
        if (s == State::kScheduled || s == State::kDispatched) steps.push_back(Event::kBeginSend);
        steps.push_back(Event::kSucceed);
        break;
      case Outcome::kRetry:
        if (s == State::kUnknown) {
          steps = {Event::kReconcileAbsent};
          break;
        }
        if (s == State::kScheduled) steps.push_back(Event::kDispatch);
        steps.push_back(Event::kFailRetryable);
        break;
      case Outcome::kFailed:
        if (s == State::kScheduled) steps.push_back(Event::kDispatch);
        steps.push_back(Event::kFailPermanent);
        break;
      case Outcome::kUnknown:
        if (s == State::kScheduled) steps.push_back(Event::kDispatch);
        if (s == State::kScheduled || s == State::kDispatched) steps.push_back(Event::kBeginSend);
        steps.push_back(Event::kOutcomeUnknown);
        break;
      case Outcome::kHeld: steps = {Event::kFreezeHold}; break;
      case Outcome::kMissed:
        PostStore::mark_error(tx, t.id, "missed: not sent well after its due time", "missed");
        return {ApplyOutcome::kApplied, "missed recorded"};
    }
    Target cur = t.lifecycle();
    for (auto e : steps) {
      auto r = advance(cur, e, options_.lifecycle);
      if (!r.ok()) return {ApplyOutcome::kRefused, r.reason};
      cur = *r.target;
    }
    int attempt = t.attempt;
    if (ev.outcome == Outcome::kRetry) attempt = static_cast<int>(ev.attempt) + 1;
    if (!PostStore::cas(tx, t.id, t.state, cur, attempt)) return {ApplyOutcome::kRefused, "the target changed"};
    Target walk = t.lifecycle();
    for (auto e : steps) {
      auto next = *advance(walk, e, options_.lifecycle).target;
      PostStore::add_transition(tx, *post_id, t.id, walk.state, next.state, e, actor,
                                {{"event_id", envelope.id}, {"attempt", ev.attempt}});
      walk = next;
    }
    t.state = cur.state;
    t.attempt = attempt;
    switch (ev.outcome) {
      case Outcome::kPublished:
        PostStore::mark_published(tx, t.id, ev.platform_post_id, ev.url, ev.first_comment_id);
        break;
      case Outcome::kRetry: {
        PostStore::mark_error(tx, t.id, ev.error_message, ev.error_class);
        PostRecord due = *post;
        due.scheduled_at_ms = ev.retry_at_ms > 0 ? ev.retry_at_ms : now_ms();
        emit_set(tx, due, t);
        wrote_outbox = true;
        break;
      }
      case Outcome::kFailed:
      case Outcome::kUnknown:
      case Outcome::kHeld:
        PostStore::mark_error(tx, t.id, ev.error_message, ev.error_class.empty() ? "frozen" : ev.error_class);
        break;
      default: break;
    }
    return {ApplyOutcome::kApplied, std::string(to_string(cur.state))};
  });
  if (wrote_outbox) notify();
  return result;
}

}  // namespace herald::publishing
