// Review and scheduling: submit, decisions (approval_policy.hpp), schedule, cancel and the
// approval-deadline sweep. Nothing reaches SCHEDULED without a complete review of its content.
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

PostView Posts::submit(const iam::Principal& p, const std::string& id) {
  return store_.transact([&](pqxx::work& tx) {
    auto found = PostStore::post(tx, p.org_id, id, true);
    if (!found) http::not_found("no such post");
    auto post = *found;
    iam::require_permission(p, perm::kPostWrite, post.brand_id);
    auto targets = PostStore::targets(tx, post.id, true);
    std::vector<TargetRecord*> ready;
    for (auto& t : targets) {
      if (!why_not(t.state, Event::kSubmit, options_.lifecycle)) ready.push_back(&t);
    }
    if (ready.empty()) {
      http::conflict("nothing to submit: " + state_list(targets) +
                     "; only DRAFT, EXPIRED or HELD targets go to review");
    }
    post.review_round += 1;
    auto ev = evaluate(options_.policy, facts_of(post), {}, to_sys(now_ms()));
    if (ev.expired) {
      http::invalid_field("scheduled_at", "the approval deadline for this slot has passed; give the post a later slot");
    }
    for (auto* t : ready) move(tx, post, *t, Event::kSubmit, actor_label(p), {{"round", post.review_round}});
    post.version = PostStore::update_post(tx, post);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"post.submit", "post", post.id, post.brand_id, {{"round", post.review_round}}});
    auto updated = *PostStore::post(tx, p.org_id, id, false);
    return view(tx, updated);
  });
}

PostView Posts::decide(const iam::Principal& p, const std::string& id, Verdict verdict, const std::string& reason,
                       const std::optional<std::string>& stage) {
  if (verdict == Verdict::kReject && reason.empty()) http::invalid_field("reason", "a rejection needs a reason");
  bool wrote_outbox = false;
  auto result = store_.transact([&](pqxx::work& tx) {
    auto found = PostStore::post(tx, p.org_id, id, true);
    if (!found) http::not_found("no such post");
    auto post = *found;
    iam::require_permission(p, perm::kPostApprove, post.brand_id);
    auto targets = PostStore::targets(tx, post.id, true);
    for (const auto& t : targets) {
      if (t.state == State::kInReview) {
        iam::require_account_permission(p, perm::kPostApprove, post.brand_id, t.account_id);
      }
    }
    bool in_review =
        std::any_of(targets.begin(), targets.end(), [](const auto& t) { return t.state == State::kInReview; });
    if (!in_review) http::conflict("the post is not in review: " + state_list(targets));
    if (contains(post.makers, p.user_id)) {
      http::forbidden("maker is never checker: you wrote or edited this post, so your decision cannot count");
    }
    Approver approver;
    approver.user_id = p.user_id;
    approver.display_name = p.label();
    if (const auto* m = p.membership(post.brand_id)) approver.role = m->role;
    approver.is_admin = p.is_admin;
    const auto now = to_sys(now_ms());
    const auto facts = facts_of(post);
    auto decisions = to_domain(PostStore::decisions(tx, post.id, post.review_round));
    auto before = evaluate(options_.policy, facts, decisions, now);
    if (auto why = why_cannot_decide(options_.policy, facts, decisions, approver, now)) {
      http::conflict("your decision cannot count: " + *why);
    }
    std::string stage_name = before.current_stage_name;
    if (stage && *stage != stage_name) {
      http::conflict("stage '" + *stage + "' is not the open one; the review is at '" + stage_name + "'");
    }
    DecisionRecord d;
    d.round = post.review_round;
    d.stage = stage_name;
    d.verdict = verdict == Verdict::kApprove ? "approve" : "reject";
    d.reason = reason;
    d.approver_id = approver.user_id;
    d.approver_label = approver.display_name;
    d.approver_role = approver.role;
    d.approver_admin = approver.is_admin;
    d.decided_at_unix = now.time_since_epoch().count();
    PostStore::add_decision(tx, post.id, d);
    decisions = to_domain(PostStore::decisions(tx, post.id, post.review_round));
    auto ev = evaluate(options_.policy, facts, decisions, now);
    const auto actor = actor_label(p);
    std::string outcome = "recorded";
    if (ev.rejected) {
      outcome = "rejected";
      for (auto& t : targets) {
        if (t.state == State::kInReview) move(tx, post, t, Event::kReject, actor, {{"reason", reason}});
      }
    } else if (ev.complete) {
      outcome = "approved";
      for (auto& t : targets) {
        if (t.state != State::kInReview) continue;
        move(tx, post, t, Event::kApprove, actor, {{"round", post.review_round}});
        if (post.scheduled_at_ms && *post.scheduled_at_ms > now_ms()) {
          move(tx, post, t, Event::kSchedule, "review complete", {{"scheduled_at", *post.scheduled_at_ms}});
          emit_set(tx, post, t);
          wrote_outbox = true;
        }
      }
    } else if (ev.expired) {
      outcome = "expired";
      for (auto& t : targets) {
        if (t.state == State::kInReview) move(tx, post, t, Event::kExpire, actor);
      }
    }
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"post.decide", "post", post.id, post.brand_id,
                            {{"verdict", d.verdict}, {"stage", stage_name}, {"round", post.review_round},
                             {"reason", reason}, {"outcome", outcome}}});
    return view(tx, post);
  });
  if (wrote_outbox) notify();
  return result;
}

PostView Posts::schedule(const iam::Principal& p, const std::string& id, const Slot& slot) {
  if (slot.at_ms <= now_ms()) http::invalid_field("scheduled_at", "the slot is in the past");
  auto result = store_.transact([&](pqxx::work& tx) {
    auto found = PostStore::post(tx, p.org_id, id, true);
    if (!found) http::not_found("no such post");
    auto post = *found;
    iam::require_permission(p, perm::kPostRead, post.brand_id);
    auto targets = PostStore::targets(tx, post.id, true);
    nlohmann::json refused = nlohmann::json::array();
    std::vector<TargetRecord*> todo;
    for (auto& t : targets) {
      iam::require_account_permission(p, perm::kPostPublish, post.brand_id, t.account_id);
      if (t.state == State::kCancelled || t.state == State::kPublished) continue;
      auto event = t.state == State::kApproved ? Event::kSchedule : Event::kReschedule;
      std::string why;
      if (t.state == State::kDraft || t.state == State::kInReview || t.state == State::kExpired) {
        why = "it is " + std::string(to_string(t.state)) + ", not approved; only approved work can be scheduled";
      } else if (auto r = advance(t.lifecycle(), event, options_.lifecycle); !r.ok()) {
        why = r.reason;
      }
      if (!why.empty()) {
        refused.push_back({{"target_id", t.id}, {"account_id", t.account_id}, {"state", to_string(t.state)},
                           {"reason", why}});
      } else {
        todo.push_back(&t);
      }
    }
    if (!refused.empty()) {
      conflict_with("cannot schedule: " + refused[0]["account_id"].get<std::string>() + " " +
                        refused[0]["reason"].get<std::string>(),
                    refused);
    }
    if (todo.empty()) http::conflict("nothing to schedule: " + state_list(targets));
    set_slot(post, slot);
    const auto actor = actor_label(p);
    for (auto* t : todo) {
      const auto before = t->state;
      move(tx, post, *t, before == State::kApproved ? Event::kSchedule : Event::kReschedule, actor,
           {{"scheduled_at", slot.at_ms}});
      if (before == State::kScheduled) emit_cancel(tx, *t, t->content_version);
      emit_set(tx, post, *t);
    }
    post.version = PostStore::update_post(tx, post);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"post.schedule", "post", post.id, post.brand_id,
                            {{"scheduled_at", slot.at_ms}, {"zone", slot.zone}, {"targets", todo.size()}}});
    auto updated = *PostStore::post(tx, p.org_id, id, false);
    return view(tx, updated);
  });
  notify();
  return result;
}

PostView Posts::cancel(const iam::Principal& p, const std::string& id) {
  bool wrote_outbox = false;
  auto result = store_.transact([&](pqxx::work& tx) {
    auto found = PostStore::post(tx, p.org_id, id, true);
    if (!found) http::not_found("no such post");
    auto post = *found;
    iam::require_permission(p, perm::kPostRead, post.brand_id);
    auto targets = PostStore::targets(tx, post.id, true);
    for (const auto& t : targets) iam::require_account_permission(p, perm::kPostPublish, post.brand_id, t.account_id);
    int cancelled = 0;
    nlohmann::json kept = nlohmann::json::array();
    for (auto& t : targets) {
      if (t.state == State::kCancelled || t.state == State::kPublished) continue;
      if (auto why = why_not(t.state, Event::kCancel, options_.lifecycle)) {
        kept.push_back({{"target_id", t.id}, {"account_id", t.account_id}, {"state", to_string(t.state)},
                        {"reason", *why}});
        continue;
      }
      const auto before = t.state;
      move(tx, post, t, Event::kCancel, actor_label(p));
      if (before == State::kScheduled || before == State::kDispatched || before == State::kHeld) {
        emit_cancel(tx, t, t.content_version);
        wrote_outbox = true;
      }
      ++cancelled;
    }
    if (cancelled == 0) {
      if (!kept.empty()) conflict_with("nothing could be cancelled: " + kept[0]["reason"].get<std::string>(), kept);
      http::conflict("nothing to cancel: " + state_list(targets));
    }
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"post.cancel", "post", post.id, post.brand_id, {{"cancelled", cancelled}, {"kept", kept}}});
    return view(tx, post);
  });
  if (wrote_outbox) notify();
  return result;
}

PostView Posts::release(const iam::Principal& p, const std::string& id) {
  auto result = store_.transact([&](pqxx::work& tx) {
    auto found = PostStore::post(tx, p.org_id, id, true);
    if (!found) http::not_found("no such post");
    auto post = *found;
    iam::require_permission(p, perm::kPostRead, post.brand_id);
    auto targets = PostStore::targets(tx, post.id, true);
    int released = 0;
    const auto actor = actor_label(p);
    for (auto& t : targets) {
      if (t.state != State::kHeld) continue;
      iam::require_account_permission(p, perm::kPostPublish, post.brand_id, t.account_id);
      move(tx, post, t, Event::kReleaseFromHold, actor);
      emit_cancel(tx, t, t.content_version);  // the scheduler forgets the held job
      ++released;
    }
    if (released == 0) http::conflict("nothing to release: no target is HELD (" + state_list(targets) + ")");
    identity_.append_audit(tx, iam::Actor::of(p), {"post.release", "post", post.id, post.brand_id, {{"released", released}}});
    return view(tx, post);
  });
  notify();
  return result;
}

int Posts::expire_due() {
  auto horizon = std::max(options_.policy.deadline_before_slot, options_.policy.expedited.deadline_before_slot);
  auto before = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(horizon).count();
  auto ids = store_.transact([&](pqxx::work& tx) { return PostStore::review_expiry_candidates(tx, before, 200); });
  int expired = 0;
  for (const auto& id : ids) {
    expired += store_.transact([&](pqxx::work& tx) {
      auto post = PostStore::lock_post_any(tx, id);
      if (!post) return 0;
      auto ev = evaluate_round(tx, *post);
      if (!ev.expired || ev.complete) return 0;
      int n = 0;
      auto targets = PostStore::targets(tx, id, true);
      for (auto& t : targets) {
        if (t.state != State::kInReview) continue;
        move(tx, *post, t, Event::kExpire, "approval deadline");
        ++n;
      }
      if (n > 0) {
        identity_.append_audit(tx, iam::Actor::system(post->org_id),
                               {"post.expire", "post", id, post->brand_id,
                                {{"targets", n}, {"round", post->review_round}}});
      }
      return n;
    });
  }
  return expired;
}

}  // namespace herald::publishing
