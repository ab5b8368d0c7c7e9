#include "services/publishing/domain/lifecycle.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <set>
#include <utility>

namespace herald::publishing {
namespace {

State must(State from, Event e, const LifecycleOptions& o = {}) {
  auto r = transition(from, e, o);
  EXPECT_TRUE(r.ok()) << to_string(from) << " + " << to_string(e) << ": " << r.reason;
  return r.to.value_or(from);
}

bool gated(State s) { return s == State::kScheduled || s == State::kDispatched || s == State::kSending; }

TEST(Lifecycle, NamesRoundTripAndUnknownNamesAreRefused) {
  for (auto s : kAllStates) EXPECT_EQ(state_from_string(to_string(s)), s) << to_string(s);
  for (auto e : kAllEvents) EXPECT_EQ(event_from_string(to_string(e)), e) << to_string(e);
  EXPECT_EQ(to_string(State::kInReview), "IN_REVIEW");
  EXPECT_EQ(to_string(Event::kBeginSend), "begin_send");
  EXPECT_FALSE(state_from_string("in_review"));
  EXPECT_FALSE(state_from_string("PUBLISH"));
  EXPECT_FALSE(event_from_string("BEGIN_SEND"));
  EXPECT_FALSE(event_from_string(""));
}

TEST(Lifecycle, HappyPathFromDraftToPublished) {
  State s = State::kDraft;
  s = must(s, Event::kSubmit);
  EXPECT_EQ(s, State::kInReview);
  s = must(s, Event::kApprove);
  EXPECT_EQ(s, State::kApproved);
  s = must(s, Event::kSchedule);
  EXPECT_EQ(s, State::kScheduled);
  s = must(s, Event::kDispatch);
  EXPECT_EQ(s, State::kDispatched);
  s = must(s, Event::kBeginSend);
  EXPECT_EQ(s, State::kSending);
  s = must(s, Event::kSucceed);
  EXPECT_EQ(s, State::kPublished);
}

TEST(Lifecycle, UnapprovedWorkCannotBeScheduled) {
  for (auto s : {State::kDraft, State::kInReview, State::kExpired}) {
    auto why = why_not(s, Event::kSchedule);
    ASSERT_TRUE(why) << to_string(s);
    EXPECT_NE(why->find("only APPROVED work"), std::string::npos) << *why;
  }
  EXPECT_FALSE(why_not(State::kApproved, Event::kSchedule));
  EXPECT_TRUE(why_not(State::kDraft, Event::kDispatch));
  EXPECT_TRUE(why_not(State::kApproved, Event::kDispatch));
  EXPECT_TRUE(why_not(State::kScheduled, Event::kBeginSend));
}

TEST(Lifecycle, RejectEndsTheReviewBackInDraft) {
  EXPECT_EQ(must(State::kInReview, Event::kReject), State::kDraft);
  EXPECT_TRUE(why_not(State::kApproved, Event::kReject));
  EXPECT_TRUE(why_not(State::kDraft, Event::kApprove));
}

TEST(Lifecycle, AttemptResults) {
  EXPECT_EQ(must(State::kSending, Event::kFailRetryable), State::kScheduled);
  EXPECT_EQ(must(State::kDispatched, Event::kFailRetryable), State::kScheduled);
  EXPECT_EQ(must(State::kSending, Event::kFailPermanent), State::kFailed);
  EXPECT_EQ(must(State::kSending, Event::kOutcomeUnknown), State::kUnknown);
  // Before the gate no request started, so it is not an unknown outcome.
  EXPECT_TRUE(why_not(State::kDispatched, Event::kOutcomeUnknown));
  EXPECT_TRUE(why_not(State::kScheduled, Event::kSucceed));
}

TEST(Lifecycle, UnknownLeavesOnlyThroughReconciliation) {
  auto why = why_not(State::kUnknown, Event::kBeginSend);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("reconcile"), std::string::npos) << *why;
  EXPECT_EQ(must(State::kUnknown, Event::kReconcileFound), State::kPublished);
  EXPECT_EQ(must(State::kUnknown, Event::kReconcileAbsent), State::kScheduled);
  std::vector<Event> expected{Event::kReconcileFound, Event::kReconcileAbsent};
  EXPECT_EQ(allowed_events(State::kUnknown), expected);
  // Not retried, cancelled, edited or held while the post may already be live.
  for (auto e : {Event::kFailRetryable, Event::kCancel, Event::kEdit, Event::kFreezeHold, Event::kReschedule,
                 Event::kSucceed, Event::kDispatch}) {
    EXPECT_TRUE(why_not(State::kUnknown, e)) << to_string(e);
  }
}

TEST(Lifecycle, OnlyDispatchedWorkEntersSending) {
  for (auto s : kAllStates) {
    for (auto e : kAllEvents) {
      auto r = transition(s, e);
      if (r.ok() && *r.to == State::kSending) {
        EXPECT_EQ(s, State::kDispatched) << to_string(e);
        EXPECT_EQ(e, Event::kBeginSend);
      }
    }
  }
}

// Every path out of UNKNOWN that avoids the reconcile events stays in UNKNOWN: no retry, no new
// attempt, no route around the read-back.
TEST(Lifecycle, NoPathFromUnknownToSendingAvoidsReconciliation) {
  std::set<State> seen{State::kUnknown};
  std::deque<State> todo{State::kUnknown};
  while (!todo.empty()) {
    State s = todo.front();
    todo.pop_front();
    for (auto e : kAllEvents) {
      if (e == Event::kReconcileFound || e == Event::kReconcileAbsent) continue;
      auto r = transition(s, e);
      if (r.ok() && seen.insert(*r.to).second) todo.push_back(*r.to);
    }
  }
  EXPECT_EQ(seen, std::set<State>{State::kUnknown});
}

// The invariant, exhaustively: explore every reachable (state, approved-since-last-edit) pair from
// DRAFT under every event, for both edit settings. SCHEDULED, DISPATCHED and SENDING are never
// reached with a lapsed approval.
TEST(Lifecycle, NothingReachesTheGatedStatesWithoutApprovalSinceTheLastEdit) {
  for (auto mode : {EditAfterApproval::kBackToReview, EditAfterApproval::kBackToDraft}) {
    LifecycleOptions o;
    o.edit_after_approval = mode;
    using Node = std::pair<State, bool>;
    std::set<Node> seen{{State::kDraft, false}};
    std::deque<Node> todo{{State::kDraft, false}};
    while (!todo.empty()) {
      auto [s, approved] = todo.front();
      todo.pop_front();
      if (gated(s)) {
        EXPECT_TRUE(approved) << to_string(s) << " reached without a current approval";
      }
      for (auto e : kAllEvents) {
        auto r = transition(s, e, o);
        if (!r.ok()) continue;
        bool next_approved = approved;
        if (e == Event::kApprove) next_approved = true;
        if (e == Event::kEdit) next_approved = false;
        Node n{*r.to, next_approved};
        if (seen.insert(n).second) todo.push_back(n);
      }
    }
    // The walk really got everywhere (so the check above covered the whole machine).
    std::set<State> states;
    for (const auto& n : seen) states.insert(n.first);
    EXPECT_EQ(states.size(), std::size(kAllStates));
  }
}

TEST(Lifecycle, AnEditAfterApprovalSendsItBackToReviewOrDraft) {
  for (auto s : {State::kApproved, State::kScheduled, State::kHeld, State::kFailed, State::kExpired}) {
    EXPECT_EQ(must(s, Event::kEdit), State::kInReview) << to_string(s);
    LifecycleOptions o;
    o.edit_after_approval = EditAfterApproval::kBackToDraft;
    EXPECT_EQ(must(s, Event::kEdit, o), State::kDraft) << to_string(s);
  }
  EXPECT_EQ(must(State::kDraft, Event::kEdit), State::kDraft);
  EXPECT_EQ(must(State::kInReview, Event::kEdit), State::kInReview);
  for (auto s : {State::kDispatched, State::kSending, State::kUnknown, State::kPublished, State::kCancelled}) {
    EXPECT_TRUE(why_not(s, Event::kEdit)) << to_string(s);
  }
}

TEST(Lifecycle, HeldNeverLeavesOnItsOwn) {
  EXPECT_EQ(must(State::kScheduled, Event::kFreezeHold), State::kHeld);
  EXPECT_EQ(must(State::kDispatched, Event::kFreezeHold), State::kHeld);
  EXPECT_TRUE(why_not(State::kSending, Event::kFreezeHold));  // already in flight at the freeze
  EXPECT_TRUE(why_not(State::kHeld, Event::kFreezeHold));
  // The processes (dispatcher, worker, reconciler, expiry) cannot move it.
  for (auto e : {Event::kDispatch, Event::kBeginSend, Event::kSucceed, Event::kFailRetryable, Event::kFailPermanent,
                 Event::kOutcomeUnknown, Event::kReconcileFound, Event::kReconcileAbsent, Event::kExpire,
                 Event::kSchedule, Event::kApprove}) {
    EXPECT_TRUE(why_not(State::kHeld, e)) << to_string(e);
  }
  // The review lane: reschedule, keep without a slot, re-approve, discard.
  EXPECT_EQ(must(State::kHeld, Event::kReschedule), State::kScheduled);
  EXPECT_EQ(must(State::kHeld, Event::kReleaseFromHold), State::kApproved);
  EXPECT_EQ(must(State::kHeld, Event::kSubmit), State::kInReview);
  EXPECT_EQ(must(State::kHeld, Event::kCancel), State::kCancelled);
}

TEST(Lifecycle, ExpiryAndItsWayBack) {
  EXPECT_EQ(must(State::kInReview, Event::kExpire), State::kExpired);
  EXPECT_TRUE(why_not(State::kApproved, Event::kExpire));
  EXPECT_TRUE(why_not(State::kDraft, Event::kExpire));
  EXPECT_EQ(must(State::kExpired, Event::kReschedule), State::kInReview);
  EXPECT_EQ(must(State::kExpired, Event::kSubmit), State::kInReview);
}

TEST(Lifecycle, CancelWhereNoSendCanBeUnderWay) {
  for (auto s : {State::kDraft, State::kInReview, State::kApproved, State::kScheduled, State::kDispatched, State::kHeld,
                 State::kExpired, State::kFailed}) {
    EXPECT_EQ(must(s, Event::kCancel), State::kCancelled) << to_string(s);
  }
  for (auto s : {State::kSending, State::kUnknown, State::kPublished, State::kCancelled}) {
    EXPECT_TRUE(why_not(s, Event::kCancel)) << to_string(s);
  }
}

TEST(Lifecycle, TerminalStatesAcceptNothing) {
  EXPECT_TRUE(allowed_events(State::kPublished).empty());
  EXPECT_TRUE(allowed_events(State::kCancelled).empty());
  EXPECT_TRUE(is_terminal(State::kPublished));
  EXPECT_FALSE(is_terminal(State::kFailed));
  EXPECT_TRUE(is_in_flight(State::kUnknown));
  EXPECT_FALSE(is_in_flight(State::kHeld));
}

TEST(Lifecycle, WhyNotAgreesWithTransitionAndEveryRefusalSaysWhy) {
  for (auto s : kAllStates) {
    for (auto e : kAllEvents) {
      auto r = transition(s, e);
      auto why = why_not(s, e);
      EXPECT_EQ(r.ok(), !why.has_value()) << to_string(s) << " + " << to_string(e);
      if (why) {
        EXPECT_NE(why->find(std::string(to_string(s))), std::string::npos) << *why;
        EXPECT_GT(why->size(), 30U) << *why;
      }
    }
  }
}

TEST(LifecycleTarget, ApproveRecordsTheVersionAndEditLapsesIt) {
  Target t;
  t = *advance(t, Event::kSubmit).target;
  t = *advance(t, Event::kApprove).target;
  EXPECT_EQ(t.approved_version, 1);
  EXPECT_TRUE(t.approval_current());
  t = *advance(t, Event::kSchedule).target;
  t = *advance(t, Event::kEdit).target;
  EXPECT_EQ(t.state, State::kInReview);
  EXPECT_EQ(t.content_version, 2);
  EXPECT_FALSE(t.approval_current());
  t = *advance(t, Event::kApprove).target;
  EXPECT_EQ(t.approved_version, 2);
  EXPECT_TRUE(advance(t, Event::kSchedule).ok());
}

// A row whose approval does not cover its content (corrupted, or written by an older version) is
// stopped by the bookkeeping even where the table alone would allow the event.
TEST(LifecycleTarget, AStaleApprovalNeverReachesAPlatform) {
  Target stale{State::kScheduled, 2, 1};
  auto r = advance(stale, Event::kDispatch);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.reason.find("version 2, approved version 1"), std::string::npos) << r.reason;
  EXPECT_FALSE(advance(Target{State::kDispatched, 3, std::nullopt}, Event::kBeginSend).ok());
  EXPECT_FALSE(advance(Target{State::kFailed, 3, 2}, Event::kReschedule).ok());
  EXPECT_FALSE(advance(Target{State::kApproved, 1, std::nullopt}, Event::kSchedule).ok());
  // Leaving the gated states is still possible (cancel, hold), so a bad row can be cleaned up.
  EXPECT_TRUE(advance(stale, Event::kCancel).ok());
  EXPECT_TRUE(advance(stale, Event::kFreezeHold).ok());
  EXPECT_TRUE(advance(Target{State::kHeld, 2, 2}, Event::kReschedule).ok());
}

// Fixed-seed random walks through advance(): whatever order events arrive in, a gated state
// always carries a current approval. Half the steps pick any event (mostly refused), half pick one
// the table allows, so the walks get deep into the machine.
TEST(LifecycleTarget, RandomWalksKeepTheInvariant) {
  std::mt19937 rng(20240310);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kAllEvents) - 1);
  std::size_t gated_visits = 0;
  for (int walk = 0; walk < 10000; ++walk) {
    Target t;
    for (int step = 0; step < 60; ++step) {
      Event e = kAllEvents[pick(rng)];
      if (step % 2 == 1) {
        auto allowed = allowed_events(t.state);
        if (allowed.empty()) break;
        e = allowed[pick(rng) % allowed.size()];
      }
      auto r = advance(t, e);
      if (!r.ok()) continue;
      t = *r.target;
      if (gated(t.state)) {
        ++gated_visits;
        ASSERT_TRUE(t.approval_current()) << to_string(t.state) << " v" << t.content_version;
      }
    }
  }
  EXPECT_GT(gated_visits, 500U);  // the walks did reach the gated states
}

}  // namespace
}  // namespace herald::publishing
