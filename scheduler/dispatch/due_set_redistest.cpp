#include "scheduler/dispatch/due_set.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "scheduler/test_fixture.hpp"

namespace herald::scheduler {
namespace {

using testing::entry;
using testing::job;

class DueSetLive : public ::testing::Test, protected testing::RedisFixture {
 protected:
  std::string dispatch_stream() const { return streams_.dispatch("mastodon"); }
};

TEST_F(DueSetLive, NothingIsClaimedBeforeItsDueInstant) {
  load_fence();
  auto l = redis_.lease();
  due_.add(*l, entry(job("t1", 5000)));
  auto early = due_.claim(*l, 4999, 100);
  EXPECT_TRUE(early.claimed.empty());
  EXPECT_EQ(early.next_due_ms, 5000);
  EXPECT_EQ(due_.size(*l), 1);
  EXPECT_TRUE(envelopes(dispatch_stream()).empty());

  auto due = due_.claim(*l, 5000, 100);
  ASSERT_EQ(due.claimed.size(), 1u);
  EXPECT_FALSE(due.claimed[0].held);
  EXPECT_EQ(due.claimed[0].target_id, "t1");
  EXPECT_EQ(due.claimed[0].org_id, "org1");
  EXPECT_EQ(due.claimed[0].due_ms, 5000);
  EXPECT_FALSE(due.next_due_ms.has_value());
  EXPECT_EQ(due_.size(*l), 0);

  auto sent = envelopes(dispatch_stream());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].type, kDispatchJobType);
  EXPECT_EQ(sent[0].id, "dispatch:t1:1:1");
  EXPECT_EQ(sent[0].ts_ms, 5000);
  auto back = contracts::dispatch_job_from_json(sent[0].data);
  EXPECT_EQ(back.target_id, "t1");
  EXPECT_EQ(back.due_at_ms, 5000);
  EXPECT_EQ(back.content.text, "hello t1");
  EXPECT_EQ(back.marker, "hm-t1");
  EXPECT_TRUE(due_.marked(*l, 'd', "t1", 1, 1));
  // Claimed once: the next claim finds nothing.
  EXPECT_TRUE(due_.claim(*l, 9999, 100).claimed.empty());
}

TEST_F(DueSetLive, TwoDispatchersRacingOverTenThousandDueJobsClaimEachExactlyOnce) {
  load_fence();
  constexpr int kJobs = 10000;
  {
    std::vector<DueEntry> entries;
    for (int i = 0; i < kJobs; ++i) entries.push_back(entry(job("t" + std::to_string(i), 1000 + i % 50)));
    auto l = redis_.lease();
    auto results = due_.add_many(*l, entries);
    ASSERT_EQ(std::count(results.begin(), results.end(), AddResult::kAdded), kJobs);
  }
  std::vector<std::string> got[2];
  auto race = [&](int who) {
    auto l = redis_.lease();
    while (true) {
      auto batch = due_.claim(*l, 2000, 137);
      if (batch.claimed.empty()) break;
      for (auto& c : batch.claimed) got[who].push_back(c.target_id);
    }
  };
  std::thread a(race, 0);
  std::thread b(race, 1);
  a.join();
  b.join();
  std::set<std::string> all(got[0].begin(), got[0].end());
  all.insert(got[1].begin(), got[1].end());
  EXPECT_EQ(got[0].size() + got[1].size(), static_cast<std::size_t>(kJobs));  // no duplicates
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kJobs));                      // none lost
  EXPECT_GT(got[0].size(), 0u);
  EXPECT_GT(got[1].size(), 0u);
  auto l = redis_.lease();
  EXPECT_EQ(l->checked({"XLEN", dispatch_stream()}).as_integer(), kJobs);
  EXPECT_EQ(due_.size(*l), 0);
}

TEST_F(DueSetLive, AbsentFenceDispatchesNothingAndLeavesWorkDue) {
  auto l = redis_.lease();
  due_.add(*l, entry(job("t1", 1000)));
  auto batch = due_.claim(*l, 5000, 100);
  EXPECT_TRUE(batch.fence_absent);
  EXPECT_TRUE(batch.claimed.empty());
  EXPECT_EQ(batch.next_due_ms, 1000);
  EXPECT_EQ(due_.size(*l), 1);
  EXPECT_EQ(l->checked({"EXISTS", dispatch_stream()}).as_integer(), 0);
  load_fence();
  EXPECT_EQ(due_.claim(*l, 5000, 100).claimed.size(), 1u);
}

TEST_F(DueSetLive, FrozenScopesHoldAndTheExemptionLanePasses) {
  load_fence();
  auto l = redis_.lease();
  fence_.publish(*l, 2, {"tag:recall", "account:a9"}, 1);
  auto held_tag = job("t1", 1000);
  held_tag.tags = {"other", "recall"};
  auto held_account = job("t2", 1000);
  held_account.account_id = "a9";
  auto exempt = job("t3", 1000);
  exempt.tags = {"recall"};
  exempt.crisis_statement = true;
  auto free = job("t4", 1000);  // brand b1, account a1, tag launch: not in scope
  due_.add_many(*l, {entry(held_tag), entry(held_account), entry(exempt), entry(free)});

  auto batch = due_.claim(*l, 1000, 100);
  ASSERT_EQ(batch.claimed.size(), 4u);
  std::map<std::string, Claimed> by;
  for (auto& c : batch.claimed) by[c.target_id] = c;
  EXPECT_TRUE(by["t1"].held);
  EXPECT_EQ(by["t1"].scope, "tag:recall");
  EXPECT_TRUE(by["t2"].held);
  EXPECT_EQ(by["t2"].scope, "account:a9");
  EXPECT_FALSE(by["t3"].held);
  EXPECT_FALSE(by["t4"].held);
  auto sent = envelopes(dispatch_stream());
  ASSERT_EQ(sent.size(), 2u);
  std::set<std::string> ids{sent[0].id, sent[1].id};
  EXPECT_EQ(ids, (std::set<std::string>{"dispatch:t3:1:1", "dispatch:t4:1:1"}));
  EXPECT_TRUE(due_.marked(*l, 'h', "t1", 1, 1));
  EXPECT_EQ(due_.size(*l), 0);
  // A held version never comes back on its own (the reconciler's rebuild included).
  EXPECT_EQ(due_.add_missing(*l, {entry(held_tag)}).at(0), AddResult::kHeld);
  EXPECT_EQ(due_.add(*l, entry(held_tag)), AddResult::kHeld);
}

TEST_F(DueSetLive, AFreezeOfEverythingHoldsAllButCrisisStatements) {
  load_fence();
  auto l = redis_.lease();
  fence_.publish(*l, 2, {"all"}, 1);
  auto exempt = job("t2", 1000);
  exempt.crisis_statement = true;
  due_.add_many(*l, {entry(job("t1", 1000)), entry(exempt)});
  auto batch = due_.claim(*l, 1000, 100);
  ASSERT_EQ(batch.claimed.size(), 2u);
  for (const auto& c : batch.claimed) EXPECT_EQ(c.held, c.target_id == "t1") << c.target_id;
}

// The crisis module's scopes for one organization (services/crisis/store/fence.sql): all of it,
// one of its platforms, one of its tags. Another organization's jobs are not touched.
TEST_F(DueSetLive, OrganizationScopedFreezesHoldOnlyThatOrganization) {
  load_fence();
  auto l = redis_.lease();
  auto ours = [&](const std::string& id) {
    auto j = job(id, 1000);
    j.org_id = "o1";
    return j;
  };
  auto theirs = job("u0", 1000);
  theirs.org_id = "o2";
  int n = 0;
  for (const std::string scope : {"org:o1", "org:o1:platform:mastodon", "org:o1:tag:launch"}) {
    fence_.publish(*l, 3 + n, {scope}, 1);
    ++n;
    auto mine = ours("t" + std::to_string(n));
    mine.tags = {"launch"};
    auto other = theirs;
    other.target_id = "u" + std::to_string(n);
    other.tags = {"launch"};
    due_.add_many(*l, {entry(mine), entry(other)});
    auto batch = due_.claim(*l, 1000, 100);
    ASSERT_EQ(batch.claimed.size(), 2u) << scope;
    for (const auto& c : batch.claimed) {
      EXPECT_EQ(c.held, c.target_id == mine.target_id) << scope << " " << c.target_id;
      if (c.held) {
        EXPECT_EQ(c.scope, scope);
      }
    }
  }
}

TEST_F(DueSetLive, NewerVersionsReplaceOlderOnesAndDispatchedVersionsNeverReturn) {
  load_fence();
  auto l = redis_.lease();
  EXPECT_EQ(due_.add(*l, entry(job("t1", 1000, 2, 1))), AddResult::kAdded);
  EXPECT_EQ(due_.add(*l, entry(job("t1", 500, 1, 3))), AddResult::kKept);  // older content version
  EXPECT_EQ(due_.add(*l, entry(job("t1", 3000, 2, 2))), AddResult::kAdded);  // a retry: same version, next attempt
  EXPECT_EQ(due_.next_due(*l), 3000);
  auto batch = due_.claim(*l, 3000, 10);
  ASSERT_EQ(batch.claimed.size(), 1u);
  EXPECT_EQ(batch.claimed[0].content_version, 2);
  EXPECT_EQ(batch.claimed[0].attempt, 2);
  EXPECT_EQ(due_.add(*l, entry(job("t1", 3000, 2, 2))), AddResult::kDispatched);
  EXPECT_EQ(due_.size(*l), 0);
}

TEST_F(DueSetLive, CancelRemovesOnlyTheCancelledVersionAndBlocksItsRebuild) {
  load_fence();
  auto l = redis_.lease();
  due_.add(*l, entry(job("t1", 1000, 2)));
  EXPECT_FALSE(due_.cancel(*l, "t1", 1, 1, 10));  // not the version Redis holds
  EXPECT_EQ(due_.size(*l), 1);
  EXPECT_TRUE(due_.cancel(*l, "t1", 2, 1, 10));
  EXPECT_EQ(due_.size(*l), 0);
  EXPECT_EQ(due_.add_missing(*l, {entry(job("t1", 1000, 2))}).at(0), AddResult::kCancelled);
  // A new schedule.set of that version (a reschedule) is the consumer's add: it wins.
  EXPECT_EQ(due_.add(*l, entry(job("t1", 2000, 2))), AddResult::kAdded);
  EXPECT_EQ(due_.next_due(*l), 2000);
}

TEST_F(DueSetLive, ARebuildFromAStaleSnapshotNeverBringsBackAnOlderVersion) {
  load_fence();
  auto l = redis_.lease();
  // The reconciler read v1 from PostgreSQL; meanwhile v2 was scheduled and dispatched.
  due_.add(*l, entry(job("t1", 1000, 2)));
  ASSERT_EQ(due_.claim(*l, 1000, 10).claimed.size(), 1u);
  EXPECT_EQ(due_.add_missing(*l, {entry(job("t1", 900, 1))}).at(0), AddResult::kKept);
  EXPECT_EQ(due_.size(*l), 0);
  // Once the marks are trimmed (PostgreSQL has long known), a rebuild trusts PostgreSQL again.
  EXPECT_EQ(due_.trim_marks(*l, 1001), 1);
  EXPECT_FALSE(due_.marked(*l, 'd', "t1", 2, 1));
  EXPECT_EQ(due_.add_missing(*l, {entry(job("t1", 900, 3))}).at(0), AddResult::kAdded);
}

TEST_F(DueSetLive, ReservedCharactersAreRefused) {
  auto l = redis_.lease();
  EXPECT_THROW(due_.add(*l, entry(job("t|1", 1))), std::invalid_argument);
  EXPECT_THROW(due_.add(*l, entry(job("t:1", 1))), std::invalid_argument);
  EXPECT_THROW(due_.add(*l, entry(job("t\"1", 1))), std::invalid_argument);
}

}  // namespace
}  // namespace herald::scheduler
