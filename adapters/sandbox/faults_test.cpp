#include "adapters/sandbox/faults.hpp"

#include <gtest/gtest.h>

#include "adapters/sandbox/request_log.hpp"

namespace herald::sandbox {
namespace {

FaultRule rule(const std::string& platform, FaultKind kind, const std::string& method = "",
               const std::string& prefix = "", std::int64_t times = 1) {
  FaultRule r;
  r.platform = platform;
  r.kind = kind;
  r.method = method;
  r.path_prefix = prefix;
  r.times = times;
  return r;
}

TEST(Faults, MatchByPlatformMethodAndPathPrefix) {
  Faults f;
  f.add(rule("x", FaultKind::rate_limit, "post", "/2/tweets", 0));
  EXPECT_FALSE(f.take("mastodon", "POST", "/2/tweets"));
  EXPECT_FALSE(f.take("x", "GET", "/2/tweets"));
  EXPECT_FALSE(f.take("x", "POST", "/2/users/me"));
  auto hit = f.take("x", "POST", "/2/tweets/123/hidden");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->kind, FaultKind::rate_limit);
  EXPECT_TRUE(f.take("x", "POST", "/2/tweets"));  // times 0: until removed
  EXPECT_EQ(f.list()[0]["hits"], 2);
}

TEST(Faults, TimesCountDownAndTheRuleGoes) {
  Faults f;
  auto stored = f.add(rule("x", FaultKind::status, "", "", 2));
  EXPECT_EQ(stored.id, 1u);
  EXPECT_TRUE(f.take("x", "GET", "/a"));
  EXPECT_EQ(f.list()[0]["remaining"], 1);
  EXPECT_TRUE(f.take("x", "GET", "/b"));
  EXPECT_FALSE(f.take("x", "GET", "/c"));
  EXPECT_TRUE(f.list().empty());
}

TEST(Faults, FirstAddedWinsThenTheNext) {
  Faults f;
  f.add(rule("x", FaultKind::hang));
  f.add(rule("x", FaultKind::drop_after_accept));
  EXPECT_EQ(f.take("x", "POST", "/2/tweets")->kind, FaultKind::hang);
  EXPECT_EQ(f.take("x", "POST", "/2/tweets")->kind, FaultKind::drop_after_accept);
  EXPECT_FALSE(f.take("x", "POST", "/2/tweets"));
}

TEST(Faults, RemoveAndClear) {
  Faults f;
  auto a = f.add(rule("x", FaultKind::latency, "", "", 0));
  f.add(rule("mastodon", FaultKind::latency, "", "", 0));
  EXPECT_TRUE(f.remove(a.id));
  EXPECT_FALSE(f.remove(a.id));
  EXPECT_FALSE(f.take("x", "GET", "/"));
  f.clear();
  EXPECT_FALSE(f.take("mastodon", "GET", "/"));
}

TEST(Faults, KindNamesRoundTrip) {
  for (auto k :
       {FaultKind::status, FaultKind::rate_limit, FaultKind::latency, FaultKind::hang, FaultKind::drop_after_accept}) {
    EXPECT_EQ(parse_fault_kind(to_string(k)), k);
  }
  EXPECT_FALSE(parse_fault_kind("explode"));
}

TEST(RequestLog, EntriesOpenThenFinishAndFilter) {
  RequestLog log(3);
  LogEntry e;
  e.platform = "x";
  e.method = "POST";
  e.path = "/2/tweets";
  e.received_at = std::chrono::system_clock::time_point{std::chrono::milliseconds(1700000000123)};
  auto s1 = log.begin(e);
  e.platform = "mastodon";
  auto s2 = log.begin(e);
  log.finish(s1, 201, std::string("k"), std::nullopt);
  auto all = log.list("", 0);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["seq"], s1);
  EXPECT_EQ(all[0]["status"], 201);
  EXPECT_EQ(all[0]["idempotency_key"], "k");
  EXPECT_EQ(all[0]["received_at"], "2023-11-14T22:13:20.123Z");
  EXPECT_TRUE(all[1]["status"].is_null());  // still open: no answer yet
  EXPECT_EQ(log.list("mastodon", 0).size(), 1u);
  EXPECT_EQ(log.list("", s1).size(), 1u);
  log.begin(e);
  log.begin(e);  // capacity 3: the oldest goes
  EXPECT_EQ(log.list("", 0)[0]["seq"], s2);
  log.clear();
  EXPECT_TRUE(log.list("", 0).empty());
  EXPECT_EQ(log.begin(e), 5u);  // seq keeps counting after a clear
}

}  // namespace
}  // namespace herald::sandbox
