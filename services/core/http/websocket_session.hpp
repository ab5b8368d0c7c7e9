#pragma once
// One WebSocket client: a reader loop (answers pings, notices close) and a writer that drains
// a bounded queue filled by WebSocketHub::publish. A client that falls 1024 frames behind is
// disconnected rather than allowed to grow memory without bound.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>

#include "services/core/http/request.hpp"
#include "services/core/http/websocket_hub.hpp"

namespace herald::core::http {

class WebSocketSession final : public WebSocketClient,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  static constexpr std::size_t kMaxQueuedFrames = 1024;

  WebSocketSession(boost::beast::tcp_stream stream, WebSocketHub& hub, Subscriber subscriber);
  // Completes the handshake, then reads until the client goes away.
  boost::asio::awaitable<void> run(RawRequest upgrade);

  void send(std::shared_ptr<const std::string> text) override;
  void close() override;
  [[nodiscard]] const Subscriber& subscriber() const override { return subscriber_; }

 private:
  boost::asio::awaitable<void> write_loop();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  WebSocketHub& hub_;
  Subscriber subscriber_;
  std::deque<std::shared_ptr<const std::string>> queue_;  // touched only on the strand
  boost::asio::steady_timer wake_;
  bool closing_ = false;
};

}  // namespace herald::core::http
