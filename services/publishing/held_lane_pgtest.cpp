// What a freeze reaches and what happens to what it held, against real PostgreSQL: the preview
// the crisis module shows before and at the acknowledgement (freeze_preview.cpp), and the review
// lane (reschedule, release) that gives HELD targets a new attempt the scheduler will take.
#include <gtest/gtest.h>

#include "services/publishing/freeze_preview.hpp"
#include "services/publishing/testing/fixture.hpp"

namespace herald::publishing {
namespace {

using contracts::Outcome;
using testing::kBrand;
using testing::kOrg;
using testing::kOtherBrand;
using testing::status_of;

constexpr std::int64_t kHour = 3'600'000;

class HeldLanePg : public testing::PublishingTest {
 protected:
  FreezePreview preview_{*pool_};

  contracts::HeldPreview preview(const std::string& kind, const std::string& value) {
    return preview_.preview({kOrg, kind, value}, now_ms(), 10);
  }
  static std::int64_t count_of(const std::vector<contracts::HeldCount>& counts, const std::string& key) {
    for (const auto& c : counts) {
      if (c.key == key) return c.count;
    }
    return 0;
  }
  void hold(const TargetRecord& t, const std::string& id) {
    contracts::TargetEvent held;
    held.outcome = Outcome::kHeld;
    held.target_id = t.id;
    held.org_id = t.org_id;
    held.content_version = t.content_version;
    held.attempt = t.attempt;
    held.error_class = "frozen";
    ASSERT_EQ(posts_.apply_event(contracts::to_envelope(held, id, now_ms())).outcome, ApplyOutcome::kApplied);
  }
};

TEST_F(HeldLanePg, ThePreviewCountsScheduledWorkInScopeAndSetsCrisisStatementsApart) {
  approve(posts_.create(author_, input(now_ms() + 2 * kHour)).post.id);       // mastodon + x, in 2 h
  approve(posts_.create(author_, input(now_ms() + 100 * kHour)).post.id);     // beyond 72 h
  posts_.create(author_, input(now_ms() + 3 * kHour));                        // a draft: nothing due
  auto statement = input(now_ms() + kHour);
  statement.crisis_statement = true;
  auto s = posts_.create(author_, statement);
  posts_.submit(author_, s.post.id);
  posts_.decide(testing::principal("7", "crisis_commander"), s.post.id, Verdict::kApprove, "", std::nullopt);
  posts_.decide(legal_, s.post.id, Verdict::kApprove, "", std::nullopt);

  auto brand = preview("brand", kBrand);
  EXPECT_EQ(brand.total, 4);
  EXPECT_EQ(brand.next_72h, 2);
  EXPECT_EQ(brand.exempt, 2);
  EXPECT_EQ(count_of(brand.by_brand, kBrand), 4);
  EXPECT_EQ(count_of(brand.by_platform, "mastodon"), 2);
  EXPECT_EQ(count_of(brand.by_platform, "x"), 2);
  EXPECT_EQ(count_of(brand.by_account, testing::kMastodon), 2);
  ASSERT_EQ(brand.by_hour.size(), 1u);  // the two targets due in 2 h share an hour
  EXPECT_EQ(brand.by_hour[0].count, 2);
  ASSERT_EQ(brand.items.size(), 4u);
  EXPECT_LE(brand.items[0].due_ms, brand.items[3].due_ms);  // soonest first
  EXPECT_EQ(brand.items[0].title, "Spring launch");

  EXPECT_EQ(preview("platform", "x").total, 2);
  EXPECT_EQ(preview("tag", "launch").total, 4);
  EXPECT_EQ(preview("tag", "recall").total, 0);
  EXPECT_EQ(preview("account", testing::kMastodon).total, 2);
  EXPECT_EQ(preview("brand", kOtherBrand).total, 0);
  EXPECT_EQ(preview("all", "").total, 4);
  EXPECT_EQ(preview_.preview({"00000000-0000-4000-8000-0000000000ff", "all", ""}, now_ms(), 10).total, 0);
}

TEST_F(HeldLanePg, RescheduleGivesAHeldTargetANewAttemptTheSchedulerTakes) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  for (const auto& t : a.targets) hold(t, "h-" + t.id);
  clear_outbox();
  EXPECT_EQ(preview("brand", kBrand).total, 0);  // held work is no longer due

  auto r = posts_.schedule(manager_, v.post.id, {now_ms() + 5 * kHour, "UTC"});
  EXPECT_EQ(states(r), (std::vector<std::string>{"SCHEDULED", "SCHEDULED"}));
  auto out = outbox();
  ASSERT_EQ(out.size(), 2U);
  for (const auto& o : out) {
    EXPECT_EQ(o.type, "schedule.set");
    auto job = contracts::dispatch_job_from_json(o.envelope.data);
    EXPECT_EQ(job.attempt, 2);  // attempt 1 was held: the scheduler never takes it again
  }
}

TEST_F(HeldLanePg, ReleaseKeepsTheApprovalWithoutASlotAndNeedsAHeldTarget) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  EXPECT_EQ(status_of([&] { posts_.release(manager_, v.post.id); }), 409);  // nothing HELD
  hold(a.targets[0], "h1");
  EXPECT_EQ(status_of([&] { posts_.release(author_, v.post.id); }), 403);  // a planner may not publish
  clear_outbox();
  auto r = posts_.release(manager_, v.post.id);
  EXPECT_EQ(states(r), (std::vector<std::string>{"APPROVED", "SCHEDULED"}));
  auto out = outbox();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].type, "schedule.cancel");
  EXPECT_EQ(out[0].target_id, a.targets[0].id);
  EXPECT_EQ(identity_.audit().back(), "post.release by user2@example.com");
}

}  // namespace
}  // namespace herald::publishing
