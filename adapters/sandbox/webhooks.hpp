#pragma once
// Outbound webhooks: the signatures each platform puts on its deliveries, and a dispatcher that
// POSTs them (from its own thread, never an I/O thread) to the URL set with POST /_sandbox/webhooks.
//   Mastodon  X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, body)>
//             (app/workers/webhooks/delivery_worker.rb)
//   Meta      X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>
//             (developers.facebook.com/docs/graph-api/webhooks/getting-started)
//   X         x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, body)>;
//             CRC: response_token = sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>
//             (docs.x.com/x-api/webhooks: securing webhooks / challenge response check)
//   WeChat    ?signature=<hex SHA-1 of the sorted concatenation of token, timestamp, nonce>&timestamp&nonce
//             (developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html)
//   Douyin    X-Douyin-Signature: <hex SHA-1(client secret + body)>
//             (developer.open-douyin.com/docs/resource/zh-CN/dop/develop/webhooks/summarize)
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace herald::sandbox {

[[nodiscard]] std::string mastodon_signature(const std::string& secret, const std::string& body);
[[nodiscard]] std::string meta_signature(const std::string& secret, const std::string& body);
[[nodiscard]] std::string x_signature(const std::string& secret, const std::string& body);
[[nodiscard]] std::string x_crc_response_token(const std::string& secret, const std::string& crc_token);
[[nodiscard]] std::string sha1_hex(const std::string& data);
[[nodiscard]] std::string wechat_signature(const std::string& token, const std::string& timestamp,
                                           const std::string& nonce);
[[nodiscard]] std::string douyin_signature(const std::string& secret, const std::string& body);

struct SendResult {
  int status = 0;
  std::string body;
};

struct Delivery {
  std::string platform;
  std::string event;            // e.g. "status.created", "tweet_create_events", "feed", "crc"
  std::string method = "POST";  // "GET" for handshakes (X's CRC, Meta's hub.challenge)
  std::string query;            // appended to the target URL (handshakes, WeChat's signature)
  std::string body;
  std::string content_type = "application/json";  // WeChat's server messages are text/xml
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::steady_clock::time_point not_before{};
  // Checks the receiver's answer (handshakes); returns an error text, empty when it is right.
  std::function<std::string(const SendResult&)> verify;
};

struct DeliveryResult {
  std::uint64_t id = 0;
  std::string platform;
  std::string event;
  std::string url;
  std::optional<int> status;  // null: connection failed
  std::string error;
  std::string delivered_at;
};

// Sends one request to `url` (the target plus the delivery's query); throws std::runtime_error when
// no answer comes. Replaceable in tests.
using WebhookSender = std::function<SendResult(const std::string& url, const Delivery& delivery)>;

class WebhookDispatcher {
 public:
  explicit WebhookDispatcher(WebhookSender sender = {});
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void set_target(const std::string& platform, const std::string& url);
  [[nodiscard]] std::optional<std::string> target(const std::string& platform) const;
  // Queues a delivery for the platform's target; false (and nothing queued) if it has none.
  bool enqueue(Delivery delivery);
  // Targets and the most recent results (GET /_sandbox/webhooks).
  [[nodiscard]] nlohmann::json to_json() const;
  // Waits until the queue is empty (tests); false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);
  void stop();

 private:
  void run();

  WebhookSender sender_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::string, std::string> targets_;
  std::deque<Delivery> queue_;  // kept ordered by not_before
  std::deque<DeliveryResult> results_;
  std::uint64_t next_id_ = 0;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace herald::sandbox
