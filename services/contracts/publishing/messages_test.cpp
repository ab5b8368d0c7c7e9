#include "services/contracts/publishing/messages.hpp"

#include <gtest/gtest.h>

namespace herald::contracts {
namespace {

DispatchJob sample() {
  DispatchJob j;
  j.target_id = "t1";
  j.post_id = "p1";
  j.org_id = "o1";
  j.brand_id = "b1";
  j.account_id = "a1";
  j.platform = "mastodon";
  j.campaign_id = "c1";
  j.tags = {"launch", "春节"};
  j.crisis_statement = true;
  j.content_version = 4;
  j.due_at_ms = 1'700'000'000'123;
  j.attempt = 2;
  j.marker = "hm-abc";
  j.content.text = "你好 world";
  j.content.media.push_back({"video", "http://s/v.mp4", "video/mp4", 1234, 640, 480, 12.5, "alt"});
  j.content.link = "https://example.com";
  j.content.thread = {"2/2"};
  j.content.first_comment = "first!";
  return j;
}

TEST(DispatchJob, RoundTripsEveryField) {
  auto j = sample();
  auto back = dispatch_job_from_json(nlohmann::json::parse(to_json(j).dump()));
  EXPECT_EQ(to_json(back), to_json(j));
  EXPECT_EQ(back.send_key(), "t1:4");
  EXPECT_EQ(back.content.media.at(0).duration_s, 12.5);
  EXPECT_FALSE(back.content.title.has_value());
}

TEST(DispatchJob, MalformedJobsNameTheField) {
  auto j = to_json(sample());
  j.erase("account_id");
  try {
    (void)dispatch_job_from_json(j);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("account_id"), std::string::npos);
  }
  auto k = to_json(sample());
  k["content"]["media"][0]["kind"] = "gif";
  EXPECT_THROW((void)dispatch_job_from_json(k), std::invalid_argument);
  auto m = to_json(sample());
  m["due_at_ms"] = "soon";
  EXPECT_THROW((void)dispatch_job_from_json(m), std::invalid_argument);
}

TEST(Envelope, CarriesTypeVersionIdTimeAndTrace) {
  TargetEvent e;
  e.outcome = Outcome::kRetry;
  e.target_id = "t1";
  e.org_id = "o1";
  e.retry_at_ms = 99;
  e.error_class = "rate_limited";
  auto env = to_envelope(e, "t1:4:2:retry", 42, "tr");
  auto fields = to_fields(env);
  ASSERT_EQ(fields.size(), 1U);
  EXPECT_EQ(fields[0].first, "payload");
  auto back = envelope_from_payload(fields[0].second);
  EXPECT_EQ(back.type, "target.retry");
  EXPECT_EQ(back.id, "t1:4:2:retry");
  EXPECT_EQ(back.ts_ms, 42);
  EXPECT_EQ(back.trace_id, "tr");
  auto ev = target_event_from(back);
  EXPECT_EQ(ev.outcome, Outcome::kRetry);
  EXPECT_EQ(ev.retry_at_ms, 99);
  EXPECT_EQ(ev.error_class, "rate_limited");
}

TEST(Envelope, RefusesWhatIsNotAnEnvelope) {
  EXPECT_THROW((void)envelope_from_payload("not json"), std::invalid_argument);
  EXPECT_THROW((void)envelope_from_payload(R"({"type":"x"})"), std::invalid_argument);
  EXPECT_THROW((void)envelope_from_payload(R"({"type":"x","id":""})"), std::invalid_argument);
  Envelope e;
  e.type = "target.exploded";
  e.id = "1";
  e.data = {{"target_id", "t"}};
  EXPECT_THROW((void)target_event_from(e), std::invalid_argument);
  for (auto o : {Outcome::kDispatched, Outcome::kHeld, Outcome::kSending, Outcome::kPublished, Outcome::kRetry,
                 Outcome::kFailed, Outcome::kUnknown, Outcome::kMissed}) {
    EXPECT_EQ(outcome_from_string(to_string(o)), o);
  }
}

}  // namespace
}  // namespace herald::contracts
