#include "adapters/assisted/assisted_adapter.hpp"

#include <gtest/gtest.h>

#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using testing::FakeTransport;

Media video() { return Media{Media::Kind::kVideo, "https://cdn.test/v.mp4", "video/mp4", 10, 1080, 1920, 30, ""}; }
Media image() { return Media{Media::Kind::kImage, "https://cdn.test/i.jpg", "image/jpeg", 10, 1, 1, 0, ""}; }

TEST(AssistedAdapter, EachPlatformIsAssistedWithItsOwnLimits) {
  auto ks = make_kuaishou_adapter({});
  auto bl = make_bilibili_adapter({});
  auto xhs = make_xiaohongshu_adapter({});
  for (const auto* a : {ks.get(), bl.get(), xhs.get()}) {
    EXPECT_EQ(a->capabilities().mode, PublishMode::kAssisted) << a->capabilities().platform;
    EXPECT_TRUE(a->capabilities().requires_media);
    EXPECT_FALSE(a->capabilities().can_reply);
    EXPECT_FALSE(a->capabilities().supports_refresh);
  }
  EXPECT_EQ(ks->capabilities().platform, "kuaishou");
  EXPECT_EQ(bl->capabilities().platform, "bilibili");
  EXPECT_EQ(xhs->capabilities().platform, "xiaohongshu");
  EXPECT_EQ(ks->capabilities().max_text_length, 500);
  EXPECT_EQ(bl->capabilities().max_text_length, 2000);
  EXPECT_EQ(xhs->capabilities().max_text_length, 1000);
  EXPECT_EQ(xhs->capabilities().max_images, 18);
  EXPECT_EQ(bl->capabilities().max_images, 0);
}

TEST(AssistedAdapter, PublishMakesNoCallAndHandsBackTheCreatorStudio) {
  FakeTransport t;  // no responses queued: any call would throw
  PostContent post;
  post.text = "秋季新品";
  post.media = {video()};
  struct Case {
    std::unique_ptr<Adapter> adapter;
    std::string link;
  };
  std::vector<Case> cases;
  cases.push_back({make_kuaishou_adapter({}), "https://cp.kuaishou.com/article/publish/video"});
  cases.push_back({make_bilibili_adapter({}), "https://member.bilibili.com/platform/upload/video/frame"});
  cases.push_back({make_xiaohongshu_adapter({}), "https://creator.xiaohongshu.com/publish/publish"});
  for (auto& c : cases) {
    auto r = c.adapter->publish(t, Credentials{"", "brand", {}}, post);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->assisted);
    EXPECT_EQ(r->deep_link, c.link);
    EXPECT_TRUE(r->platform_post_id.empty());
  }
  EXPECT_TRUE(t.requests.empty());
}

TEST(AssistedAdapter, TheSandboxCanStandInForTheStudio) {
  FakeTransport t;
  auto a = make_bilibili_adapter(Endpoint{"http://127.0.0.1:40123", "http://127.0.0.1:40123/bilibili", "", ""});
  PostContent post;
  post.media = {video()};
  auto r = a->publish(t, Credentials{}, post);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->deep_link, "http://127.0.0.1:40123/bilibili/platform/upload/video/frame");
}

TEST(AssistedAdapter, TheAccountIsRegisteredByHandleWithNoToken) {
  FakeTransport t;
  auto a = make_xiaohongshu_adapter({});
  EXPECT_EQ(a->authorize_url(AuthorizeRequest{"https://h/cb", "state", "", {}}), "");
  auto r = a->exchange_code(t, " @brand_official ", "", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->platform_account_id, "brand_official");
  EXPECT_TRUE(r->access_token.empty());
  EXPECT_FALSE(r->expires_at);
  auto missing = a->exchange_code(t, " @ ", "", "");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "missing_handle");
  auto profile = a->fetch_profile(t, Credentials{"", "brand_official", {{"name", "品牌官方"}}});
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->handle, "brand_official");
  EXPECT_EQ(profile->display_name, "品牌官方");
  EXPECT_TRUE(t.requests.empty());
}

TEST(AssistedAdapter, ContentOutsideTheStudioLimitsIsRejected) {
  FakeTransport t;
  auto xhs = make_xiaohongshu_adapter({});
  PostContent post;
  post.text = "只有文字";
  EXPECT_EQ(xhs->publish(t, Credentials{}, post).error().code, "media_required");
  post.media = {image(), video()};
  EXPECT_EQ(xhs->publish(t, Credentials{}, post).error().code, "unsupported_media");
  post.media = std::vector<Media>(19, image());
  EXPECT_EQ(xhs->publish(t, Credentials{}, post).error().code, "unsupported_media");
  post.media = std::vector<Media>(18, image());
  EXPECT_TRUE(xhs->publish(t, Credentials{}, post));
  post.title = std::string(21, 'x');
  EXPECT_EQ(xhs->publish(t, Credentials{}, post).error().code, "title_too_long");
  auto ks = make_kuaishou_adapter({});
  PostContent caption;
  caption.text = std::string(501, 'a');
  caption.media = {video()};
  EXPECT_EQ(ks->publish(t, Credentials{}, caption).error().code, "text_too_long");
  caption.media = {image()};
  caption.text = "ok";
  EXPECT_EQ(ks->publish(t, Credentials{}, caption).error().code, "unsupported_media");
}

TEST(AssistedAdapter, EverythingElseIsUnsupported) {
  FakeTransport t;
  auto a = make_kuaishou_adapter({});
  Credentials c{"", "brand", {}};
  EXPECT_EQ(a->delete_post(t, c, "1").error().code, "unsupported");
  EXPECT_EQ(a->read_post(t, c, "1").error().code, "unsupported");
  EXPECT_EQ(a->find_by_marker(t, c, "m").error().code, "unsupported");
  EXPECT_EQ(a->fetch_inbound(t, c, InboundKind::kComment, "").error().code, "unsupported");
  EXPECT_EQ(a->reply(t, c, InboundItem{}, "x", "k").error().code, "unsupported");
  EXPECT_EQ(a->refresh(t, TokenSet{}).error().code, "unsupported");
  EXPECT_EQ(a->parse_webhook(WebhookRequest{}).error().code, "unsupported");
  EXPECT_TRUE(t.requests.empty());
}

}  // namespace
}  // namespace herald::adapters
