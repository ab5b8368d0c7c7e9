#include "services/campaigns/domain/utm.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

namespace herald::campaigns::domain {
namespace {

// A query decoder written independently of the encoder: "%XX" is a byte, everything else itself.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::multimap<std::string, std::string> query_of(const std::string& url) {
  std::multimap<std::string, std::string> out;
  auto q = url.find('?');
  if (q == std::string::npos) return out;
  auto end = url.find('#', q);
  auto query = url.substr(q + 1, end == std::string::npos ? std::string::npos : end - q - 1);
  std::size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    auto param = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    auto eq = param.find('=');
    if (!param.empty()) out.emplace(param.substr(0, eq), eq == std::string::npos ? "" : percent_decode(param.substr(eq + 1)));
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return out;
}

std::string problem(std::string_view url) { return target_problem(url).value_or("<none>"); }

TEST(TargetProblem, AcceptsOrdinaryHttpAndHttpsLinks) {
  for (const char* ok : {"https://example.com", "http://example.com/", "HTTPS://Example.COM/a/b?q=1&r=2#frag",
                         "hTtP://shop.example.co.uk:8080/item", "https://127.0.0.1/x", "https://[2001:db8::1]:443/a",
                         "https://例子.中国/路径?活动=春季", "https://example.com:/default-port",
                         "https://xn--fsqu00a.xn--fiqs8s/", "https://a.b/p%20q"}) {
    EXPECT_EQ(target_problem(ok), std::nullopt) << ok;
  }
}

TEST(TargetProblem, RefusesOtherSchemesAndMissingSchemes) {
  EXPECT_NE(problem("ftp://example.com/file").find("\"ftp\""), std::string::npos) << problem("ftp://example.com/file");
  EXPECT_NE(problem("javascript:alert(1)").find("http or https"), std::string::npos);
  EXPECT_NE(problem("data:text/html,<b>hi</b>").find("http or https"), std::string::npos);
  EXPECT_NE(problem("example.com/path").find("http://"), std::string::npos);
  EXPECT_NE(problem("//example.com/path").find("http://"), std::string::npos);
  EXPECT_TRUE(target_problem("http:/example.com"));
  EXPECT_TRUE(target_problem("httpx://example.com"));
}

TEST(TargetProblem, RequiresAHost) {
  for (const char* bad : {"https://", "https:///path", "https://?q=1", "https://#x", "https://:443/", "https://.../"}) {
    auto p = target_problem(bad);
    ASSERT_TRUE(p) << bad;
    EXPECT_NE(p->find("host"), std::string::npos) << bad << ": " << *p;
  }
}

TEST(TargetProblem, RefusesUserinfoIncludingTheBackslashTrick) {
  for (const char* bad : {"https://user:pass@example.com/", "https://user@example.com", "https://good.com\\@evil.com/",
                          "http://a:b@127.0.0.1"}) {
    auto p = target_problem(bad);
    ASSERT_TRUE(p) << bad;
    EXPECT_NE(p->find("user name or password"), std::string::npos) << bad << ": " << *p;
  }
  // An "@" after the authority is only part of the path or query.
  EXPECT_EQ(target_problem("https://example.com/@brand?ref=a@b"), std::nullopt);
}

TEST(TargetProblem, RefusesSpacesAndControlCharacters) {
  EXPECT_NE(problem("https://example.com/a b").find("space at position 22"), std::string::npos)
      << problem("https://example.com/a b");
  EXPECT_NE(problem("https://example.com/a\tb").find("control character"), std::string::npos);
  EXPECT_NE(problem("https://example.com/a\nb").find("control character"), std::string::npos);
  EXPECT_NE(problem(std::string_view("https://example.com/a\0b", 23)).find("control character"), std::string::npos);
  EXPECT_NE(problem("https://example.com/\x7f").find("control character"), std::string::npos);
  EXPECT_TRUE(target_problem(" https://example.com"));
  EXPECT_TRUE(target_problem("https://example.com "));
}

TEST(TargetProblem, RefusesBadHostsAndPorts) {
  EXPECT_TRUE(target_problem("https://exa<mple.com/"));
  EXPECT_TRUE(target_problem("https://example.com:0/"));
  EXPECT_TRUE(target_problem("https://example.com:65536/"));
  EXPECT_TRUE(target_problem("https://example.com:80a/"));
  EXPECT_TRUE(target_problem("https://example.com:1:2/"));
  EXPECT_TRUE(target_problem("https://[2001:db8::1/"));
  EXPECT_TRUE(target_problem("https://[example.com]/"));
  EXPECT_EQ(target_problem("https://example.com:65535/"), std::nullopt);
  EXPECT_EQ(target_problem("https://example.com:1/"), std::nullopt);
}

TEST(TargetProblem, AllowsAtMost2048Bytes) {
  std::string base = "https://example.com/";
  std::string at_limit = base + std::string(2048 - base.size(), 'a');
  ASSERT_EQ(at_limit.size(), 2048u);
  EXPECT_EQ(target_problem(at_limit), std::nullopt);
  auto p = target_problem(at_limit + "a");
  ASSERT_TRUE(p);
  EXPECT_NE(p->find("2049"), std::string::npos) << *p;
  EXPECT_NE(problem("").find("empty"), std::string::npos);
}

TEST(BuildUtmUrl, AddsTheParametersInOrderAndOmitsEmptyOnes) {
  Utm u{.source = "weibo", .medium = "social", .campaign = "spring", .term = "", .content = "banner_a"};
  EXPECT_EQ(build_utm_url("https://example.com/landing", u),
            "https://example.com/landing?utm_source=weibo&utm_medium=social&utm_campaign=spring&utm_content=banner_a");
  EXPECT_EQ(build_utm_url("https://example.com", Utm{.source = "x"}), "https://example.com/?utm_source=x");
}

TEST(BuildUtmUrl, KeepsOtherParametersAndTheFragmentAndReplacesOldUtm) {
  Utm u{.source = "wechat", .medium = "social", .campaign = "618"};
  auto url = build_utm_url(
      "https://shop.example.com/item?id=42&utm_source=old&color=red&UTM_TERM=stale&utm%5Fcontent=x&utm_id=9#reviews",
      u);
  EXPECT_EQ(url, "https://shop.example.com/item?id=42&color=red&utm_source=wechat&utm_medium=social&utm_campaign=618"
                 "#reviews");
  // Empty pieces of the old query disappear, everything else is kept byte for byte.
  EXPECT_EQ(build_utm_url("https://a.example/p?&a=1&&b=%20x&#top", Utm{.source = "s"}),
            "https://a.example/p?a=1&b=%20x&utm_source=s#top");
  EXPECT_EQ(build_utm_url("https://a.example/#top", Utm{.source = "s"}), "https://a.example/?utm_source=s#top");
  // A "?" inside the fragment is not a query.
  EXPECT_EQ(build_utm_url("https://a.example/p#x?y=1", Utm{.source = "s"}), "https://a.example/p?utm_source=s#x?y=1");
}

TEST(BuildUtmUrl, PercentEncodesValuesAsQueryComponents) {
  Utm u{.source = "a b&c=d+e/f?g#h%", .campaign = "Az09-._~"};
  auto url = build_utm_url("https://example.com/", u);
  EXPECT_EQ(url, "https://example.com/?utm_source=a%20b%26c%3Dd%2Be%2Ff%3Fg%23h%25&utm_campaign=Az09-._~");
  EXPECT_EQ(target_problem(url), std::nullopt);
}

TEST(BuildUtmUrl, EncodesUtf8CampaignNames) {
  Utm u{.source = "douyin", .medium = "短视频", .campaign = "春季大促", .content = "🎉 sale"};
  auto url = build_utm_url("https://例子.中国/活动", u);
  EXPECT_NE(url.find("utm_campaign=%E6%98%A5%E5%AD%A3%E5%A4%A7%E4%BF%83"), std::string::npos) << url;
  EXPECT_NE(url.find("utm_content=%F0%9F%8E%89%20sale"), std::string::npos) << url;
  auto q = query_of(url);
  EXPECT_EQ(q.find("utm_medium")->second, "短视频");
  EXPECT_EQ(q.find("utm_campaign")->second, "春季大促");
  EXPECT_EQ(q.find("utm_content")->second, "🎉 sale");
  EXPECT_EQ(q.count("utm_term"), 0u);
}

TEST(BuildUtmUrl, RefusesBadInput) {
  try {
    build_utm_url("https://example.com/", Utm{.medium = "email"});
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("utm_source"), std::string::npos) << e.what();
  }
  try {
    build_utm_url("ftp://example.com/", Utm{.source = "x"});
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("link target"), std::string::npos) << e.what();
  }
  EXPECT_THROW(build_utm_url("https://example.com/", Utm{.source = "x", .campaign = "\xff\xfe"}), std::invalid_argument);
  EXPECT_THROW(build_utm_url("https://example.com/", Utm{.source = "\xc0\xaf"}), std::invalid_argument);  // overlong
  EXPECT_THROW(build_utm_url("https://example.com/", Utm{.source = "\xed\xa0\x80"}), std::invalid_argument);  // surrogate
  std::string long_target = "https://example.com/" + std::string(2000, 'a');
  EXPECT_THROW(build_utm_url(long_target, Utm{.source = std::string(100, 'b')}), std::invalid_argument);
}

TEST(BuildUtmUrl, WithNoFieldsReturnsTheTargetUnchanged) {
  EXPECT_EQ(build_utm_url("https://example.com/p?utm_source=keep#f", Utm{}), "https://example.com/p?utm_source=keep#f");
  EXPECT_THROW(build_utm_url("mailto:a@b.c", Utm{}), std::invalid_argument);
}

TEST(UrlHost, ReturnsTheLowerCasedHostWithoutPortOrUserinfo) {
  EXPECT_EQ(url_host("https://WWW.Example.COM:8443/x?y#z"), "www.example.com");
  EXPECT_EQ(url_host("HTTP://a.b?x=1"), "a.b");
  EXPECT_EQ(url_host("http://a.b#frag"), "a.b");
  EXPECT_EQ(url_host("http://user:pw@Host.com:80/"), "host.com");
  EXPECT_EQ(url_host("https://[2001:DB8::1]:443/"), "[2001:db8::1]");
  EXPECT_EQ(url_host("https://例子.中国/路径"), "例子.中国");
  EXPECT_EQ(url_host("ftp://example.com/"), "");
  EXPECT_EQ(url_host("example.com/path"), "");
  EXPECT_EQ(url_host("https:///path"), "");
  EXPECT_EQ(url_host(""), "");
}

}  // namespace
}  // namespace herald::campaigns::domain
