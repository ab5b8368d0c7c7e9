#include "adapters/linkedin/linkedin_adapter.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "herald/adapters/marker.hpp"
#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;
using testing::FakeTransport;

constexpr std::int64_t kNow = 1714564800;  // 2024-05-01T12:00:00Z
constexpr const char* kOrg = "urn:li:organization:2414183";

class LinkedinAdapterTest : public ::testing::Test {
 protected:
  LinkedinAdapterTest() {
    Endpoint e;
    e.base_url = "http://api.li.test";
    e.auth_base_url = "http://www.li.test";
    e.client_id = "cid";
    e.client_secret = "csecret";
    adapter = make_linkedin_adapter(e, Clock{[] { return kNow; }, [](std::chrono::milliseconds) {}});
    creds.access_token = "tok";
    creds.platform_account_id = kOrg;
  }
  static void expect_rest_headers(const HttpRequest& r) {
    EXPECT_EQ(r.header("Authorization"), "Bearer tok");
    EXPECT_EQ(r.header("LinkedIn-Version"), "202601");
    EXPECT_EQ(r.header("X-Restli-Protocol-Version"), "2.0.0");
  }
  std::unique_ptr<Adapter> adapter;
  Credentials creds;
  FakeTransport t;
};

TEST_F(LinkedinAdapterTest, AuthorizeAndExchangeOnTheAuthHost) {
  EXPECT_EQ(adapter->authorize_url({"https://herald.local/cb", "st", "CH", {"openid", "w_member_social"}}),
            "http://www.li.test/oauth/v2/authorization?response_type=code&client_id=cid"
            "&redirect_uri=https%3A%2F%2Fherald.local%2Fcb&state=st&scope=openid%20w_member_social");
  t.reply(200, R"({"access_token":"AQX","expires_in":5184000,"refresh_token":"AQR",
                  "refresh_token_expires_in":31536000,"scope":"openid,profile,w_member_social"})")
      .reply(200, R"({"sub":"782bbtaQ","name":"Ann Lee","picture":"https://media.li/p.jpg"})");
  auto ts = adapter->exchange_code(t, "CODE", "", "https://herald.local/cb");
  ASSERT_TRUE(ts) << ts.error().message;
  EXPECT_EQ(t.requests[0].method, "POST");
  EXPECT_EQ(t.requests[0].url, "http://www.li.test/oauth/v2/accessToken");
  EXPECT_EQ(t.requests[0].header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(t.requests[0].body,
            "grant_type=authorization_code&code=CODE&redirect_uri=https%3A%2F%2Fherald.local%2Fcb"
            "&client_id=cid&client_secret=csecret");
  EXPECT_EQ(t.requests[1].url, "http://api.li.test/v2/userinfo");
  EXPECT_EQ(ts->platform_account_id, "urn:li:person:782bbtaQ");
  EXPECT_EQ(ts->expires_at, kNow + 5184000);
  EXPECT_EQ(ts->refresh_token, "AQR");
  EXPECT_EQ(ts->scopes, (std::vector<std::string>{"openid", "profile", "w_member_social"}));

  t.reply(400, R"({"error":"invalid_grant","error_description":"The provided authorization grant is invalid"})");
  EXPECT_EQ(adapter->refresh(t, *ts).error().cls, ErrorClass::kAuthExpired);
  EXPECT_EQ(t.requests[2].body.rfind("grant_type=refresh_token&refresh_token=AQR&", 0), 0U);
}

TEST_F(LinkedinAdapterTest, TextPostBodyHeadersAndIdFromXRestliId) {
  t.reply(201, "", {{"x-restli-id", "urn:li:share:6844785523593134080"}});
  PostContent c;
  c.text = "Hiring (remote) #jobs @ 50% off!";
  c.client_marker = "tgt_2";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->platform_post_id, "urn:li:share:6844785523593134080");
  EXPECT_EQ(p->url, "https://www.linkedin.com/feed/update/urn:li:share:6844785523593134080/");
  const auto& req = t.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "http://api.li.test/rest/posts");
  expect_rest_headers(req);
  EXPECT_EQ(json::parse(req.body),
            (json{{"author", kOrg},
                  {"commentary", "Hiring \\(remote\\) #jobs \\@ 50% off!" + invisible_marker("tgt_2")},
                  {"visibility", "PUBLIC"},
                  {"distribution",
                   {{"feedDistribution", "MAIN_FEED"},
                    {"targetEntities", json::array()},
                    {"thirdPartyDistributionChannels", json::array()}}},
                  {"lifecycleState", "PUBLISHED"},
                  {"isReshareDisabledByAuthor", false}}));
}

TEST_F(LinkedinAdapterTest, ImagesAreInitializedUploadedAndReferenced) {
  for (int i = 0; i < 2; ++i) {
    t.reply(200, R"({"value":{"uploadUrlExpiresAt":1650567510704,"uploadUrl":"http://upload.li.test/img)" +
                     std::to_string(i) + R"(","image":"urn:li:image:C4E10AQ)" + std::to_string(i) + R"("}})")
        .reply(200, "IMG", {{"Content-Type", "image/png"}})
        .reply(201, "");
  }
  t.reply(201, "", {{"x-restli-id", "urn:li:share:1"}})
      .reply(201, R"j({"commentUrn":"urn:li:comment:(urn:li:activity:1,9)"})j");
  PostContent c;
  c.text = "two";
  c.media = {{Media::Kind::kImage, "http://m.test/a.png", "image/png", 3, 1, 1, 0, "first"},
             {Media::Kind::kImage, "http://m.test/b.png", "image/png", 3, 1, 1, 0, "second"}};
  c.first_comment = "Details inside";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(t.requests[0].url, "http://api.li.test/rest/images?action=initializeUpload");
  EXPECT_EQ(json::parse(t.requests[0].body), (json{{"initializeUploadRequest", {{"owner", kOrg}}}}));
  EXPECT_EQ(t.requests[2].method, "PUT");
  EXPECT_EQ(t.requests[2].url, "http://upload.li.test/img0");
  EXPECT_EQ(t.requests[2].body, "IMG");
  auto content = json::parse(t.requests[6].body)["content"];
  EXPECT_EQ(content, (json{{"multiImage",
                            {{"images",
                              {{{"id", "urn:li:image:C4E10AQ0"}, {"altText", "first"}},
                               {{"id", "urn:li:image:C4E10AQ1"}, {"altText", "second"}}}}}}}));
  EXPECT_EQ(t.requests[7].url, "http://api.li.test/rest/socialActions/urn%3Ali%3Ashare%3A1/comments");
  EXPECT_EQ(json::parse(t.requests[7].body),
            (json{{"actor", kOrg}, {"object", "urn:li:share:1"}, {"message", {{"text", "Details inside"}}}}));
  EXPECT_EQ(p->first_comment_id, "urn:li:comment:(urn:li:activity:1,9)");
}

TEST_F(LinkedinAdapterTest, ArticleLinkPost) {
  t.reply(201, "", {{"x-restli-id", "urn:li:share:2"}});
  PostContent c;
  c.text = "Our report";
  c.link = "https://brand.example/report";
  c.title = "2024 report";
  ASSERT_TRUE(adapter->publish(t, creds, c));
  EXPECT_EQ(json::parse(t.requests[0].body)["content"],
            (json{{"article", {{"source", "https://brand.example/report"}, {"title", "2024 report"}}}}));
}

TEST_F(LinkedinAdapterTest, ErrorsMapToClasses) {
  t.reply(401, R"({"status":401,"serviceErrorCode":65602,"code":"EXPIRED_ACCESS_TOKEN",
                  "message":"The token used in the request has expired"})")
      .reply(429, R"({"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS",
                     "message":"Resource level throttle APPLICATION DAY limit for calls to this resource."})")
      .reply(422, R"({"status":422,"code":"UNPROCESSABLE_ENTITY","message":"Field Value validation failed"})")
      .reply(403, R"({"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions"})")
      .fail(true)
      .reply(201, "");  // created, but no id: the outcome is unknown
  PostContent c;
  c.text = "x";
  auto expired = adapter->publish(t, creds, c).error();
  EXPECT_EQ(expired.cls, ErrorClass::kAuthExpired);
  EXPECT_EQ(expired.code, "65602");
  auto limited = adapter->publish(t, creds, c).error();
  EXPECT_EQ(limited.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(limited.retry_after, std::chrono::seconds(12 * 3600));  // until 00:00 UTC
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kRejected);
  auto denied = adapter->publish(t, creds, c).error();
  EXPECT_EQ(denied.cls, ErrorClass::kRejected);
  EXPECT_EQ(denied.message, "Not enough permissions");
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kUnknownOutcome);
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kUnknownOutcome);
}

TEST_F(LinkedinAdapterTest, EditDeleteReadAndFindByMarker) {
  t.reply(204, "").reply(404, R"({"status":404,"message":"Not Found"})").reply(404, "");
  PostContent c;
  c.text = "Updated [draft]";
  ASSERT_TRUE(adapter->edit_post(t, creds, "urn:li:share:5", c));
  EXPECT_EQ(t.requests[0].url, "http://api.li.test/rest/posts/urn%3Ali%3Ashare%3A5");
  EXPECT_EQ(t.requests[0].header("X-RestLi-Method"), "PARTIAL_UPDATE");
  EXPECT_EQ(json::parse(t.requests[0].body), (json{{"patch", {{"$set", {{"commentary", "Updated \\[draft\\]"}}}}}}));
  ASSERT_TRUE(adapter->delete_post(t, creds, "urn:li:share:5"));  // already gone counts as deleted
  EXPECT_EQ(t.requests[1].method, "DELETE");
  auto missing = adapter->read_post(t, creds, "urn:li:share:5");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());

  json posts{{"elements",
              {{{"id", "urn:li:share:7"}, {"commentary", "other"}, {"publishedAt", 1714561200000}},
               {{"id", "urn:li:ugcPost:8"},
                {"commentary", "ours" + invisible_marker("tgt_8")},
                {"publishedAt", 1714564800000}}}},
             {"paging", {{"start", 0}, {"count", 50}}}};
  t.reply(200, posts.dump());
  auto found = adapter->find_by_marker(t, creds, "tgt_8");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->platform_post_id, "urn:li:ugcPost:8");
  EXPECT_EQ((*found)->created_at, kNow);
  const auto& list = t.requests[3];
  EXPECT_EQ(list.url,
            "http://api.li.test/rest/posts?author=urn%3Ali%3Aorganization%3A2414183&q=author&count=50"
            "&start=0&sortBy=LAST_MODIFIED");
  EXPECT_EQ(list.header("X-RestLi-Method"), "FINDER");
  expect_rest_headers(list);
}

TEST_F(LinkedinAdapterTest, CommentsOnRecentPostsRepliesAndDeletion) {
  t.reply(200, json{{"elements", {{{"id", "urn:li:share:7"}, {"commentary", "post"}}}}}.dump())
      .reply(200, R"j({"elements":[
          {"actor":"urn:li:person:ann","commentUrn":"urn:li:comment:(urn:li:activity:7,100)",
           "created":{"actor":"urn:li:person:ann","time":1714564800000},"message":{"text":"Congrats!"},
           "object":"urn:li:activity:7"},
          {"actor":"urn:li:organization:2414183","commentUrn":"urn:li:comment:(urn:li:activity:7,101)",
           "created":{"time":1714564900000},"message":{"text":"Thanks"}},
          {"actor":"urn:li:person:old","commentUrn":"urn:li:comment:(urn:li:activity:7,90)",
           "created":{"time":1714000000000},"message":{"text":"old"}}]})j");
  auto page = adapter->fetch_inbound(t, creds, InboundKind::kComment, std::to_string(kNow - 60));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_NE(t.requests[0].url.find("&count=10&"), std::string::npos);
  EXPECT_EQ(t.requests[1].url, "http://api.li.test/rest/socialActions/urn%3Ali%3Ashare%3A7/comments");
  ASSERT_EQ(page->items.size(), 1U);
  const auto& item = page->items[0];
  EXPECT_EQ(item.platform_item_id, "urn:li:comment:(urn:li:activity:7,100)");
  EXPECT_EQ(item.platform_post_id, "urn:li:share:7");
  EXPECT_EQ(item.author_id, "urn:li:person:ann");
  EXPECT_EQ(item.created_at, kNow);
  EXPECT_EQ(page->next_cursor, std::to_string(kNow));

  t.reply(201, R"j({"commentUrn":"urn:li:comment:(urn:li:activity:7,102)"})j").reply(204, "");
  auto id = adapter->reply(t, creds, item, "Thank you, Ann", "k");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "urn:li:comment:(urn:li:activity:7,102)");
  EXPECT_EQ(t.requests[2].url,
            "http://api.li.test/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7%2C100%29/comments");
  EXPECT_EQ(json::parse(t.requests[2].body)["parentComment"], "urn:li:comment:(urn:li:activity:7,100)");
  EXPECT_EQ(json::parse(t.requests[2].body)["object"], "urn:li:share:7");
  ASSERT_TRUE(adapter->moderate(t, creds, item, Moderation::kDelete));
  EXPECT_EQ(t.requests[3].url,
            "http://api.li.test/rest/socialActions/urn%3Ali%3Ashare%3A7/comments/100"
            "?actor=urn%3Ali%3Aorganization%3A2414183");
  EXPECT_EQ(adapter->moderate(t, creds, item, Moderation::kHide).error().code, "unsupported");
  EXPECT_EQ(adapter->fetch_inbound(t, creds, InboundKind::kMention, "").error().code, "unsupported");
}

TEST_F(LinkedinAdapterTest, OrganizationShareStatistics) {
  t.reply(200, R"({"elements":[{"organizationalEntity":"urn:li:organization:2414183","share":"urn:li:share:7",
                  "totalShareStatistics":{"uniqueImpressionsCount":80,"shareCount":2,"engagement":0.1,
                  "clickCount":9,"likeCount":12,"impressionCount":120,"commentCount":3}}]})");
  auto m = adapter->fetch_post_metrics(t, creds, "urn:li:share:7");
  ASSERT_TRUE(m);
  EXPECT_EQ(t.requests[0].url,
            "http://api.li.test/rest/organizationalEntityShareStatistics?q=organizationalEntity"
            "&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
            "&shares=List(urn%3Ali%3Ashare%3A7)");
  EXPECT_EQ(m->impressions, 120);
  EXPECT_EQ(m->reach, 80);
  EXPECT_EQ(m->clicks, 9);
  EXPECT_EQ(m->likes, 12);
  EXPECT_EQ(m->comments, 3);
  EXPECT_EQ(m->shares, 2);
}

TEST(LinkedinLittle, EscapesReservedCharactersButKeepsHashtags) {
  EXPECT_EQ(linkedin_little_text("a_b *c* ~d~ {e} <f> | g\\h"), "a\\_b \\*c\\* \\~d\\~ \\{e\\} \\<f\\> \\| g\\\\h");
  EXPECT_EQ(linkedin_little_text("#launch # alone #"), "#launch \\# alone \\#");
  EXPECT_EQ(linkedin_little_text("plain, text. 100%"), "plain, text. 100%");
}

}  // namespace
}  // namespace herald::adapters
