#include "adapters/sandbox/oauth.hpp"

#include <gtest/gtest.h>

#include "tests/support/manual_clock.hpp"

namespace herald::sandbox {
namespace {

// RFC 7636 appendix B.
constexpr char kVerifier[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr char kChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

TEST(Pkce, S256MatchesTheRfcExampleInAnyCase) {
  EXPECT_EQ(pkce_s256(kVerifier), kChallenge);
  EXPECT_TRUE(verify_pkce(kChallenge, "S256", kVerifier));
  EXPECT_TRUE(verify_pkce(kChallenge, "s256", kVerifier));  // twitter-api-v2 sends lower case
  EXPECT_FALSE(verify_pkce(kChallenge, "S256", std::string(kVerifier).replace(0, 1, "e")));
  EXPECT_FALSE(verify_pkce(kChallenge, "plain", kVerifier));
  EXPECT_FALSE(verify_pkce(kChallenge, "S512", kVerifier));
}

TEST(Pkce, PlainAndVerifierSyntax) {
  std::string v(43, 'a');
  EXPECT_TRUE(verify_pkce(v, "plain", v));
  EXPECT_FALSE(verify_pkce(std::string(42, 'a'), "plain", std::string(42, 'a')));    // too short
  EXPECT_FALSE(verify_pkce(std::string(129, 'a'), "plain", std::string(129, 'a')));  // too long
  std::string bad = v;
  bad[5] = '+';
  EXPECT_FALSE(verify_pkce(bad, "plain", bad));  // outside [A-Za-z0-9-._~]
}

class OAuthStoreTest : public ::testing::Test {
 protected:
  testing::ManualClock clock;
  OAuthStore oauth{clock, std::chrono::seconds(3600)};

  std::string code(const std::string& challenge = kChallenge) {
    return oauth.issue_code({"x", "herald-x", "http://app/cb", "tweet.read offline.access", challenge, "S256", "42"});
  }
};

TEST_F(OAuthStoreTest, CodeRedeemsOnceForTokensOfTheApprovingAccount) {
  auto c = code();
  auto r = oauth.redeem_code("x", c, "herald-x", "http://app/cb", kVerifier, true);
  ASSERT_EQ(r.error, GrantError::none);
  EXPECT_EQ(r.token.account_id, "42");
  EXPECT_EQ(r.token.scope, "tweet.read offline.access");
  EXPECT_FALSE(r.token.refresh_token.empty());
  EXPECT_EQ(oauth.check("x", r.token.access_token).state, TokenState::valid);
  // Second use: refused, and the tokens issued from it are revoked.
  auto again = oauth.redeem_code("x", c, "herald-x", "http://app/cb", kVerifier, true);
  EXPECT_EQ(again.error, GrantError::invalid_grant);
  EXPECT_EQ(oauth.check("x", r.token.access_token).state, TokenState::revoked);
}

TEST_F(OAuthStoreTest, CodeExpiresAfterSixtySeconds) {
  auto c = code();
  clock.advance(std::chrono::seconds(59));
  auto ok = oauth.redeem_code("x", c, "herald-x", "http://app/cb", kVerifier, false);
  EXPECT_EQ(ok.error, GrantError::none);
  auto late = code();
  clock.advance(std::chrono::seconds(60));
  auto r = oauth.redeem_code("x", late, "herald-x", "http://app/cb", kVerifier, false);
  EXPECT_EQ(r.error, GrantError::invalid_grant);
  EXPECT_EQ(r.description, "authorization code expired");
}

TEST_F(OAuthStoreTest, CodeIsBoundToClientRedirectPlatformAndVerifier) {
  auto c = code();
  EXPECT_EQ(oauth.redeem_code("x", c, "someone-else", "http://app/cb", kVerifier, false).error,
            GrantError::invalid_grant);
  EXPECT_EQ(oauth.redeem_code("x", c, "herald-x", "http://app/other", kVerifier, false).error,
            GrantError::invalid_grant);
  EXPECT_EQ(oauth.redeem_code("mastodon", c, "herald-x", "http://app/cb", kVerifier, false).error,
            GrantError::invalid_grant);
  EXPECT_EQ(oauth.redeem_code("x", c, "herald-x", "http://app/cb", std::string(43, 'z'), false).error,
            GrantError::invalid_grant);
  EXPECT_EQ(oauth.redeem_code("x", c, "herald-x", "http://app/cb", "", false).error, GrantError::invalid_request);
  // None of the failures used the code up.
  EXPECT_EQ(oauth.redeem_code("x", c, "herald-x", "http://app/cb", kVerifier, false).error, GrantError::none);
  EXPECT_EQ(oauth.redeem_code("x", "no-such-code", "herald-x", "http://app/cb", kVerifier, false).error,
            GrantError::invalid_grant);
}

TEST_F(OAuthStoreTest, AccessTokensExpireAfterTheTtl) {
  auto t = oauth.issue("x", "42", "herald-x", "", false);
  clock.advance(std::chrono::seconds(3599));
  EXPECT_EQ(oauth.check("x", t.access_token).state, TokenState::valid);
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(oauth.check("x", t.access_token).state, TokenState::expired);
  EXPECT_EQ(oauth.check("x", "unknown").state, TokenState::unknown);
  EXPECT_EQ(oauth.check("mastodon", t.access_token).state, TokenState::unknown);  // tokens are per platform
}

TEST_F(OAuthStoreTest, RefreshRotatesAndTheOldPairStopsWorking) {
  auto t = oauth.issue("x", "42", "herald-x", "offline.access", true);
  clock.advance(std::chrono::seconds(4000));  // the access token has expired; the refresh token has not
  auto r = oauth.refresh("x", t.refresh_token, "herald-x");
  ASSERT_EQ(r.error, GrantError::none);
  EXPECT_NE(r.token.access_token, t.access_token);
  EXPECT_NE(r.token.refresh_token, t.refresh_token);
  EXPECT_EQ(oauth.check("x", r.token.access_token).state, TokenState::valid);
  EXPECT_EQ(oauth.refresh("x", t.refresh_token, "herald-x").error, GrantError::invalid_grant);
  EXPECT_EQ(oauth.refresh("x", r.token.refresh_token, "another-client").error, GrantError::invalid_grant);
}

TEST_F(OAuthStoreTest, RevokeOneTokenOrAWholeAccount) {
  auto a = oauth.issue("x", "42", "herald-x", "", true);
  auto b = oauth.issue("x", "42", "herald-x", "", true);
  auto other = oauth.issue("x", "7", "herald-x", "", true);
  EXPECT_TRUE(oauth.revoke("x", a.refresh_token));  // by its refresh token: the pair goes
  EXPECT_EQ(oauth.check("x", a.access_token).state, TokenState::revoked);
  EXPECT_FALSE(oauth.revoke("x", "unknown"));
  EXPECT_EQ(oauth.revoke_account("x", "42"), 1);
  EXPECT_EQ(oauth.check("x", b.access_token).state, TokenState::revoked);
  EXPECT_EQ(oauth.check("x", other.access_token).state, TokenState::valid);
}

TEST_F(OAuthStoreTest, RefreshWithoutRotationKeepsTheRefreshTokenAndTheOldAccessToken) {
  auto t = oauth.issue("linkedin", "42", "herald-linkedin", "w_member_social", true);
  auto r = oauth.refresh("linkedin", t.refresh_token, "herald-linkedin", false);
  ASSERT_EQ(r.error, GrantError::none);
  EXPECT_NE(r.token.access_token, t.access_token);
  EXPECT_EQ(r.token.refresh_token, t.refresh_token);
  EXPECT_EQ(r.token.scope, "w_member_social");
  EXPECT_EQ(oauth.check("linkedin", t.access_token).state, TokenState::valid);  // left to expire
  EXPECT_EQ(oauth.check("linkedin", r.token.access_token).state, TokenState::valid);
  // The same refresh token works again; revoking it stops the newest pair.
  auto again = oauth.refresh("linkedin", t.refresh_token, "herald-linkedin", false);
  ASSERT_EQ(again.error, GrantError::none);
  EXPECT_TRUE(oauth.revoke("linkedin", t.refresh_token));
  EXPECT_EQ(oauth.check("linkedin", again.token.access_token).state, TokenState::revoked);
  EXPECT_EQ(oauth.refresh("linkedin", t.refresh_token, "herald-linkedin", false).error, GrantError::invalid_grant);
}

TEST_F(OAuthStoreTest, RedirectUriCheckCanBeLeftOutForPlatformsThatDoNotSendIt) {
  auto c = code();
  EXPECT_EQ(oauth.redeem_code("x", c, "herald-x", "", kVerifier, false).error, GrantError::invalid_grant);
  auto r = oauth.redeem_code("x", c, "herald-x", "", kVerifier, false, false);
  EXPECT_EQ(r.error, GrantError::none);
  EXPECT_EQ(r.token.account_id, "42");
  // Everything else is still checked: a second use is refused.
  EXPECT_EQ(oauth.redeem_code("x", c, "herald-x", "", kVerifier, false, false).error, GrantError::invalid_grant);
}

TEST_F(OAuthStoreTest, FindIssuedReturnsTheValidCodelessTokenOfTheAccount) {
  EXPECT_FALSE(oauth.find_issued("wechat", "7", "herald-wechat"));
  auto first = oauth.issue("wechat", "7", "herald-wechat", "", false);
  auto newer = oauth.issue("wechat", "7", "herald-wechat", "", false);
  oauth.issue("wechat", "8", "herald-wechat", "", false);
  ASSERT_TRUE(oauth.find_issued("wechat", "7", "herald-wechat"));
  EXPECT_EQ(oauth.find_issued("wechat", "7", "herald-wechat")->access_token, newer.access_token);
  EXPECT_FALSE(oauth.find_issued("wechat", "7", "herald-wechat-2"));
  EXPECT_FALSE(oauth.find_issued("douyin", "7", "herald-wechat"));
  oauth.revoke("wechat", newer.access_token);
  EXPECT_EQ(oauth.find_issued("wechat", "7", "herald-wechat")->access_token, first.access_token);
  clock.advance(std::chrono::seconds(3600));
  EXPECT_FALSE(oauth.find_issued("wechat", "7", "herald-wechat"));  // expired
  // Tokens from a code do not count.
  auto c = code();
  oauth.redeem_code("x", c, "herald-x", "http://app/cb", kVerifier, false);
  EXPECT_FALSE(oauth.find_issued("x", "42", "herald-x"));
}

}  // namespace
}  // namespace herald::sandbox
