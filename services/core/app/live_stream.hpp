#pragma once
// Live updates across processes. A module's change (a freeze, an inbox item, a campaign) is
// published here; it reaches the WebSocket clients of this process at once and, through the Redis
// stream `<prefix>:live`, those of every other Herald process (several gateways behind a load
// balancer, the inbox's background process beside them). Each process reads the stream from
// where it joined, skips what it published itself, and hands the rest to its WebSocketHub, whose
// subscriber filters decide who may see it, as for a local change.
//
// publish() never blocks on Redis (it may be called from any thread): entries are queued and
// written by a writer thread. The reader thread blocks in XREAD with its own connection. When Redis
// is unreachable, local clients are still served; the writer keeps at most kMaxQueued entries
// (the oldest are dropped and counted), the reader resumes after the last entry it saw, and the
// web app refetches what it shows when its socket reconnects.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "services/core/http/websocket_hub.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"
#include "services/core/redis/options.hpp"

namespace herald::core {

struct LiveStreamOptions {
  redis::Options redis;      // the reader and the writer each open one connection with these
  std::string key_prefix;    // the stream is <key_prefix>:live
  std::size_t max_length = 10000;                         // MAXLEN ~ of the stream
  std::chrono::milliseconds block{1000};                  // XREAD BLOCK
  std::chrono::milliseconds retry{500};                   // pause after a Redis failure
};

class LiveStream {
 public:
  static constexpr std::size_t kMaxQueued = 10000;

  LiveStream(LiveStreamOptions options, http::WebSocketHub& hub, log::Logger& logger, metrics::Registry& metrics);
  ~LiveStream();
  LiveStream(const LiveStream&) = delete;
  LiveStream& operator=(const LiveStream&) = delete;

  // Delivers `text` to this process's clients that may see `scope` and queues it for the others.
  void publish(const std::string& scope, std::string text);

  // Starts the reader and the writer (idempotent). Until then publish() delivers locally and
  // queues. The reader starts after the stream's newest entry at the time it first reaches Redis.
  void start();
  // Stops both threads (idempotent); what is still queued is written first, within one attempt.
  void stop();

  [[nodiscard]] const std::string& stream() const { return stream_; }
  [[nodiscard]] const std::string& origin() const { return origin_; }
  // True once the reader has reached Redis and knows where it starts (for tests and readiness).
  [[nodiscard]] bool reading() const;

 private:
  void read_loop();
  void write_loop();
  bool sleep_unless_stopping(std::chrono::milliseconds d);

  LiveStreamOptions options_;
  http::WebSocketHub& hub_;
  log::Logger& logger_;
  std::string stream_;
  std::string origin_;  // this process's id on the stream
  metrics::Counter& relayed_in_;
  metrics::Counter& relayed_out_;
  metrics::Counter& dropped_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::string, std::string>> queue_;  // (scope, text)
  bool started_ = false;
  bool stopping_ = false;
  bool reading_ = false;
  std::thread reader_;
  std::thread writer_;
};

}  // namespace herald::core
