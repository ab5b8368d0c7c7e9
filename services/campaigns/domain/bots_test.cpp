#include "services/campaigns/domain/bots.hpp"

#include <gtest/gtest.h>

namespace herald::campaigns::domain {
namespace {

// User-Agent strings as the crawlers, preview fetchers and clients send them.
constexpr const char* kBots[] = {
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) "
    "Chrome/120.0.6099.216 Safari/537.36",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/69.0.3497.81 YisouSpider/5.0 "
    "Safari/537.36",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0.2661.102 "
    "Safari/537.36; 360Spider",
    "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; "
    "Bytespider; spider-feedback@bytedance.com)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Facebot",
    "Twitterbot/1.0",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "TelegramBot (like TwitterBot)",
    "WhatsApp/2.23.20.0 A",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 "
    "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 "
    "Safari/537.36",
    "curl/7.88.1",
    "Wget/1.21.3",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "Java/17.0.2",
    "libwww-perl/6.67",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
    "CCBot/2.0 (https://commoncrawl.org/faq/)",
    "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko; Google Web Preview) "
    "Chrome/27.0.1453 Safari/537.36",
    "Mozilla/5.0 (compatible; monitis - premium monitoring service; http://www.monitis.com)",
};

// User-Agent strings of people's browsers and in-app browsers.
constexpr const char* kBrowsers[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
    "Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 "
    "Edg/120.0.2210.91",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 "
    "Chrome/115.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/5235 MMWEBSDK/20230805 MMWEBID/2345 "
    "MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 14_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "Weibo (iPhone12,1__weibo__11.2.1__iphone__os14.4)",
    "Mozilla/5.0 (Linux; Android 10; SM-G9730 Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/83.0.4103.106 Mobile Safari/537.36 Weibo (samsung-SM-G9730__weibo__11.6.3__android__android10)",
    "Mozilla/5.0 (Linux; U; Android 11; zh-cn; PDYM20 Build/RP1A.200720.011) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/89.0.4389.72 MQQBrowser/12.3 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; HLK-AL00) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
    "Chrome/68.0.3440.106 Mobile Safari/537.36 SogouMobileBrowser/5.28.13",
};

TEST(IsBotUserAgent, RecognisesCrawlersPreviewFetchersMonitorsAndScripts) {
  for (const char* ua : kBots) EXPECT_TRUE(is_bot_user_agent(ua)) << ua;
}

TEST(IsBotUserAgent, CountsPeoplesBrowsersIncludingWeChatAndWeibo) {
  for (const char* ua : kBrowsers) EXPECT_FALSE(is_bot_user_agent(ua)) << ua;
}

TEST(IsBotUserAgent, AnEmptyUserAgentIsABot) {
  EXPECT_TRUE(is_bot_user_agent(""));
  EXPECT_TRUE(is_bot_user_agent("   "));
  EXPECT_TRUE(is_bot_user_agent("\t\r\n"));
}

TEST(IsBotUserAgent, IsCaseInsensitive) {
  EXPECT_TRUE(is_bot_user_agent("GOOGLEBOT/2.1"));
  EXPECT_TRUE(is_bot_user_agent("CURL/8.5.0"));
  EXPECT_TRUE(is_bot_user_agent("Mozilla/5.0 (compatible; SomeNewCrawler/1.0)"));
  EXPECT_TRUE(is_bot_user_agent("JAVA/1.8.0_151"));
  EXPECT_FALSE(is_bot_user_agent("MOZILLA/5.0 (WINDOWS NT 10.0) FIREFOX/121.0"));
}

TEST(IsBotUserAgent, TheBrowserExceptionsDoNotHideRealBots) {
  // The exceptions remove only the browser's own token: a crawler word elsewhere still counts.
  EXPECT_TRUE(is_bot_user_agent("Sogou inst spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)"));
  EXPECT_TRUE(is_bot_user_agent("Mozilla/5.0 (Linux; Android 10; CUBOT X30) HeadlessChrome/119.0"));
  EXPECT_TRUE(is_bot_user_agent("SogouMobileBrowser/5.28 Bytespider"));
  // "Java" without the slash (a JavaScript engine name, say) is not the Java HTTP client.
  EXPECT_FALSE(is_bot_user_agent("Mozilla/5.0 (X11; Linux x86_64) JavaFX/17 Safari/605.1"));
}

}  // namespace
}  // namespace herald::campaigns::domain
