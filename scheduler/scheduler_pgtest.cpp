// The scheduler against real PostgreSQL and Redis: commands (idempotent, version-ordered),
// the dispatcher (nothing early, events, PostgreSQL marks, timed wake-up), the reconciler
// (rebuild after the keys are lost, recovery of unrecorded dispatches) and the missed-post
// detector. The clock is a ManualClock except in the wake-up test.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "scheduler/dispatch/dispatcher.hpp"
#include "scheduler/queue/command_consumer.hpp"
#include "scheduler/reconciler.hpp"
#include "scheduler/scheduler_module.hpp"
#include "scheduler/test_fixture.hpp"

namespace herald::scheduler {
namespace {

using testing::job;
using testing::ms_of;

contracts::Envelope set_command(const std::string& id, const contracts::DispatchJob& j) {
  contracts::Envelope e;
  e.type = std::string(contracts::kScheduleSet);
  e.id = id;
  e.ts_ms = 1;
  e.data = contracts::to_json(j);
  return e;
}

contracts::Envelope cancel_command(const std::string& id, const std::string& target, std::int64_t version) {
  contracts::Envelope e;
  e.type = std::string(contracts::kScheduleCancel);
  e.id = id;
  e.data = {{"target_id", target}, {"content_version", version}};
  return e;
}

class SchedulerLive : public ::testing::Test, protected testing::RedisFixture {
 protected:
  SchedulerLive()
      : pg_(SchedulerModule::schema().query_files, SchedulerModule::schema().migrations),
        logger_("scheduler-test", [this](std::string_view line) {
          std::lock_guard lock(log_mutex_);
          log_ += std::string(line) + "\n";
        }),
        store_(*pg_.pool_),
        dispatcher_(redis_, store_, clock_, logger_, metrics_, prefix_, DispatcherOptions{}),
        consumer_(*pg_.pool_, redis_, clock_, logger_, metrics_, prefix_,
                  [this](std::int64_t due) { notified_.push_back(due); }, ConsumerOptions{}),
        reconciler_(store_, redis_, dispatcher_, clock_, logger_, metrics_, prefix_, ReconcilerOptions{}) {
    consumer_.ensure_group();
  }

  std::int64_t now() const { return ms_of(clock_); }
  ApplyReport consume() { return consumer_.poll_once(std::chrono::milliseconds(0)); }
  std::vector<contracts::Envelope> events() { return envelopes(streams_.publishing_events); }
  std::int64_t pending_commands() {
    auto l = redis_.lease();
    auto r = l->checked({"XPENDING", streams_.scheduler_commands, "scheduler"});
    return r.elements().at(0).as_integer();
  }

  testing::PgFixture pg_;
  herald::testing::ManualClock clock_;
  core::metrics::Registry metrics_;
  std::mutex log_mutex_;
  std::string log_;
  core::log::Logger logger_;
  JobStore store_;
  std::vector<std::int64_t> notified_;
  Dispatcher dispatcher_;
  CommandConsumer consumer_;
  Reconciler reconciler_;
};

TEST_F(SchedulerLive, ScheduleSetIsDurableThenDueThenAcknowledged) {
  auto j = job("t1", now() + 60'000);
  publish_command(set_command("e1", j));
  auto r = consume();
  EXPECT_EQ(r.applied, 1u);
  auto stored = store_.find("t1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, "pending");
  EXPECT_EQ(stored->due_ms, j.due_at_ms);
  EXPECT_EQ(contracts::dispatch_job_from_json(nlohmann::json::parse(stored->payload)).marker, "hm-t1");
  auto l = redis_.lease();
  EXPECT_EQ(due_.next_due(*l), j.due_at_ms);
  EXPECT_EQ(pending_commands(), 0);
  EXPECT_EQ(notified_, std::vector<std::int64_t>{j.due_at_ms});
}

TEST_F(SchedulerLive, CommandsAreIdempotentOnTheEnvelopeIdAndOrderedByVersion) {
  const auto due = now() + 60'000;
  publish_command(set_command("e1", job("t1", due, 2, 1)));
  publish_command(set_command("e1", job("t1", due + 5, 9, 9)));  // a redelivery of e1: no effect
  publish_command(set_command("e2", job("t1", due + 10, 1, 5)));  // older content version: ignored
  publish_command(set_command("e3", job("t1", due + 20, 2, 2)));  // a retry (attempt 2): replaces
  auto r = consume();
  EXPECT_EQ(r.applied, 2u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.ignored, 1u);
  auto stored = store_.find("t1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->content_version, 2);
  EXPECT_EQ(stored->attempt, 2);
  EXPECT_EQ(stored->due_ms, due + 20);
  auto l = redis_.lease();
  EXPECT_EQ(due_.next_due(*l), due + 20);
  EXPECT_EQ(due_.size(*l), 1);
  EXPECT_EQ(pending_commands(), 0);

  // Cancel that version: gone from both; a replayed cancel or an old set changes nothing.
  publish_command(cancel_command("e4", "t1", 2));
  publish_command(cancel_command("e4", "t1", 2));
  publish_command(set_command("e2", job("t1", due, 1, 5)));
  r = consume();
  EXPECT_EQ(r.applied, 1u);
  EXPECT_EQ(r.duplicates, 2u);
  EXPECT_EQ(store_.find("t1")->state, "cancelled");
  EXPECT_EQ(due_.size(*l), 0);
  // A reschedule is a new set of the same version: it comes back.
  publish_command(set_command("e5", job("t1", due + 30, 2, 2)));
  EXPECT_EQ(consume().applied, 1u);
  EXPECT_EQ(store_.find("t1")->state, "pending");
  EXPECT_EQ(due_.next_due(*l), due + 30);
}

TEST_F(SchedulerLive, ABatchOfDistinctTargetsIsAppliedWithTheSameRules) {
  const auto due = now() + 60'000;
  for (int i = 0; i < 400; ++i) {
    publish_command(set_command("b" + std::to_string(i), job("t" + std::to_string(i), due + i, 3, 1)));
  }
  auto r = consume();
  EXPECT_EQ(r.applied, 400u);
  // Second batch: new targets, a redelivered id, an older version, a newer attempt.
  for (int i = 400; i < 450; ++i) {
    publish_command(set_command("b" + std::to_string(i), job("t" + std::to_string(i), due, 1, 1)));
  }
  publish_command(set_command("b7", job("t7", due, 9, 9)));        // seen id: no effect
  publish_command(set_command("x1", job("t8", due, 2, 7)));        // older content version: ignored
  publish_command(set_command("x2", job("t9", due + 99, 3, 2)));   // the retry: replaces
  r = consume();
  EXPECT_EQ(r.applied, 51u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.ignored, 1u);
  EXPECT_EQ(store_.find("t7")->content_version, 3);
  EXPECT_EQ(store_.find("t8")->content_version, 3);
  EXPECT_EQ(store_.find("t8")->attempt, 1);
  EXPECT_EQ(store_.find("t9")->attempt, 2);
  EXPECT_EQ(store_.find("t9")->due_ms, due + 99);
  EXPECT_EQ(store_.find("t449")->state, "pending");
  auto l = redis_.lease();
  EXPECT_EQ(due_.size(*l), 450);
  EXPECT_EQ(pending_commands(), 0);
  EXPECT_EQ(contracts::dispatch_job_from_json(nlohmann::json::parse(store_.find("t3")->payload)).content.text,
            "hello t3");
}

TEST_F(SchedulerLive, MalformedCommandsAreAcknowledgedAndLoggedWithoutEffect) {
  {
    auto l = redis_.lease();
    core::redis::xadd(*l, streams_.scheduler_commands, {{"payload", "not json"}});
  }
  auto bad = job("t|1", now());
  publish_command(set_command("e1", bad));
  contracts::Envelope other;
  other.type = "schedule.explode";
  other.id = "e2";
  publish_command(other);
  auto r = consume();
  EXPECT_EQ(r.malformed, 3u);
  EXPECT_EQ(pending_commands(), 0);
  EXPECT_NE(log_.find("scheduler command refused"), std::string::npos);
}

TEST_F(SchedulerLive, DispatchesNothingEarlyThenReportsAndRecordsIt) {
  load_fence();
  const auto due = now() + 10'000;
  publish_command(set_command("e1", job("t1", due)));
  publish_command(set_command("e2", job("t2", due + 1)));
  consume();
  clock_.advance(std::chrono::milliseconds(9'999));
  auto pass = dispatcher_.dispatch_due();
  EXPECT_EQ(pass.dispatched, 0u);
  EXPECT_EQ(pass.next_due_ms, due);
  EXPECT_TRUE(envelopes(streams_.dispatch("mastodon")).empty());
  clock_.advance(std::chrono::milliseconds(1));
  pass = dispatcher_.dispatch_due();
  EXPECT_EQ(pass.dispatched, 1u);
  EXPECT_EQ(pass.next_due_ms, due + 1);
  auto sent = envelopes(streams_.dispatch("mastodon"));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(contracts::dispatch_job_from_json(sent[0].data).target_id, "t1");
  EXPECT_GE(sent[0].ts_ms, contracts::dispatch_job_from_json(sent[0].data).due_at_ms);  // never early

  EXPECT_EQ(dispatcher_.flush_marks(), 1u);
  EXPECT_EQ(store_.find("t1")->state, "dispatched");
  EXPECT_EQ(store_.find("t2")->state, "pending");
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, "target.dispatched");
  EXPECT_EQ(ev[0].id, "dispatched:t1:1:1");
  auto te = contracts::target_event_from(ev[0]);
  EXPECT_EQ(te.target_id, "t1");
  EXPECT_EQ(te.org_id, "org1");
  EXPECT_EQ(te.at_ms, due);

  // The dispatched version is never scheduled again by a replayed or reordered command.
  publish_command(set_command("e9", job("t1", due)));
  EXPECT_EQ(consume().ignored, 1u);
  auto l = redis_.lease();
  EXPECT_EQ(due_.size(*l), 1);  // only t2
}

TEST_F(SchedulerLive, TwoSchedulerReplicasDispatchTenThousandDueJobsEachExactlyOnce) {
  load_fence();
  constexpr int kJobs = 10000;
  for (int i = 0; i < kJobs; ++i) {
    publish_command(set_command("e" + std::to_string(i), job("t" + std::to_string(i), now() + i % 100)));
  }
  while (consume().applied > 0) {
  }
  ASSERT_EQ(pending_commands(), 0);
  clock_.advance(std::chrono::milliseconds(100));
  DispatcherOptions small;
  small.batch = 250;
  Dispatcher a(redis_, store_, clock_, logger_, metrics_, prefix_, small);
  Dispatcher b(redis_, store_, clock_, logger_, metrics_, prefix_, small);
  std::size_t counts[2] = {0, 0};
  auto drive = [&](Dispatcher& d, std::size_t& n) {
    while (true) {
      auto pass = d.dispatch_due();
      n += pass.dispatched;
      if (pass.dispatched == 0) break;
    }
    d.flush_marks();
  };
  std::thread ta(drive, std::ref(a), std::ref(counts[0]));
  std::thread tb(drive, std::ref(b), std::ref(counts[1]));
  ta.join();
  tb.join();
  EXPECT_EQ(counts[0] + counts[1], static_cast<std::size_t>(kJobs));
  EXPECT_GT(counts[0], 0u);
  EXPECT_GT(counts[1], 0u);
  auto sent = envelopes(streams_.dispatch("mastodon"));
  std::set<std::string> ids;
  for (const auto& e : sent) ids.insert(e.id);
  EXPECT_EQ(sent.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kJobs));
  auto ev = events();
  std::set<std::string> event_ids;
  for (const auto& e : ev) event_ids.insert(e.id);
  EXPECT_EQ(ev.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(event_ids.size(), static_cast<std::size_t>(kJobs));
  auto dispatched = pg_.pool_->transact([](pqxx::work& tx) {
    return tx.exec1("SELECT count(*) FROM scheduler_jobs WHERE state = 'dispatched'")[0].as<int>();
  });
  EXPECT_EQ(dispatched, kJobs);
}

TEST_F(SchedulerLive, HeldJobsAreReportedAndRecordedAsHeld) {
  load_fence();
  {
    auto l = redis_.lease();
    fence_.publish(*l, 5, {"brand:b1"}, now());
  }
  publish_command(set_command("e1", job("t1", now())));
  consume();
  auto pass = dispatcher_.dispatch_due();
  EXPECT_EQ(pass.held, 1u);
  dispatcher_.flush_marks();
  auto stored = store_.find("t1");
  EXPECT_EQ(stored->state, "held");
  EXPECT_EQ(stored->held_scope, "brand:b1");
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, "target.held");
  auto te = contracts::target_event_from(ev[0]);
  EXPECT_EQ(te.error_class, "frozen");
  EXPECT_EQ(te.error_code, "brand:b1");
  EXPECT_TRUE(envelopes(streams_.dispatch("mastodon")).empty());
}

TEST_F(SchedulerLive, ReconcilerRebuildsTheDueSetAfterItsKeysAreLost) {
  load_fence();
  for (int i = 0; i < 5; ++i) {
    publish_command(set_command("e" + std::to_string(i), job("t" + std::to_string(i), now() + i)));
  }
  consume();
  {
    auto l = redis_.lease();
    due_.clear(*l);  // Redis lost the scheduler's keys
    EXPECT_EQ(due_.size(*l), 0);
  }
  auto report = reconciler_.rebuild();
  EXPECT_EQ(report.pending, 5u);
  EXPECT_EQ(report.restored, 5u);
  EXPECT_EQ(metrics_.render().find("herald_scheduler_restored_total 5") != std::string::npos, true);
  // Idempotent: a second pass adds nothing.
  EXPECT_EQ(reconciler_.rebuild().restored, 0u);
  clock_.advance(std::chrono::milliseconds(10));
  EXPECT_EQ(dispatcher_.dispatch_due().dispatched, 5u);
  dispatcher_.flush_marks();
  EXPECT_EQ(reconciler_.rebuild().pending, 0u);
}

TEST_F(SchedulerLive, ReconcilerRecordsDispatchesThatNeverReachedPostgreSQL) {
  load_fence();
  publish_command(set_command("e1", job("t1", now())));
  consume();
  EXPECT_EQ(dispatcher_.dispatch_due().dispatched, 1u);
  // Crash before flush_marks(): PostgreSQL still says pending. The rebuild must not put it back.
  Dispatcher other(redis_, store_, clock_, logger_, metrics_, prefix_);
  Reconciler after_restart(store_, redis_, other, clock_, logger_, metrics_, prefix_);
  auto report = after_restart.rebuild();
  EXPECT_EQ(report.restored, 0u);
  EXPECT_EQ(report.recovered, 1u);
  EXPECT_EQ(store_.find("t1")->state, "dispatched");
  auto l = redis_.lease();
  EXPECT_EQ(due_.size(*l), 0);
  EXPECT_EQ(envelopes(streams_.dispatch("mastodon")).size(), 1u);
  // The repeated event has the same id: publishing de-duplicates it.
  auto ev = events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].id, ev[1].id);
}

TEST_F(SchedulerLive, MissedPostsRaiseAnEventALogLineAndACounterOnce) {
  // The fence is absent: nothing can be dispatched, so the job goes overdue.
  publish_command(set_command("e1", job("t1", now() + 1000)));
  publish_command(set_command("e2", job("t2", now() + 120'000)));
  consume();
  clock_.advance(std::chrono::milliseconds(1000 + 60'000));
  EXPECT_EQ(reconciler_.detect_missed(), 0u);  // exactly at the threshold: not yet
  clock_.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(reconciler_.detect_missed(), 1u);
  EXPECT_EQ(reconciler_.detect_missed(), 0u);  // reported once
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, "target.missed");
  EXPECT_EQ(contracts::target_event_from(ev[0]).target_id, "t1");
  EXPECT_NE(log_.find("scheduled post missed its time"), std::string::npos);
  EXPECT_NE(metrics_.render().find("herald_scheduler_missed_total 1"), std::string::npos);
  EXPECT_TRUE(store_.find("t1")->missed);
  EXPECT_EQ(store_.find("t1")->state, "pending");  // still due: it goes out once the fence is back
}

TEST_F(SchedulerLive, ADispatcherThreadWakesAtTheDueInstantNotBefore) {
  // Real time here: the point is the timed wake-up. Two jobs 300 ms and 600 ms ahead.
  load_fence(ms_of(core::SystemClock{}));
  core::SystemClock real;
  Dispatcher live(redis_, store_, real, logger_, metrics_, prefix_);
  const auto t0 = ms_of(real);
  {
    auto l = redis_.lease();
    due_.add_many(*l, {testing::entry(job("w1", t0 + 300)), testing::entry(job("w2", t0 + 600))});
  }
  live.start();
  live.notify(t0 + 300);
  std::vector<contracts::Envelope> sent;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (sent.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    sent = envelopes(streams_.dispatch("mastodon"));
  }
  live.stop();
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& e : sent) {
    auto j = contracts::dispatch_job_from_json(e.data);
    EXPECT_GE(e.ts_ms, j.due_at_ms) << j.target_id;       // not early
    EXPECT_LE(e.ts_ms, j.due_at_ms + 50) << j.target_id;  // and on time (a loose bound for CI)
  }
}

}  // namespace
}  // namespace herald::scheduler
