#include "adapters/mastodon/mastodon_adapter.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "herald/adapters/marker.hpp"
#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;
using testing::FakeTransport;

constexpr std::int64_t kNow = 1714564800;  // 2024-05-01T12:00:00Z

class MastodonAdapterTest : public ::testing::Test {
 protected:
  MastodonAdapterTest() {
    Endpoint e;
    e.base_url = "http://social.test";
    e.client_id = "cid";
    e.client_secret = "csecret";
    adapter = make_mastodon_adapter(e, Clock{[] { return kNow; }, [this](std::chrono::milliseconds) { ++sleeps; }});
    creds.access_token = "tok";
    creds.platform_account_id = "109";
  }
  static std::string status(const std::string& id, const std::string& extra = "") {
    return R"({"id":")" + id + R"(","url":"http://social.test/@brand/)" + id +
           R"(","content":"<p>hi</p>","created_at":"2024-05-01T12:00:00.000Z")" + extra + "}";
  }
  int sleeps = 0;
  std::unique_ptr<Adapter> adapter;
  Credentials creds;
  FakeTransport t;
};

TEST_F(MastodonAdapterTest, AuthorizeUrlCarriesPkceAndState) {
  EXPECT_EQ(adapter->authorize_url({"https://herald.local/cb", "st", "CH", {"read", "write"}}),
            "http://social.test/oauth/authorize?response_type=code&client_id=cid"
            "&redirect_uri=https%3A%2F%2Fherald.local%2Fcb&scope=read%20write&state=st"
            "&code_challenge=CH&code_challenge_method=S256");
}

TEST_F(MastodonAdapterTest, ExchangeCodePostsTheFormAndReadsTheAccount) {
  t.reply(200, R"({"access_token":"ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0","token_type":"Bearer",
                  "scope":"read write","created_at":1573979017})")
      .reply(200, R"({"id":"109","username":"brand","acct":"brand"})");
  auto ts = adapter->exchange_code(t, "CODE", "VERIFIER", "https://herald.local/cb");
  ASSERT_TRUE(ts) << ts.error().message;
  EXPECT_EQ(t.requests[0].method, "POST");
  EXPECT_EQ(t.requests[0].url, "http://social.test/oauth/token");
  EXPECT_EQ(t.requests[0].body,
            "grant_type=authorization_code&code=CODE&client_id=cid&client_secret=csecret"
            "&redirect_uri=https%3A%2F%2Fherald.local%2Fcb&code_verifier=VERIFIER");
  EXPECT_EQ(t.requests[1].url, "http://social.test/api/v1/accounts/verify_credentials");
  EXPECT_EQ(t.requests[1].header("Authorization"), "Bearer ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0");
  EXPECT_FALSE(ts->expires_at);  // Mastodon tokens do not expire
  EXPECT_EQ(ts->scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(ts->platform_account_id, "109");
}

TEST_F(MastodonAdapterTest, PublishSendsIdempotencyKeyAndMarker) {
  t.reply(200, status("1"));
  PostContent c;
  c.text = "Hello fediverse";
  c.client_marker = "tgt_7";
  c.idempotency_key = "idem-7";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->platform_post_id, "1");
  EXPECT_EQ(p->url, "http://social.test/@brand/1");
  const auto& req = t.requests[0];
  EXPECT_EQ(req.url, "http://social.test/api/v1/statuses");
  EXPECT_EQ(req.header("Idempotency-Key"), "idem-7");
  EXPECT_EQ(json::parse(req.body),
            (json{{"status", "Hello fediverse" + invisible_marker("tgt_7")}, {"visibility", "public"}}));
}

TEST_F(MastodonAdapterTest, MediaIsUploadedAsMultipartAndAwaitedUntilProcessed) {
  t.reply(200, "PNGDATA", {{"Content-Type", "image/png"}})
      .reply(202, R"({"id":"22","type":"image","url":null,"preview_url":"http://social.test/p.png"})")
      .reply(206, R"({"id":"22","url":null})")
      .reply(200, R"({"id":"22","url":"http://social.test/o.png"})")
      .reply(200, status("2"));
  PostContent c;
  c.text = "pic";
  c.media.push_back({Media::Kind::kImage, "http://media.test/cat.png", "image/png", 7, 1, 1, 0, "a cat"});
  ASSERT_TRUE(adapter->publish(t, creds, c));
  const auto& up = t.requests[1];
  EXPECT_EQ(up.url, "http://social.test/api/v2/media");
  auto ct = up.header("Content-Type").value_or("");
  ASSERT_EQ(ct.rfind("multipart/form-data; boundary=", 0), 0U);
  EXPECT_NE(up.body.find("Content-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\n"
                         "Content-Type: image/png\r\n\r\nPNGDATA\r\n"),
            std::string::npos);
  EXPECT_NE(up.body.find("name=\"description\"\r\n\r\na cat\r\n"), std::string::npos);
  EXPECT_EQ(t.requests[2].url, "http://social.test/api/v1/media/22");
  EXPECT_EQ(t.requests[3].url, "http://social.test/api/v1/media/22");
  EXPECT_EQ(sleeps, 2);
  EXPECT_EQ(json::parse(t.requests[4].body)["media_ids"], (json{"22"}));
}

TEST_F(MastodonAdapterTest, ThreadAndFirstCommentUseDerivedKeys) {
  t.reply(200, status("10")).reply(200, status("11")).reply(200, status("12"));
  PostContent c;
  c.text = "1/2";
  c.thread = {"2/2"};
  c.first_comment = "more at https://brand.example";
  c.idempotency_key = "k";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->thread_ids, (std::vector<std::string>{"11"}));
  EXPECT_EQ(p->first_comment_id, "12");
  EXPECT_EQ(json::parse(t.requests[1].body)["in_reply_to_id"], "10");
  EXPECT_EQ(t.requests[1].header("Idempotency-Key"), "k:thread:1");
  EXPECT_EQ(json::parse(t.requests[2].body)["in_reply_to_id"], "10");
  EXPECT_EQ(t.requests[2].header("Idempotency-Key"), "k:first_comment");
}

TEST_F(MastodonAdapterTest, ErrorsMapToClasses) {
  t.fail(true)
      .reply(422, R"({"error":"Validation failed: Text character limit of 500 exceeded"})")
      .reply(401, R"({"error":"The access token is invalid"})")
      .reply(429, R"({"error":"Too many requests"})",
             {{"X-RateLimit-Limit", "300"},
              {"X-RateLimit-Remaining", "0"},
              {"X-RateLimit-Reset", "2024-05-01T12:04:10.000Z"}})
      .reply(503, "<html>down</html>");
  PostContent c;
  c.text = "x";
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kUnknownOutcome);
  auto invalid = adapter->publish(t, creds, c).error();
  EXPECT_EQ(invalid.cls, ErrorClass::kRejected);
  EXPECT_EQ(invalid.message, "Validation failed: Text character limit of 500 exceeded");
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kAuthExpired);
  auto limited = adapter->publish(t, creds, c).error();
  EXPECT_EQ(limited.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(limited.retry_after, std::chrono::seconds(250));
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kRetryable);
}

TEST_F(MastodonAdapterTest, ReadDeleteEditAndFindByMarker) {
  t.reply(404, R"({"error":"Record not found"})").reply(404, R"({"error":"Record not found"})").reply(200, status("5"));
  auto missing = adapter->read_post(t, creds, "5");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  EXPECT_TRUE(adapter->delete_post(t, creds, "5"));  // already deleted counts as deleted
  EXPECT_EQ(t.requests[1].method, "DELETE");
  PostContent c;
  c.text = "fixed";
  ASSERT_TRUE(adapter->edit_post(t, creds, "5", c));
  EXPECT_EQ(t.requests[2].method, "PUT");
  EXPECT_EQ(t.requests[2].url, "http://social.test/api/v1/statuses/5");
  EXPECT_EQ(json::parse(t.requests[2].body), (json{{"status", "fixed"}, {"media_ids", json::array()}}));

  json page = json::array({json::parse(status("8")),
                           {{"id", "7"},
                            {"content", "<p>ours" + invisible_marker("tgt_1") + "</p>"},
                            {"url", "http://social.test/@brand/7"},
                            {"created_at", "2024-05-01T11:00:00Z"}}});
  t.reply(200, page.dump());
  auto found = adapter->find_by_marker(t, creds, "tgt_1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->platform_post_id, "7");
  EXPECT_EQ(t.requests[3].url, "http://social.test/api/v1/accounts/109/statuses?limit=40");
}

TEST_F(MastodonAdapterTest, MentionNotificationsSplitIntoCommentsMentionsAndDms) {
  json notes = json::array({{{"id", "34975861"},
                             {"type", "mention"},
                             {"created_at", "2024-05-01T12:00:00.000Z"},
                             {"account", {{"id", "7"}, {"acct", "ann@other.social"}, {"display_name", "Ann"}}},
                             {"status",
                              {{"id", "300"},
                               {"in_reply_to_id", "10"},
                               {"in_reply_to_account_id", "109"},
                               {"visibility", "public"},
                               {"created_at", "2024-05-01T12:00:00.000Z"},
                               {"content",
                                "<p><span class=\"h-card\"><a href=\"https://social.test/@brand\">@brand</a></span> "
                                "love it &amp; more</p>"},
                               {"account", {{"id", "7"}, {"acct", "ann@other.social"}, {"display_name", "Ann"}}}}}},
                            {{"id", "34975862"},
                             {"type", "mention"},
                             {"status",
                              {{"id", "301"},
                               {"visibility", "direct"},
                               {"content", "<p>help please</p>"},
                               {"account", {{"id", "8"}, {"acct", "bob"}}}}}},
                            {{"id", "34975860"},
                             {"type", "mention"},
                             {"status",
                              {{"id", "299"},
                               {"visibility", "public"},
                               {"content", "<p>cc @brand</p>"},
                               {"account", {{"id", "9"}, {"acct", "cy"}}}}}}});
  t.reply(200, notes.dump()).reply(200, notes.dump()).reply(200, notes.dump());
  auto comments = adapter->fetch_inbound(t, creds, InboundKind::kComment, "34975859");
  ASSERT_TRUE(comments);
  EXPECT_EQ(t.requests[0].url, "http://social.test/api/v1/notifications?types[]=mention&limit=40&min_id=34975859");
  ASSERT_EQ(comments->items.size(), 1U);
  EXPECT_EQ(comments->items[0].platform_item_id, "300");
  EXPECT_EQ(comments->items[0].platform_post_id, "10");
  EXPECT_EQ(comments->items[0].author_handle, "ann@other.social");
  EXPECT_EQ(comments->items[0].text, "@brand love it & more");
  EXPECT_EQ(comments->items[0].created_at, kNow);
  EXPECT_EQ(comments->next_cursor, "34975862");
  auto dms = adapter->fetch_inbound(t, creds, InboundKind::kDirectMessage, "");
  ASSERT_EQ(dms->items.size(), 1U);
  EXPECT_EQ(dms->items[0].conversation_id, "bob");
  auto mentions = adapter->fetch_inbound(t, creds, InboundKind::kMention, "");
  ASSERT_EQ(mentions->items.size(), 1U);
  EXPECT_EQ(mentions->items[0].platform_item_id, "299");

  t.reply(200, status("400"));
  auto id = adapter->reply(t, creds, dms->items[0], "on it", "r-1");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "400");
  EXPECT_EQ(json::parse(t.requests[3].body),
            (json{{"status", "@bob on it"}, {"in_reply_to_id", "301"}, {"visibility", "direct"}}));
  EXPECT_EQ(t.requests[3].header("Idempotency-Key"), "r-1");
}

TEST_F(MastodonAdapterTest, RevokeAndMetrics) {
  t.reply(200, "{}").reply(200, status("5", R"(,"favourites_count":3,"reblogs_count":2,"replies_count":1)"));
  ASSERT_TRUE(adapter->revoke(t, TokenSet{"tok", "", std::nullopt, {}, "109"}));
  EXPECT_EQ(t.requests[0].url, "http://social.test/oauth/revoke");
  EXPECT_EQ(t.requests[0].body, "client_id=cid&client_secret=csecret&token=tok");
  auto m = adapter->fetch_post_metrics(t, creds, "5");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->likes, 3);
  EXPECT_EQ(m->shares, 2);
  EXPECT_EQ(m->comments, 1);
  EXPECT_EQ(adapter->moderate(t, creds, {}, Moderation::kHide).error().code, "unsupported");
}

TEST(MastodonHtml, ToPlainText) {
  EXPECT_EQ(mastodon_html_to_text("<p>a<br>b<br />c</p><p>d &lt;3 &#39;x&#39; &#x1F600;</p>"),
            "a\nb\nc\n\nd <3 'x' \xF0\x9F\x98\x80");
  EXPECT_EQ(mastodon_html_to_text("AT&T &bogus;"), "AT&T &bogus;");
}

}  // namespace
}  // namespace herald::adapters
