#pragma once
// The HTTP/WebSocket server every Herald process runs (Boost.Beast, C++20 coroutines).
// - one strand per connection, `io_threads` threads on one io_context;
// - header limit 16 KiB, body limit and read/idle timeouts from HttpConfig;
// - handlers' HttpError -> problem+json, anything else -> 500 with the trace id only;
// - shutdown(): stop accepting, let in-flight requests finish within drain_timeout, then stop.
#include <utility>

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "services/core/config/config.hpp"
#include "services/core/http/router.hpp"
#include "services/core/http/websocket_hub.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"

namespace herald::core::http {

// Decides whether a WebSocket upgrade is allowed (throw HttpError to refuse) and who it is.
using WebSocketAuthorizer = std::function<boost::asio::awaitable<Subscriber>(Request&)>;

class Server {
 public:
  Server(config::HttpConfig config, Router& router, log::Logger& logger,
         metrics::Registry& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Accept WebSocket upgrades on `path`; connected clients join `hub`.
  void enable_websocket(std::string path, WebSocketHub& hub, WebSocketAuthorizer authorize);
  // Called once when shutdown begins (stop background loops), on an I/O thread.
  void on_shutdown(std::function<void()> hook);

  // Binds and listens (port 0 picks a free port); writes port_file if configured.
  void start();
  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Runs the I/O threads until shutdown completes. With handle_signals, SIGINT/SIGTERM drain.
  void run(bool handle_signals = true);
  // Graceful stop; safe to call from any thread, more than once.
  void shutdown();

  [[nodiscard]] boost::asio::io_context& io_context() { return ioc_; }
  [[nodiscard]] std::int64_t active_requests() const { return active_requests_.load(); }

 private:
  struct RouteStats;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<Response> dispatch(Request& req);
  boost::asio::awaitable<void> drain();
  RouteStats& stats_for(const std::string& route, const std::string& method);

  config::HttpConfig config_;
  Router& router_;
  log::Logger& logger_;
  metrics::Registry& metrics_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::string ws_path_;
  WebSocketHub* hub_ = nullptr;
  WebSocketAuthorizer ws_authorize_;
  std::vector<std::function<void()>> shutdown_hooks_;
  std::atomic<bool> draining_{false};
  std::atomic<std::int64_t> active_requests_{0};
  std::atomic<std::int64_t> connections_{0};
  std::unordered_map<std::string, std::unique_ptr<RouteStats>> stats_;
  std::mutex stats_mutex_;
  metrics::Gauge* connections_gauge_;
  metrics::Counter* rejected_connections_;
};

}  // namespace herald::core::http
