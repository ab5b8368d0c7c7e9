#include "adapters/wechat/wechat_adapter.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;
using testing::FakeTransport;

constexpr std::int64_t kNow = 1700000000;  // 2023-11-14 22:13:20 UTC = 06:13:20 Beijing
// SHA1("1700000000" + "herald-token" + "nonce123"), the sorted concatenation.
constexpr const char* kGoodSignature = "bff6364d3282a8f81670223ab736c2ea67a4b1b0";

std::string path_of(const std::string& url) { return url.substr(0, url.find('?')); }

class WechatTest : public ::testing::Test {
 protected:
  std::unique_ptr<Adapter> adapter = make_wechat_adapter(
      Endpoint{"https://api.weixin.test", "", "", "herald-token"}, [] { return kNow; },
      [this](std::chrono::milliseconds d) { sleeps.push_back(d); });
  Credentials creds{"ACCESS", "wx1234567890", {}};
  FakeTransport t;
  std::vector<std::chrono::milliseconds> sleeps;

  WebhookRequest webhook(std::string method, std::string signature, std::string body = "") {
    WebhookRequest w;
    w.method = std::move(method);
    w.path = "/webhooks/wechat";
    w.query = {{"signature", std::move(signature)}, {"timestamp", "1700000000"}, {"nonce", "nonce123"}};
    w.body = std::move(body);
    return w;
  }
};

TEST_F(WechatTest, ConnectingUsesAppIdAndSecretForAStableToken) {
  EXPECT_EQ(adapter->authorize_url(AuthorizeRequest{"https://h/cb", "s", "", {}}), "");
  t.reply(200, R"({"access_token":"ACCESS_TOKEN","expires_in":7200})");
  auto r = adapter->exchange_code(t, "the-app-secret", "wx1234567890", "");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->access_token, "ACCESS_TOKEN");
  EXPECT_EQ(r->refresh_token, "the-app-secret");
  EXPECT_EQ(r->platform_account_id, "wx1234567890");
  EXPECT_EQ(r->expires_at, kNow + 7200);
  ASSERT_EQ(t.requests.size(), 1u);
  EXPECT_EQ(t.requests[0].method, "POST");
  EXPECT_EQ(t.requests[0].url, "https://api.weixin.test/cgi-bin/stable_token");
  auto body = json::parse(t.requests[0].body);
  EXPECT_EQ(body["grant_type"], "client_credential");
  EXPECT_EQ(body["appid"], "wx1234567890");
  EXPECT_EQ(body["secret"], "the-app-secret");
  EXPECT_FALSE(adapter->exchange_code(t, "", "wx1", ""));
}

TEST_F(WechatTest, RefreshFetchesANewStableTokenAndAResetSecretNeedsReconnecting) {
  TokenSet current{"OLD", "the-app-secret", kNow, {}, "wx1234567890"};
  t.reply(200, R"({"access_token":"NEW","expires_in":7000})");
  auto r = adapter->refresh(t, current);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->access_token, "NEW");
  EXPECT_EQ(r->expires_at, kNow + 7000);
  EXPECT_EQ(json::parse(t.requests[0].body)["secret"], "the-app-secret");
  t.reply(200, R"({"errcode":40125,"errmsg":"invalid appsecret"})");
  auto bad = adapter->refresh(t, current);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().cls, ErrorClass::kAuthExpired);
}

TEST_F(WechatTest, PublishUploadsTheCoverDraftsSubmitsAndPollsTheJob) {
  t.reply(200, "JPEGDATA", {{"Content-Type", "image/jpeg"}});
  t.reply(200, R"({"media_id":"THUMB_ID","url":"http://mmbiz.qpic.cn/a.jpg"})");
  t.reply(200, "PNGDATA", {{"Content-Type", "image/png"}});
  t.reply(200, R"({"url":"http://mmbiz.qpic.cn/body.png"})");
  t.reply(200, R"({"media_id":"DRAFT_ID"})");
  t.reply(200, R"({"errcode":0,"errmsg":"ok","publish_id":"100000001","msg_data_id":2247483655})");
  t.reply(200, R"({"publish_id":"100000001","publish_status":1,"fail_idx":[]})");
  t.reply(200, R"({"publish_id":"100000001","publish_status":0,"article_id":"ARTICLE_ID",
                   "article_detail":{"count":1,"item":[{"idx":1,"article_url":"https://mp.weixin.qq.com/s/x"}]},
                   "fail_idx":[]})");
  PostContent post;
  post.title = "秋季新品";
  post.text = "第一段 <ok>\n第二段";
  post.link = "https://brand.example/a";
  post.client_marker = "tgt-7";
  post.media.push_back(Media{Media::Kind::kImage, "https://cdn.test/cover.jpg", "image/jpeg", 8, 0, 0, 0, ""});
  post.media.push_back(Media{Media::Kind::kImage, "https://cdn.test/body.png", "image/png", 7, 0, 0, 0, ""});
  auto r = adapter->publish(t, creds, post);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->platform_post_id, "ARTICLE_ID");
  EXPECT_EQ(r->url, "https://mp.weixin.qq.com/s/x");
  ASSERT_EQ(t.requests.size(), 8u);
  EXPECT_EQ(t.requests[1].url, "https://api.weixin.test/cgi-bin/material/add_material?access_token=ACCESS&type=image");
  EXPECT_EQ(t.requests[1].header("content-type")->rfind("multipart/form-data; boundary=", 0), 0u);
  EXPECT_NE(
      t.requests[1].body.find("name=\"media\"; filename=\"media.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nJPEGDATA"),
      std::string::npos);
  EXPECT_EQ(t.requests[3].url, "https://api.weixin.test/cgi-bin/media/uploadimg?access_token=ACCESS");
  EXPECT_EQ(path_of(t.requests[4].url), "https://api.weixin.test/cgi-bin/draft/add");
  auto article = json::parse(t.requests[4].body)["articles"][0];
  EXPECT_EQ(article["title"], "秋季新品");
  EXPECT_EQ(article["thumb_media_id"], "THUMB_ID");
  EXPECT_EQ(article["need_open_comment"], 1);
  EXPECT_EQ(article["content_source_url"], "https://brand.example/a");
  EXPECT_EQ(article["content"],
            "<p>第一段 &lt;ok&gt;</p><p>第二段</p>"
            "<p><img src=\"http://mmbiz.qpic.cn/body.png\"/></p><!--herald:tgt-7-->");
  EXPECT_EQ(path_of(t.requests[5].url), "https://api.weixin.test/cgi-bin/freepublish/submit");
  EXPECT_EQ(json::parse(t.requests[5].body)["media_id"], "DRAFT_ID");
  EXPECT_EQ(path_of(t.requests[7].url), "https://api.weixin.test/cgi-bin/freepublish/get");
  EXPECT_EQ(json::parse(t.requests[7].body)["publish_id"], "100000001");
  ASSERT_EQ(sleeps.size(), 1u);  // one pause between the two polls
  EXPECT_EQ(sleeps[0].count(), 2000);
}

TEST_F(WechatTest, AJobStillPublishingIsAnUnknownOutcomeAndAFailedOneIsRejected) {
  auto queue_until_submit = [&] {
    t.reply(200, "JPEG", {{"Content-Type", "image/jpeg"}});
    t.reply(200, R"({"media_id":"T"})");
    t.reply(200, R"({"media_id":"D"})");
    t.reply(200, R"({"errcode":0,"errmsg":"ok","publish_id":"9","msg_data_id":1})");
  };
  PostContent post;
  post.title = "t";
  post.text = "x";
  post.media.push_back(Media{Media::Kind::kImage, "https://cdn.test/c.jpg", "image/jpeg", 4, 0, 0, 0, ""});
  queue_until_submit();
  for (int i = 0; i < 6; ++i) t.reply(200, R"({"publish_id":"9","publish_status":1})");
  auto pending = adapter->publish(t, creds, post);
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().cls, ErrorClass::kUnknownOutcome);
  EXPECT_TRUE(t.responses.empty());  // polled exactly the bounded number of times
  queue_until_submit();
  t.reply(200, R"({"publish_id":"9","publish_status":4,"fail_idx":[1]})");
  auto failed = adapter->publish(t, creds, post);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().cls, ErrorClass::kRejected);
  EXPECT_EQ(failed.error().code, "publish_failed_4");
}

TEST_F(WechatTest, ArticlesNeedATitleAndACoverBeforeAnyCall) {
  PostContent post;
  post.text = "body";
  EXPECT_EQ(adapter->publish(t, creds, post).error().code, "title_required");
  post.title = std::string(65, 'x');
  EXPECT_EQ(adapter->publish(t, creds, post).error().code, "title_too_long");
  post.title = "ok";
  EXPECT_EQ(adapter->publish(t, creds, post).error().code, "cover_required");
  EXPECT_TRUE(t.requests.empty());
}

TEST_F(WechatTest, ErrorCodesInHttp200BodiesMapToClasses) {
  struct Case {
    std::string body;
    ErrorClass cls;
    std::optional<std::int64_t> retry_after;
  };
  std::vector<Case> cases = {
      {R"({"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest"})",
       ErrorClass::kAuthExpired, std::nullopt},
      {R"({"errcode":42001,"errmsg":"access_token expired"})", ErrorClass::kAuthExpired, std::nullopt},
      {R"({"errcode":-1,"errmsg":"system error"})", ErrorClass::kRetryable, std::nullopt},
      {R"({"errcode":45009,"errmsg":"reach max api daily quota limit"})", ErrorClass::kRateLimited,
       86400 - (kNow + 8 * 3600) % 86400},  // 06:13:20 Beijing -> midnight
      {R"({"errcode":45011,"errmsg":"api minute-quota reach limit"})", ErrorClass::kRateLimited, 60},
      {R"({"errcode":48001,"errmsg":"api unauthorized"})", ErrorClass::kRejected, std::nullopt},
  };
  for (const auto& c : cases) {
    t.reply(200, c.body);
    auto r = adapter->read_post(t, creds, "A1");
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().cls, c.cls) << c.body;
    if (c.retry_after) {
      ASSERT_TRUE(r.error().retry_after) << c.body;
      EXPECT_EQ(r.error().retry_after->count(), *c.retry_after);
    }
  }
  t.reply(200, R"({"errcode":53600,"errmsg":"Article ID 无效"})");
  auto missing = adapter->read_post(t, creds, "A1");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(WechatTest, ATimeoutAfterSubmittingIsAnUnknownOutcome) {
  t.reply(200, "JPEG", {{"Content-Type", "image/jpeg"}});
  t.reply(200, R"({"media_id":"T"})");
  t.reply(200, R"({"media_id":"D"})");
  t.fail(true);
  PostContent post;
  post.title = "t";
  post.text = "x";
  post.media.push_back(Media{Media::Kind::kImage, "https://cdn.test/c.jpg", "image/jpeg", 4, 0, 0, 0, ""});
  auto r = adapter->publish(t, creds, post);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kUnknownOutcome);
  EXPECT_EQ(path_of(t.requests.back().url), "https://api.weixin.test/cgi-bin/freepublish/submit");
}

TEST_F(WechatTest, TheEchostrHandshakeNeedsAGoodFreshSignature) {
  auto get = webhook("GET", kGoodSignature);
  get.query["echostr"] = "echo-42";
  auto ok = adapter->parse_webhook(get);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->challenge_response, "echo-42");
  EXPECT_TRUE(ok->items.empty());
  auto bad = webhook("GET", "0000000000000000000000000000000000000000");
  bad.query["echostr"] = "echo-42";
  ASSERT_FALSE(adapter->parse_webhook(bad));
  EXPECT_EQ(adapter->parse_webhook(bad).error().code, "bad_signature");
  auto aes = get;
  aes.query["encrypt_type"] = "aes";
  EXPECT_EQ(adapter->parse_webhook(aes).error().code, "unsupported_encryption");
  auto late = make_wechat_adapter(Endpoint{"https://api.weixin.test", "", "", "herald-token"},
                                  [] { return kNow + 301; }, [](std::chrono::milliseconds) {});
  EXPECT_EQ(late->parse_webhook(get).error().code, "stale");
}

TEST_F(WechatTest, PostedXmlMessagesBecomeDirectMessages) {
  auto text = adapter->parse_webhook(webhook("POST", kGoodSignature, R"(<xml>
  <ToUserName><![CDATA[gh_brand]]></ToUserName>
  <FromUserName><![CDATA[oUser123]]></FromUserName>
  <CreateTime>1699999990</CreateTime>
  <MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[你好 <b>&</b>]]></Content>
  <MsgId>1234567890123456</MsgId>
</xml>)"));
  ASSERT_TRUE(text) << text.error().message;
  ASSERT_EQ(text->items.size(), 1u);
  const auto& m = text->items[0];
  EXPECT_EQ(m.kind, InboundKind::kDirectMessage);
  EXPECT_EQ(m.account_platform_id, "gh_brand");  // ToUserName: the original id
  EXPECT_EQ(m.platform_item_id, "1234567890123456");
  EXPECT_EQ(m.author_id, "oUser123");
  EXPECT_EQ(m.conversation_id, "oUser123");
  EXPECT_EQ(m.text, "你好 <b>&</b>");
  EXPECT_EQ(m.created_at, 1699999990);
  auto event = adapter->parse_webhook(webhook("POST", kGoodSignature,
      "<xml><ToUserName>gh</ToUserName><FromUserName>oU2</FromUserName><CreateTime>1699999999</CreateTime>"
      "<MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_&amp;1</EventKey></xml>"));
  ASSERT_TRUE(event);
  ASSERT_EQ(event->items.size(), 1u);
  EXPECT_EQ(event->items[0].text, "[event] subscribe qrscene_&1");
  EXPECT_EQ(event->items[0].account_platform_id, "gh");
  EXPECT_EQ(event->items[0].platform_item_id, "oU2:1699999999:subscribe");
  EXPECT_EQ(adapter->parse_webhook(webhook("POST", kGoodSignature, "<xml><MsgType>text")).error().code,
            "bad_payload");
  EXPECT_EQ(adapter->parse_webhook(webhook("POST", "deadbeef", "<xml></xml>")).error().code, "bad_signature");
}

TEST_F(WechatTest, CommentsAreReadFromTheRecentArticlesNewerThanTheCursor) {
  t.reply(200, R"({"total_count":1,"item_count":1,"item":[{"article_id":"ART1","update_time":1699990000,
      "content":{"news_item":[{"title":"T",
                               "url":"http://mp.weixin.qq.com/s?__biz=MzA&mid=2247483655&idx=1&sn=ab#rd"}]}}]})");
  t.reply(200, R"({"errcode":0,"errmsg":"ok","total":2,"comment":[
      {"user_comment_id":7,"openid":"oA","create_time":1699995000,"content":"赞","comment_type":0},
      {"user_comment_id":5,"openid":"oB","create_time":1699980000,"content":"old","comment_type":0}]})");
  auto r = adapter->fetch_inbound(t, creds, InboundKind::kComment, "1699990000");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(json::parse(t.requests[0].body)["no_content"], 1);
  auto list = json::parse(t.requests[1].body);
  EXPECT_EQ(path_of(t.requests[1].url), "https://api.weixin.test/cgi-bin/comment/list");
  EXPECT_EQ(list["msg_data_id"], 2247483655);
  EXPECT_EQ(list["index"], 0);
  EXPECT_EQ(list["begin"], 0);
  EXPECT_EQ(list["count"], 49);
  EXPECT_EQ(list["type"], 0);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].platform_item_id, "2247483655:0:7");
  EXPECT_EQ(r->items[0].platform_post_id, "ART1");
  EXPECT_EQ(r->items[0].author_id, "oA");
  EXPECT_EQ(r->items[0].text, "赞");
  EXPECT_EQ(r->next_cursor, "1699995000");
}

TEST_F(WechatTest, RepliesPinsAndCustomerServiceMessages) {
  InboundItem comment;
  comment.kind = InboundKind::kComment;
  comment.platform_item_id = "2247483655:0:7";
  t.reply(200, R"({"errcode":0,"errmsg":"ok"})");
  auto r = adapter->reply(t, creds, comment, "谢谢支持", "k1");
  ASSERT_TRUE(r) << r.error().message;
  auto body = json::parse(t.requests[0].body);
  EXPECT_EQ(path_of(t.requests[0].url), "https://api.weixin.test/cgi-bin/comment/reply/add");
  EXPECT_EQ(body, (json{{"msg_data_id", 2247483655}, {"index", 0}, {"user_comment_id", 7}, {"content", "谢谢支持"}}));
  t.reply(200, R"({"errcode":0,"errmsg":"ok"})");
  ASSERT_TRUE(adapter->moderate(t, creds, comment, Moderation::kPin));
  EXPECT_EQ(path_of(t.requests[1].url), "https://api.weixin.test/cgi-bin/comment/markelect");
  EXPECT_FALSE(adapter->moderate(t, creds, comment, Moderation::kHide));
  t.reply(200, R"({"errcode":0,"errmsg":"ok"})");
  ASSERT_TRUE(adapter->send_dm(t, creds, "oUser123", "您好", "k2"));
  EXPECT_EQ(json::parse(t.requests[2].body),
            (json{{"touser", "oUser123"}, {"msgtype", "text"}, {"text", {{"content", "您好"}}}}));
  t.reply(200, R"({"errcode":45015,"errmsg":"response out of time limit or subscription is canceled"})");
  auto late = adapter->send_dm(t, creds, "oUser123", "您好", "k3");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, "outside_window");
  EXPECT_EQ(late.error().cls, ErrorClass::kRejected);
}

TEST_F(WechatTest, FindByMarkerLooksForTheCommentInRecentArticleBodies) {
  std::string batch = R"({"total_count":2,"item_count":2,"item":[
      {"article_id":"A","update_time":1,"content":{"news_item":[{"title":"a","content":"<p>x</p>","url":"u1"}]}},
      {"article_id":"B","update_time":2,"content":{"news_item":[{"title":"b","content":"<p>y</p><!--herald:tgt-7-->",
       "url":"u2"}]}}]})";
  t.reply(200, batch);
  auto r = adapter->find_by_marker(t, creds, "tgt-7");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->platform_post_id, "B");
  EXPECT_EQ(json::parse(t.requests[0].body)["no_content"], 0);
  t.reply(200, batch);
  EXPECT_FALSE(adapter->find_by_marker(t, creds, "tgt-8")->has_value());
}

}  // namespace
}  // namespace herald::adapters
