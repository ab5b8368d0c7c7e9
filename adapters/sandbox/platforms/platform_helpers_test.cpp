// The pure helpers of the Weibo and WeChat emulators: Weibo's time format, length rule and safe domains;
// WeChat's AppID mapping and server-message XML.
#include <gtest/gtest.h>

#include "adapters/sandbox/platforms/wechat.hpp"
#include "adapters/sandbox/platforms/weibo.hpp"

namespace herald::sandbox {
namespace {

TEST(WeiboHelpers, CreatedAtIsBeijingTimeInWeibosFormat) {
  // 2012-10-24T15:49:17Z is 23:49:17 in Beijing (the example in Weibo's own documentation).
  EXPECT_EQ(weibo_time(TimePoint{std::chrono::seconds{1351093757}}), "Wed Oct 24 23:49:17 +0800 2012");
  // Past midnight in Beijing the date moves on.
  EXPECT_EQ(weibo_time(TimePoint{std::chrono::seconds{1351123200}}), "Thu Oct 25 08:00:00 +0800 2012");
}

TEST(WeiboHelpers, LengthCountsTwoAsciiCharactersAsOne) {
  EXPECT_EQ(weibo_length(""), 0u);
  EXPECT_EQ(weibo_length("你好"), 2u);
  EXPECT_EQ(weibo_length("abc"), 2u);  // rounded up
  EXPECT_EQ(weibo_length("ab你好"), 3u);
  EXPECT_EQ(weibo_length("\u200b\u200c"), 2u);  // zero-width characters count as wide ones
  EXPECT_EQ(weibo_length(std::string(280, 'a')), 140u);
}

TEST(WeiboHelpers, ShareNeedsAUrlOnTheAppsSafeDomains) {
  EXPECT_TRUE(has_safe_domain_url("see https://example.com/a"));
  EXPECT_TRUE(has_safe_domain_url("http://news.example.org?x=1 and more"));
  EXPECT_TRUE(has_safe_domain_url("http://127.0.0.1:8080/x"));
  EXPECT_TRUE(has_safe_domain_url("https://HERALD.example/"));
  EXPECT_FALSE(has_safe_domain_url("no link here"));
  EXPECT_FALSE(has_safe_domain_url("https://badexample.com/"));
  EXPECT_FALSE(has_safe_domain_url("https://example.com.evil.net/"));
  EXPECT_FALSE(has_safe_domain_url("ftp://example.com/"));
  EXPECT_FALSE(has_safe_domain_url("httpsexample.com"));
}

TEST(WechatHelpers, AppIdsNameTheSandboxAccounts) {
  EXPECT_EQ(wechat_handle_of_appid("herald-wechat"), "demo_wechat");
  EXPECT_EQ(wechat_handle_of_appid("herald-wechat-brand_2"), "brand_2");
  EXPECT_FALSE(wechat_handle_of_appid("wx1234567890abcdef"));
  EXPECT_FALSE(wechat_handle_of_appid("herald-wechat-"));
  EXPECT_FALSE(wechat_handle_of_appid("herald-wechat-a b"));
  EXPECT_FALSE(wechat_handle_of_appid("herald-x"));
  EXPECT_EQ(wechat_appid_of_handle("demo_wechat"), "herald-wechat");
  EXPECT_EQ(wechat_appid_of_handle("brand_2"), "herald-wechat-brand_2");
  EXPECT_EQ(wechat_handle_of_appid(wechat_appid_of_handle("brand_2")), "brand_2");
}

TEST(WechatHelpers, TextMessageXmlKeepsAnyContentInsideCdata) {
  auto xml = wechat_text_message_xml("gh_1", "oUser", 1700000000, "a]]>b <c>", "42");
  EXPECT_EQ(xml,
            "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName>"
            "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            "<Content><![CDATA[a]]]]><![CDATA[>b <c>]]></Content><MsgId>42</MsgId></xml>");
}

}  // namespace
}  // namespace herald::sandbox
