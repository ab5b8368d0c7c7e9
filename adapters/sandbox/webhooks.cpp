#include "adapters/sandbox/webhooks.hpp"

#include <httplib.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"

namespace herald::sandbox {

namespace crypto = core::crypto;

std::string mastodon_signature(const std::string& secret, const std::string& body) {
  return "sha256=" + crypto::hex_encode(crypto::hmac_sha256(secret, body));
}

std::string meta_signature(const std::string& secret, const std::string& body) {
  return "sha256=" + crypto::hex_encode(crypto::hmac_sha256(secret, body));
}

std::string x_signature(const std::string& secret, const std::string& body) {
  return "sha256=" + crypto::base64_encode(crypto::hmac_sha256(secret, body));
}

std::string x_crc_response_token(const std::string& secret, const std::string& crc_token) {
  return "sha256=" + crypto::base64_encode(crypto::hmac_sha256(secret, crc_token));
}

std::string sha1_hex(const std::string& data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("SHA-1 failed");
  }
  return crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(out.data()), len));
}

std::string wechat_signature(const std::string& token, const std::string& timestamp, const std::string& nonce) {
  std::array<std::string, 3> parts{token, timestamp, nonce};
  std::sort(parts.begin(), parts.end());
  return sha1_hex(parts[0] + parts[1] + parts[2]);
}

std::string douyin_signature(const std::string& secret, const std::string& body) { return sha1_hex(secret + body); }

namespace {

SendResult httplib_send(const std::string& url, const Delivery& d) {
  // Split "http://host:port/path?query" into the origin and the rest.
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw std::runtime_error("webhook URL without a scheme");
  auto path_start = url.find('/', scheme_end + 3);
  std::string origin = path_start == std::string::npos ? url : url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client client(origin);
  client.set_connection_timeout(std::chrono::seconds(3));
  client.set_read_timeout(std::chrono::seconds(10));
  client.set_write_timeout(std::chrono::seconds(10));
  httplib::Headers headers;
  for (const auto& [k, v] : d.headers) headers.emplace(k, v);
  auto res = d.method == "GET" ? client.Get(path, headers) : client.Post(path, headers, d.body, d.content_type);
  if (!res) throw std::runtime_error("delivery failed: " + httplib::to_string(res.error()));
  return {res->status, res->body};
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(WebhookSender sender)
    : sender_(sender ? std::move(sender) : WebhookSender(httplib_send)), worker_([this] { run(); }) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void WebhookDispatcher::set_target(const std::string& platform, const std::string& url) {
  std::lock_guard lock(mutex_);
  targets_[platform] = url;
}

std::optional<std::string> WebhookDispatcher::target(const std::string& platform) const {
  std::lock_guard lock(mutex_);
  auto it = targets_.find(platform);
  if (it == targets_.end()) return std::nullopt;
  return it->second;
}

bool WebhookDispatcher::enqueue(Delivery delivery) {
  {
    std::lock_guard lock(mutex_);
    if (targets_.find(delivery.platform) == targets_.end()) return false;
    auto pos = std::upper_bound(queue_.begin(), queue_.end(), delivery.not_before,
                                [](auto t, const Delivery& d) { return t < d.not_before; });
    queue_.insert(pos, std::move(delivery));
  }
  cv_.notify_all();
  return true;
}

nlohmann::json WebhookDispatcher::to_json() const {
  std::lock_guard lock(mutex_);
  nlohmann::json targets = nlohmann::json::object();
  for (const auto& [p, u] : targets_) targets[p] = u;
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : results_) {
    results.push_back({{"id", r.id},
                       {"platform", r.platform},
                       {"event", r.event},
                       {"url", r.url},
                       {"status", r.status ? nlohmann::json(*r.status) : nlohmann::json(nullptr)},
                       {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)},
                       {"delivered_at", r.delivered_at}});
  }
  return {{"targets", targets}, {"pending", queue_.size()}, {"deliveries", results}};
}

bool WebhookDispatcher::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [this] { return queue_.empty() && !busy_; });
}

void WebhookDispatcher::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) return;
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto due = queue_.front().not_before;
    if (std::chrono::steady_clock::now() < due) {
      cv_.wait_until(lock, due);
      continue;
    }
    Delivery d = std::move(queue_.front());
    queue_.pop_front();
    std::string url = targets_[d.platform];
    if (!d.query.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + d.query;
    busy_ = true;
    lock.unlock();
    DeliveryResult r;
    r.platform = d.platform;
    r.event = d.event;
    r.url = url;
    try {
      auto answer = sender_(url, d);
      r.status = answer.status;
      if (d.verify) r.error = d.verify(answer);
    } catch (const std::exception& e) {
      r.error = e.what();
    }
    r.delivered_at = iso8601_ms(std::chrono::system_clock::now());
    lock.lock();
    busy_ = false;
    r.id = ++next_id_;
    results_.push_back(std::move(r));
    while (results_.size() > 1000) results_.pop_front();
    cv_.notify_all();
  }
}

}  // namespace herald::sandbox
