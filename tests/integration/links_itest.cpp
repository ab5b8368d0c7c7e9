// Tracked short links over HTTP, as a marketer and a visitor see them: a link is made with its UTM
// parameters and a QR code; /l/{code} answers 302 to the target for anyone (no session), and the
// clicks reach the link's figures within a second, people and bots apart; bad targets are refused.
#include <chrono>
#include <thread>

#include "tests/integration/iam_helpers.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

TEST(Links, AShortLinkRedirectsAnyoneAndCountsPeopleAndBotsApart) {
  HeraldProcess herald;
  Http admin = admin_client(herald);
  auto brand = json_id(create_brand(admin, unique_slug("links")));

  auto made = admin.post("/api/v1/links", {{"brand_id", brand},
                                           {"target", "https://shop.example.com/kettle?ref=bio"},
                                           {"utm", {{"source", "weibo"}, {"medium", "social"}, {"campaign", "双十一"}}}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string code = made.json["code"];
  const std::string target = made.json["target"];
  EXPECT_EQ(target, "https://shop.example.com/kettle?ref=bio&utm_source=weibo&utm_medium=social&utm_campaign=%E5%8F%8C%E5%8D%81%E4%B8%80");
  EXPECT_EQ(made.json["short_url"], herald.base_url() + "/l/" + code);

  expect_problem(admin.post("/api/v1/links", {{"brand_id", brand}, {"target", "ftp://files.example.com/x"}}), 422, "target");
  expect_problem(admin.post("/api/v1/links", {{"brand_id", brand}, {"target", herald.base_url() + "/l/" + code}}), 422, "target");
  expect_problem(admin.post("/api/v1/links/utm", {{"target", "https://a.example/"}, {"utm", {{"medium", "social"}}}}), 422, "utm");

  Http visitor("127.0.0.1", herald.port());  // no session
  for (int i = 0; i < 3; ++i) {
    auto r = visitor.get("/l/" + code, {{"User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.40"},
                                         {"Referer", "https://weibo.com/"}});
    ASSERT_EQ(r.status, 302) << r.body;
    // (cpp-httplib 0.11 percent-decodes header values it reads: compare the decoded forms.)
    EXPECT_EQ(r.header("Location"), httplib::detail::decode_url(target, false));
  }
  EXPECT_EQ(visitor.get("/l/" + code, {{"User-Agent", "Twitterbot/1.0"}}).status, 302);
  EXPECT_EQ(visitor.get("/l/zzzzzzz").status, 404);
  EXPECT_EQ(visitor.get("/l/../../etc").status, 404);

  nlohmann::json stats;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    stats = admin.get("/api/v1/links/" + code).json;
    if (stats.value("clicks", 0) + stats.value("bot_clicks", 0) == 4) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(stats["clicks"], 3) << stats.dump();
  EXPECT_EQ(stats["bot_clicks"], 1) << stats.dump();
  ASSERT_EQ(stats["daily"].size(), 1u) << stats.dump();
  EXPECT_EQ(stats["daily"][0]["unique_visitors"], 1);
  EXPECT_EQ(stats["top_referers"][0]["referer"], "https://weibo.com/");

  auto qr = admin.get("/api/v1/links/" + code + "/qr.svg");
  EXPECT_EQ(qr.status, 200);
  EXPECT_EQ(qr.header("Content-Type"), "image/svg+xml");
  EXPECT_NE(qr.body.find("<svg"), std::string::npos);
  EXPECT_EQ(visitor.get("/api/v1/links/" + code).status, 401);
}

}  // namespace
}  // namespace herald::testing
