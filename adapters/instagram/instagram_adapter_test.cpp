#include "adapters/instagram/instagram_adapter.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "herald/adapters/marker.hpp"
#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;
using testing::FakeTransport;

constexpr std::int64_t kNow = 1714564800;  // 2024-05-01T12:00:00Z

std::map<std::string, std::string> form_of(const std::string& body) {
  std::map<std::string, std::string> out;
  for (std::size_t p = 0; p < body.size();) {
    auto amp = body.find('&', p);
    if (amp == std::string::npos) amp = body.size();
    std::string pair = body.substr(p, amp - p), decoded;
    for (std::size_t i = 0; i < pair.size(); ++i) {
      if (pair[i] == '%' && i + 2 < pair.size()) {
        decoded += static_cast<char>(std::stoi(pair.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        decoded += pair[i];
      }
    }
    auto eq = decoded.find('=');
    out[decoded.substr(0, eq)] = eq == std::string::npos ? "" : decoded.substr(eq + 1);
    p = amp + 1;
  }
  return out;
}

// The path of a Graph URL, without the host and the query.
std::string path_of(const std::string& url) {
  auto start = url.find("/v19.0");
  auto q = url.find('?');
  return url.substr(start, q == std::string::npos ? std::string::npos : q - start);
}

class InstagramAdapterTest : public ::testing::Test {
 protected:
  InstagramAdapterTest() {
    Endpoint e;
    e.base_url = "http://graph.test";
    e.client_id = "app1";
    e.client_secret = "appsecret";
    e.webhook_verify_token = "verify-me";
    adapter = make_instagram_adapter(
        e, Clock{[] { return kNow; }, [this](std::chrono::milliseconds d) { sleeps.push_back(d); }});
    creds.access_token = "PAGETOKEN";
    creds.platform_account_id = "1784";
  }
  static Media image(const std::string& url) { return {Media::Kind::kImage, url, "image/jpeg", 1, 1080, 1080, 0, ""}; }
  static Media video(const std::string& url) { return {Media::Kind::kVideo, url, "video/mp4", 1, 1080, 1920, 30, ""}; }
  std::vector<std::chrono::milliseconds> sleeps;
  std::unique_ptr<Adapter> adapter;
  Credentials creds;
  FakeTransport t;
};

TEST_F(InstagramAdapterTest, ExchangeCodeConnectsThePageWithAnInstagramAccount) {
  t.reply(200, R"({"access_token":"SHORT","expires_in":5183944})")
      .reply(200, R"({"access_token":"LONG","expires_in":5183944})")
      .reply(200, R"({"data":[{"id":"1","name":"No IG","access_token":"P1"},
                     {"id":"2","name":"Brand","access_token":"P2","instagram_business_account":{"id":"1784"}}]})");
  auto ts = adapter->exchange_code(t, "CODE", "", "https://herald.local/cb");
  ASSERT_TRUE(ts) << ts.error().message;
  EXPECT_EQ(ts->access_token, "P2");
  EXPECT_EQ(ts->platform_account_id, "1784");
  EXPECT_NE(t.requests[2].url.find("instagram_business_account"), std::string::npos);
}

TEST_F(InstagramAdapterTest, ImagePostIsContainerThenStatusThenPublish) {
  t.reply(200, R"({"id":"17889"})")
      .reply(200, R"({"status_code":"FINISHED","id":"17889"})")
      .reply(200, R"({"id":"17920"})")
      .reply(200, R"({"permalink":"https://www.instagram.com/p/Cx1/","id":"17920"})")
      .reply(200, R"({"id":"17999"})");
  PostContent c;
  c.text = "Summer drop #new";
  c.client_marker = "tgt_5";
  c.media.push_back(image("https://cdn.test/a.jpg"));
  c.first_comment = "Shop: link in bio";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(t.requests.size(), 5U);
  EXPECT_EQ(t.requests[0].method, "POST");
  EXPECT_EQ(path_of(t.requests[0].url), "/v19.0/1784/media");
  auto create = form_of(t.requests[0].body);
  EXPECT_EQ(create["image_url"], "https://cdn.test/a.jpg");
  EXPECT_EQ(create["caption"], "Summer drop #new" + invisible_marker("tgt_5"));
  EXPECT_EQ(t.requests[1].method, "GET");
  EXPECT_EQ(path_of(t.requests[1].url), "/v19.0/17889");
  EXPECT_NE(t.requests[1].url.find("fields=status_code"), std::string::npos);
  EXPECT_EQ(path_of(t.requests[2].url), "/v19.0/1784/media_publish");
  EXPECT_EQ(form_of(t.requests[2].body)["creation_id"], "17889");
  EXPECT_EQ(p->platform_post_id, "17920");
  EXPECT_EQ(p->url, "https://www.instagram.com/p/Cx1/");
  EXPECT_EQ(path_of(t.requests[4].url), "/v19.0/17920/comments");
  EXPECT_EQ(p->first_comment_id, "17999");
  EXPECT_TRUE(sleeps.empty());
}

TEST_F(InstagramAdapterTest, ReelWaitsWhileTheContainerIsInProgress) {
  t.reply(200, R"({"id":"c1"})")
      .reply(200, R"({"status_code":"IN_PROGRESS"})")
      .reply(200, R"({"status_code":"FINISHED"})")
      .reply(200, R"({"id":"m1"})")
      .reply(200, R"({"permalink":"https://www.instagram.com/reel/R1/"})");
  PostContent c;
  c.text = "reel";
  c.media.push_back(video("https://cdn.test/v.mp4"));
  ASSERT_TRUE(adapter->publish(t, creds, c));
  auto create = form_of(t.requests[0].body);
  EXPECT_EQ(create["media_type"], "REELS");
  EXPECT_EQ(create["video_url"], "https://cdn.test/v.mp4");
  ASSERT_EQ(sleeps.size(), 1U);
  EXPECT_EQ(sleeps[0], std::chrono::seconds(5));
}

TEST_F(InstagramAdapterTest, CarouselCreatesChildrenThenTheParent) {
  t.reply(200, R"({"id":"k1"})")
      .reply(200, R"({"id":"k2"})")
      .reply(200, R"({"status_code":"FINISHED"})")  // the video child
      .reply(200, R"({"id":"parent"})")
      .reply(200, R"({"status_code":"FINISHED"})")
      .reply(200, R"({"id":"m2"})")
      .reply(200, R"({"permalink":"https://www.instagram.com/p/C2/"})");
  PostContent c;
  c.text = "two";
  c.media = {image("https://cdn.test/1.jpg"), video("https://cdn.test/2.mp4")};
  ASSERT_TRUE(adapter->publish(t, creds, c));
  auto first = form_of(t.requests[0].body);
  EXPECT_EQ(first["is_carousel_item"], "true");
  EXPECT_EQ(first.count("caption"), 0U);
  auto second = form_of(t.requests[1].body);
  EXPECT_EQ(second["media_type"], "VIDEO");
  EXPECT_EQ(path_of(t.requests[2].url), "/v19.0/k2");
  auto parent = form_of(t.requests[3].body);
  EXPECT_EQ(parent["media_type"], "CAROUSEL");
  EXPECT_EQ(parent["children"], "k1,k2");
  EXPECT_EQ(parent["caption"], "two");
  EXPECT_EQ(form_of(t.requests[5].body)["creation_id"], "parent");
}

TEST_F(InstagramAdapterTest, MediaIsRequiredAndContainerErrorsStopBeforePublishing) {
  PostContent text_only;
  text_only.text = "words only";
  auto none = adapter->publish(t, creds, text_only);
  EXPECT_EQ(none.error().code, "media_required");
  EXPECT_TRUE(t.requests.empty());

  t.reply(200, R"({"id":"c9"})").reply(200, R"({"status_code":"ERROR","status":"Error: 2207026"})");
  PostContent c;
  c.media.push_back(video("https://cdn.test/bad.mp4"));
  auto bad = adapter->publish(t, creds, c).error();
  EXPECT_EQ(bad.cls, ErrorClass::kRejected);
  EXPECT_EQ(bad.code, "container_ERROR");
  EXPECT_EQ(t.requests.size(), 2U);  // media_publish never called
}

TEST_F(InstagramAdapterTest, OnlyMediaPublishCanLeaveAnUnknownOutcome) {
  PostContent c;
  c.media.push_back(image("https://cdn.test/a.jpg"));
  t.fail(true);
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kRetryable);  // container creation
  t.reply(200, R"({"id":"c1"})").reply(200, R"({"status_code":"FINISHED"})").fail(true);
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kUnknownOutcome);
  t.reply(200, R"({"id":"c1"})")
      .reply(200, R"({"status_code":"FINISHED"})")
      .reply(400, R"({"error":{"message":"Application request limit reached","type":"OAuthException","code":9,
                     "error_subcode":2207042,"is_transient":false,"error_user_title":"Maximum posts reached",
                     "fbtrace_id":"A1"}})");
  auto capped = adapter->publish(t, creds, c).error();
  EXPECT_EQ(capped.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(capped.code, "9/2207042");
  EXPECT_TRUE(capped.retry_after);
}

TEST_F(InstagramAdapterTest, CommentsAndRepliesOnRecentMedia) {
  json media{{"data",
              {{{"id", "1790"},
                {"comments",
                 {{"data",
                   {{{"id", "c1"},
                     {"text", "where to buy?"},
                     {"timestamp", "2024-05-01T12:00:00+0000"},
                     {"username", "ann"},
                     {"from", {{"id", "232"}, {"username", "ann"}}},
                     {"replies",
                      {{"data",
                        {{{"id", "c2"},
                          {"text", "in store"},
                          {"timestamp", "2024-05-01T12:05:00+0000"},
                          {"username", "brand"},
                          {"from", {{"id", "1784"}, {"username", "brand"}}}},
                         {{"id", "c3"},
                          {"text", "thanks"},
                          {"timestamp", "2024-05-01T12:06:00+0000"},
                          {"username", "bob"},
                          {"from", {{"id", "233"}}}}}}}}},
                    {{"id", "c0"},
                     {"text", "old"},
                     {"timestamp", "2024-04-01T00:00:00+0000"},
                     {"from", {{"id", "234"}}}}}}}}}}}};
  t.reply(200, media.dump());
  auto page = adapter->fetch_inbound(t, creds, InboundKind::kComment, std::to_string(kNow));
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 2U);
  EXPECT_EQ(page->items[0].platform_item_id, "c1");
  EXPECT_EQ(page->items[0].platform_post_id, "1790");
  EXPECT_EQ(page->items[0].author_handle, "ann");
  EXPECT_EQ(page->items[1].platform_item_id, "c3");
  EXPECT_EQ(page->items[1].parent_id, "c1");
  EXPECT_EQ(page->next_cursor, std::to_string(kNow + 360));
  EXPECT_EQ(adapter->fetch_inbound(t, creds, InboundKind::kDirectMessage, "").error().code, "unsupported");

  t.reply(200, R"({"id":"r1"})").reply(200, R"({"id":"r2"})").reply(200, R"({"success":true})");
  ASSERT_EQ(*adapter->reply(t, creds, page->items[1], "glad to help", "k"), "r1");
  EXPECT_EQ(path_of(t.requests[1].url), "/v19.0/c1/replies");  // a reply to a reply answers the top comment
  InboundItem mention;
  mention.kind = InboundKind::kMention;
  mention.platform_item_id = mention.platform_post_id = "1791";
  ASSERT_EQ(*adapter->reply(t, creds, mention, "thanks for the tag", "k2"), "r2");
  EXPECT_EQ(path_of(t.requests[2].url), "/v19.0/1784/mentions");
  EXPECT_EQ(form_of(t.requests[2].body)["media_id"], "1791");
  ASSERT_TRUE(adapter->moderate(t, creds, page->items[0], Moderation::kHide));
  EXPECT_EQ(form_of(t.requests[3].body)["hide"], "true");
}

TEST_F(InstagramAdapterTest, WebhookSignatureHandshakeAndItems) {
  auto hs =
      adapter->parse_webhook({"GET",
                              "/webhooks/instagram",
                              {{"hub.mode", "subscribe"}, {"hub.verify_token", "verify-me"}, {"hub.challenge", "42"}},
                              {},
                              ""});
  ASSERT_TRUE(hs);
  EXPECT_EQ(hs->challenge_response, "42");
  std::string body =
      R"({"object":"instagram","entry":[{"id":"1784","time":1714564800,"changes":[{"field":"comments","value":)"
      R"({"from":{"id":"232","username":"ann"},"media":{"id":"1790","media_product_type":"FEED"},"id":"1795",)"
      R"("text":"where to buy?"}},{"field":"mentions","value":{"media_id":"1791","comment_id":"1796"}}]}]})";
  WebhookRequest w{"POST",
                   "/webhooks/instagram",
                   {},
                   {{"x-hub-signature-256", "sha256=c6b7174f91a0b4a2240a315ce013be0f0b4daf7126488960e2bcc4fcf3698f8d"}},
                   body};
  auto items = adapter->parse_webhook(w);
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->items.size(), 2U);
  EXPECT_EQ(items->items[0].kind, InboundKind::kComment);
  EXPECT_EQ(items->items[0].account_platform_id, "1784");  // the Instagram account: entry[].id
  EXPECT_EQ(items->items[0].platform_post_id, "1790");
  EXPECT_EQ(items->items[0].author_handle, "ann");
  EXPECT_EQ(items->items[0].created_at, kNow);
  EXPECT_EQ(items->items[1].kind, InboundKind::kMention);
  EXPECT_EQ(items->items[1].account_platform_id, "1784");
  EXPECT_EQ(items->items[1].platform_item_id, "1796");
  w.body[w.body.size() - 5] = '7';
  EXPECT_EQ(adapter->parse_webhook(w).error().code, "bad_signature");
}

TEST_F(InstagramAdapterTest, InsightsReadValuesAndTotalValues) {
  t.reply(200, R"({"data":[{"name":"reach","period":"lifetime","values":[{"value":900}]},
                  {"name":"likes","period":"lifetime","total_value":{"value":77}},
                  {"name":"comments","values":[{"value":5}]},{"name":"shares","values":[{"value":2}]},
                  {"name":"saved","values":[{"value":11}]}]})");
  auto m = adapter->fetch_post_metrics(t, creds, "17920");
  ASSERT_TRUE(m);
  EXPECT_EQ(path_of(t.requests[0].url), "/v19.0/17920/insights");
  EXPECT_EQ(m->reach, 900);
  EXPECT_EQ(m->likes, 77);
  EXPECT_EQ(m->comments, 5);
  EXPECT_EQ(m->shares, 2);
  EXPECT_EQ(m->saves, 11);
  EXPECT_EQ(adapter->delete_post(t, creds, "17920").error().code, "unsupported");
}

}  // namespace
}  // namespace herald::adapters
