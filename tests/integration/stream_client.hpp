#pragma once
// A client of the live-update stream (/api/v1/stream) for the integration tests.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace herald::testing {

// A client of the live-update stream (/api/v1/stream), authenticated by a session cookie.
class StreamClient {
 public:
  StreamClient(int port, const std::string& cookie) : ws_(ioc_) {
    namespace ws = boost::beast::websocket;
    boost::asio::ip::tcp::resolver resolver(ioc_);
    boost::asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws_.set_option(ws::stream_base::decorator(
        [cookie](ws::request_type& req) { req.set(boost::beast::http::field::cookie, cookie); }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/api/v1/stream");
  }
  // The next message of this type within `limit` (others are skipped), or nullopt.
  std::optional<nlohmann::json> next_of_type(const std::string& type, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      boost::beast::flat_buffer buf;
      bool done = false;
      boost::system::error_code ec;
      ws_.async_read(buf, [&](boost::system::error_code e, std::size_t) {
        ec = e;
        done = true;
      });
      ioc_.restart();
      ioc_.run_until(deadline);
      if (!done) {
        boost::beast::get_lowest_layer(ws_).cancel();
        ioc_.restart();
        ioc_.run();
        return std::nullopt;
      }
      if (ec) return std::nullopt;
      auto msg = nlohmann::json::parse(boost::beast::buffers_to_string(buf.data()), nullptr, false);
      if (msg.is_object() && msg.value("type", "") == type) return msg;
    }
    return std::nullopt;
  }

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
};

}  // namespace herald::testing
