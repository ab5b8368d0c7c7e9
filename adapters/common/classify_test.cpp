#include "herald/adapters/classify.hpp"

#include <gtest/gtest.h>

namespace herald::adapters {
namespace {

HttpResponse status(int s, Headers h = {}) {
  HttpResponse r;
  r.status = s;
  r.headers = std::move(h);
  return r;
}

TEST(Classify, TransportFailuresDependOnWhetherTheRequestWasWritten) {
  HttpResponse refused;
  refused.transport_error = true;
  EXPECT_EQ(classify_http(refused, true, "", "").cls, ErrorClass::kRetryable);
  HttpResponse timed_out = refused;
  timed_out.request_written = true;
  EXPECT_EQ(classify_http(timed_out, true, "", "").cls, ErrorClass::kUnknownOutcome);
  EXPECT_EQ(classify_http(timed_out, false, "", "").cls, ErrorClass::kRetryable);  // a read can be repeated
}

TEST(Classify, StatusesMapToClasses) {
  EXPECT_EQ(classify_http(status(401), true, "", "").cls, ErrorClass::kAuthExpired);
  EXPECT_EQ(classify_http(status(400), true, "", "").cls, ErrorClass::kRejected);
  EXPECT_EQ(classify_http(status(403), true, "", "").cls, ErrorClass::kRejected);
  EXPECT_EQ(classify_http(status(503), true, "", "").cls, ErrorClass::kRetryable);
  EXPECT_EQ(classify_http(status(504), true, "", "").cls, ErrorClass::kUnknownOutcome);
  EXPECT_EQ(classify_http(status(504), false, "", "").cls, ErrorClass::kRetryable);
}

TEST(Classify, RateLimitsCarryRetryAfter) {
  auto e = classify_http(status(429, {{"Retry-After", "17"}}), true, "", "");
  EXPECT_EQ(e.cls, ErrorClass::kRateLimited);
  ASSERT_TRUE(e.retry_after);
  EXPECT_EQ(e.retry_after->count(), 17);
  auto dated = classify_http(status(429, {{"retry-after", "Thu, 01 Jan 1970 00:01:40 GMT"}}), true, "", "",
                             nullptr, 40);
  ASSERT_TRUE(dated.retry_after);
  EXPECT_EQ(dated.retry_after->count(), 60);
  auto reset = classify_http(status(429, {{"x-rate-limit-reset", "1000"}}), true, "", "", "x-rate-limit-reset", 990);
  ASSERT_TRUE(reset.retry_after);
  EXPECT_EQ(reset.retry_after->count(), 10);
}

TEST(Classify, ParseJsonNeverThrows) {
  EXPECT_FALSE(parse_json("{not json"));
  EXPECT_EQ((*parse_json(R"({"a":1})"))["a"], 1);
}

}  // namespace
}  // namespace herald::adapters
