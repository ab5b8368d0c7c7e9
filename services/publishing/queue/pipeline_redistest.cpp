// The outbox relay and the publishing_events consumer against real PostgreSQL and Redis: what
// the scheduler receives on its command stream, and events applied once, acknowledged after the
// commit, duplicates and malformed entries acknowledged without effect.
#include <gtest/gtest.h>

#include "services/core/redis/options.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/redis/streams.hpp"
#include "services/publishing/queue/events_consumer.hpp"
#include "services/publishing/queue/outbox_relay.hpp"
#include "services/publishing/testing/fixture.hpp"

namespace herald::publishing {
namespace {

using contracts::Outcome;
constexpr std::int64_t kHour = 3'600'000;

class Pipeline : public testing::PublishingTest {
 protected:
  core::redis::Options redis_options_ = core::redis::parse_url(herald::testing::redis_url());
  core::redis::Pool redis_{redis_options_, 2};
  core::redis::Client client_{redis_options_};
  core::log::Logger log_{"pipeline-test", [](std::string_view) {}};
  contracts::StreamNames streams_{prefix_};

  std::vector<core::redis::StreamEntry> read_commands() {
    core::redis::ensure_group(client_, streams_.scheduler_commands, "reader", "0");
    return core::redis::read_group(client_, "reader", "r1", {streams_.scheduler_commands}, 0,
                                   std::chrono::milliseconds(0));
  }

  void publish_event(const contracts::Envelope& e) {
    core::redis::xadd(client_, streams_.publishing_events, contracts::to_fields(e));
  }

  contracts::Envelope envelope(const std::string& id, Outcome outcome, const TargetRecord& t) {
    contracts::TargetEvent e;
    e.outcome = outcome;
    e.target_id = t.id;
    e.org_id = t.org_id;
    e.content_version = t.content_version;
    e.attempt = 1;
    e.worker = "w1";
    if (outcome == Outcome::kPublished) e.platform_post_id = "1700";
    return contracts::to_envelope(e, id, now_ms());
  }

  std::int64_t pending() {
    auto r = client_.checked({"XPENDING", streams_.publishing_events, "publishing"});
    return r.elements().at(0).as_integer();
  }
};

TEST_F(Pipeline, TheRelaySendsTheOutboxInOrderAndEmptiesIt) {
  const auto slot = now_ms() + 2 * kHour;
  auto v = posts_.create(author_, input(slot));
  auto a = approve(v.post.id);
  auto rows = outbox();
  ASSERT_EQ(rows.size(), 2U);
  OutboxRelay relay(store_, redis_, log_, RelayOptions{1});  // one row per pass
  EXPECT_EQ(relay.relay_once(), 1);
  EXPECT_EQ(relay.drain(), 1);
  EXPECT_TRUE(outbox().empty());
  auto entries = read_commands();
  ASSERT_EQ(entries.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto* payload = entries[i].field(contracts::kPayloadField);
    ASSERT_NE(payload, nullptr);
    auto e = contracts::envelope_from_payload(*payload);
    EXPECT_EQ(e.type, "schedule.set");
    EXPECT_EQ(e.id, rows[i].envelope.id);
    auto job = contracts::dispatch_job_from_json(e.data);
    EXPECT_EQ(job.target_id, a.targets[i].id);
    EXPECT_EQ(job.due_at_ms, slot);
  }
  EXPECT_EQ(relay.relay_once(), 0);
}

TEST_F(Pipeline, TheConsumerAppliesEachEventOnceAndAcknowledgesEverything) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  const auto& t = a.targets[0];
  ConsumerOptions o;
  o.block = std::chrono::milliseconds(0);
  EventsConsumer consumer(posts_, redis_options_, streams_.publishing_events, log_, o);
  consumer.ensure_group();
  publish_event(envelope("e-d", Outcome::kDispatched, t));
  publish_event(envelope("e-s", Outcome::kSending, t));
  publish_event(envelope("e-s", Outcome::kSending, t));  // the same message twice
  publish_event(envelope("e-p", Outcome::kPublished, t));
  publish_event(envelope("e-d2", Outcome::kDispatched, t));  // late: refused by the lifecycle
  core::redis::xadd(client_, streams_.publishing_events, {{"payload", "{not json"}});
  auto stats = consumer.poll_once();
  EXPECT_EQ(stats.applied, 3);
  EXPECT_EQ(stats.skipped, 3);
  EXPECT_EQ(stats.failed, 0);
  EXPECT_EQ(pending(), 0);
  auto now = posts_.get(author_, v.post.id);
  EXPECT_EQ(std::string(to_string(now.targets[0].state)), "PUBLISHED");
  EXPECT_EQ(now.targets[0].platform_post_id, "1700");
  EXPECT_EQ(std::string(to_string(now.targets[1].state)), "SCHEDULED");
  EXPECT_EQ(consumer.poll_once().applied, 0);
}

TEST_F(Pipeline, ARetryEventBecomesANewScheduleSetOnTheCommandStream) {
  auto v = posts_.create(author_, input(now_ms() + 2 * kHour));
  auto a = approve(v.post.id);
  clear_outbox();
  const auto& t = a.targets[1];
  ConsumerOptions o;
  o.block = std::chrono::milliseconds(0);
  EventsConsumer consumer(posts_, redis_options_, streams_.publishing_events, log_, o);
  consumer.ensure_group();
  contracts::TargetEvent e;
  e.outcome = Outcome::kRetry;
  e.target_id = t.id;
  e.org_id = t.org_id;
  e.content_version = 1;
  e.attempt = 1;
  e.error_class = "retryable";
  e.retry_at_ms = now_ms() + 30'000;
  publish_event(envelope("e-d", Outcome::kDispatched, t));
  publish_event(contracts::to_envelope(e, "e-r", now_ms()));
  EXPECT_EQ(consumer.poll_once().applied, 2);
  OutboxRelay relay(store_, redis_, log_);
  EXPECT_EQ(relay.drain(), 1);
  auto entries = read_commands();
  ASSERT_EQ(entries.size(), 1U);
  auto job = contracts::dispatch_job_from_json(
      contracts::envelope_from_payload(*entries[0].field(contracts::kPayloadField)).data);
  EXPECT_EQ(job.target_id, t.id);
  EXPECT_EQ(job.attempt, 2);
  EXPECT_EQ(job.due_at_ms, e.retry_at_ms);
}

}  // namespace
}  // namespace herald::publishing
