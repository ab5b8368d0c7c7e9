// The consumer against real Redis streams: group "workers" over the dispatch streams, ack after the
// event, parking, reclaiming a dead consumer's entries, dead-lettering malformed ones.
#include "adapters/worker/queue/consumer.hpp"

#include <gtest/gtest.h>

#include "adapters/worker/worker_test_support.hpp"

namespace herald::worker {
namespace {

using std::chrono::milliseconds;

class ConsumerLive : public testing::WorkerRedis {
 protected:
  ConsumerOptions fast() {
    ConsumerOptions o;
    o.block = milliseconds{0};  // never block: every round reads what is there
    o.retry_soon = milliseconds{500};
    o.reclaim_every = std::chrono::hours{1};  // tests call reclaim_now()
    o.max_deliveries = 3;
    return o;
  }
  std::vector<std::string> all_streams() {
    std::vector<std::string> s;
    for (const auto& p : adapters::platforms()) s.push_back(streams_.dispatch(p));
    return s;
  }
  std::string dispatch(const contracts::DispatchJob& job, const std::string& id) {
    contracts::Envelope e;
    e.type = "dispatch";
    e.id = id;
    e.ts_ms = now_ms();
    e.data = contracts::to_json(job);
    return core::redis::xadd(redis_, streams_.dispatch(job.platform), contracts::to_fields(e));
  }
  std::int64_t pending(const std::string& stream) {
    auto r = redis_.checked({"XPENDING", stream, std::string(kWorkersGroup)});
    return r.elements().at(0).as_integer();
  }
};

TEST_F(ConsumerLive, ConsumesEveryPlatformStreamAndAcksAfterTheEvent) {
  transport_.reply(200, testing::status_json("111"));
  auto sender = make_sender();
  Consumer c(redis_, sender, all_streams(), "w1", clock_, logger_, fast());
  c.ensure_groups();
  dispatch(testing::sample_job(), "d1");
  auto assisted = testing::sample_job("t9");
  assisted.platform = "kuaishou";  // assisted: no call, a person posts it
  contracts::MediaRef video;
  video.kind = "video";
  video.url = "https://cdn.example.com/clip.mp4";
  video.mime_type = "video/mp4";
  video.bytes = 1'000'000;
  video.duration_s = 30;
  assisted.content.media.push_back(video);  // Kuaishou posts are videos
  dispatch(assisted, "d2");
  EXPECT_EQ(c.poll_once(), 2U);
  EXPECT_EQ(transport_.requests.size(), 1U);
  EXPECT_EQ(pending(streams_.dispatch("mastodon")), 0);
  EXPECT_EQ(pending(streams_.dispatch("kuaishou")), 0);
  auto ev = events();
  ASSERT_EQ(ev.size(), 3U);  // no "sending" for the assisted one: nothing is sent
  EXPECT_EQ(ev[1].id, "t1:3:1:published");
  EXPECT_EQ(ev[2].id, "t9:3:1:held");
  EXPECT_EQ(ev[2].event.error_class, "assisted");
  EXPECT_FALSE(ev[2].event.url.empty());  // the creator studio link for the person who posts it
  EXPECT_EQ(c.stats().acked, 2U);
}

TEST_F(ConsumerLive, TheSameJobDeliveredTwiceMakesOnePlatformRequest) {
  transport_.reply(200, testing::status_json("111"));
  auto sender = make_sender();
  Consumer c(redis_, sender, all_streams(), "w1", clock_, logger_, fast());
  c.ensure_groups();
  dispatch(testing::sample_job(), "d1");
  dispatch(testing::sample_job(), "d1-again");  // e.g. a scheduler replica raced
  EXPECT_EQ(c.poll_once(), 2U);
  EXPECT_EQ(transport_.requests.size(), 1U);
  EXPECT_EQ(pending(streams_.dispatch("mastodon")), 0);
  EXPECT_EQ(outcomes(), (std::vector<std::string>{"sending", "published"}));
}

TEST_F(ConsumerLive, ClosedFenceParksTheEntryAndRetriesItShortly) {
  fence_.clear(redis_);
  transport_.reply(200, testing::status_json("111"));
  auto sender = make_sender();
  Consumer c(redis_, sender, all_streams(), "w1", clock_, logger_, fast());
  c.ensure_groups();
  dispatch(testing::sample_job(), "d1");
  c.poll_once();
  EXPECT_EQ(c.parked(), 1U);
  EXPECT_EQ(pending(streams_.dispatch("mastodon")), 1);
  c.poll_once();  // not due yet
  EXPECT_EQ(c.stats().handled, 1U);
  clock_.advance(milliseconds{600});
  c.poll_once();  // tried again, still closed: parked for twice as long
  EXPECT_EQ(c.stats().handled, 2U);
  EXPECT_EQ(c.parked(), 1U);
  clock_.advance(milliseconds{600});
  c.poll_once();
  EXPECT_EQ(c.stats().handled, 2U);
  EXPECT_TRUE(transport_.requests.empty());
  fence_.ensure_loaded(redis_, 1, now_ms());
  clock_.advance(milliseconds{500});
  c.poll_once();
  EXPECT_EQ(c.parked(), 0U);
  EXPECT_EQ(transport_.requests.size(), 1U);
  EXPECT_EQ(pending(streams_.dispatch("mastodon")), 0);
}

TEST_F(ConsumerLive, AKilledConsumersEntriesAreTakenOver) {
  transport_.reply(200, "[]").reply(200, testing::status_json("111"));
  auto job = testing::sample_job();
  // Consumer "dead" read the entry, began the send and died (never acked, lease left behind).
  core::redis::ensure_group(redis_, streams_.dispatch("mastodon"), kWorkersGroup);
  dispatch(job, "d1");
  auto taken = core::redis::read_group(redis_, kWorkersGroup, "dead", {streams_.dispatch("mastodon")}, 10,
                                       milliseconds{0});
  ASSERT_EQ(taken.size(), 1U);
  contracts::gate::BeginRequest r;
  r.send_key = job.send_key();
  r.scope = send_scope(job);
  r.worker = "dead";
  r.now_ms = now_ms();
  r.lease_ms = 60'000;
  ASSERT_TRUE(gate_.begin(redis_, r).open());
  clock_.advance(std::chrono::seconds{61});

  auto sender = make_sender("w2");
  Consumer c(redis_, sender, all_streams(), "w2", clock_, logger_, fast());
  c.ensure_groups();
  EXPECT_EQ(c.reclaim_now(milliseconds{0}), 1U);
  ASSERT_EQ(transport_.requests.size(), 2U);  // read back (absent), then the one send
  EXPECT_EQ(transport_.requests[0].method, "GET");
  EXPECT_EQ(transport_.requests[1].method, "POST");
  EXPECT_EQ(pending(streams_.dispatch("mastodon")), 0);
  EXPECT_EQ(c.stats().reclaimed, 1U);
}

TEST_F(ConsumerLive, MalformedEntriesGoToTheDeadLetterStream) {
  auto sender = make_sender();
  Consumer c(redis_, sender, all_streams(), "w1", clock_, logger_, fast());
  c.ensure_groups();
  core::redis::xadd(redis_, streams_.dispatch("x"), {{"payload", R"({"type":"dispatch","id":"z","data":{}})"}});
  EXPECT_EQ(c.poll_once(), 1U);
  EXPECT_EQ(c.stats().malformed, 1U);
  EXPECT_EQ(pending(streams_.dispatch("x")), 0);
  auto dead = redis_.checked({"XLEN", core::redis::dead_letter_stream(streams_.dispatch("x"))});
  EXPECT_EQ(dead.as_integer(), 1);
  EXPECT_TRUE(transport_.requests.empty());
  redis_.command({"DEL", core::redis::dead_letter_stream(streams_.dispatch("x"))});
}

}  // namespace
}  // namespace herald::worker
