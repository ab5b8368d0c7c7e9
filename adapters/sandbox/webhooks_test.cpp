#include "adapters/sandbox/webhooks.hpp"

#include <gtest/gtest.h>

#include <mutex>

namespace herald::sandbox {
namespace {

// HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") (the Wikipedia HMAC example).
constexpr char kHex[] = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
constexpr char kBase64[] = "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=";
constexpr char kFox[] = "The quick brown fox jumps over the lazy dog";

TEST(WebhookSigning, EachPlatformsFormat) {
  EXPECT_EQ(mastodon_signature("key", kFox), std::string("sha256=") + kHex);
  EXPECT_EQ(meta_signature("key", kFox), std::string("sha256=") + kHex);
  EXPECT_EQ(x_signature("key", kFox), std::string("sha256=") + kBase64);
  EXPECT_EQ(x_crc_response_token("key", kFox), std::string("sha256=") + kBase64);
  EXPECT_NE(x_signature("other", kFox), x_signature("key", kFox));
}

TEST(WebhookSigning, WechatAndDouyinUseSha1) {
  // FIPS 180-1 test vector and the quick brown fox.
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex(kFox), "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
  // WeChat sorts token, timestamp and nonce before hashing: the order they are given in does not matter.
  EXPECT_EQ(wechat_signature("token", "1700000000", "nonce"), sha1_hex("1700000000noncetoken"));
  EXPECT_EQ(wechat_signature("nonce", "token", "1700000000"), wechat_signature("token", "1700000000", "nonce"));
  EXPECT_EQ(douyin_signature("ab", "c"), "a9993e364706816aba3e25717850c26c9cd0d89d");  // secret + body
  EXPECT_NE(douyin_signature("other", "{}"), douyin_signature("secret", "{}"));
}

struct Recorder {
  std::mutex mutex;
  std::vector<std::pair<std::string, Delivery>> sent;
  SendResult answer{200, ""};
  WebhookSender sender() {
    return [this](const std::string& url, const Delivery& d) {
      std::lock_guard lock(mutex);
      sent.emplace_back(url, d);
      return answer;
    };
  }
};

TEST(WebhookDispatcher, DeliversToThePlatformsTargetWithHeaders) {
  Recorder rec;
  WebhookDispatcher dispatcher(rec.sender());
  Delivery d;
  d.platform = "mastodon";
  d.event = "status.created";
  d.body = "{}";
  d.headers = {{"X-Hub-Signature", mastodon_signature("s", "{}")}};
  EXPECT_FALSE(dispatcher.enqueue(d));  // no target yet: nothing queued
  dispatcher.set_target("mastodon", "http://127.0.0.1:1/hook");
  EXPECT_TRUE(dispatcher.enqueue(d));
  ASSERT_TRUE(dispatcher.wait_idle(std::chrono::seconds(5)));
  ASSERT_EQ(rec.sent.size(), 1u);
  EXPECT_EQ(rec.sent[0].first, "http://127.0.0.1:1/hook");
  EXPECT_EQ(rec.sent[0].second.headers[0].second, mastodon_signature("s", "{}"));
  auto j = dispatcher.to_json();
  EXPECT_EQ(j["targets"]["mastodon"], "http://127.0.0.1:1/hook");
  EXPECT_EQ(j["deliveries"][0]["status"], 200);
  EXPECT_TRUE(j["deliveries"][0]["error"].is_null());
}

TEST(WebhookDispatcher, HandshakeQueryAndVerification) {
  Recorder rec;
  rec.answer = {200, "wrong"};
  WebhookDispatcher dispatcher(rec.sender());
  dispatcher.set_target("x", "http://127.0.0.1:1/hook?a=1");
  Delivery d;
  d.platform = "x";
  d.event = "crc";
  d.method = "GET";
  d.query = "crc_token=abc";
  d.verify = [](const SendResult& r) { return r.body == "right" ? std::string() : std::string("CRC check failed"); };
  dispatcher.enqueue(d);
  ASSERT_TRUE(dispatcher.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(rec.sent[0].first, "http://127.0.0.1:1/hook?a=1&crc_token=abc");
  EXPECT_EQ(dispatcher.to_json()["deliveries"][0]["error"], "CRC check failed");
}

TEST(WebhookDispatcher, DeliveriesGoInNotBeforeOrderAndFailuresAreRecorded) {
  Recorder rec;
  std::vector<std::string> order;
  WebhookDispatcher dispatcher([&](const std::string&, const Delivery& d) -> SendResult {
    order.push_back(d.event);
    if (d.event == "late") throw std::runtime_error("connection refused");
    return {204, ""};
  });
  dispatcher.set_target("x", "http://127.0.0.1:1/");
  auto now = std::chrono::steady_clock::now();
  Delivery late;
  late.platform = "x";
  late.event = "late";
  late.not_before = now + std::chrono::milliseconds(50);
  Delivery early = late;
  early.event = "early";
  early.not_before = now;
  dispatcher.enqueue(late);
  dispatcher.enqueue(early);
  ASSERT_TRUE(dispatcher.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(order, (std::vector<std::string>{"early", "late"}));
  auto j = dispatcher.to_json()["deliveries"];
  EXPECT_TRUE(j[1]["status"].is_null());
  EXPECT_EQ(j[1]["error"], "connection refused");
}

}  // namespace
}  // namespace herald::sandbox
