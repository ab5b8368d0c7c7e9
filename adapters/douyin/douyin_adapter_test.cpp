#include "adapters/douyin/douyin_adapter.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

#include "herald/adapters/marker.hpp"
#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;
using testing::FakeTransport;

constexpr std::int64_t kNow = 1700000000;
constexpr const char* kItem =
    "@8hxdhauTCMppanGnM4ltGM780mDqPP+KPpR0qQOmLVAXb/T060zdRmYqig357zEBq6CZRp4NVe6qLIJW/V/x1w==";

std::string path_of(const std::string& url) { return url.substr(0, url.find('?')); }
std::string query_of(const std::string& url) { return url.substr(url.find('?') + 1); }

std::string ok(const std::string& data) {
  return R"({"data":)" + data +
         R"(,"extra":{"error_code":0,"description":"","sub_error_code":0,"logid":"L1","now":1}})";
}

class DouyinTest : public ::testing::Test {
 protected:
  std::unique_ptr<Adapter> adapter = make_douyin_adapter(
      Endpoint{"https://open.douyin.test", "https://auth.douyin.test", "awkey123", "ck-secret"}, [] { return kNow; });
  Credentials creds{"act.TOKEN", "ba253642-0590-40bc-9bdf-9a1334b94059", {}};
  FakeTransport t;
};

TEST_F(DouyinTest, AuthorizeUrlCarriesClientKeyScopesAndState) {
  auto url = adapter->authorize_url(AuthorizeRequest{"https://herald.test/cb", "st-1", "", {}});
  EXPECT_EQ(path_of(url), "https://auth.douyin.test/platform/oauth/connect/");
  EXPECT_EQ(query_of(url),
            "client_key=awkey123&response_type=code"
            "&scope=user_info%2Cvideo.create.bind%2Cvideo.list.bind%2Cvideo.data.bind%2Citem.comment"
            "&redirect_uri=https%3A%2F%2Fherald.test%2Fcb&state=st-1");
  auto narrow = adapter->authorize_url(AuthorizeRequest{"https://herald.test/cb", "st-2", "", {"user_info"}});
  EXPECT_NE(narrow.find("&scope=user_info&"), std::string::npos) << narrow;
}

TEST_F(DouyinTest, ExchangeCodePostsJsonAndReadsOpenIdAndExpiry) {
  t.reply(200, R"({"data":{"access_token":"act.1d1021d2aee3d41fee2d2add43456badMFZnrhFhfWotu3Ecuiuka27L56lr",
      "description":"","error_code":0,"expires_in":1296000,"open_id":"ba253642-0590-40bc-9bdf-9a1334b94059",
      "refresh_expires_in":2592000,"refresh_token":"rft.a736b70544519999a623d67e2d9ad0dfnsWCBsGVfOEnsOFmcJzO",
      "scope":"user_info,video.create.bind"},"message":"success"})");
  auto r = adapter->exchange_code(t, "the-code", "", "https://herald.test/cb");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->access_token.rfind("act.1d10", 0), 0u);
  EXPECT_EQ(r->refresh_token.rfind("rft.a736", 0), 0u);
  EXPECT_EQ(r->platform_account_id, "ba253642-0590-40bc-9bdf-9a1334b94059");
  EXPECT_EQ(r->expires_at, kNow + 1296000);
  EXPECT_EQ(r->scopes, (std::vector<std::string>{"user_info", "video.create.bind"}));
  EXPECT_EQ(t.requests[0].url, "https://open.douyin.test/oauth/access_token/");
  EXPECT_EQ(t.requests[0].header("content-type"), "application/json");
  EXPECT_EQ(json::parse(t.requests[0].body), (json{{"client_key", "awkey123"},
                                                   {"client_secret", "ck-secret"},
                                                   {"code", "the-code"},
                                                   {"grant_type", "authorization_code"}}));
  t.reply(200, R"({"data":{"description":"授权码过期","error_code":10007},"message":"error"})");
  auto expired_code = adapter->exchange_code(t, "old", "", "");
  ASSERT_FALSE(expired_code);
  EXPECT_EQ(expired_code.error().cls, ErrorClass::kRejected);
  EXPECT_EQ(expired_code.error().code, "10007");
}

TEST_F(DouyinTest, RefreshPostsAFormAndKeepsTheRefreshTokenWhenNoneComesBack) {
  TokenSet current{"act.old", "rft.keep", kNow, {"user_info"}, "open-1"};
  t.reply(200, R"({"data":{"access_token":"act.new","expires_in":1296000,"open_id":"open-1","error_code":0}})");
  auto r = adapter->refresh(t, current);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->access_token, "act.new");
  EXPECT_EQ(r->refresh_token, "rft.keep");
  EXPECT_EQ(r->scopes, (std::vector<std::string>{"user_info"}));
  EXPECT_EQ(t.requests[0].url, "https://open.douyin.test/oauth/refresh_token/");
  EXPECT_EQ(t.requests[0].body, "client_key=awkey123&grant_type=refresh_token&refresh_token=rft.keep");
  t.reply(200, R"({"data":{"description":"refresh_token 无效或过期","error_code":10010}})");
  auto gone = adapter->refresh(t, current);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().cls, ErrorClass::kAuthExpired);
}

TEST_F(DouyinTest, PublishUploadsTheVideoThenCreatesItWithTheMarkedTextAndFirstComment) {
  t.reply(200, "MP4BYTES", {{"Content-Type", "video/mp4"}});
  t.reply(200, ok(R"({"video":{"video_id":"v0200f5b0000bm7bflcg5ap1n8djisg0","width":1080,"height":1920},
                     "error_code":0,"description":""})"));
  t.reply(200, ok(R"({"item_id":")" + std::string(kItem) + R"(","error_code":0,"description":""})"));
  t.reply(200, ok(R"({"comment_id":"@9VxS1/qCUc80K2etd8wkU","error_code":0,"description":""})"));
  PostContent post;
  post.text = "新品 #秋季上新";
  post.client_marker = "tgt-5";
  post.first_comment = "链接见主页";
  post.media.push_back(Media{Media::Kind::kVideo, "https://cdn.test/v.mp4", "video/mp4", 8, 1080, 1920, 12, ""});
  auto r = adapter->publish(t, creds, post);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->platform_post_id, kItem);
  EXPECT_EQ(r->first_comment_id, "@9VxS1/qCUc80K2etd8wkU");
  ASSERT_EQ(t.requests.size(), 4u);
  const auto& up = t.requests[1];
  EXPECT_EQ(up.url,
            "https://open.douyin.test/api/douyin/v1/video/upload_video/?open_id=ba253642-0590-40bc-9bdf-9a1334b94059");
  EXPECT_EQ(up.header("access-token"), "act.TOKEN");
  EXPECT_EQ(up.header("content-type")->rfind("multipart/form-data; boundary=", 0), 0u);
  EXPECT_NE(up.body.find("name=\"video\"; filename=\"video.mp4\"\r\nContent-Type: video/mp4\r\n\r\nMP4BYTES"),
            std::string::npos);
  const auto& create = t.requests[2];
  EXPECT_EQ(path_of(create.url), "https://open.douyin.test/api/douyin/v1/video/create_video/");
  EXPECT_EQ(json::parse(create.body), (json{{"video_id", "v0200f5b0000bm7bflcg5ap1n8djisg0"},
                                            {"text", "新品 #秋季上新" + invisible_marker("tgt-5")}}));
  EXPECT_EQ(path_of(t.requests[3].url), "https://open.douyin.test/item/comment/reply/");
  EXPECT_EQ(json::parse(t.requests[3].body), (json{{"item_id", kItem}, {"content", "链接见主页"}}));
}

TEST_F(DouyinTest, AnImagePostUsesImageUploadAndCreate) {
  t.reply(200, "JPG", {{"Content-Type", "image/jpeg"}});
  t.reply(200, ok(R"({"image":{"image_id":"img-1","width":1,"height":1},"error_code":0})"));
  t.reply(200, ok(R"({"item_id":"@item2","error_code":0})"));
  PostContent post;
  post.text = "图";
  post.media.push_back(Media{Media::Kind::kImage, "https://cdn.test/a.jpg", "image/jpeg", 3, 1, 1, 0, ""});
  auto r = adapter->publish(t, creds, post);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->platform_post_id, "@item2");
  EXPECT_EQ(path_of(t.requests[1].url), "https://open.douyin.test/image/upload/");
  EXPECT_NE(t.requests[1].body.find("name=\"image\"; filename=\"image.jpg\""), std::string::npos);
  EXPECT_EQ(path_of(t.requests[2].url), "https://open.douyin.test/image/create/");
  EXPECT_EQ(json::parse(t.requests[2].body), (json{{"image_id", "img-1"}, {"text", "图"}}));
}

TEST_F(DouyinTest, APostNeedsOneVideoOrOneImage) {
  PostContent post;
  post.text = "只有文字";
  EXPECT_EQ(adapter->publish(t, creds, post).error().code, "media_required");
  post.media.push_back(Media{Media::Kind::kVideo, "https://cdn.test/v.mp4", "video/mp4", 1, 0, 0, 1, ""});
  post.media.push_back(Media{Media::Kind::kImage, "https://cdn.test/a.jpg", "image/jpeg", 1, 0, 0, 0, ""});
  EXPECT_EQ(adapter->publish(t, creds, post).error().code, "mixed_media");
  post.media.resize(1);
  post.media[0].bytes = 200LL * 1024 * 1024;
  EXPECT_EQ(adapter->publish(t, creds, post).error().code, "media_too_large");
  EXPECT_TRUE(t.requests.empty());
}

TEST_F(DouyinTest, ErrorBodiesWithHttp200MapToClasses) {
  struct Case {
    std::string body;
    ErrorClass cls;
    std::string code;
  };
  std::vector<Case> cases = {
      {R"({"data":{"error_code":2190008,"description":"access_token过期,请刷新或重新授权"},"extra":{}})",
       ErrorClass::kAuthExpired, "2190008"},
      {R"({"data":{"error_code":0},"extra":{"error_code":2190002,"description":"access_token无效"}})",
       ErrorClass::kAuthExpired, "2190002"},
      {R"({"err_no":28001008,"err_msg":"access_token过期,请刷新或重新授权","log_id":"x"})", ErrorClass::kAuthExpired,
       "28001008"},
      {R"({"data":{"error_code":2190001,"description":"quota已用完"}})", ErrorClass::kRateLimited, "2190001"},
      {R"({"data":{"error_code":2100004,"description":"系统繁忙,此时请开发者稍候再试"}})", ErrorClass::kRetryable,
       "2100004"},
      {R"({"data":{"error_code":2111001,"description":"命中敏感词"}})", ErrorClass::kRejected, "2111001"},
  };
  for (const auto& c : cases) {
    t.reply(200, c.body);
    auto r = adapter->read_post(t, creds, kItem);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().cls, c.cls) << c.body;
    EXPECT_EQ(r.error().code, c.code) << c.body;
  }
  t.reply(200, R"({"data":{"error_code":2114007,"description":"视频发布数量超过每日上限"}})");
  auto capped = adapter->delete_post(t, creds, kItem);
  ASSERT_FALSE(capped);
  ASSERT_TRUE(capped.error().retry_after);
  EXPECT_EQ(capped.error().retry_after->count(), 86400 - (kNow + 8 * 3600) % 86400);
}

TEST_F(DouyinTest, ATimeoutAfterCreateIsAnUnknownOutcomeButAfterUploadItIsRetryable) {
  PostContent post;
  post.text = "x";
  post.media.push_back(Media{Media::Kind::kVideo, "https://cdn.test/v.mp4", "video/mp4", 1, 0, 0, 1, ""});
  t.reply(200, "MP4", {{"Content-Type", "video/mp4"}});
  t.fail(true);
  auto upload = adapter->publish(t, creds, post);
  ASSERT_FALSE(upload);
  EXPECT_EQ(upload.error().cls, ErrorClass::kRetryable);
  t.reply(200, "MP4", {{"Content-Type", "video/mp4"}});
  t.reply(200, ok(R"({"video":{"video_id":"v1"},"error_code":0})"));
  t.fail(true);
  auto create = adapter->publish(t, creds, post);
  ASSERT_FALSE(create);
  EXPECT_EQ(create.error().cls, ErrorClass::kUnknownOutcome);
}

TEST_F(DouyinTest, CommentsOfRecentVideosBecomeInboundItems) {
  t.reply(200, ok(R"({"list":[{"item_id":")" + std::string(kItem) + R"(","title":"t","create_time":1699000000,
      "share_url":"https://www.iesdouyin.com/share/video/1/","statistics":{}}],"cursor":0,"has_more":false,
      "error_code":0})"));
  t.reply(200, ok(R"({"list":[
      {"comment_id":"@c1","comment_user_id":"u-open-1","content":"好看","create_time":1699999000,"digg_count":3,
       "reply_comment_total":0,"top":false},
      {"comment_id":"@c0","comment_user_id":"u-open-2","content":"旧","create_time":1699000001}],
      "cursor":0,"has_more":false,"error_code":0})"));
  auto r = adapter->fetch_inbound(t, creds, InboundKind::kComment, "1699500000");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(path_of(t.requests[0].url), "https://open.douyin.test/video/list/");
  EXPECT_EQ(path_of(t.requests[1].url), "https://open.douyin.test/item/comment/list/");
  EXPECT_NE(t.requests[1].url.find("item_id=%408hxdhauTCMppanGnM4ltGM780mDqPP%2BKPpR0qQOmLVAXb%2FT060"),
            std::string::npos) << t.requests[1].url;
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].platform_item_id, "@c1");
  EXPECT_EQ(r->items[0].platform_post_id, kItem);
  EXPECT_EQ(r->items[0].author_id, "u-open-1");
  EXPECT_EQ(r->items[0].text, "好看");
  EXPECT_EQ(r->next_cursor, "1699999000");
  EXPECT_FALSE(adapter->fetch_inbound(t, creds, InboundKind::kDirectMessage, ""));
}

TEST_F(DouyinTest, ReplyingNamesTheVideoAndTheComment) {
  t.reply(200, ok(R"({"comment_id":"@r1","error_code":0})"));
  InboundItem to;
  to.kind = InboundKind::kComment;
  to.platform_item_id = "@c1";
  to.platform_post_id = kItem;
  auto r = adapter->reply(t, creds, to, "谢谢", "k");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "@r1");
  EXPECT_EQ(json::parse(t.requests[0].body), (json{{"item_id", kItem}, {"comment_id", "@c1"}, {"content", "谢谢"}}));
}

TEST_F(DouyinTest, FindByMarkerAndMetricsReadTheVideoList) {
  t.reply(200, ok(R"({"list":[{"item_id":"@a","title":"plain"},{"item_id":"@b","title":"marked )" +
                  invisible_marker("tgt-5") + R"("}],"has_more":true,"cursor":20})"));
  auto found = adapter->find_by_marker(t, creds, "tgt-5");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->platform_post_id, "@b");
  t.reply(200, ok(R"({"list":[{"item_id":"@b","statistics":{"digg_count":10,"comment_count":2,"share_count":1,
      "play_count":300,"download_count":0,"forward_count":0}}],"error_code":0})"));
  auto m = adapter->fetch_post_metrics(t, creds, "@b");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->likes, 10);
  EXPECT_EQ(m->video_views, 300);
  EXPECT_EQ(json::parse(t.requests[1].body), (json{{"item_ids", {"@b"}}}));
}

}  // namespace
}  // namespace herald::adapters
