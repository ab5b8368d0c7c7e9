#include "adapters/sandbox/oauth_pages.hpp"

#include <gtest/gtest.h>

#include "tests/support/manual_clock.hpp"

namespace herald::sandbox {
namespace {

namespace http = core::http;

http::Request request(http::beast_http::verb verb, const std::string& path, const std::string& query,
                      const std::string& form = "") {
  http::Request r;
  r.raw.method(verb);
  r.raw.version(11);
  r.raw.target(path + "?" + query);
  r.path = path;
  r.query = http::parse_query(query);
  if (!form.empty()) {
    r.raw.set(http::beast_http::field::content_type, "application/x-www-form-urlencoded");
    r.raw.body() = form;
  }
  return r;
}

class AuthorizePage : public ::testing::Test {
 protected:
  testing::ManualClock clock;
  OAuthStore oauth{clock, std::chrono::seconds(3600)};
  AccountForHandle accounts = [](const std::string& handle) {
    return Account{"douyin", "open-" + handle, handle, handle, false, {}};
  };
  AuthorizeSpec douyin() {
    AuthorizeSpec s{"douyin", "Douyin", "herald-douyin", false};
    s.client_id_param = "client_key";
    return s;
  }
};

TEST_F(AuthorizePage, TheAppParameterNameIsThePlatformsOwn) {
  const std::string q =
      "client_key=herald-douyin&response_type=code&scope=user_info&redirect_uri=http%3A%2F%2Fapp%2Fcb"
      "&state=s1";
  auto page =
      handle_authorize(request(http::beast_http::verb::get, "/platform/oauth/connect/", q), douyin(), oauth, accounts);
  ASSERT_EQ(page.result_int(), 200);
  EXPECT_NE(page.body().find("Herald sandbox: simulated Douyin, not the real service"), std::string::npos);
  EXPECT_NE(page.body().find("name=\"client_key\" value=\"herald-douyin\""), std::string::npos);
  auto done = handle_authorize(
      request(http::beast_http::verb::post, "/platform/oauth/connect/", q, "handle=demo_douyin&decision=approve"),
      douyin(), oauth, accounts);
  ASSERT_EQ(done.result_int(), 302);
  std::string location(done[http::beast_http::field::location]);
  ASSERT_EQ(location.rfind("http://app/cb?code=", 0), 0u) << location;
  std::string code = location.substr(19, location.find('&') - 19);
  auto r = oauth.redeem_code("douyin", code, "herald-douyin", "http://app/cb", "", true);
  EXPECT_EQ(r.error, GrantError::none);
  EXPECT_EQ(r.token.account_id, "open-demo_douyin");
  EXPECT_EQ(r.token.scope, "user_info");
  // client_id is not Douyin's name for it: an error page, never a redirect.
  auto wrong =
      handle_authorize(request(http::beast_http::verb::get, "/platform/oauth/connect/",
                               "client_id=herald-douyin&response_type=code&redirect_uri=http%3A%2F%2Fapp%2Fcb"),
                       douyin(), oauth, accounts);
  EXPECT_EQ(wrong.result_int(), 400);
  EXPECT_NE(wrong.body().find("Unknown client_key"), std::string::npos);
}

TEST_F(AuthorizePage, ResponseTypeMayDefaultToCodeWhereThePlatformAllowsIt) {
  const std::string q = "client_id=herald-weibo&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=s2";
  AuthorizeSpec strict{"weibo", "Weibo", "herald-weibo", false};
  auto refused =
      handle_authorize(request(http::beast_http::verb::get, "/oauth2/authorize", q), strict, oauth, accounts);
  ASSERT_EQ(refused.result_int(), 302);
  EXPECT_NE(std::string(refused[http::beast_http::field::location]).find("error=unsupported_response_type"),
            std::string::npos);
  AuthorizeSpec lenient = strict;
  lenient.response_type_optional = true;
  auto page = handle_authorize(request(http::beast_http::verb::get, "/oauth2/authorize", q), lenient, oauth, accounts);
  EXPECT_EQ(page.result_int(), 200);
  auto token = handle_authorize(request(http::beast_http::verb::get, "/oauth2/authorize", q + "&response_type=token"),
                                lenient, oauth, accounts);
  EXPECT_EQ(token.result_int(), 302);  // given, it must still be code
  EXPECT_NE(std::string(token[http::beast_http::field::location]).find("error=unsupported_response_type"),
            std::string::npos);
}

}  // namespace
}  // namespace herald::sandbox
