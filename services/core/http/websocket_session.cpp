#include "services/core/http/websocket_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace herald::core::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

WebSocketSession::WebSocketSession(beast::tcp_stream stream, WebSocketHub& hub,
                                   Subscriber subscriber)
    : ws_(std::move(stream)), hub_(hub), subscriber_(std::move(subscriber)),
      wake_(ws_.get_executor()) {
  wake_.expires_at(asio::steady_timer::time_point::max());
}

asio::awaitable<void> WebSocketSession::run(RawRequest upgrade) {
  auto self = shared_from_this();
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(64 * 1024);
  boost::system::error_code ec;
  co_await ws_.async_accept(upgrade, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  hub_.join(self);
  asio::co_spawn(ws_.get_executor(), write_loop(), asio::detached);
  beast::flat_buffer buffer;
  for (;;) {
    co_await ws_.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    buffer.consume(buffer.size());  // client messages are not used yet; pings are automatic
  }
  hub_.leave(this);
  closing_ = true;
  wake_.cancel();
}

asio::awaitable<void> WebSocketSession::write_loop() {
  auto self = shared_from_this();
  boost::system::error_code ec;
  while (!closing_) {
    if (queue_.empty()) {
      co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    auto frame = queue_.front();
    queue_.pop_front();
    ws_.text(true);
    co_await ws_.async_write(asio::buffer(*frame), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  if (ws_.is_open()) {
    co_await ws_.async_close(websocket::close_code::going_away,
                             asio::redirect_error(asio::use_awaitable, ec));
  }
}

void WebSocketSession::send(std::shared_ptr<const std::string> text) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)] {
    if (self->closing_) return;
    if (self->queue_.size() >= kMaxQueuedFrames) {
      self->closing_ = true;  // too slow: drop the client, it will reconnect and resync
      self->wake_.cancel();
      return;
    }
    self->queue_.push_back(text);
    self->wake_.cancel();
  });
}

void WebSocketSession::close() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    self->wake_.cancel();
  });
}

}  // namespace herald::core::http
