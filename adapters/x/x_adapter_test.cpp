#include "adapters/x/x_adapter.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "herald/adapters/marker.hpp"
#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;
using testing::FakeTransport;

constexpr std::int64_t kNow = 1714564800;  // 2024-05-01T12:00:00Z

class XAdapterTest : public ::testing::Test {
 protected:
  XAdapterTest() {
    Endpoint e;
    e.base_url = "http://x.test";
    e.auth_base_url = "http://x-auth.test";
    e.client_id = "cid";
    e.client_secret = "csecret";
    e.webhook_secret = "consumer-secret";
    adapter = make_x_adapter(e, Clock{[] { return kNow; }, [](std::chrono::milliseconds) {}});
    creds.access_token = "tok";
    creds.platform_account_id = "100";
  }
  std::unique_ptr<Adapter> adapter;
  Credentials creds;
  FakeTransport t;
};

TEST_F(XAdapterTest, AuthorizeUrlCarriesPkceStateAndScopes) {
  AuthorizeRequest r{"https://herald.local/cb", "st4te", "CHALLENGE", {"tweet.read", "offline.access"}};
  EXPECT_EQ(adapter->authorize_url(r),
            "http://x-auth.test/i/oauth2/authorize?response_type=code&client_id=cid"
            "&redirect_uri=https%3A%2F%2Fherald.local%2Fcb&scope=tweet.read%20offline.access&state=st4te"
            "&code_challenge=CHALLENGE&code_challenge_method=S256");
  EXPECT_NE(adapter->authorize_url({"https://h/cb", "s", "C", {}}).find("tweet.write"), std::string::npos);
}

TEST_F(XAdapterTest, ExchangeCodeUsesBasicAuthAndReadsTheUser) {
  t.reply(200, R"({"token_type":"bearer","expires_in":7200,"access_token":"AT","scope":"tweet.read offline.access",
                  "refresh_token":"RT"})")
      .reply(200, R"({"data":{"id":"100","name":"Brand","username":"brand"}})");
  auto ts = adapter->exchange_code(t, "CODE", "VERIFIER", "https://herald.local/cb");
  ASSERT_TRUE(ts) << ts.error().message;
  const auto& req = t.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "http://x.test/2/oauth2/token");
  EXPECT_EQ(req.header("authorization"), "Basic Y2lkOmNzZWNyZXQ=");
  EXPECT_EQ(req.header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(req.body,
            "code=CODE&grant_type=authorization_code&client_id=cid"
            "&redirect_uri=https%3A%2F%2Fherald.local%2Fcb&code_verifier=VERIFIER");
  EXPECT_EQ(t.requests[1].url, "http://x.test/2/users/me");
  EXPECT_EQ(t.requests[1].header("authorization"), "Bearer AT");
  EXPECT_EQ(ts->access_token, "AT");
  EXPECT_EQ(ts->refresh_token, "RT");
  EXPECT_EQ(ts->expires_at, kNow + 7200);
  EXPECT_EQ(ts->scopes, (std::vector<std::string>{"tweet.read", "offline.access"}));
  EXPECT_EQ(ts->platform_account_id, "100");
}

TEST_F(XAdapterTest, RefreshRotatesTokensAndARevokedGrantMeansReconnect) {
  t.reply(200, R"({"access_token":"AT2","refresh_token":"RT2","expires_in":7200})")
      .reply(400, R"({"error":"invalid_request","error_description":"Value passed for the token was invalid."})");
  TokenSet cur{"AT", "RT", kNow, {}, "100"};
  auto ok = adapter->refresh(t, cur);
  ASSERT_TRUE(ok);
  EXPECT_EQ(t.requests[0].body, "grant_type=refresh_token&refresh_token=RT&client_id=cid");
  EXPECT_EQ(ok->refresh_token, "RT2");
  EXPECT_EQ(ok->platform_account_id, "100");
  auto bad = adapter->refresh(t, cur);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().cls, ErrorClass::kAuthExpired);
  EXPECT_EQ(bad.error().code, "invalid_request");
  EXPECT_EQ(bad.error().message.find("RT"), std::string::npos);
}

TEST_F(XAdapterTest, PublishTextCarriesTheInvisibleMarker) {
  t.reply(201, R"({"data":{"id":"1445880548472328192","text":"hello"}})");
  PostContent c;
  c.text = "hello";
  c.client_marker = "tgt_1";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->platform_post_id, "1445880548472328192");
  EXPECT_EQ(p->url, "https://x.com/i/web/status/1445880548472328192");
  ASSERT_EQ(t.requests.size(), 1U);
  EXPECT_EQ(t.requests[0].method, "POST");
  EXPECT_EQ(t.requests[0].url, "http://x.test/2/tweets");
  EXPECT_EQ(t.requests[0].header("authorization"), "Bearer tok");
  EXPECT_EQ(json::parse(t.requests[0].body), (json{{"text", "hello" + invisible_marker("tgt_1")}}));
}

TEST_F(XAdapterTest, PublishUploadsImagesWithAltTextThenAttachesTheirIds) {
  t.reply(200, "BYTES", {{"Content-Type", "image/png"}})
      .reply(200, R"({"data":{"id":"1146654567674912769","media_key":"3_1146654567674912769"}})")
      .reply(200, R"({"data":{"id":"1146654567674912769","associated_metadata":{}}})")
      .reply(201, R"({"data":{"id":"2","text":"pic"}})");
  PostContent c;
  c.text = "pic";
  c.media.push_back({Media::Kind::kImage, "http://media.test/a.png", "image/png", 5, 1, 1, 0, "a cat"});
  ASSERT_TRUE(adapter->publish(t, creds, c));
  EXPECT_EQ(t.requests[0].url, "http://media.test/a.png");
  EXPECT_EQ(t.requests[1].url, "http://x.test/2/media/upload");
  EXPECT_EQ(json::parse(t.requests[1].body),
            (json{{"media", "QllURVM="}, {"media_category", "tweet_image"}, {"media_type", "image/png"}}));
  EXPECT_EQ(t.requests[2].url, "http://x.test/2/media/metadata");
  EXPECT_EQ(json::parse(t.requests[2].body)["metadata"]["alt_text"]["text"], "a cat");
  EXPECT_EQ(json::parse(t.requests[3].body)["media"]["media_ids"], (json{"1146654567674912769"}));
}

TEST_F(XAdapterTest, ThreadAndFirstCommentReplyInChain) {
  t.reply(201, R"({"data":{"id":"10"}})")
      .reply(201, R"({"data":{"id":"11"}})")
      .reply(201, R"({"data":{"id":"12"}})")
      .reply(201, R"({"data":{"id":"13"}})");
  PostContent c;
  c.text = "1/3";
  c.thread = {"2/3", "3/3"};
  c.first_comment = "link in here";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->thread_ids, (std::vector<std::string>{"11", "12"}));
  EXPECT_EQ(p->first_comment_id, "13");
  EXPECT_FALSE(json::parse(t.requests[0].body).contains("reply"));
  EXPECT_EQ(json::parse(t.requests[1].body)["reply"]["in_reply_to_tweet_id"], "10");
  EXPECT_EQ(json::parse(t.requests[2].body)["reply"]["in_reply_to_tweet_id"], "11");
  EXPECT_EQ(json::parse(t.requests[3].body)["reply"]["in_reply_to_tweet_id"], "10");
  EXPECT_EQ(json::parse(t.requests[3].body)["text"], "link in here");
}

TEST_F(XAdapterTest, AFailedThreadPartNeverFailsThePublishedMainPost) {
  t.reply(201, R"({"data":{"id":"10"}})").reply(503, R"({"title":"Service Unavailable"})");
  PostContent c;
  c.text = "1/2";
  c.thread = {"2/2"};
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->platform_post_id, "10");
  EXPECT_TRUE(p->thread_ids.empty());
}

TEST_F(XAdapterTest, TimeoutAfterWritingIsUnknownOutcomeButRefusedIsRetryable) {
  t.fail(true).fail(false);
  PostContent c;
  c.text = "hello";
  auto timed_out = adapter->publish(t, creds, c);
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().cls, ErrorClass::kUnknownOutcome);
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kRetryable);
}

TEST_F(XAdapterTest, ErrorBodiesAndRateLimitHeadersMapToClasses) {
  t.reply(429, R"({"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429})",
          {{"x-rate-limit-limit", "100"}, {"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", "1714565700"}})
      .reply(429, R"({"title":"Too Many Requests","type":"about:blank","status":429})",
             {{"x-rate-limit-reset", "1714564860"},
              {"x-user-limit-24hour-remaining", "0"},
              {"x-user-limit-24hour-reset", "1714600000"}})
      .reply(401, R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})")
      .reply(403, R"({"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank",
                     "title":"Forbidden","status":403})")
      .reply(429, R"({"title":"UsageCapExceeded","type":"https://api.twitter.com/2/problems/usage-capped"})");
  PostContent c;
  c.text = "x";
  auto limited = adapter->publish(t, creds, c).error();
  EXPECT_EQ(limited.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(limited.retry_after, std::chrono::seconds(900));
  EXPECT_EQ(adapter->publish(t, creds, c).error().retry_after, std::chrono::seconds(35200));
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kAuthExpired);
  auto dup = adapter->publish(t, creds, c).error();
  EXPECT_EQ(dup.cls, ErrorClass::kRejected);
  EXPECT_EQ(dup.message, "You are not allowed to create a Tweet with duplicate content.");
  auto capped = adapter->publish(t, creds, c).error();
  EXPECT_EQ(capped.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(capped.code, "usage-capped");
}

TEST_F(XAdapterTest, ReadPostAndFindByMarker) {
  t.reply(200, R"({"errors":[{"value":"9","detail":"Could not find tweet with id: [9].","title":"Not Found Error",
                  "type":"https://api.twitter.com/2/problems/resource-not-found"}]})");
  auto missing = adapter->read_post(t, creds, "9");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(t.requests[0].url, "http://x.test/2/tweets/9?tweet.fields=created_at");

  json page{
      {"data",
       {{{"id", "21"}, {"text", "other"}, {"created_at", "2024-05-01T11:00:00.000Z"}},
        {{"id", "20"}, {"text", "mine" + invisible_marker("tgt_9")}, {"created_at", "2024-05-01T10:00:00.000Z"}}}},
      {"meta", {{"result_count", 2}, {"next_token", "7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i"}}}};
  t.reply(200, page.dump()).reply(200, page.dump());
  auto found = adapter->find_by_marker(t, creds, "tgt_9");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->platform_post_id, "20");
  EXPECT_EQ((*found)->created_at, kNow - 7200);
  EXPECT_EQ(t.requests[1].url, "http://x.test/2/users/100/tweets?max_results=100&tweet.fields=created_at");
  auto none = adapter->find_by_marker(t, creds, "tgt_10");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(XAdapterTest, MentionsSplitIntoRepliesAndMentionsWithAuthors) {
  json body{{"data",
             {{{"id", "31"},
               {"text", "@brand nice"},
               {"author_id", "7"},
               {"conversation_id", "30"},
               {"in_reply_to_user_id", "100"},
               {"created_at", "2024-05-01T12:00:00.000Z"},
               {"referenced_tweets", {{{"type", "replied_to"}, {"id", "30"}}}}},
              {{"id", "32"}, {"text", "look @brand"}, {"author_id", "8"}, {"conversation_id", "32"}}}},
            {"includes",
             {{"users",
               {{{"id", "7"}, {"username", "ann"}, {"name", "Ann"}, {"verified", true}},
                {{"id", "8"}, {"username", "bob"}, {"name", "Bob"}}}}}},
            {"meta", {{"newest_id", "32"}, {"oldest_id", "31"}, {"result_count", 2}}}};
  t.reply(200, body.dump()).reply(200, body.dump()).reply(200, R"({"meta":{"result_count":0}})");
  auto comments = adapter->fetch_inbound(t, creds, InboundKind::kComment, "29");
  ASSERT_TRUE(comments);
  EXPECT_NE(t.requests[0].url.find("/2/users/100/mentions?"), std::string::npos);
  EXPECT_NE(t.requests[0].url.find("&since_id=29"), std::string::npos);
  ASSERT_EQ(comments->items.size(), 1U);
  const auto& c = comments->items[0];
  EXPECT_EQ(c.kind, InboundKind::kComment);
  EXPECT_EQ(c.platform_item_id, "31");
  EXPECT_EQ(c.platform_post_id, "30");
  EXPECT_EQ(c.parent_id, "");
  EXPECT_EQ(c.author_handle, "ann");
  EXPECT_TRUE(c.author_verified);
  EXPECT_EQ(c.created_at, kNow);
  EXPECT_EQ(comments->next_cursor, "32");
  auto mentions = adapter->fetch_inbound(t, creds, InboundKind::kMention, "");
  ASSERT_EQ(mentions->items.size(), 1U);
  EXPECT_EQ(mentions->items[0].platform_item_id, "32");
  EXPECT_EQ(mentions->items[0].author_name, "Bob");
  auto nothing = adapter->fetch_inbound(t, creds, InboundKind::kMention, "32");
  EXPECT_EQ(nothing->next_cursor, "32");  // nothing new: the cursor stays
}

TEST_F(XAdapterTest, DirectMessagesNewerThanTheCursorFromOthers) {
  json body{
      {"data",
       {{{"id", "1582838223811702788"},
         {"event_type", "MessageCreate"},
         {"text", "hi"},
         {"sender_id", "7"},
         {"dm_conversation_id", "7-100"},
         {"created_at", "2024-05-01T12:00:00.000Z"}},
        {{"id", "1582838223811702787"}, {"text", "our answer"}, {"sender_id", "100"}, {"dm_conversation_id", "7-100"}},
        {{"id", "999"}, {"text", "old"}, {"sender_id", "7"}, {"dm_conversation_id", "7-100"}}}}};
  t.reply(200, body.dump()).reply(200, R"({"data":{"dm_conversation_id":"7-100","dm_event_id":"555"}})");
  auto dms = adapter->fetch_inbound(t, creds, InboundKind::kDirectMessage, "1000");
  ASSERT_TRUE(dms);
  ASSERT_EQ(dms->items.size(), 1U);
  EXPECT_EQ(dms->items[0].conversation_id, "7-100");
  EXPECT_EQ(dms->items[0].text, "hi");
  EXPECT_EQ(dms->next_cursor, "1582838223811702788");
  auto id = adapter->reply(t, creds, dms->items[0], "on it", "idem");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "555");
  EXPECT_EQ(t.requests[1].url, "http://x.test/2/dm_conversations/7-100/messages");
  EXPECT_EQ(json::parse(t.requests[1].body), (json{{"text", "on it"}}));
}

TEST_F(XAdapterTest, HideReplyAndUnsupportedModeration) {
  t.reply(200, R"({"data":{"hidden":true}})");
  InboundItem item;
  item.platform_item_id = "31";
  ASSERT_TRUE(adapter->moderate(t, creds, item, Moderation::kHide));
  EXPECT_EQ(t.requests[0].method, "PUT");
  EXPECT_EQ(t.requests[0].url, "http://x.test/2/tweets/31/hidden");
  EXPECT_EQ(json::parse(t.requests[0].body), (json{{"hidden", true}}));
  EXPECT_EQ(adapter->moderate(t, creds, item, Moderation::kDelete).error().code, "unsupported");
}

TEST_F(XAdapterTest, MetricsCombinePublicAndNonPublic) {
  t.reply(200, R"({"data":{"id":"1","public_metrics":{"retweet_count":3,"reply_count":2,"like_count":10,
                  "quote_count":1,"bookmark_count":4,"impression_count":90},
                  "non_public_metrics":{"impression_count":100,"url_link_clicks":5}}})");
  auto m = adapter->fetch_post_metrics(t, creds, "1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->impressions, 100);
  EXPECT_EQ(m->likes, 10);
  EXPECT_EQ(m->comments, 2);
  EXPECT_EQ(m->shares, 4);
  EXPECT_EQ(m->saves, 4);
  EXPECT_EQ(m->clicks, 5);
}

TEST_F(XAdapterTest, WebhookCrcAndSignature) {
  WebhookRequest crc{"GET", "/webhooks/x", {{"crc_token", "9b4507b3-9040-4669-9ca3-6b94edb50553"}}, {}, ""};
  auto answer = adapter->parse_webhook(crc);
  ASSERT_TRUE(answer);
  EXPECT_EQ(json::parse(*answer->challenge_response),
            (json{{"response_token", "sha256=NhN+8FRk3FiSPXyqxXmpVRtiLiWoawvOgUBuXwGUTL4="}}));

  std::string body =
      R"({"for_user_id":"100","tweet_create_events":[{"id_str":"500","text":"@brand hi","user":{"id_str":"7",)"
      R"("screen_name":"ann","name":"Ann","verified":false},"in_reply_to_user_id_str":"100",)"
      R"("in_reply_to_status_id_str":"400","timestamp_ms":"1714564800000"}],"direct_message_events":[{"type":)"
      R"("message_create","id":"900","created_timestamp":"1714564801000","message_create":{"target":{"recipient_id":)"
      R"("100"},"sender_id":"7","message_data":{"text":"help"}}}],"users":{"7":{"id":"7","screen_name":"ann",)"
      R"("name":"Ann"}}})";
  WebhookRequest w{"POST",
                   "/webhooks/x",
                   {},
                   {{"x-twitter-webhooks-signature", "sha256=J0oUpCaqVM4nKBj0L5d7wGdlfUo4FMq2N3PNii5djMU="}},
                   body};
  auto ok = adapter->parse_webhook(w);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(ok->items.size(), 2U);
  EXPECT_EQ(ok->items[0].kind, InboundKind::kComment);
  EXPECT_EQ(ok->items[0].account_platform_id, "100");  // for_user_id
  EXPECT_EQ(ok->items[0].platform_post_id, "400");
  EXPECT_EQ(ok->items[0].created_at, kNow);
  EXPECT_EQ(ok->items[1].kind, InboundKind::kDirectMessage);
  EXPECT_EQ(ok->items[1].account_platform_id, "100");
  EXPECT_EQ(ok->items[1].conversation_id, "7-100");
  EXPECT_EQ(ok->items[1].author_handle, "ann");

  auto tampered = w;
  tampered.body[tampered.body.size() - 3] = 'X';
  EXPECT_EQ(adapter->parse_webhook(tampered).error().code, "bad_signature");
  auto wrong = w;
  wrong.headers["x-twitter-webhooks-signature"] = "sha256=AAAA";
  EXPECT_EQ(adapter->parse_webhook(wrong).error().code, "bad_signature");
  auto unsigned_request = w;
  unsigned_request.headers.clear();
  EXPECT_EQ(adapter->parse_webhook(unsigned_request).error().cls, ErrorClass::kRejected);
}

}  // namespace
}  // namespace herald::adapters
