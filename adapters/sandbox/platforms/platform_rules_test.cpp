// Rules of the newer emulators that the contract check (which drives only the happy paths and the
// rate-limit / revoked cases through the real adapters) does not exercise: LinkedIn's version header and
// duplicate posts, WeChat's stable token, Weibo's share rules, Douyin's token exchange and open_id check,
// Instagram's container states. The clock is a ManualClock at 2027-01-15.
#include <gtest/gtest.h>

#include <cctype>

#include "adapters/sandbox/platforms/platforms_test_fixture.hpp"

namespace herald::sandbox {
namespace {

using nlohmann::json;

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string enc(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class PlatformRules : public ::testing::Test, public testing::SandboxFixture {
 protected:
  static json body(const httplib::Result& r) { return json::parse(r->body); }

  std::string linkedin_token() {
    auto code = approve("linkedin",
                        "/oauth/v2/authorization?response_type=code&client_id=herald-linkedin"
                        "&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=s&scope=openid%20w_member_social",
                        "demo_linkedin");
    auto r = client("linkedin")
                 .Post("/oauth/v2/accessToken",
                       "grant_type=authorization_code&code=" + code +
                           "&redirect_uri=http%3A%2F%2Fapp%2Fcb&client_id=herald-linkedin&client_secret=sandbox-secret",
                       "application/x-www-form-urlencoded");
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(body(r)["scope"], "openid,w_member_social");  // comma-separated, as LinkedIn answers
    return body(r)["access_token"];
  }
  std::string wechat_token(bool force, const std::string& appid = "herald-wechat") {
    json req = {
        {"grant_type", "client_credential"}, {"appid", appid}, {"secret", "sandbox-secret"}, {"force_refresh", force}};
    auto r = client("wechat").Post("/cgi-bin/stable_token", req.dump(), "application/json");
    return body(r).value("access_token", "");
  }
};

TEST_F(PlatformRules, LinkedinNeedsAnActiveVersionAndRefusesDuplicatePosts) {
  auto token = linkedin_token();
  auto me = body(client("linkedin").Get("/v2/userinfo", {{"Authorization", "Bearer " + token}}))["sub"];
  json post = {{"author", "urn:li:person:" + me.get<std::string>()},
               {"commentary", "launch day"},
               {"visibility", "PUBLIC"},
               {"distribution", {{"feedDistribution", "MAIN_FEED"}}},
               {"lifecycleState", "PUBLISHED"}};
  auto send = [&](const std::string& version) {
    httplib::Headers h{{"Authorization", "Bearer " + token}, {"X-Restli-Protocol-Version", "2.0.0"}};
    if (!version.empty()) h.emplace("LinkedIn-Version", version);
    return client("linkedin").Post("/rest/posts", h, post.dump(), "application/json");
  };
  auto missing = send("");
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(body(missing)["code"], "VERSION_MISSING");
  for (const char* stale : {"202512", "202702", "2026-01"}) {  // too old, not yet out, malformed
    auto r = send(stale);
    EXPECT_EQ(r->status, 426) << stale;
    EXPECT_EQ(body(r)["code"], "NONEXISTENT_VERSION") << stale;
  }
  auto created = send("202601");
  ASSERT_EQ(created->status, 201);
  auto urn = created->get_header_value("x-restli-id");
  EXPECT_EQ(urn.rfind("urn:li:share:", 0), 0u);
  auto again = send("202701");
  EXPECT_EQ(again->status, 422);
  EXPECT_NE(body(again)["message"].get<std::string>().find("duplicate of " + urn), std::string::npos);
  httplib::Headers h{{"Authorization", "Bearer " + token}, {"LinkedIn-Version", "202611"}};
  auto read = client("linkedin").Get("/rest/posts/" + enc(urn), h);
  ASSERT_EQ(read->status, 200);
  EXPECT_EQ(body(read)["commentary"], "launch day");
  // POST on the entity is a PARTIAL_UPDATE only with the Rest.li method header.
  json patch = {{"patch", {{"$set", {{"commentary", "launch day (edited)"}}}}}};
  auto no_method = client("linkedin").Post("/rest/posts/" + enc(urn), h, patch.dump(), "application/json");
  EXPECT_EQ(no_method->status, 400);
  h.emplace("X-RestLi-Method", "PARTIAL_UPDATE");
  EXPECT_EQ(client("linkedin").Post("/rest/posts/" + enc(urn), h, patch.dump(), "application/json")->status, 204);
  EXPECT_EQ(body(client("linkedin").Get("/rest/posts/" + enc(urn), h))["commentary"], "launch day (edited)");
}

TEST_F(PlatformRules, WechatStableTokenStaysUntilForcedAndErrorsAreHttp200) {
  auto first = wechat_token(false);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(wechat_token(false), first);  // the same token while it is valid
  auto forced = wechat_token(true);
  EXPECT_NE(forced, first);
  auto old = client("wechat").Get("/cgi-bin/get_api_domain_ip?access_token=" + first);
  ASSERT_EQ(old->status, 200);
  EXPECT_EQ(body(old)["errcode"], 40001);
  EXPECT_EQ(client("wechat").Get("/cgi-bin/get_api_domain_ip?access_token=" + forced)->status, 200);
  EXPECT_FALSE(body(client("wechat").Get("/cgi-bin/get_api_domain_ip?access_token=" + forced)).contains("errcode"));
  // Each AppID is its own account; unknown AppIDs and wrong secrets get WeChat's codes.
  EXPECT_NE(wechat_token(false, "herald-wechat-brand2"), forced);
  auto bad = client("wechat").Get("/cgi-bin/token?grant_type=client_credential&appid=wx0123456789&secret=x");
  EXPECT_EQ(bad->status, 200);
  EXPECT_EQ(body(bad)["errcode"], 40013);
  auto wrong = client("wechat").Get("/cgi-bin/token?grant_type=client_credential&appid=herald-wechat&secret=x");
  EXPECT_EQ(body(wrong)["errcode"], 40125);
  EXPECT_NE(body(wrong)["errmsg"].get<std::string>().find(" rid: "), std::string::npos);
  // A published article's comments are closed unless opened.
  auto none = client("wechat").Post("/cgi-bin/comment/list?access_token=" + forced,
                                    R"({"msg_data_id":1,"index":0,"begin":0,"count":10,"type":0})", "application/json");
  EXPECT_EQ(body(none)["errcode"], 88001);
}

TEST_F(PlatformRules, WeiboShareNeedsASafeDomainLinkAndRefusesRepeats) {
  auto code = approve("weibo", "/oauth2/authorize?client_id=herald-weibo&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=s",
                      "demo_weibo");  // response_type defaults to code on Weibo
  ASSERT_FALSE(code.empty());
  auto t = client("weibo").Post("/oauth2/access_token",
                                "client_id=herald-weibo&client_secret=sandbox-secret&grant_type=authorization_code"
                                "&redirect_uri=http%3A%2F%2Fapp%2Fcb&code=" +
                                    code,
                                "application/x-www-form-urlencoded");
  ASSERT_EQ(t->status, 200);
  httplib::Headers h{{"Authorization", "OAuth2 " + body(t)["access_token"].get<std::string>()}};
  auto share = [&](const std::string& status) {
    return client("weibo").Post("/2/statuses/share.json", h, "status=" + enc(status),
                                "application/x-www-form-urlencoded");
  };
  auto no_link = share("新品发布");
  EXPECT_EQ(body(no_link)["error_code"], 10017);
  EXPECT_EQ(body(no_link)["request"], "/2/statuses/share.json");
  auto ok = share("新品发布 https://example.com/launch");
  ASSERT_EQ(ok->status, 200);
  EXPECT_EQ(body(ok)["idstr"].get<std::string>().size(), 16u);
  EXPECT_EQ(body(ok)["user"]["screen_name"], "demo_weibo");
  EXPECT_EQ(body(share("新品发布 https://example.com/launch"))["error_code"], 20019);
  std::string long_text;
  for (int i = 0; i < 141; ++i) long_text += "字";
  EXPECT_EQ(body(share(long_text + " https://example.com/"))["error_code"], 20012);
  auto gone = client("weibo").Get("/2/statuses/show.json?id=1", h);
  EXPECT_EQ(body(gone)["error_code"], 20101);
  auto unauthenticated = client("weibo").Get("/2/statuses/show.json?id=1", {{"Authorization", "OAuth2 nope"}});
  EXPECT_EQ(unauthenticated->status, 401);
  EXPECT_EQ(body(unauthenticated)["error_code"], 21332);
}

TEST_F(PlatformRules, DouyinTokenCallTakesNoRedirectUriAndOpenIdMustMatch) {
  auto code = approve("douyin",
                      "/platform/oauth/connect/?client_key=herald-douyin&response_type=code&scope=user_info"
                      "&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=s",
                      "demo_douyin");
  ASSERT_FALSE(code.empty());
  auto wrong = client("douyin").Post("/oauth/access_token/",
                                     json({{"client_key", "herald-douyin"},
                                           {"client_secret", "x"},
                                           {"code", code},
                                           {"grant_type", "authorization_code"}})
                                         .dump(),
                                     "application/json");
  EXPECT_EQ(body(wrong)["data"]["error_code"], 10013);
  auto r = client("douyin").Post("/oauth/access_token/",
                                 json({{"client_key", "herald-douyin"},
                                       {"client_secret", "sandbox-secret"},
                                       {"code", code},
                                       {"grant_type", "authorization_code"}})
                                     .dump(),
                                 "application/json");
  ASSERT_EQ(r->status, 200);
  auto data = body(r)["data"];
  EXPECT_EQ(data["error_code"], 0);
  EXPECT_EQ(data["access_token"].get<std::string>().rfind("act.", 0), 0u);
  EXPECT_EQ(data["scope"], "user_info");
  std::string open_id = data["open_id"];
  httplib::Headers h{{"access-token", data["access_token"].get<std::string>()}};
  EXPECT_EQ(
      body(client("douyin").Get("/video/list/?open_id=" + open_id + "&cursor=0&count=10", h))["data"]["error_code"], 0);
  auto other = client("douyin").Get("/video/list/?open_id=someone-else&cursor=0&count=10", h);
  EXPECT_EQ(other->status, 200);
  EXPECT_EQ(body(other)["data"]["error_code"], 2190015);
  EXPECT_EQ(body(other)["extra"]["error_code"], 2190015);
  // The refresh keeps the refresh token and gives a new access token.
  auto refreshed = client("douyin").Post(
      "/oauth/refresh_token/",
      "client_key=herald-douyin&grant_type=refresh_token&refresh_token=" + data["refresh_token"].get<std::string>(),
      "application/x-www-form-urlencoded");
  EXPECT_EQ(body(refreshed)["data"]["refresh_token"], data["refresh_token"]);
  EXPECT_NE(body(refreshed)["data"]["access_token"], data["access_token"]);
}

TEST_F(PlatformRules, InstagramVideoContainersFinishBeforeTheyPublish) {
  auto code =
      approve("instagram", "/v19.0/dialog/oauth?client_id=herald-instagram&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=s",
              "demo_instagram");
  auto t = client("instagram")
               .Get(
                   "/v19.0/oauth/access_token?client_id=herald-instagram&client_secret=sandbox-secret"
                   "&redirect_uri=http%3A%2F%2Fapp%2Fcb&code=" +
                   code);
  ASSERT_EQ(t->status, 200);
  httplib::Headers h{{"Authorization", "Bearer " + body(t)["access_token"].get<std::string>()}};
  auto accounts = body(client("instagram").Get("/v19.0/me/accounts?fields=instagram_business_account{id}", h));
  std::string ig = accounts["data"][0]["instagram_business_account"]["id"];
  auto proof = client("instagram").Get("/v19.0/" + ig + "?fields=id&appsecret_proof=00ff", h);
  EXPECT_EQ(proof->status, 400);  // a given appsecret_proof must be right
  EXPECT_EQ(body(proof)["error"]["code"], 100);
  auto container =
      client("instagram")
          .Post("/v19.0/" + ig + "/media", h, "media_type=REELS&video_url=https%3A%2F%2Fexample.com%2Fv.mp4&caption=hi",
                "application/x-www-form-urlencoded");
  ASSERT_EQ(container->status, 200);
  std::string id = body(container)["id"];
  auto status = [&] { return body(client("instagram").Get("/v19.0/" + id + "?fields=status_code", h))["status_code"]; };
  EXPECT_EQ(status(), "IN_PROGRESS");
  auto early =
      client("instagram")
          .Post("/v19.0/" + ig + "/media_publish", h, "creation_id=" + id, "application/x-www-form-urlencoded");
  EXPECT_EQ(early->status, 400);
  EXPECT_EQ(body(early)["error"]["code"], 9007);
  clock.advance(std::chrono::seconds(2));
  EXPECT_EQ(status(), "FINISHED");
  auto published =
      client("instagram")
          .Post("/v19.0/" + ig + "/media_publish", h, "creation_id=" + id, "application/x-www-form-urlencoded");
  ASSERT_EQ(published->status, 200);
  EXPECT_EQ(status(), "PUBLISHED");
  auto media =
      body(client("instagram")
               .Get("/v19.0/" + body(published)["id"].get<std::string>() + "?fields=media_type,caption,permalink", h));
  EXPECT_EQ(media["media_type"], "VIDEO");
  EXPECT_EQ(media["caption"], "hi");
  // Media cannot be deleted through the API.
  auto del = client("instagram").Delete("/v19.0/" + body(published)["id"].get<std::string>(), h);
  EXPECT_EQ(del->status, 400);
  EXPECT_EQ(body(del)["error"]["error_subcode"], 33);
}

}  // namespace
}  // namespace herald::sandbox
