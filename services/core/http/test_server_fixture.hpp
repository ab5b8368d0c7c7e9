#pragma once
// Test helpers for the HTTP server tests (header-only, used by *_test.cpp in this folder):
// - TestServer: a real Server on 127.0.0.1, port 0, io_threads 2, run() on a background thread,
//   with a captured log, its own metrics registry, router and WebSocket hub;
// - HttpClient: a synchronous client whose every operation has a deadline (Beast tcp_stream
//   timeouts on a private io_context), so a misbehaving server fails a test instead of hanging it;
// - eventually(): bounded polling for conditions that become true asynchronously.
#include <utility>  // before Asio/Beast with GCC 12 (std::exchange)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "services/core/config/config.hpp"
#include "services/core/http/request.hpp"
#include "services/core/http/router.hpp"
#include "services/core/http/server.hpp"
#include "services/core/http/websocket_hub.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"

namespace herald::core::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Headers = std::vector<std::pair<std::string, std::string>>;

// Upper bound for any single client operation; only reached when something is broken.
inline constexpr std::chrono::milliseconds kIoTimeout{3000};

// Generous defaults so that only the timeout a test is about can fire.
inline config::HttpConfig test_http_config() {
  config::HttpConfig c;
  c.listen_address = "127.0.0.1";
  c.port = 0;
  c.io_threads = 2;
  c.read_timeout = std::chrono::milliseconds(5000);
  c.idle_timeout = std::chrono::milliseconds(5000);
  c.drain_timeout = std::chrono::milliseconds(2000);
  return c;
}

// Polls `condition` every 2 ms until it holds or `timeout` passes; returns its last value.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = kIoTimeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// Runs the operation `start` begins (it receives a completion handler) until it completes, and
// returns its error (and, if asked, the bytes it transferred). The caller has put a deadline on
// the stream; should that not fire, `cancel` (which closes the socket) ends the operation after
// a hard limit and the result is timed_out, so a broken server fails a test but never hangs it.
template <class Start>
boost::system::error_code run_op(asio::io_context& ioc, Start&& start,
                                 const std::function<void()>& cancel,
                                 std::size_t* bytes = nullptr) {
  boost::system::error_code result;
  bool done = false;
  std::forward<Start>(start)([&result, &done, bytes](boost::system::error_code ec, auto... n) {
    result = ec;
    done = true;
    if constexpr (sizeof...(n) == 1) {
      if (bytes != nullptr) ((*bytes = static_cast<std::size_t>(n)), ...);
    }
  });
  // Only until this operation completes: other work (say a WebSocket timer) may stay pending.
  auto pump = [&ioc, &done](std::chrono::steady_clock::duration limit) {
    ioc.restart();
    auto until = std::chrono::steady_clock::now() + limit;
    while (!done && ioc.run_one_until(until) > 0) {
    }
  };
  pump(kIoTimeout + std::chrono::seconds(2));
  if (done) return result;
  cancel();
  pump(std::chrono::seconds(2));
  return asio::error::timed_out;
}

class TestServer {
 public:
  explicit TestServer(config::HttpConfig config = test_http_config())
      : config_(std::move(config)),
        logger_("herald-http-test", [lines = log_](std::string_view line) { lines->add(line); }) {}
  ~TestServer() { stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  Router router;
  metrics::Registry metrics;
  WebSocketHub hub;  // declared before the server: it must outlive the sessions

  // Builds the server (after the routes are added), lets `configure` adjust it, then starts
  // listening and runs it on a background thread.
  void start(const std::function<void(Server&)>& configure = {}) {
    server_ = std::make_unique<Server>(config_, router, logger_, metrics);
    if (configure) configure(*server_);
    server_->start();
    thread_ = std::thread([this] {
      server_->run(false);
      run_returned_at_ = std::chrono::steady_clock::now();
    });
  }

  // Starts the graceful shutdown and returns at once.
  void begin_shutdown() {
    shutdown_called_at_ = std::chrono::steady_clock::now();
    server_->shutdown();
  }

  // Waits for run() to return; the result is how long after begin_shutdown() it did.
  std::chrono::milliseconds join() {
    if (thread_.joinable()) thread_.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(run_returned_at_ -
                                                                 shutdown_called_at_);
  }

  // Shuts down (if not already), joins and destroys the server, closing every socket.
  void stop() {
    if (!server_) return;
    if (thread_.joinable()) {
      if (shutdown_called_at_ == std::chrono::steady_clock::time_point{}) begin_shutdown();
      join();
    }
    server_.reset();
  }

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] Server& server() { return *server_; }
  [[nodiscard]] const config::HttpConfig& config() const { return config_; }

  // Every log record so far (JSON text, one per entry).
  [[nodiscard]] std::vector<std::string> log_lines() const { return log_->snapshot(); }
  [[nodiscard]] bool logged(std::string_view needle) const {
    for (const auto& line : log_lines()) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  }

 private:
  struct LogLines {
    void add(std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    }
    std::vector<std::string> snapshot() {
      std::lock_guard lock(mutex);
      return lines;
    }
    std::mutex mutex;
    std::vector<std::string> lines;
  };

  config::HttpConfig config_;
  std::shared_ptr<LogLines> log_ = std::make_shared<LogLines>();
  log::Logger logger_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::chrono::steady_clock::time_point shutdown_called_at_{};
  std::chrono::steady_clock::time_point run_returned_at_{};
};

inline RawRequest make_request(beast_http::verb method, std::string target,
                               const Headers& headers = {}, std::string body = {}) {
  RawRequest req{method, target, 11};
  req.set(beast_http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == beast_http::verb::post || method == beast_http::verb::put) {
    req.body() = std::move(body);
    req.prepare_payload();
  }
  return req;
}

// One client connection. Transport failures throw std::runtime_error (gtest reports them as
// test failures); the try_* variants return them as values for tests that expect them.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : stream_(ioc_) {
    auto ec = run_op(
        ioc_,
        [&](auto handler) {
          stream_.expires_after(kIoTimeout);
          stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                std::move(handler));
        },
        cancel_);
    if (ec) throw std::runtime_error("connect failed: " + ec.message());
  }

  // Connects a fresh socket and returns the outcome (e.g. connection_refused).
  static boost::system::error_code try_connect(std::uint16_t port) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    return ec;
  }

  void send_raw(std::string_view bytes) {
    auto ec = run_op(
        ioc_,
        [&](auto handler) {
          stream_.expires_after(kIoTimeout);
          asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()), std::move(handler));
        },
        cancel_);
    if (ec) throw std::runtime_error("write failed: " + ec.message());
  }

  void send(RawRequest& req) {
    auto ec = run_op(
        ioc_,
        [&](auto handler) {
          stream_.expires_after(kIoTimeout);
          beast_http::async_write(stream_, req, std::move(handler));
        },
        cancel_);
    if (ec) throw std::runtime_error("write failed: " + ec.message());
  }

  boost::system::error_code try_read(Response& out,
                                     std::chrono::milliseconds timeout = kIoTimeout) {
    out = {};
    return run_op(
        ioc_,
        [&](auto handler) {
          stream_.expires_after(timeout);
          beast_http::async_read(stream_, buffer_, out, std::move(handler));
        },
        cancel_);
  }

  Response read(std::chrono::milliseconds timeout = kIoTimeout) {
    Response res;
    auto ec = try_read(res, timeout);
    if (ec) throw std::runtime_error("read failed: " + ec.message());
    return res;
  }

  // Sends a request and reads its response.
  Response request(beast_http::verb method, const std::string& target, const Headers& headers = {},
                   std::string body = {}) {
    auto req = make_request(method, target, headers, std::move(body));
    send(req);
    return read();
  }
  Response get(const std::string& target, const Headers& headers = {}) {
    return request(beast_http::verb::get, target, headers);
  }

  // Everything the server sends until it closes the connection (EOF or reset); nullopt if it is
  // still open when `timeout` passes.
  std::optional<std::string> read_until_closed(std::chrono::milliseconds timeout = kIoTimeout) {
    std::string out = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      char chunk[4096];
      std::size_t got = 0;
      auto ec = run_op(
          ioc_,
          [&](auto handler) {
            stream_.expires_at(deadline);
            stream_.async_read_some(asio::buffer(chunk), std::move(handler));
          },
          cancel_, &got);
      out.append(chunk, got);
      if (ec == asio::error::eof || ec == asio::error::connection_reset) return out;
      if (ec) return std::nullopt;  // timeout (or another failure): not closed in time
    }
  }

  void shutdown_send() {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::function<void()> cancel_ = [this] {
    boost::system::error_code ignored;
    stream_.socket().close(ignored);
  };
};

}  // namespace herald::core::http::testing
