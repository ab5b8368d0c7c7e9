#include "adapters/weibo/weibo_adapter.hpp"

#include <gtest/gtest.h>

#include <map>

#include "herald/adapters/marker.hpp"
#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using testing::FakeTransport;

constexpr std::int64_t kNow = 1700000000;  // 22:13:20 UTC

std::map<std::string, std::string> parse_form(const std::string& s) {
  auto decode = [](const std::string& in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '%' && i + 2 < in.size()) {
        out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += in[i] == '+' ? ' ' : in[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find('&', start);
    if (end == std::string::npos) end = s.size();
    auto pair = s.substr(start, end - start);
    auto eq = pair.find('=');
    if (eq != std::string::npos) out[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

std::map<std::string, std::string> query_of(const std::string& url) {
  auto q = url.find('?');
  return q == std::string::npos ? std::map<std::string, std::string>{} : parse_form(url.substr(q + 1));
}

class WeiboTest : public ::testing::Test {
 protected:
  std::unique_ptr<Adapter> adapter = make_weibo_adapter(
      Endpoint{"https://api.weibo.test", "https://auth.weibo.test", "app-key", "app-secret"}, [] { return kNow; });
  Credentials creds{"tok-123", "1404376560", {}};
  FakeTransport t;
};

TEST_F(WeiboTest, AuthorizeUrlCarriesTheDocumentedParameters) {
  AuthorizeRequest req{"https://herald.test/cb", "st-9", "", {"statuses_to_me_read", "email"}};
  std::string url = adapter->authorize_url(req);
  EXPECT_EQ(url.rfind("https://auth.weibo.test/oauth2/authorize?", 0), 0u) << url;
  auto q = query_of(url);
  EXPECT_EQ(q["client_id"], "app-key");
  EXPECT_EQ(q["redirect_uri"], "https://herald.test/cb");
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["state"], "st-9");
  EXPECT_EQ(q["scope"], "statuses_to_me_read,email");
}

TEST_F(WeiboTest, ExchangeCodePostsTheFormAndReadsUidExpiryAndScopes) {
  t.reply(200, R"({"access_token":"2.00abc","expires_in":157679999,"remind_in":"157679999","uid":"1404376560"})");
  t.reply(200,
          R"({"uid":1404376560,"appkey":"app-key","scope":"email,statuses_to_me_read","create_at":1,"expire_in":9})");
  auto r = adapter->exchange_code(t, "the-code", "", "https://herald.test/cb");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->access_token, "2.00abc");
  EXPECT_EQ(r->platform_account_id, "1404376560");
  EXPECT_EQ(r->expires_at, kNow + 157679999);
  EXPECT_EQ(r->scopes, (std::vector<std::string>{"email", "statuses_to_me_read"}));
  ASSERT_EQ(t.requests.size(), 2u);
  EXPECT_EQ(t.requests[0].method, "POST");
  EXPECT_EQ(t.requests[0].url, "https://api.weibo.test/oauth2/access_token");
  auto form = parse_form(t.requests[0].body);
  EXPECT_EQ(form["client_id"], "app-key");
  EXPECT_EQ(form["client_secret"], "app-secret");
  EXPECT_EQ(form["grant_type"], "authorization_code");
  EXPECT_EQ(form["code"], "the-code");
  EXPECT_EQ(form["redirect_uri"], "https://herald.test/cb");
  EXPECT_EQ(t.requests[1].url, "https://api.weibo.test/oauth2/get_token_info");
  EXPECT_EQ(parse_form(t.requests[1].body)["access_token"], "2.00abc");
}

TEST_F(WeiboTest, PublishSharesTextWithTheLinkAndTheInvisibleMarker) {
  t.reply(200, R"({"created_at":"Wed Oct 24 23:49:17 +0800 2012","id":3504803600500000,"idstr":"3504803600502730",
                   "text":"hi"})");
  PostContent post;
  post.text = "新品上市";
  post.link = "https://brand.example/p/1";
  post.client_marker = "tgt-42";
  auto r = adapter->publish(t, creds, post);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->platform_post_id, "3504803600502730");
  EXPECT_EQ(r->url, "https://m.weibo.cn/status/3504803600502730");
  ASSERT_EQ(t.requests.size(), 1u);
  const auto& req = t.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://api.weibo.test/2/statuses/share.json");
  EXPECT_EQ(req.header("authorization"), "OAuth2 tok-123");
  EXPECT_EQ(req.header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(parse_form(req.body)["status"], "新品上市 https://brand.example/p/1" + invisible_marker("tgt-42"));
  EXPECT_EQ(req.body.find("tok-123"), std::string::npos);  // the token travels in the header only
}

TEST_F(WeiboTest, PublishWithAnImageUploadsItAsMultipartAndPostsTheFirstComment) {
  t.reply(200, "\x89PNG-bytes", {{"Content-Type", "image/png"}});
  t.reply(200, R"({"id":11,"idstr":"11","text":"x"})");
  t.reply(200, R"({"id":22,"idstr":"22","text":"first!"})");
  PostContent post;
  post.text = "看图 https://brand.example";
  post.media.push_back(Media{Media::Kind::kImage, "https://cdn.herald.test/m/1.png", "image/png", 10, 1, 1, 0, ""});
  post.first_comment = "first!";
  auto r = adapter->publish(t, creds, post);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->first_comment_id, "22");
  ASSERT_EQ(t.requests.size(), 3u);
  EXPECT_EQ(t.requests[0].method, "GET");
  EXPECT_EQ(t.requests[0].url, "https://cdn.herald.test/m/1.png");
  const auto& share = t.requests[1];
  auto ct = share.header("content-type").value_or("");
  ASSERT_EQ(ct.rfind("multipart/form-data; boundary=", 0), 0u) << ct;
  std::string boundary = ct.substr(std::string("multipart/form-data; boundary=").size());
  EXPECT_NE(share.body.find("--" + boundary + "\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\n看图"),
            std::string::npos);
  EXPECT_NE(share.body.find("name=\"pic\"; filename=\"pic.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG-bytes\r\n"),
            std::string::npos);
  EXPECT_EQ(share.body.substr(share.body.size() - boundary.size() - 6), "--" + boundary + "--\r\n");
  EXPECT_EQ(t.requests[2].url, "https://api.weibo.test/2/comments/create.json");
  auto form = parse_form(t.requests[2].body);
  EXPECT_EQ(form["id"], "11");
  EXPECT_EQ(form["comment"], "first!");
}

TEST_F(WeiboTest, OverlongTextAndVideosAreRejectedBeforeAnyCall) {
  PostContent post;
  post.text = std::string(141, 'x') + std::string(141, 'y');  // 282 ASCII characters count 141
  auto r = adapter->publish(t, creds, post);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "text_too_long");
  post.text = "ok https://brand.example";
  post.media.push_back(Media{Media::Kind::kVideo, "https://cdn/v.mp4", "video/mp4", 1, 0, 0, 3, ""});
  auto v = adapter->publish(t, creds, post);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, "unsupported_media");
  EXPECT_TRUE(t.requests.empty());
}

TEST_F(WeiboTest, ErrorCodesMapToClasses) {
  PostContent post;
  post.text = "x https://brand.example";
  struct Case {
    int status;
    std::string body;
    ErrorClass cls;
    std::string code;
  };
  std::vector<Case> cases = {
      {400, R"({"error":"expired_token","error_code":21327,"request":"/2/statuses/share.json"})",
       ErrorClass::kAuthExpired, "21327"},
      {403, R"({"error":"User requests out of rate limit!","error_code":"10023","request":"/2/statuses/share.json"})",
       ErrorClass::kRateLimited, "10023"},
      {400, R"({"error":"repeat content!","error_code":20019,"request":"/2/statuses/share.json"})",
       ErrorClass::kRejected, "duplicate"},
      {200, R"({"error":"Too many pending tasks, system is busy","error_code":10009,"request":"/2/x.json"})",
       ErrorClass::kRetryable, "10009"},
      {200, R"({"error":"appkey not bind domain!","error_code":10017,"request":"/2/statuses/share.json"})",
       ErrorClass::kRejected, "10017"},
      {200, R"({"error":"Job expired","error_code":10010,"request":"/2/statuses/share.json"})",
       ErrorClass::kUnknownOutcome, "10010"},
  };
  for (const auto& c : cases) {
    t.reply(c.status, c.body);
    auto r = adapter->publish(t, creds, post);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().cls, c.cls) << c.body;
    EXPECT_EQ(r.error().code, c.code) << c.body;
    EXPECT_EQ(r.error().message.find("tok-123"), std::string::npos);
  }
}

TEST_F(WeiboTest, RateLimitsRetryAtTheNextHour) {
  t.reply(403, R"({"error":"IP requests out of rate limit!","error_code":10022,"request":"/2/comments/to_me.json"})");
  auto r = adapter->fetch_inbound(t, creds, InboundKind::kComment, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kRateLimited);
  ASSERT_TRUE(r.error().retry_after);
  EXPECT_EQ(r.error().retry_after->count(), 3600 - kNow % 3600);  // 22:13:20 -> 23:00:00
}

TEST_F(WeiboTest, ATimeoutAfterWritingAShareIsAnUnknownOutcome) {
  PostContent post;
  post.text = "x https://brand.example";
  t.fail(true);
  auto r = adapter->publish(t, creds, post);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kUnknownOutcome);
  t.fail(false);
  auto refused = adapter->publish(t, creds, post);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().cls, ErrorClass::kRetryable);
}

TEST_F(WeiboTest, CommentsToMeBecomeInboundItemsWithASinceIdCursor) {
  t.reply(200, R"({"comments":[
      {"created_at":"Wed Jun 01 00:50:25 +0800 2011","id":12438492184,"idstr":"12438492184","text":"好评",
       "user":{"id":1404376560,"idstr":"1404376560","screen_name":"zaku","name":"zaku","verified":true},
       "status":{"id":11488058246,"idstr":"11488058246","text":"post"}},
      {"created_at":"Wed Jun 01 00:40:00 +0800 2011","id":12438492100,"idstr":"12438492100","text":"回复",
       "user":{"id":7,"idstr":"7","screen_name":"fan"},
       "status":{"id":11488058246,"idstr":"11488058246"},
       "reply_comment":{"id":12438492001,"idstr":"12438492001","text":"earlier"}}],
      "previous_cursor":0,"next_cursor":0,"total_number":2})");
  auto r = adapter->fetch_inbound(t, creds, InboundKind::kComment, "12438492000");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(t.requests[0].method, "GET");
  auto q = query_of(t.requests[0].url);
  EXPECT_EQ(t.requests[0].url.substr(0, t.requests[0].url.find('?')), "https://api.weibo.test/2/comments/to_me.json");
  EXPECT_EQ(q["since_id"], "12438492000");
  ASSERT_EQ(r->items.size(), 2u);
  const auto& a = r->items[0];
  EXPECT_EQ(a.kind, InboundKind::kComment);
  EXPECT_EQ(a.platform_item_id, "12438492184");
  EXPECT_EQ(a.platform_post_id, "11488058246");
  EXPECT_EQ(a.author_id, "1404376560");
  EXPECT_EQ(a.author_handle, "zaku");
  EXPECT_TRUE(a.author_verified);
  EXPECT_EQ(a.text, "好评");
  EXPECT_EQ(a.created_at, 1306860625);  // 2011-05-31T16:50:25Z
  EXPECT_EQ(r->items[1].parent_id, "12438492001");
  EXPECT_EQ(r->next_cursor, "12438492184");
}

TEST_F(WeiboTest, MentionsAreStatusesAndAnEmptyPageKeepsTheCursor) {
  t.reply(200, R"({"statuses":[{"created_at":"Tue May 31 17:46:55 +0800 2011","id":11488058246,
      "idstr":"11488058246","text":"@brand 你好","user":{"id":5,"idstr":"5","screen_name":"u5"}}]})");
  auto r = adapter->fetch_inbound(t, creds, InboundKind::kMention, "");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].kind, InboundKind::kMention);
  EXPECT_EQ(r->items[0].platform_post_id, "11488058246");
  EXPECT_EQ(r->items[0].author_handle, "u5");
  EXPECT_EQ(t.requests[0].url.substr(0, t.requests[0].url.find('?')),
            "https://api.weibo.test/2/statuses/mentions.json");
  t.reply(200, R"({"statuses":[]})");
  auto empty = adapter->fetch_inbound(t, creds, InboundKind::kMention, "11488058246");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->next_cursor, "11488058246");
  EXPECT_FALSE(adapter->fetch_inbound(t, creds, InboundKind::kDirectMessage, ""));
}

TEST_F(WeiboTest, ReplyToACommentUsesCommentsReply) {
  t.reply(200, R"({"id":99,"idstr":"99","text":"谢谢"})");
  InboundItem to;
  to.kind = InboundKind::kComment;
  to.platform_item_id = "12438492184";
  to.platform_post_id = "11488058246";
  auto r = adapter->reply(t, creds, to, "谢谢", "idem-1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "99");
  EXPECT_EQ(t.requests[0].url, "https://api.weibo.test/2/comments/reply.json");
  auto form = parse_form(t.requests[0].body);
  EXPECT_EQ(form["cid"], "12438492184");
  EXPECT_EQ(form["id"], "11488058246");
  EXPECT_EQ(form["comment"], "谢谢");
}

TEST_F(WeiboTest, FindByMarkerReadsTheTimelineForTheInvisibleSuffix) {
  std::string body = R"({"statuses":[{"id":1,"idstr":"1","text":"other"},{"id":2,"idstr":"2","text":"mine )" +
                     invisible_marker("tgt-42") + R"("}]})";
  t.reply(200, body);
  auto r = adapter->find_by_marker(t, creds, "tgt-42");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->platform_post_id, "2");
  EXPECT_EQ(t.requests[0].url.substr(0, t.requests[0].url.find('?')),
            "https://api.weibo.test/2/statuses/user_timeline.json");
  t.reply(200, body);
  auto none = adapter->find_by_marker(t, creds, "tgt-43");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(WeiboTest, ReadingOrDeletingAMissingPost) {
  t.reply(400, R"({"error":"Target weibo does not exist!","error_code":20101,"request":"/2/statuses/show.json"})");
  auto r = adapter->read_post(t, creds, "5");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->has_value());
  t.reply(400, R"({"error":"Target weibo does not exist!","error_code":20101,"request":"/2/statuses/destroy.json"})");
  EXPECT_TRUE(adapter->delete_post(t, creds, "5"));
  EXPECT_EQ(parse_form(t.requests[1].body)["id"], "5");
}

}  // namespace
}  // namespace herald::adapters
