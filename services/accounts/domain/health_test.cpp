#include "services/accounts/domain/health.hpp"

#include <gtest/gtest.h>

namespace herald::accounts {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

HealthFacts connected() {
  HealthFacts f;
  f.status = "connected";
  f.token_expires_at = kNow + 30 * 86400;
  f.granted_scopes = {"read", "write"};
  f.required_scopes = {"read", "write"};
  return f;
}

bool has(const Health& h, const std::string& code) {
  for (const auto& r : h.reasons) {
    if (r.code == code) return true;
  }
  return false;
}

TEST(Health, AHealthyAccountIsOk) {
  auto h = assess(connected(), kNow);
  EXPECT_EQ(h.level, "ok");
  EXPECT_TRUE(h.reasons.empty());
}

TEST(Health, ExpiryIsForecastOnlyWhenItCannotBeRefreshed) {
  auto f = connected();
  f.token_expires_at = kNow + 3 * 86400;
  auto h = assess(f, kNow);
  EXPECT_EQ(h.level, "warning");
  ASSERT_TRUE(has(h, "token_expiring"));
  EXPECT_NE(h.reasons[0].message.find("3 days"), std::string::npos) << h.reasons[0].message;
  f.can_refresh = true;
  EXPECT_EQ(assess(f, kNow).level, "ok");
}

TEST(Health, AnExpiredTokenIsAnErrorUnlessItCanBeRefreshed) {
  auto f = connected();
  f.token_expires_at = kNow - 1;
  EXPECT_EQ(assess(f, kNow).level, "error");
  f.can_refresh = true;
  EXPECT_EQ(assess(f, kNow).level, "warning");
}

TEST(Health, ARefusedTokenIsAnErrorWithTheReason) {
  auto f = connected();
  f.last_error = "invalid_grant: token revoked";
  f.last_error_class = "auth_expired";
  auto h = assess(f, kNow);
  EXPECT_EQ(h.level, "error");
  ASSERT_TRUE(has(h, "auth_failed"));
  EXPECT_NE(h.reasons[0].message.find("token revoked"), std::string::npos);
  f.last_error_class = "retryable";
  EXPECT_EQ(assess(f, kNow).level, "warning");
}

TEST(Health, MissingScopesAreNamed) {
  auto f = connected();
  f.granted_scopes = {"read"};
  auto h = assess(f, kNow);
  EXPECT_EQ(h.level, "warning");
  ASSERT_EQ(h.missing_scopes, std::vector<std::string>{"write"});
  EXPECT_TRUE(has(h, "missing_scopes"));
}

TEST(Health, ScopesThePlatformDidNotReportAreUnknownNotMissing) {
  auto f = connected();
  f.granted_scopes = {};
  auto h = assess(f, kNow);
  EXPECT_EQ(h.level, "ok");
  EXPECT_TRUE(h.missing_scopes.empty());
}

TEST(Health, BannedAndDisconnectedAreErrorsRestrictedIsAWarning) {
  auto f = connected();
  f.restricted = true;
  EXPECT_EQ(assess(f, kNow).level, "warning");
  f.banned = true;
  EXPECT_EQ(assess(f, kNow).level, "error");
  auto d = connected();
  d.status = "disconnected";
  EXPECT_TRUE(has(assess(d, kNow), "disconnected"));
}

}  // namespace
}  // namespace herald::accounts
