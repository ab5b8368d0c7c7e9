#include "adapters/facebook/facebook_adapter.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "adapters/facebook/graph.hpp"
#include "herald/adapters/marker.hpp"
#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;
using testing::FakeTransport;

constexpr std::int64_t kNow = 1714564800;  // 2024-05-01T12:00:00Z
constexpr const char* kProof = "appsecret_proof=03dea66400d1fe08ae2a5501b94f4178e789f77050fe1d3a7eb9dacbcf55a6ec";

// The form body of a request as a map.
std::map<std::string, std::string> form_of(const std::string& body) {
  std::map<std::string, std::string> out;
  std::size_t p = 0;
  while (p < body.size()) {
    auto amp = body.find('&', p);
    if (amp == std::string::npos) amp = body.size();
    auto pair = body.substr(p, amp - p);
    auto eq = pair.find('=');
    auto decode = [](std::string s) {
      std::string o;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
          o += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          o += s[i] == '+' ? ' ' : s[i];
        }
      }
      return o;
    };
    out[decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : decode(pair.substr(eq + 1));
    p = amp + 1;
  }
  return out;
}

class FacebookAdapterTest : public ::testing::Test {
 protected:
  FacebookAdapterTest() {
    Endpoint e;
    e.base_url = "http://graph.test";
    e.auth_base_url = "http://www.fb.test";
    e.client_id = "app1";
    e.client_secret = "appsecret";
    e.webhook_verify_token = "verify-me";
    adapter = make_facebook_adapter(e, Clock{[] { return kNow; }, [](std::chrono::milliseconds) {}});
    creds.access_token = "PAGETOKEN";
    creds.platform_account_id = "500";
  }
  std::unique_ptr<Adapter> adapter;
  Credentials creds;
  FakeTransport t;
};

TEST_F(FacebookAdapterTest, DialogUrlAndCodeExchangeToAPageToken) {
  EXPECT_EQ(
      adapter->authorize_url({"https://herald.local/cb", "st", "ignored", {"pages_manage_posts", "pages_show_list"}}),
      "http://www.fb.test/v19.0/dialog/oauth?client_id=app1&redirect_uri=https%3A%2F%2Fherald.local%2Fcb"
      "&state=st&scope=pages_manage_posts%2Cpages_show_list&response_type=code");
  t.reply(200, R"({"access_token":"SHORT","token_type":"bearer","expires_in":5183944})")
      .reply(200, R"({"access_token":"LONG","token_type":"bearer","expires_in":5183944})")
      .reply(200,
             R"({"data":[{"id":"500","name":"Brand","access_token":"PAGE","tasks":["CREATE_CONTENT","MODERATE"]}]})");
  auto ts = adapter->exchange_code(t, "CODE", "", "https://herald.local/cb");
  ASSERT_TRUE(ts) << ts.error().message;
  EXPECT_EQ(t.requests[0].method, "GET");
  EXPECT_EQ(t.requests[0].url,
            "http://graph.test/v19.0/oauth/access_token?client_id=app1"
            "&redirect_uri=https%3A%2F%2Fherald.local%2Fcb&client_secret=appsecret&code=CODE");
  EXPECT_EQ(t.requests[1].url,
            "http://graph.test/v19.0/oauth/access_token?grant_type=fb_exchange_token"
            "&client_id=app1&client_secret=appsecret&fb_exchange_token=SHORT");
  EXPECT_EQ(t.requests[2].header("Authorization"), "Bearer LONG");
  EXPECT_EQ(ts->access_token, "PAGE");
  EXPECT_EQ(ts->platform_account_id, "500");
  EXPECT_FALSE(ts->expires_at);
  EXPECT_TRUE(ts->scopes.empty()) << "Page tasks are not OAuth permissions";
}

TEST_F(FacebookAdapterTest, PublishLinkPostWithMarkerProofAndFirstComment) {
  t.reply(200, R"({"id":"500_9001"})").reply(200, R"({"id":"9001_77"})");
  PostContent c;
  c.text = "Spring sale";
  c.link = "https://brand.example/sale";
  c.client_marker = "tgt_3";
  c.first_comment = "Terms apply";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->platform_post_id, "500_9001");
  EXPECT_EQ(p->first_comment_id, "9001_77");
  EXPECT_EQ(t.requests[0].method, "POST");
  EXPECT_EQ(t.requests[0].url, std::string("http://graph.test/v19.0/500/feed?") + kProof);
  EXPECT_EQ(t.requests[0].header("Authorization"), "Bearer PAGETOKEN");
  auto form = form_of(t.requests[0].body);
  EXPECT_EQ(form["message"], "Spring sale" + invisible_marker("tgt_3"));
  EXPECT_EQ(form["link"], "https://brand.example/sale");
  EXPECT_EQ(t.requests[1].url, std::string("http://graph.test/v19.0/500_9001/comments?") + kProof);
  EXPECT_EQ(form_of(t.requests[1].body)["message"], "Terms apply");
}

TEST_F(FacebookAdapterTest, PhotosSingleDirectlyAndSeveralAsAttachedMedia) {
  t.reply(200, R"({"id":"p1","post_id":"500_1"})");
  PostContent one;
  one.text = "one";
  one.media.push_back({Media::Kind::kImage, "https://cdn.test/a.jpg", "image/jpeg", 1, 1, 1, 0, ""});
  ASSERT_EQ(adapter->publish(t, creds, one)->platform_post_id, "500_1");
  EXPECT_EQ(form_of(t.requests[0].body)["url"], "https://cdn.test/a.jpg");
  EXPECT_EQ(form_of(t.requests[0].body)["published"], "true");

  t.requests.clear();
  t.fail(true);  // an unpublished photo upload that timed out is safe to retry
  PostContent two = one;
  two.media.push_back({Media::Kind::kImage, "https://cdn.test/b.jpg", "image/jpeg", 1, 1, 1, 0, ""});
  EXPECT_EQ(adapter->publish(t, creds, two).error().cls, ErrorClass::kRetryable);
  t.requests.clear();
  t.reply(200, R"({"id":"p1"})").reply(200, R"({"id":"p2"})").reply(200, R"({"id":"500_2"})");
  ASSERT_EQ(adapter->publish(t, creds, two)->platform_post_id, "500_2");
  EXPECT_EQ(form_of(t.requests[0].body)["published"], "false");
  auto feed = form_of(t.requests[2].body);
  EXPECT_EQ(t.requests[2].url.find("http://graph.test/v19.0/500/feed"), 0U);
  EXPECT_EQ(json::parse(feed["attached_media[0]"]), (json{{"media_fbid", "p1"}}));
  EXPECT_EQ(json::parse(feed["attached_media[1]"]), (json{{"media_fbid", "p2"}}));
}

TEST_F(FacebookAdapterTest, GraphErrorCodesMapToClasses) {
  auto err = [](int code, const std::string& extra = "") {
    return R"({"error":{"message":"m)" + std::to_string(code) + R"(","type":"OAuthException","code":)" +
           std::to_string(code) + extra + R"(,"fbtrace_id":"AbC"}})";
  };
  t.reply(400, err(190, R"(,"error_subcode":463)"))
      .reply(
          400, err(32),
          {{"X-Business-Use-Case-Usage",
            R"({"500":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,)"
             R"("estimated_time_to_regain_access":7}]})"}})
      .reply(403, err(4), {{"X-App-Usage", R"({"call_count":100,"total_time":25,"total_cputime":25})"}})
      .reply(500, err(2))
      .reply(400, err(100))
      .fail(true);
  PostContent c;
  c.text = "x";
  auto expired = adapter->publish(t, creds, c).error();
  EXPECT_EQ(expired.cls, ErrorClass::kAuthExpired);
  EXPECT_EQ(expired.code, "190/463");
  auto page_limited = adapter->publish(t, creds, c).error();
  EXPECT_EQ(page_limited.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(page_limited.retry_after, std::chrono::seconds(420));
  auto app_limited = adapter->publish(t, creds, c).error();
  EXPECT_EQ(app_limited.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(app_limited.retry_after, std::chrono::seconds(600));
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kRetryable);
  auto invalid = adapter->publish(t, creds, c).error();
  EXPECT_EQ(invalid.cls, ErrorClass::kRejected);
  EXPECT_EQ(invalid.message, "m100");
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kUnknownOutcome);
}

TEST_F(FacebookAdapterTest, ReadMissingEditAndFindByMarker) {
  t.reply(400, R"({"error":{"message":"Unsupported get request. Object with ID '500_3' does not exist",
                  "type":"GraphMethodException","code":100,"error_subcode":33}})")
      .reply(200, R"({"success":true})");
  auto missing = adapter->read_post(t, creds, "500_3");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  PostContent c;
  c.text = "edited";
  ASSERT_TRUE(adapter->edit_post(t, creds, "500_4", c));
  EXPECT_EQ(t.requests[1].method, "POST");
  EXPECT_EQ(t.requests[1].url.find("http://graph.test/v19.0/500_4?"), 0U);
  EXPECT_EQ(form_of(t.requests[1].body)["message"], "edited");

  json posts{{"data",
              {{{"id", "500_5"}, {"message", "other"}, {"created_time", "2024-05-01T11:00:00+0000"}},
               {{"id", "500_6"},
                {"message", "ours" + invisible_marker("tgt_6")},
                {"created_time", "2024-05-01T12:00:00+0000"},
                {"permalink_url", "https://fb.test/500_6"}}}},
             {"paging", {{"cursors", {{"before", "B"}, {"after", "A"}}}}}};
  t.reply(200, posts.dump());
  auto found = adapter->find_by_marker(t, creds, "tgt_6");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->platform_post_id, "500_6");
  EXPECT_EQ((*found)->created_at, kNow);
  EXPECT_EQ(t.requests[2].url.find("http://graph.test/v19.0/500/posts?fields=id%2Cmessage"), 0U);
}

TEST_F(FacebookAdapterTest, CommentsFromTheFeedNewerThanTheCursor) {
  json feed{{"data",
             {{{"id", "500_1"},
               {"comments",
                {{"data",
                  {{{"id", "500_1_77"},
                    {"message", "Love it"},
                    {"from", {{"id", "9"}, {"name", "Ann"}}},
                    {"created_time", "2024-05-01T12:00:00+0000"}},
                   {{"id", "500_1_78"},
                    {"message", "Thanks!"},
                    {"from", {{"id", "500"}, {"name", "Brand"}}},
                    {"created_time", "2024-05-01T12:01:00+0000"},
                    {"parent", {{"id", "500_1_77"}}}},
                   {{"id", "500_1_70"},
                    {"message", "old"},
                    {"from", {{"id", "9"}}},
                    {"created_time", "2024-04-01T12:00:00+0000"}}}}}}}}}};
  t.reply(200, feed.dump());
  auto page = adapter->fetch_inbound(t, creds, InboundKind::kComment, std::to_string(kNow - 60));
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 1U);  // our own reply and the old one are left out
  EXPECT_EQ(page->items[0].platform_item_id, "500_1_77");
  EXPECT_EQ(page->items[0].platform_post_id, "500_1");
  EXPECT_EQ(page->items[0].author_name, "Ann");
  EXPECT_EQ(page->next_cursor, std::to_string(kNow));
  EXPECT_NE(t.requests[0].url.find("/v19.0/500/feed?fields=id%2Ccomments.limit%2850%29"), std::string::npos);
}

TEST_F(FacebookAdapterTest, ReplyHideDeleteAndMessengerSend) {
  t.reply(200, R"({"id":"500_1_79"})")
      .reply(200, R"({"success":true})")
      .reply(200, R"({"success":true})")
      .reply(200, R"({"recipient_id":"6500","message_id":"m_AG5Hz2"})");
  InboundItem comment;
  comment.platform_item_id = "500_1_77";
  ASSERT_EQ(*adapter->reply(t, creds, comment, "Thank you!", "k"), "500_1_79");
  EXPECT_EQ(t.requests[0].url.find("http://graph.test/v19.0/500_1_77/comments?"), 0U);
  ASSERT_TRUE(adapter->moderate(t, creds, comment, Moderation::kHide));
  EXPECT_EQ(form_of(t.requests[1].body)["is_hidden"], "true");
  ASSERT_TRUE(adapter->moderate(t, creds, comment, Moderation::kDelete));
  EXPECT_EQ(t.requests[2].method, "DELETE");
  InboundItem dm;
  dm.kind = InboundKind::kDirectMessage;
  dm.author_id = "6500";
  ASSERT_EQ(*adapter->reply(t, creds, dm, "How can we help?", "k2"), "m_AG5Hz2");
  EXPECT_EQ(t.requests[3].url, std::string("http://graph.test/v19.0/500/messages?") + kProof);
  EXPECT_EQ(json::parse(t.requests[3].body), (json{{"recipient", {{"id", "6500"}}},
                                                   {"messaging_type", "RESPONSE"},
                                                   {"message", {{"text", "How can we help?"}}}}));
  EXPECT_EQ(adapter->moderate(t, creds, comment, Moderation::kPin).error().code, "unsupported");
}

TEST_F(FacebookAdapterTest, WebhookHandshakeSignatureAndItems) {
  WebhookRequest hs{"GET",
                    "/webhooks/facebook",
                    {{"hub.mode", "subscribe"}, {"hub.verify_token", "verify-me"}, {"hub.challenge", "1158201444"}},
                    {},
                    ""};
  auto ok = adapter->parse_webhook(hs);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->challenge_response, "1158201444");
  hs.query["hub.verify_token"] = "guess";
  EXPECT_EQ(adapter->parse_webhook(hs).error().code, "bad_verify_token");

  std::string body =
      R"({"object":"page","entry":[{"id":"500","time":1714564800,"changes":[{"field":"feed","value":{"item":"comment",)"
      R"("verb":"add","comment_id":"500_1_77","post_id":"500_1","parent_id":"500_1","message":"Great!",)"
      R"("from":{"id":"9",)"
      R"("name":"Ann"},"created_time":1714564800}}],"messaging":[{"sender":{"id":"6500"},"recipient":{"id":"500"},)"
      R"("timestamp":1714564801000,"message":{"mid":"m_1","text":"hello?"}}]}]})";
  WebhookRequest w{"POST",
                   "/webhooks/facebook",
                   {},
                   {{"x-hub-signature-256", "sha256=69f3bf8ab5a06f27e1d317e0c1f7b7945d6e527392fa6189aabaf56791552562"}},
                   body};
  auto items = adapter->parse_webhook(w);
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->items.size(), 2U);
  EXPECT_EQ(items->items[0].kind, InboundKind::kComment);
  EXPECT_EQ(items->items[0].account_platform_id, "500");  // the Page: entry[].id
  EXPECT_EQ(items->items[0].platform_item_id, "500_1_77");
  EXPECT_EQ(items->items[0].parent_id, "");
  EXPECT_EQ(items->items[0].created_at, kNow);
  EXPECT_EQ(items->items[1].kind, InboundKind::kDirectMessage);
  EXPECT_EQ(items->items[1].account_platform_id, "500");
  EXPECT_EQ(items->items[1].conversation_id, "6500");
  EXPECT_EQ(items->items[1].text, "hello?");
  auto tampered = w;
  tampered.body.replace(tampered.body.find("Great!"), 6, "Awful!");
  EXPECT_EQ(adapter->parse_webhook(tampered).error().code, "bad_signature");
  auto wrong = w;
  wrong.headers["x-hub-signature-256"] = "sha256=00";
  EXPECT_EQ(adapter->parse_webhook(wrong).error().code, "bad_signature");
}

TEST_F(FacebookAdapterTest, InsightsAndObjectCountsMakeMetrics) {
  t.reply(200, R"({"data":[{"name":"post_impressions","period":"lifetime","values":[{"value":1200}]},
                  {"name":"post_impressions_unique","period":"lifetime","values":[{"value":800}]},
                  {"name":"post_clicks","period":"lifetime","values":[{"value":42}]}]})")
      .reply(200, R"({"shares":{"count":5},"comments":{"data":[],"summary":{"total_count":7}},
                     "reactions":{"data":[],"summary":{"total_count":30}},"id":"500_1"})");
  auto m = adapter->fetch_post_metrics(t, creds, "500_1");
  ASSERT_TRUE(m);
  EXPECT_EQ(t.requests[0].url.find("http://graph.test/v19.0/500_1/insights?metric=post_impressions%2C"), 0U);
  EXPECT_EQ(m->impressions, 1200);
  EXPECT_EQ(m->reach, 800);
  EXPECT_EQ(m->clicks, 42);
  EXPECT_EQ(m->shares, 5);
  EXPECT_EQ(m->comments, 7);
  EXPECT_EQ(m->likes, 30);
}

TEST_F(FacebookAdapterTest, AdsEntitiesAndDailyInsightsInMinorUnits) {
  t.reply(200, R"({"id":"act_77","name":"Brand ads","currency":"USD","account_status":1})")
      .reply(200, R"({"data":[{"id":"c1","name":"Launch","status":"ACTIVE","objective":"OUTCOME_SALES",
                     "daily_budget":"5000"}],"paging":{"cursors":{"after":"X"},
                     "next":"https://graph.facebook.com/n"}})")
      .reply(200, R"({"data":[{"id":"c2","name":"Retarget","status":"PAUSED"}]})")
      .reply(200, R"({"data":[{"id":"s1","name":"US","status":"ACTIVE","campaign_id":"c1"}]})")
      .reply(200, R"({"data":[{"id":"a1","name":"Video","status":"ACTIVE","adset_id":"s1",
                     "creative":{"object_type":"VIDEO","id":"cr"}}]})");
  auto ents = adapter->fetch_ad_entities(t, creds, "77");
  ASSERT_TRUE(ents) << ents.error().message;
  ASSERT_EQ(ents->size(), 5U);
  EXPECT_EQ((*ents)[1].daily_budget_minor, 5000);
  EXPECT_EQ((*ents)[1].parent_id, "act_77");
  EXPECT_EQ((*ents)[2].id, "c2");
  EXPECT_NE(t.requests[2].url.find("&after=X"), std::string::npos);
  EXPECT_EQ((*ents)[4].ad_type, "video");
  EXPECT_EQ((*ents)[4].parent_id, "s1");

  t.requests.clear();
  t.reply(200, R"({"currency":"JPY","id":"act_77"})")
      .reply(200, R"({"data":[{"ad_id":"a1","date_start":"2024-05-01","date_stop":"2024-05-01","impressions":"1000",
                     "clicks":"25","spend":"1234.6","actions":[{"action_type":"like","value":"4"},
                     {"action_type":"purchase","value":"3"},{"action_type":"offsite_conversion.fb_pixel_purchase",
                     "value":"3"}],"action_values":[{"action_type":"purchase","value":"9000"}]}]})");
  auto ins = adapter->fetch_ad_insights(t, creds, "act_77", "2024-05-01", "2024-05-01");
  ASSERT_TRUE(ins) << ins.error().message;
  auto q = form_of(t.requests[1].url.substr(t.requests[1].url.find('?') + 1));
  EXPECT_EQ(q["time_increment"], "1");
  EXPECT_EQ(json::parse(q["time_range"]), (json{{"since", "2024-05-01"}, {"until", "2024-05-01"}}));
  ASSERT_EQ(ins->size(), 1U);
  EXPECT_EQ((*ins)[0].spend_minor, 1235);  // JPY has no minor unit
  EXPECT_EQ((*ins)[0].conversions, 3);
  EXPECT_EQ((*ins)[0].revenue_minor, 9000);
  EXPECT_EQ((*ins)[0].follows, 4);
  EXPECT_EQ((*ins)[0].impressions, 1000);
}

TEST(GraphMoney, MinorUnitsFollowIso4217AndMetaOffsets) {
  EXPECT_EQ(graph::to_minor_units("12.34", "USD"), 1234);
  EXPECT_EQ(graph::to_minor_units("12.345", "USD"), 1235);
  EXPECT_EQ(graph::to_minor_units("12", "EUR"), 1200);
  EXPECT_EQ(graph::to_minor_units("1.5", "KWD"), 1500);
  EXPECT_EQ(graph::to_minor_units("0.07", "USD"), 7);
  EXPECT_EQ(graph::budget_to_minor(5000, "USD"), 5000);
  EXPECT_EQ(graph::budget_to_minor(5000, "JPY"), 5000);
  EXPECT_EQ(graph::budget_to_minor(5000, "HUF"), 500000);  // Meta counts HUF budgets in whole forints
  EXPECT_EQ(graph::budget_to_minor(5000, "KWD"), 50000);
}

}  // namespace
}  // namespace herald::adapters
