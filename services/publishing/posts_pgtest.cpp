// The publishing workflow against real PostgreSQL, trying to break "unapproved never publishes":
// scheduling before approval, editing after approval, rescheduling, the maker deciding,
// rejecting without a reason, approving after the deadline; the pipeline's events applied
// twice, late and out of order; and what the scheduler is told (the outbox).
#include <gtest/gtest.h>

#include "services/publishing/testing/fixture.hpp"

namespace herald::publishing {
namespace {

using contracts::Outcome;
using testing::kBrand;
using testing::kForeign;
using testing::kInstagram;
using testing::kMastodon;
using testing::kOrg;
using testing::kX;
using testing::status_of;

constexpr std::int64_t kHour = 3'600'000;

PostChange titled(const std::string& title) {
  PostChange c;
  c.title = title;
  return c;
}

PostChange noted(const std::string& notes) {
  PostChange c;
  c.notes = notes;
  return c;
}

PostChange tagged(const std::string& tag) {
  PostChange c;
  c.tags = std::vector<std::string>{tag};
  return c;
}

class PostsPg : public testing::PublishingTest {};

TEST_F(PostsPg, CreateChecksEveryVariantAgainstItsPlatformAndNamesTheAccount) {
  auto in = input();
  in.variants[1].text = std::string(300, 'a');  // X: 280
  in.variants.push_back(variant(kInstagram, "no picture"));  // Instagram needs media
  in.variants.push_back(variant(kForeign, "hello"));         // another brand's account
  nlohmann::json extra;
  EXPECT_EQ(status_of([&] { posts_.create(author_, in); }, &extra), 422);
  ASSERT_TRUE(extra.contains("errors"));
  const auto& errors = extra["errors"];
  ASSERT_EQ(errors.size(), 3U) << errors.dump();
  EXPECT_EQ(errors[0]["field"], "variants[1].text");
  EXPECT_EQ(errors[0]["account_id"], kX);
  EXPECT_EQ(errors[0]["platform"], "x");
  EXPECT_NE(errors[0]["reason"].get<std::string>().find("limit is 280"), std::string::npos) << errors[0];
  EXPECT_EQ(errors[1]["field"], "variants[2].media");
  EXPECT_EQ(errors[1]["account_id"], kInstagram);
  EXPECT_EQ(errors[2]["reason"], "the account belongs to another brand");
  // Nothing was written.
  EXPECT_EQ(pool_->transact([](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM posts")[0].as<int>(); }), 0);
}

TEST_F(PostsPg, HashtagsCountTowardTheLimitAndMediaLimitsApply) {
  auto in = input();
  in.variants[1].text = std::string(270, 'a');
  in.variants[1].hashtags = {"springsale"};  // " #springsale" makes 282 > 280
  in.variants[0].media = nlohmann::json::array();
  for (int i = 0; i < 5; ++i) in.variants[0].media.push_back({{"kind", "image"}, {"url", "https://m/x.png"}});
  nlohmann::json extra;
  EXPECT_EQ(status_of([&] { posts_.create(author_, in); }, &extra), 422);
  ASSERT_EQ(extra["errors"].size(), 2U) << extra.dump();
  EXPECT_EQ(extra["errors"][0]["field"], "variants[0].media");  // Mastodon: 4 images
  EXPECT_EQ(extra["errors"][1]["field"], "variants[1].text");
}

TEST_F(PostsPg, CreateNeedsWriteOnTheBrandAndAFutureSlot) {
  EXPECT_EQ(status_of([&] { posts_.create(viewer_, input()); }), 403);
  EXPECT_EQ(status_of([&] { posts_.create(author_, input(now_ms() - 1000)); }), 422);
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  EXPECT_EQ(states(v), (std::vector<std::string>{"DRAFT", "DRAFT"}));
  EXPECT_EQ(v.post.zone, "Asia/Shanghai");
  // 1'800'000'000 s + 2 h = 2027-01-15T10:00:00Z = 18:00 in Shanghai.
  EXPECT_EQ(v.post.local_wall, "2027-01-15T18:00:00");
  EXPECT_EQ(v.post.makers, std::vector<std::string>{author_.user_id});
  EXPECT_EQ(v.targets[0].marker, "hr" + [&] {
    std::string id = v.targets[0].id;
    std::erase(id, '-');
    return id;
  }());
}

TEST_F(PostsPg, ApprovalSchedulesTheTargetsAndTellsTheSchedulerTheApprovedContent) {
  const auto slot = now_ms() + 2 * kHour;
  auto v = posts_.create(author_, input(slot));
  posts_.submit(author_, v.post.id);
  EXPECT_TRUE(outbox().empty());
  auto after_review = posts_.decide(manager_, v.post.id, Verdict::kApprove, "", std::nullopt);
  EXPECT_EQ(states(after_review), (std::vector<std::string>{"IN_REVIEW", "IN_REVIEW"}));  // legal is still open
  EXPECT_EQ(after_review.review.current_stage_name, "legal");
  EXPECT_TRUE(outbox().empty());
  auto done = posts_.decide(legal_, v.post.id, Verdict::kApprove, "", std::nullopt);
  EXPECT_EQ(states(done), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));

  auto out = outbox();
  ASSERT_EQ(out.size(), 2U);
  const auto& mastodon = done.targets[0];
  EXPECT_EQ(out[0].type, "schedule.set");
  EXPECT_EQ(out[0].target_id, mastodon.id);
  auto job = contracts::dispatch_job_from_json(out[0].envelope.data);
  EXPECT_EQ(job.target_id, mastodon.id);
  EXPECT_EQ(job.post_id, v.post.id);
  EXPECT_EQ(job.org_id, kOrg);
  EXPECT_EQ(job.brand_id, kBrand);
  EXPECT_EQ(job.account_id, kMastodon);
  EXPECT_EQ(job.platform, "mastodon");
  EXPECT_EQ(job.tags, std::vector<std::string>{"launch"});
  EXPECT_EQ(job.content_version, 1);
  EXPECT_EQ(job.due_at_ms, slot);
  EXPECT_EQ(job.attempt, 1);
  EXPECT_EQ(job.content.text, "Our spring line is here #spring #launch");
  EXPECT_EQ(job.content.first_comment, "Details: https://example.com/spring");
  EXPECT_EQ(job.content.thread, std::vector<std::string>{"Part two of the story"});
  EXPECT_EQ(job.content.title, "Spring launch");
  EXPECT_EQ(job.marker, mastodon.marker);
  EXPECT_FALSE(job.crisis_statement);
  EXPECT_NE(out[0].envelope.id, out[1].envelope.id);
  EXPECT_EQ(contracts::dispatch_job_from_json(out[1].envelope.data).platform, "x");

  auto audit = identity_.audit();
  EXPECT_NE(std::find(audit.begin(), audit.end(), "post.decide by user3@example.com"), audit.end());
}

TEST_F(PostsPg, ScheduleBeforeApprovalIsRefusedWithTheReason) {
  auto v = posts_.create(author_, input());
  nlohmann::json extra;
  std::string detail;
  EXPECT_EQ(status_of([&] { posts_.schedule(manager_, v.post.id, {now_ms() + kHour, "UTC"}); }, &extra, &detail), 409);
  EXPECT_NE(detail.find("not approved"), std::string::npos) << detail;
  ASSERT_EQ(extra["targets"].size(), 2U);
  EXPECT_EQ(extra["targets"][0]["state"], "DRAFT");
  posts_.submit(author_, v.post.id);
  posts_.decide(manager_, v.post.id, Verdict::kApprove, "", std::nullopt);  // legal still missing
  EXPECT_EQ(status_of([&] { posts_.schedule(manager_, v.post.id, {now_ms() + kHour, "UTC"}); }, &extra), 409);
  EXPECT_EQ(extra["targets"][0]["state"], "IN_REVIEW");
  EXPECT_TRUE(outbox().empty());
  EXPECT_EQ(states(posts_.get(author_, v.post.id)), (std::vector<std::string>{"IN_REVIEW", "IN_REVIEW"}));
}

TEST_F(PostsPg, ScheduleNeedsPublishPermissionAndAFutureSlot) {
  auto v = posts_.create(author_, input());
  approve(v.post.id);
  EXPECT_EQ(status_of([&] { posts_.schedule(author_, v.post.id, {now_ms() + kHour, "UTC"}); }), 403);
  EXPECT_EQ(status_of([&] { posts_.schedule(manager_, v.post.id, {now_ms() - 1, "UTC"}); }), 422);
  EXPECT_EQ(status_of([&] { posts_.schedule(manager_, v.post.id, {now_ms() + kHour, "Mars/Olympus"}); }), 422);
  EXPECT_TRUE(outbox().empty());
  auto s = posts_.schedule(manager_, v.post.id, {now_ms() + kHour, "Europe/Berlin"});
  EXPECT_EQ(states(s), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
  EXPECT_EQ(outbox().size(), 2U);
}

TEST_F(PostsPg, TheMakerIsNeverTheChecker) {
  // The author holds post.approve here (a manager writing their own post).
  auto v = posts_.create(manager_, input(now_ms() + 2 * kHour));
  posts_.submit(manager_, v.post.id);
  std::string detail;
  EXPECT_EQ(status_of([&] { posts_.decide(manager_, v.post.id, Verdict::kApprove, "", std::nullopt); }, nullptr,
                      &detail),
            403);
  EXPECT_NE(detail.find("maker is never checker"), std::string::npos);
  // An editor becomes a maker too.
  posts_.edit(manager2_, v.post.id, titled("Edited title"), std::nullopt);
  EXPECT_EQ(status_of([&] { posts_.decide(manager2_, v.post.id, Verdict::kApprove, "", std::nullopt); }), 403);
  // Nobody eligible left for the review stage: the legal reviewer cannot decide it.
  EXPECT_EQ(status_of([&] { posts_.decide(legal_, v.post.id, Verdict::kApprove, "", std::nullopt); }), 409);
  EXPECT_EQ(states(posts_.get(manager_, v.post.id)), (std::vector<std::string>{"IN_REVIEW", "IN_REVIEW"}));
}

TEST_F(PostsPg, RejectionNeedsAReasonAndSendsTheTargetsBackToDraft) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  posts_.submit(author_, v.post.id);
  EXPECT_EQ(status_of([&] { posts_.decide(manager_, v.post.id, Verdict::kReject, "", std::nullopt); }), 422);
  EXPECT_EQ(states(posts_.get(author_, v.post.id)), (std::vector<std::string>{"IN_REVIEW", "IN_REVIEW"}));
  auto r = posts_.decide(manager_, v.post.id, Verdict::kReject, "The price is wrong", std::nullopt);
  EXPECT_EQ(states(r), (std::vector<std::string>{"DRAFT", "DRAFT"}));
  EXPECT_TRUE(outbox().empty());
  auto h = posts_.history(author_, v.post.id);
  ASSERT_EQ(h["decisions"].size(), 1U);
  EXPECT_EQ(h["decisions"][0]["verdict"], "reject");
  EXPECT_EQ(h["decisions"][0]["reason"], "The price is wrong");
  // Deciding again on a closed review is refused.
  EXPECT_EQ(status_of([&] { posts_.decide(legal_, v.post.id, Verdict::kApprove, "", std::nullopt); }), 409);
}

TEST_F(PostsPg, AnEditAfterApprovalLapsesTheApprovalAndUnschedules) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto approved = approve(v.post.id);
  ASSERT_EQ(states(approved), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
  clear_outbox();

  PostChange c;
  auto variants = std::vector<Variant>{approved.targets[0].content};
  variants[0].text = "Our spring line is here, now 50% off";
  c.variants = variants;
  auto edited = posts_.edit(author_, v.post.id, c, approved.post.version);
  EXPECT_EQ(states(edited), (std::vector<std::string>{"IN_REVIEW", "IN_REVIEW"}));
  EXPECT_EQ(edited.targets[0].content_version, 2);
  EXPECT_EQ(edited.targets[0].approved_version, 1);
  EXPECT_EQ(edited.post.review_round, approved.post.review_round + 1);
  // The scheduler is told to drop both (the old content version).
  auto out = outbox();
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].type, "schedule.cancel");
  EXPECT_EQ(out[0].envelope.data["content_version"], 1);
  // The approvals given before the edit do not count for the new content.
  EXPECT_FALSE(edited.review.complete);
  EXPECT_EQ(edited.review.current_stage_name, "review");
  EXPECT_EQ(status_of([&] { posts_.schedule(manager_, v.post.id, {now_ms() + kHour, "UTC"}); }), 409);
  // A stale If-Match is refused.
  EXPECT_EQ(status_of([&] { posts_.edit(author_, v.post.id, c, approved.post.version); }), 412);
  // Approve the new version: scheduled again, with content version 2.
  clear_outbox();
  posts_.decide(manager_, v.post.id, Verdict::kApprove, "", std::nullopt);
  auto again = posts_.decide(legal_, v.post.id, Verdict::kApprove, "", std::nullopt);
  EXPECT_EQ(states(again), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
  out = outbox();
  ASSERT_EQ(out.size(), 2U);
  auto job = contracts::dispatch_job_from_json(out[0].envelope.data);
  EXPECT_EQ(job.content_version, 2);
  EXPECT_EQ(job.content.text, "Our spring line is here, now 50% off #spring #launch");
}

TEST_F(PostsPg, NotesAloneDoNotNeedANewApproval) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  approve(v.post.id);
  clear_outbox();
  auto e = posts_.edit(author_, v.post.id, noted("call legal if asked"), std::nullopt);
  EXPECT_EQ(states(e), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
  EXPECT_TRUE(outbox().empty());
  // Tags are part of what was approved (the freeze scope): a change goes back to review.
  auto t = posts_.edit(author_, v.post.id, tagged("sale"), std::nullopt);
  EXPECT_EQ(states(t), (std::vector<std::string>{"IN_REVIEW", "IN_REVIEW"}));
}

TEST_F(PostsPg, RescheduleCancelsTheOldDueTimeAndSetsTheNew) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  approve(v.post.id);
  clear_outbox();
  const auto later = now_ms() + 5 * kHour;
  auto r = posts_.schedule(manager_, v.post.id, {later, "Asia/Shanghai"});
  EXPECT_EQ(states(r), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
  auto out = outbox();
  ASSERT_EQ(out.size(), 4U);
  EXPECT_EQ(out[0].type, "schedule.cancel");
  EXPECT_EQ(out[1].type, "schedule.set");
  EXPECT_EQ(contracts::dispatch_job_from_json(out[1].envelope.data).due_at_ms, later);
  // The slot moved by PATCH alone reschedules the same way.
  clear_outbox();
  PostChange c;
  c.set_slot = true;
  c.slot = Slot{later + kHour, "Asia/Shanghai"};
  auto p = posts_.edit(author_, v.post.id, c, std::nullopt);
  EXPECT_EQ(states(p), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
  out = outbox();
  ASSERT_EQ(out.size(), 4U);
  EXPECT_EQ(contracts::dispatch_job_from_json(out[1].envelope.data).due_at_ms, later + kHour);
}

TEST_F(PostsPg, ApprovalAfterTheDeadlineExpiresInsteadOfScheduling) {
  // Deadline: 30 minutes before the slot.
  auto v = posts_.create(author_, input(now_ms() + 40 * 60'000));
  posts_.submit(author_, v.post.id);
  posts_.decide(manager_, v.post.id, Verdict::kApprove, "", std::nullopt);
  clock_.advance(std::chrono::minutes(15));
  EXPECT_EQ(posts_.expire_due(), 2);
  EXPECT_EQ(states(posts_.get(author_, v.post.id)), (std::vector<std::string>{"EXPIRED", "EXPIRED"}));
  EXPECT_EQ(status_of([&] { posts_.decide(legal_, v.post.id, Verdict::kApprove, "", std::nullopt); }), 409);
  EXPECT_EQ(status_of([&] { posts_.schedule(manager_, v.post.id, {now_ms() + kHour, "UTC"}); }), 409);
  EXPECT_TRUE(outbox().empty());
  // Submitting again without a later slot is refused: the deadline has passed.
  EXPECT_EQ(status_of([&] { posts_.submit(author_, v.post.id); }), 422);
}

TEST_F(PostsPg, TheRowRefusesAScheduledStateWithoutACurrentApproval) {
  auto v = posts_.create(author_, input());
  EXPECT_THROW(pool_->transact([&](pqxx::work& tx) {
                 tx.exec("UPDATE post_targets SET state = 'SCHEDULED' WHERE post_id = " + tx.quote(v.post.id));
               }),
               pqxx::check_violation);
}

TEST_F(PostsPg, CancelTellsTheSchedulerAndKeepsWhatIsSending) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  clear_outbox();
  ASSERT_EQ(event("e1", Outcome::kSending, a.targets[1]).outcome, ApplyOutcome::kApplied);
  auto c = posts_.cancel(manager_, v.post.id);
  EXPECT_EQ(states(c), (std::vector<std::string>{"CANCELLED", "SENDING"}));
  auto out = outbox();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].type, "schedule.cancel");
  EXPECT_EQ(out[0].target_id, a.targets[0].id);
  EXPECT_EQ(status_of([&] { posts_.cancel(manager_, v.post.id); }), 409);
}

TEST_F(PostsPg, EventsAdvanceTheTargetOnceAndStorePublishedIds) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  const auto& t = a.targets[0];
  EXPECT_EQ(event("d1", Outcome::kDispatched, t).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(event("d1", Outcome::kDispatched, t).outcome, ApplyOutcome::kDuplicate);
  EXPECT_EQ(event("s1", Outcome::kSending, t).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(event("p1", Outcome::kPublished, t).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(event("p1", Outcome::kPublished, t).outcome, ApplyOutcome::kDuplicate);
  // A second "published" with a new id is refused by the lifecycle, and changes nothing.
  EXPECT_EQ(event("p2", Outcome::kPublished, t).outcome, ApplyOutcome::kRefused);
  auto now = posts_.get(author_, v.post.id);
  EXPECT_EQ(std::string(to_string(now.targets[0].state)), "PUBLISHED");
  EXPECT_EQ(now.targets[0].platform_post_id, "109");
  EXPECT_EQ(now.targets[0].url, "https://social.example/@herald/109");
  auto h = posts_.history(author_, v.post.id);
  int pipeline = 0;
  for (const auto& tr : h["transitions"]) {
    if (tr["target_id"] == t.id && tr["actor"] == "w1") ++pipeline;
  }
  EXPECT_EQ(pipeline, 3);  // dispatch, begin_send, succeed: once each
}

TEST_F(PostsPg, OutOfOrderEventsLandOnTheRightState) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  const auto& t = a.targets[0];
  // The worker's "published" arrives before the scheduler's "dispatched".
  EXPECT_EQ(event("p1", Outcome::kPublished, t).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(event("d1", Outcome::kDispatched, t).outcome, ApplyOutcome::kRefused);
  EXPECT_EQ(event("s1", Outcome::kSending, t).outcome, ApplyOutcome::kRefused);
  EXPECT_EQ(std::string(to_string(posts_.get(author_, v.post.id).targets[0].state)), "PUBLISHED");
  EXPECT_EQ(posts_.get(author_, v.post.id).targets[0].platform_post_id, "109");
}

TEST_F(PostsPg, EventsForAnOldContentVersionAreStale) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  auto old = a.targets[1];
  posts_.edit(author_, v.post.id, titled("New"), std::nullopt);
  EXPECT_EQ(event("d1", Outcome::kDispatched, old).outcome, ApplyOutcome::kStale);
  EXPECT_EQ(std::string(to_string(posts_.get(author_, v.post.id).targets[1].state)), "IN_REVIEW");
}

TEST_F(PostsPg, ARetryReschedulesTheNextAttemptAndIgnoresLateEventsOfTheOldOne) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  clear_outbox();
  const auto& t = a.targets[0];
  ASSERT_EQ(event("d1", Outcome::kDispatched, t).outcome, ApplyOutcome::kApplied);
  ASSERT_EQ(event("s1", Outcome::kSending, t).outcome, ApplyOutcome::kApplied);
  const auto retry_at = now_ms() + 60'000;
  ASSERT_EQ(event("r1", Outcome::kRetry, t, 1, retry_at).outcome, ApplyOutcome::kApplied);
  auto after = posts_.get(author_, v.post.id).targets[0];
  EXPECT_EQ(std::string(to_string(after.state)), "SCHEDULED");
  EXPECT_EQ(after.attempt, 2);
  EXPECT_EQ(after.last_error_class, "rate_limited");
  auto out = outbox();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].type, "schedule.set");
  auto job = contracts::dispatch_job_from_json(out[0].envelope.data);
  EXPECT_EQ(job.attempt, 2);
  EXPECT_EQ(job.due_at_ms, retry_at);
  EXPECT_EQ(job.marker, t.marker);  // the same marker across attempts
  // A late "sending" of attempt 1 must not move attempt 2's target.
  EXPECT_EQ(event("s1-late", Outcome::kSending, t, 1).outcome, ApplyOutcome::kStale);
  EXPECT_EQ(event("d2", Outcome::kDispatched, t, 2).outcome, ApplyOutcome::kApplied);
}

TEST_F(PostsPg, UnknownOutcomeIsSettledOnlyByReadBack) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  const auto& t = a.targets[0];
  ASSERT_EQ(event("s1", Outcome::kSending, t).outcome, ApplyOutcome::kApplied);
  ASSERT_EQ(event("u1", Outcome::kUnknown, t).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(status_of([&] { posts_.cancel(manager_, v.post.id); }), 0);  // the X target cancels
  EXPECT_EQ(std::string(to_string(posts_.get(author_, v.post.id).targets[0].state)), "UNKNOWN");
  EXPECT_EQ(event("p1", Outcome::kPublished, t).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(std::string(to_string(posts_.get(author_, v.post.id).targets[0].state)), "PUBLISHED");
}

TEST_F(PostsPg, ASensitivePostNeedsTheSeniorStageToo) {
  auto in = input(now_ms() + 2 * kHour);
  in.sensitive = true;
  auto v = posts_.create(author_, in);
  posts_.submit(author_, v.post.id);
  auto r = posts_.decide(manager_, v.post.id, Verdict::kApprove, "", std::nullopt);
  EXPECT_EQ(r.review.current_stage_name, "senior review");
  // The same person does not count twice, and legal cannot skip the senior stage.
  EXPECT_EQ(status_of([&] { posts_.decide(manager_, v.post.id, Verdict::kApprove, "", std::nullopt); }), 409);
  EXPECT_EQ(status_of([&] { posts_.decide(legal_, v.post.id, Verdict::kApprove, "", std::nullopt); }), 409);
  auto senior = posts_.decide(manager2_, v.post.id, Verdict::kApprove, "", std::nullopt);
  EXPECT_EQ(states(senior), (std::vector<std::string>{"IN_REVIEW", "IN_REVIEW"}));
  EXPECT_TRUE(outbox().empty());
  auto done = posts_.decide(legal_, v.post.id, Verdict::kApprove, "", std::nullopt);
  EXPECT_EQ(states(done), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
}

TEST_F(PostsPg, AnApproverOutsideTheAccountScopeCannotDecide) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  posts_.submit(author_, v.post.id);
  auto scoped = testing::principal("6", "social_media_manager");
  scoped.memberships[0].account_ids = std::vector<std::string>{kMastodon};  // not the X account
  EXPECT_EQ(status_of([&] { posts_.decide(scoped, v.post.id, Verdict::kApprove, "", std::nullopt); }), 403);
  EXPECT_EQ(status_of([&] { posts_.decide(viewer_, v.post.id, Verdict::kApprove, "", std::nullopt); }), 403);
}

TEST_F(PostsPg, AHeldTargetWaitsForAPersonAndAnEditSendsItBackToReview) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  const auto& t = a.targets[0];
  contracts::TargetEvent held;
  held.outcome = Outcome::kHeld;
  held.target_id = t.id;
  held.org_id = t.org_id;
  held.error_class = "frozen";
  ASSERT_EQ(posts_.apply_event(contracts::to_envelope(held, "h1", now_ms())).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(std::string(to_string(posts_.get(author_, v.post.id).targets[0].state)), "HELD");
  // Nothing moves it on its own: a late "dispatched" is refused.
  EXPECT_EQ(event("d1", Outcome::kDispatched, t).outcome, ApplyOutcome::kRefused);
  auto e = posts_.edit(author_, v.post.id, titled("Reworded after the incident"), std::nullopt);
  EXPECT_EQ(states(e), (std::vector<std::string>{"IN_REVIEW", "IN_REVIEW"}));
  EXPECT_EQ(status_of([&] { posts_.schedule(manager_, v.post.id, {now_ms() + kHour, "UTC"}); }), 409);
}

TEST_F(PostsPg, ACrisisStatementTakesTheExpeditedLaneAndIsMarkedExempt) {
  auto in = input(now_ms() + 2 * kHour);
  in.crisis_statement = true;
  auto v = posts_.create(author_, in);
  posts_.submit(author_, v.post.id);
  auto commander = testing::principal("7", "crisis_commander");
  posts_.decide(commander, v.post.id, Verdict::kApprove, "", std::nullopt);
  auto done = posts_.decide(legal_, v.post.id, Verdict::kApprove, "", std::nullopt);
  EXPECT_EQ(states(done), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
  EXPECT_TRUE(done.review.expedited);
  auto out = outbox();
  ASSERT_EQ(out.size(), 2U);
  EXPECT_TRUE(contracts::dispatch_job_from_json(out[0].envelope.data).crisis_statement);
}

TEST_F(PostsPg, CalendarFiltersAndPages) {
  const auto base = now_ms() + kHour;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto in = input(base + i * kHour);
    if (i % 2 == 0) in.tags = {"even"};
    ids.push_back(posts_.create(author_, in).post.id);
  }
  auto unscheduled = posts_.create(author_, input()).post.id;
  CalendarFilter f;
  f.limit = 2;
  auto p1 = posts_.list(author_, f);
  ASSERT_EQ(p1.posts.size(), 2U);
  EXPECT_EQ(p1.posts[0].id, ids[0]);
  ASSERT_TRUE(p1.next_cursor);
  std::vector<std::string> seen;
  for (const auto& p : p1.posts) seen.push_back(p.id);
  auto cursor = *p1.next_cursor;
  for (;;) {
    CalendarFilter g;
    g.limit = 2;
    auto sep = cursor.find('_');
    g.after_sort_key = std::stoll(cursor.substr(0, sep));
    g.after_id = cursor.substr(sep + 1);
    auto page = posts_.list(author_, g);
    for (const auto& p : page.posts) seen.push_back(p.id);
    if (!page.next_cursor) break;
    cursor = *page.next_cursor;
  }
  auto expected = ids;
  expected.push_back(unscheduled);
  EXPECT_EQ(seen, expected);

  CalendarFilter range;
  range.from_ms = base + kHour;
  range.to_ms = base + 3 * kHour;
  auto r = posts_.list(author_, range);
  ASSERT_EQ(r.posts.size(), 2U);
  EXPECT_EQ(r.posts[0].id, ids[1]);
  EXPECT_EQ(r.posts[1].id, ids[2]);

  CalendarFilter tag;
  tag.tag = "even";
  EXPECT_EQ(posts_.list(author_, tag).posts.size(), 3U);

  approve(ids[4]);
  CalendarFilter status;
  status.status = "SCHEDULED";
  status.account_id = kX;
  auto s = posts_.list(author_, status);
  ASSERT_EQ(s.posts.size(), 1U);
  EXPECT_EQ(s.posts[0].id, ids[4]);
  // Each listed post carries its targets' states (the calendar colours and marks by them).
  ASSERT_EQ(s.targets.size(), 1U);
  ASSERT_FALSE(s.targets[0].empty());
  bool x_scheduled = false;
  for (const auto& t : s.targets[0]) {
    if (t["account_id"] == kX) x_scheduled = t["state"] == "SCHEDULED";
  }
  EXPECT_TRUE(x_scheduled) << s.targets[0].dump();
  EXPECT_EQ(r.targets.size(), r.posts.size());
  EXPECT_EQ(r.targets[0][0]["state"], "DRAFT");

  // Another brand's reader sees nothing.
  iam::Principal outsider = testing::principal("9", "viewer");
  outsider.memberships[0].brand_id = testing::kOtherBrand;
  EXPECT_TRUE(posts_.list(outsider, CalendarFilter{}).posts.empty());
  EXPECT_EQ(status_of([&] { posts_.get(outsider, ids[0]); }), 403);
}

}  // namespace
}  // namespace herald::publishing
