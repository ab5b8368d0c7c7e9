// Sender against real Redis (the send gate, the events stream), the real Mastodon adapter and a
// FakeTransport answering as Mastodon documents (https://docs.joinmastodon.org/methods/statuses/).
#include "adapters/worker/sender.hpp"

#include <gtest/gtest.h>

#include "adapters/worker/worker_test_support.hpp"
#include "herald/adapters/marker.hpp"

namespace herald::worker {
namespace {

using contracts::Outcome;
using contracts::gate::Verdict;
using std::chrono::seconds;

class SenderLive : public testing::WorkerRedis {
 protected:
  contracts::gate::Decision begin_as(const std::string& worker, const contracts::DispatchJob& job,
                                     std::int64_t lease_ms = 60'000) {
    contracts::gate::BeginRequest r;
    r.send_key = job.send_key();
    r.scope = send_scope(job);
    r.worker = worker;
    r.now_ms = now_ms();
    r.lease_ms = lease_ms;
    return gate_.begin(redis_, r);
  }
};

TEST_F(SenderLive, PublishedPathSendsOnceWritesTheLedgerAndReportsSendingThenPublished) {
  transport_.reply(200, testing::status_json("111"));
  auto sender = make_sender();
  auto job = testing::sample_job();
  auto h = sender.handle(job);
  EXPECT_EQ(h.disposition, Disposition::kAck);
  EXPECT_EQ(h.outcome, Outcome::kPublished);

  ASSERT_EQ(transport_.requests.size(), 1U);
  const auto& req = transport_.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, std::string(testing::kMastodonBase) + "/api/v1/statuses");
  EXPECT_EQ(req.header("Authorization"), "Bearer tok-secret-a1");
  EXPECT_EQ(req.header("Idempotency-Key"), "t1:3");  // the send key
  auto body = nlohmann::json::parse(req.body);
  EXPECT_EQ(body["status"], "Hello from Herald" + adapters::invisible_marker("hm-t1"));

  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[0].id, "t1:3:1:sending");
  EXPECT_EQ(ev[0].event.outcome, Outcome::kSending);
  EXPECT_EQ(ev[1].id, "t1:3:1:published");
  EXPECT_EQ(ev[1].event.outcome, Outcome::kPublished);
  EXPECT_EQ(ev[1].event.platform_post_id, "111");
  EXPECT_EQ(ev[1].event.url, "https://mastodon.test/@demo/111");
  EXPECT_EQ(ev[1].event.org_id, "o1");
  EXPECT_EQ(ev[1].event.content_version, 3);
  EXPECT_EQ(ev[1].event.worker, "w1");
  EXPECT_EQ(ev[1].event.at_ms, now_ms());

  ASSERT_EQ(ledger_.rows.size(), 1U);
  const auto& row = ledger_.rows[0];
  EXPECT_EQ(row.target_id, "t1");
  EXPECT_EQ(row.content_version, 3);
  EXPECT_EQ(row.attempt, 1);
  EXPECT_EQ(row.worker, "w1");
  EXPECT_EQ(row.kind, "publish");
  EXPECT_EQ(row.outcome, "published");
  EXPECT_EQ(row.platform_post_id, "111");
  EXPECT_EQ(row.response_status, 200);
  EXPECT_EQ(row.request_summary, "POST /api/v1/statuses -> 200");
  EXPECT_EQ(row.request_summary.find("tok-secret"), std::string::npos);
  EXPECT_EQ(row.started_ms, now_ms());

  EXPECT_TRUE(gate_.done(redis_, "t1:3"));
  EXPECT_TRUE(gate_.in_flight(redis_, now_ms()).empty());
}

TEST_F(SenderLive, ThreadAndFirstCommentArePartOfTheSend) {
  transport_.reply(200, testing::status_json("111")).reply(200, testing::status_json("112"))
      .reply(200, testing::status_json("113"));
  auto job = testing::sample_job();
  job.content.thread = {"part two"};
  job.content.first_comment = "link in the comments";
  auto sender = make_sender();
  auto h = sender.handle(job);
  EXPECT_EQ(h.outcome, Outcome::kPublished);
  ASSERT_EQ(transport_.requests.size(), 3U);
  auto part = nlohmann::json::parse(transport_.requests[1].body);
  EXPECT_EQ(part["status"], "part two");
  EXPECT_EQ(part["in_reply_to_id"], "111");
  EXPECT_EQ(transport_.requests[1].header("Idempotency-Key"), "t1:3:thread:1");
  auto fc = nlohmann::json::parse(transport_.requests[2].body);
  EXPECT_EQ(fc["status"], "link in the comments");
  EXPECT_EQ(fc["in_reply_to_id"], "111");
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].event.platform_post_id, "111");
  EXPECT_EQ(ev[1].event.first_comment_id, "113");
  EXPECT_EQ(ledger_.rows.at(0).request_summary,
            "POST /api/v1/statuses -> 200; POST /api/v1/statuses -> 200; POST /api/v1/statuses -> 200");
}

TEST_F(SenderLive, ServerErrorIsRetriedWithBackoffAndTheKeyIsReleased) {
  transport_.reply(503, R"({"error":"Service unavailable"})");
  auto sender = make_sender();  // jitter draw 0.5: 5 s * (0.7 + 0.15)
  auto job = testing::sample_job();
  auto h = sender.handle(job);
  EXPECT_EQ(h.disposition, Disposition::kAck);
  EXPECT_EQ(h.outcome, Outcome::kRetry);
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].id, "t1:3:1:retry");
  EXPECT_EQ(ev[1].event.error_class, "retryable");
  EXPECT_EQ(ev[1].event.retry_at_ms, now_ms() + 4250);
  EXPECT_EQ(ledger_.rows.at(0).outcome, "retry");
  EXPECT_EQ(ledger_.rows.at(0).response_status, 503);
  EXPECT_FALSE(gate_.done(redis_, "t1:3"));
  EXPECT_TRUE(gate_.in_flight(redis_, now_ms()).empty());

  // The scheduler dispatches attempt 2 at retry_at: it may begin again, and backs off twice as long.
  transport_.reply(500, "{}");
  job.attempt = 2;
  EXPECT_EQ(sender.handle(job).outcome, Outcome::kRetry);
  ev = events();
  ASSERT_EQ(ev.size(), 4U);
  EXPECT_EQ(ev[3].id, "t1:3:2:retry");
  EXPECT_EQ(ev[3].event.retry_at_ms, now_ms() + 8500);
  EXPECT_EQ(posts(), 2U);
}

TEST_F(SenderLive, RateLimitHonoursRetryAfter) {
  transport_.reply(429, R"({"error":"Too many requests"})", {{"Retry-After", "120"}});
  auto sender = make_sender();
  auto h = sender.handle(testing::sample_job());
  EXPECT_EQ(h.outcome, Outcome::kRetry);
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].event.error_class, "rate_limited");
  EXPECT_EQ(ev[1].event.retry_at_ms, now_ms() + 121'000);  // 120 s + half the 2 s spread
}

TEST_F(SenderLive, RetriesStopAtMaxAttemptsWithFailed) {
  transport_.reply(503, "{}");
  SenderOptions o;
  o.max_attempts = 5;
  auto sender = make_sender("w1", o);
  auto job = testing::sample_job();
  job.attempt = 5;
  for (int i = 0; i < 4; ++i) {  // four earlier calls that failed retryably
    AttemptRow earlier;
    earlier.target_id = job.target_id;
    earlier.content_version = job.content_version;
    earlier.attempt = i + 1;
    earlier.outcome = "retry";
    ledger_.rows.push_back(earlier);
  }
  auto h = sender.handle(job);
  EXPECT_EQ(h.outcome, Outcome::kFailed);
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].id, "t1:3:5:failed");
  EXPECT_EQ(ev[1].event.error_class, "retryable");
  EXPECT_NE(ev[1].event.error_message.find("gave up after 5 attempts"), std::string::npos);
  EXPECT_EQ(ledger_.rows.at(4).outcome, "failed");
  EXPECT_TRUE(gate_.done(redis_, "t1:3"));
}

TEST_F(SenderLive, WaitingForRateLimitTokensCostsNoAttempt) {
  // Dispatch 9 of a target the governor deferred eight times: its first real call fails
  // retryably, and that is its first try (retried, with the first backoff), not its ninth.
  transport_.reply(503, "{}");
  SenderOptions o;
  o.max_attempts = 5;
  auto sender = make_sender("w1", o);
  auto job = testing::sample_job();
  job.attempt = 9;
  auto h = sender.handle(job);
  EXPECT_EQ(h.outcome, Outcome::kRetry);
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].event.retry_at_ms, now_ms() + 4250);
  EXPECT_EQ(ledger_.rows.at(0).outcome, "retry");
  EXPECT_FALSE(gate_.done(redis_, "t1:3"));
}

TEST_F(SenderLive, RejectedFailsAndIsNeverSentAgain) {
  transport_.reply(422, R"({"error":"Validation failed: Text character limit of 500 exceeded"})");
  auto sender = make_sender();
  auto job = testing::sample_job();
  auto h = sender.handle(job);
  EXPECT_EQ(h.outcome, Outcome::kFailed);
  EXPECT_TRUE(forgotten_.empty());  // the content was refused, not the token
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].event.error_class, "rejected");
  EXPECT_EQ(ev[1].event.error_message, "Validation failed: Text character limit of 500 exceeded");
  EXPECT_EQ(ev[1].event.retry_at_ms, 0);
  EXPECT_TRUE(gate_.done(redis_, "t1:3"));
  // Delivered again (or re-dispatched): acknowledged without a request or an event.
  job.attempt = 2;
  auto again = sender.handle(job);
  EXPECT_EQ(again.disposition, Disposition::kAck);
  EXPECT_EQ(again.note, "already_done");
  EXPECT_EQ(transport_.requests.size(), 1U);
  EXPECT_EQ(events().size(), 2U);
}

TEST_F(SenderLive, ExpiredTokenFailsAsAuthExpired) {
  transport_.reply(401, R"({"error":"The access token is invalid"})");
  auto sender = make_sender();
  EXPECT_EQ(sender.handle(testing::sample_job()).outcome, Outcome::kFailed);
  EXPECT_EQ(events().at(1).event.error_class, "auth_expired");
  EXPECT_EQ(ledger_.rows.at(0).error_class, "auth_expired");
  // The cached token is dropped: after a reconnect the next send reads the vault again.
  EXPECT_EQ(forgotten_, std::vector<std::string>{testing::sample_job().account_id});
}

TEST_F(SenderLive, MissingCredentialsFailWithoutARequest) {
  directory_.accounts.clear();
  auto sender = make_sender();
  auto h = sender.handle(testing::sample_job());
  EXPECT_EQ(h.outcome, Outcome::kFailed);
  EXPECT_TRUE(transport_.requests.empty());
  auto ev = events();
  ASSERT_EQ(ev.size(), 1U);
  EXPECT_EQ(ev[0].event.error_class, "auth_expired");
  EXPECT_EQ(ev[0].event.error_code, "no_credentials");
}

TEST_F(SenderLive, FrozenIsHeldAndNoRequestIsMade) {
  ASSERT_TRUE(fence_.publish(redis_, 2, {"brand:b1"}, now_ms()).applied);
  auto sender = make_sender();
  auto h = sender.handle(testing::sample_job());
  EXPECT_EQ(h.disposition, Disposition::kAck);
  EXPECT_EQ(h.outcome, Outcome::kHeld);
  EXPECT_TRUE(transport_.requests.empty());
  auto ev = events();
  ASSERT_EQ(ev.size(), 1U);
  EXPECT_EQ(ev[0].id, "t1:3:1:held");
  EXPECT_EQ(ev[0].event.error_class, "frozen");
  EXPECT_EQ(ev[0].event.error_code, "brand:b1");
  EXPECT_TRUE(ledger_.rows.empty());

  // An approved crisis statement passes the same freeze (the exemption lane).
  transport_.reply(200, testing::status_json("200"));
  auto statement = testing::sample_job("t2");
  statement.crisis_statement = true;
  EXPECT_EQ(sender.handle(statement).outcome, Outcome::kPublished);
  EXPECT_EQ(transport_.requests.size(), 1U);
}

// The crisis module freezes all of an organization as "org:<id>" (services/crisis/store/fence.sql).
TEST_F(SenderLive, AnOrganizationWideFreezeHoldsOnlyThatOrganization) {
  auto job = testing::sample_job();
  ASSERT_FALSE(job.org_id.empty());
  ASSERT_TRUE(fence_.publish(redis_, 2, {"org:" + job.org_id}, now_ms()).applied);
  auto sender = make_sender();
  EXPECT_EQ(sender.handle(job).outcome, Outcome::kHeld);
  EXPECT_TRUE(transport_.requests.empty());
  transport_.reply(200, testing::status_json("201"));
  auto other = testing::sample_job("t2");
  other.org_id = "another-org";
  EXPECT_EQ(sender.handle(other).outcome, Outcome::kPublished);
  EXPECT_EQ(transport_.requests.size(), 1U);
}

TEST_F(SenderLive, FailsClosedWithoutAFence) {
  fence_.clear(redis_);
  auto sender = make_sender();
  auto h = sender.handle(testing::sample_job());
  EXPECT_EQ(h.disposition, Disposition::kRetrySoon);
  EXPECT_EQ(h.note, "fence_absent");
  EXPECT_TRUE(transport_.requests.empty());
  EXPECT_TRUE(events().empty());
}

TEST_F(SenderLive, TheSameJobTwiceMakesOnePlatformRequest) {
  transport_.reply(200, testing::status_json("111"));
  auto a = make_sender("w1");
  auto b = make_sender("w2");
  auto job = testing::sample_job();
  EXPECT_EQ(a.handle(job).outcome, Outcome::kPublished);
  auto second = b.handle(job);
  EXPECT_EQ(second.disposition, Disposition::kAck);
  EXPECT_EQ(second.note, "already_done");
  EXPECT_EQ(transport_.requests.size(), 1U);
}

TEST_F(SenderLive, AJobInFlightElsewhereWaits) {
  auto job = testing::sample_job();
  ASSERT_TRUE(begin_as("other", job).open());
  auto sender = make_sender();
  auto h = sender.handle(job);
  EXPECT_EQ(h.disposition, Disposition::kRetrySoon);
  EXPECT_EQ(h.note, "in_flight");
  EXPECT_TRUE(transport_.requests.empty());
}

TEST_F(SenderLive, TimeoutAfterWriteIsReadBackAndFoundMeansPublished) {
  auto job = testing::sample_job();
  transport_.fail(true);  // written, no answer
  transport_.reply(200, "[" + testing::status_json("120", "other") + "," +
                            testing::status_json("121", "Hello from Herald" + adapters::invisible_marker("hm-t1")) +
                            "]");
  auto sender = make_sender();
  auto h = sender.handle(job);
  EXPECT_EQ(h.outcome, Outcome::kPublished);
  EXPECT_EQ(h.note, "read_back_found");
  ASSERT_EQ(transport_.requests.size(), 2U);
  EXPECT_EQ(transport_.requests[1].method, "GET");
  EXPECT_EQ(transport_.requests[1].url, std::string(testing::kMastodonBase) + "/api/v1/accounts/109/statuses?limit=40");
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].event.platform_post_id, "121");
  ASSERT_EQ(ledger_.rows.size(), 2U);
  EXPECT_EQ(ledger_.rows[0].outcome, "unknown");
  EXPECT_EQ(ledger_.rows[0].error_class, "unknown_outcome");
  EXPECT_EQ(ledger_.rows[0].request_summary, "POST /api/v1/statuses -> no answer (written)");
  EXPECT_EQ(ledger_.rows[1].kind, "read_back");
  EXPECT_EQ(ledger_.rows[1].outcome, "published");
  EXPECT_EQ(ledger_.rows[1].request_summary, "GET /api/v1/accounts/109/statuses -> 200");
  EXPECT_TRUE(gate_.done(redis_, "t1:3"));
}

TEST_F(SenderLive, TimeoutAfterWriteReadBackAbsentMeansRetry) {
  transport_.fail(true);
  transport_.reply(200, "[" + testing::status_json("120", "other") + "]");
  auto sender = make_sender();
  auto h = sender.handle(testing::sample_job());
  EXPECT_EQ(h.outcome, Outcome::kRetry);
  EXPECT_EQ(h.note, "read_back_absent");
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].event.error_class, "unknown_outcome");
  EXPECT_GT(ev[1].event.retry_at_ms, now_ms());
  EXPECT_EQ(ledger_.rows.at(1).outcome, "absent");
  EXPECT_FALSE(gate_.done(redis_, "t1:3"));
  EXPECT_TRUE(gate_.in_flight(redis_, now_ms()).empty());
}

TEST_F(SenderLive, UnreadableOutcomeIsUnknownAndKeepsTheLeaseUntilReadBack) {
  auto job = testing::sample_job();
  transport_.fail(true);
  transport_.reply(502, "{}");  // the read-back fails too
  SenderOptions o;
  o.lease = std::chrono::milliseconds{60'000};
  auto sender = make_sender("w1", o);
  auto h = sender.handle(job);
  EXPECT_EQ(h.disposition, Disposition::kLeave);
  EXPECT_EQ(h.outcome, Outcome::kUnknown);
  EXPECT_EQ(outcomes(), (std::vector<std::string>{"sending", "unknown"}));
  // Nobody sends it while the lease lives...
  auto other = make_sender("w2", o);
  EXPECT_EQ(other.handle(job).note, "in_flight");
  EXPECT_EQ(posts(), 1U);
  // ...and after it expired, the taker reads back first: found, so no second POST.
  clock_.advance(seconds{61});
  transport_.reply(200, "[" + testing::status_json("121", "x" + adapters::invisible_marker("hm-t1")) + "]");
  auto later = other.handle(job);
  EXPECT_EQ(later.outcome, Outcome::kPublished);
  EXPECT_EQ(later.note, "read_back_found");
  EXPECT_EQ(posts(), 1U);
  EXPECT_TRUE(gate_.done(redis_, "t1:3"));
}

TEST_F(SenderLive, LeaseExpiryTakeOverReadsBackThenSendsOnlyWhenAbsent) {
  auto job = testing::sample_job();
  ASSERT_TRUE(begin_as("dead-worker", job).open());  // it died mid-send
  clock_.advance(seconds{61});
  transport_.reply(200, "[]");                               // read back: not there
  transport_.reply(200, testing::status_json("130"));        // then the one send
  auto sender = make_sender("w2");
  auto h = sender.handle(job);
  EXPECT_EQ(h.outcome, Outcome::kPublished);
  ASSERT_EQ(transport_.requests.size(), 2U);
  EXPECT_EQ(transport_.requests[0].method, "GET");
  EXPECT_EQ(transport_.requests[1].method, "POST");
  EXPECT_EQ(ledger_.rows.at(0).kind, "read_back");
  EXPECT_EQ(ledger_.rows.at(0).outcome, "absent");
  EXPECT_EQ(ledger_.rows.at(1).outcome, "published");
  EXPECT_TRUE(gate_.done(redis_, "t1:3"));
}

TEST_F(SenderLive, LeaseExpiryTakeOverFoundPublishesWithoutSending) {
  auto job = testing::sample_job();
  ASSERT_TRUE(begin_as("dead-worker", job).open());
  clock_.advance(seconds{61});
  transport_.reply(200, "[" + testing::status_json("140", "Hello" + adapters::invisible_marker("hm-t1")) + "]");
  auto sender = make_sender("w2");
  auto h = sender.handle(job);
  EXPECT_EQ(h.outcome, Outcome::kPublished);
  EXPECT_EQ(posts(), 0U);
  auto ev = events();
  ASSERT_EQ(ev.size(), 1U);  // no "sending": nothing was sent
  EXPECT_EQ(ev[0].event.platform_post_id, "140");
  EXPECT_TRUE(gate_.done(redis_, "t1:3"));
}

TEST_F(SenderLive, GovernorWithoutATokenDefersTheSend) {
  governor_ = [this](const contracts::DispatchJob& j, std::int64_t now) {
    EXPECT_EQ(j.account_id, "a1");
    EXPECT_EQ(now, now_ms());
    return GovernorVerdict{false, now + 30'000};
  };
  auto sender = make_sender();
  auto h = sender.handle(testing::sample_job());
  EXPECT_EQ(h.outcome, Outcome::kRetry);
  EXPECT_TRUE(transport_.requests.empty());
  auto ev = events();
  ASSERT_EQ(ev.size(), 1U);
  EXPECT_EQ(ev[0].event.retry_at_ms, now_ms() + 30'000);
  EXPECT_EQ(ev[0].event.error_code, "governor");
  EXPECT_FALSE(gate_.done(redis_, "t1:3"));
}

}  // namespace
}  // namespace herald::worker
