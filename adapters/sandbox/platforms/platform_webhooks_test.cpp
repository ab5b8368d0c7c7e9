// The webhooks of the Instagram, WeChat and Douyin emulators, received by a real local server: each
// platform's registration handshake (Meta's hub.challenge, WeChat's echostr, Douyin's verify_webhook) and a
// generated event signed the platform's way.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "adapters/sandbox/platforms/platforms_test_fixture.hpp"
#include "adapters/sandbox/webhooks.hpp"

namespace herald::sandbox {
namespace {

using nlohmann::json;

struct Received {
  std::string path;
  httplib::Params query;
  httplib::Headers headers;
  std::string body;
};

class PlatformWebhooks : public ::testing::Test, public testing::SandboxFixture {
 protected:
  void SetUp() override {
    receiver_.Get(R"(/(\w+))", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      if (req.has_param("hub.challenge")) res.set_content(req.get_param_value("hub.challenge"), "text/plain");
      if (req.has_param("echostr")) res.set_content(req.get_param_value("echostr"), "text/plain");
    });
    receiver_.Post(R"(/(\w+))", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      auto j = json::parse(req.body, nullptr, false);
      if (j.is_object() && j.value("event", "") == "verify_webhook") {
        res.set_content(json({{"challenge", j["content"]["challenge"]}}).dump(), "application/json");
      } else {
        res.set_content("success", "text/plain");
      }
    });
    port_ = receiver_.bind_to_any_port("127.0.0.1");
    serving_ = std::thread([this] { receiver_.listen_after_bind(); });
  }
  void TearDown() override {
    receiver_.stop();
    serving_.join();
  }
  void record(const httplib::Request& req) {
    std::lock_guard lock(mutex_);
    got_.push_back({req.path, req.params, req.headers, req.body});
  }
  std::vector<Received> received(const std::string& path) {
    std::lock_guard lock(mutex_);
    std::vector<Received> out;
    for (const auto& r : got_) {
      if (r.path == path) out.push_back(r);
    }
    return out;
  }
  void hook(const std::string& platform) {
    ASSERT_EQ(
        control_post("/_sandbox/webhooks",
                     {{"platform", platform}, {"url", "http://127.0.0.1:" + std::to_string(port_) + "/" + platform}})
            ->status,
        200);
  }
  void generate(const std::string& platform, const std::string& kind) {
    ASSERT_EQ(control_post("/_sandbox/generate", {{"platform", platform},
                                                  {"handle", "demo_" + platform},
                                                  {"kind", kind},
                                                  {"count", 1},
                                                  {"delivery", "webhook"}})
                  ->status,
              200);
  }
  static std::string header(const Received& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
  }

  httplib::Server receiver_;
  std::thread serving_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Received> got_;
};

TEST_F(PlatformWebhooks, HandshakesPassAndEventsAreSignedAsEachPlatformSigns) {
  for (const char* p : {"instagram", "wechat", "douyin"}) hook(p);
  generate("instagram", "comment");
  generate("wechat", "dm");
  generate("douyin", "comment");
  ASSERT_TRUE(app().webhooks().wait_idle(std::chrono::seconds(10)));

  auto ig = received("/instagram");
  ASSERT_EQ(ig.size(), 2u);  // the hub.challenge GET, then the comment
  EXPECT_EQ(ig[0].query.find("hub.verify_token")->second, "sandbox-secret");
  EXPECT_EQ(header(ig[1], "X-Hub-Signature-256"), meta_signature("sandbox-secret", ig[1].body));
  auto entry = json::parse(ig[1].body);
  EXPECT_EQ(entry["object"], "instagram");
  EXPECT_EQ(entry["entry"][0]["changes"][0]["field"], "comments");
  EXPECT_FALSE(entry["entry"][0]["changes"][0]["value"]["media"]["id"].get<std::string>().empty());

  auto wx = received("/wechat");
  ASSERT_EQ(wx.size(), 2u);  // the echostr GET, then the message
  for (const auto& r : wx) {
    auto q = [&](const char* k) { return r.query.find(k)->second; };
    EXPECT_EQ(q("signature"), wechat_signature("sandbox-secret", q("timestamp"), q("nonce")));
  }
  EXPECT_EQ(header(wx[1], "Content-Type"), "text/xml");
  EXPECT_NE(wx[1].body.find("<MsgType><![CDATA[text]]></MsgType>"), std::string::npos);
  EXPECT_NE(wx[1].body.find("<FromUserName><![CDATA[o"), std::string::npos);  // an openid
  EXPECT_EQ(wx[1].query.find("openid")->second, "herald-wechat");

  auto dy = received("/douyin");
  ASSERT_EQ(dy.size(), 2u);  // verify_webhook, then the comment
  for (const auto& r : dy) EXPECT_EQ(header(r, "X-Douyin-Signature"), douyin_signature("sandbox-secret", r.body));
  auto event = json::parse(dy[1].body);
  EXPECT_EQ(event["event"], "item_comment_reply");
  EXPECT_EQ(event["client_key"], "herald-douyin");
  EXPECT_EQ(json::parse(event["content"].get<std::string>())["comment_id"].get<std::string>().front(), '@');

  // Every handshake was answered correctly: no delivery recorded an error.
  auto deliveries = json::parse(client("control").Get("/_sandbox/webhooks")->body)["deliveries"];
  ASSERT_EQ(deliveries.size(), 6u);
  for (const auto& d : deliveries) EXPECT_TRUE(d["error"].is_null()) << d.dump();
}

TEST_F(PlatformWebhooks, PlatformsWithoutWebhooksOrAKindSayWhy) {
  hook("wechat");
  auto mention = control_post("/_sandbox/generate",
                              {{"platform", "wechat"}, {"handle", "demo_wechat"}, {"kind", "mention"}, {"count", 1}});
  EXPECT_EQ(mention->status, 422);
  auto weibo = control_post(
      "/_sandbox/generate",
      {{"platform", "weibo"}, {"handle", "demo_weibo"}, {"kind", "comment"}, {"count", 1}, {"delivery", "webhook"}});
  EXPECT_EQ(weibo->status, 422);  // Weibo has no webhooks in the sandbox
  auto dm = control_post("/_sandbox/generate",
                         {{"platform", "linkedin"}, {"handle", "demo_linkedin"}, {"kind", "dm"}, {"count", 1}});
  EXPECT_EQ(dm->status, 422);
}

}  // namespace
}  // namespace herald::sandbox
