#include <utility>  // before Asio/Beast with GCC 12 (std::exchange)

#include "services/core/http/websocket_hub.hpp"

#include <gtest/gtest.h>

#include <boost/beast/websocket.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "services/core/http/problem.hpp"
#include "services/core/http/server.hpp"
#include "services/core/http/test_server_fixture.hpp"

namespace herald::core::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using namespace std::chrono_literals;
using beast_http::verb;
using nlohmann::json;
using testing::eventually;
using testing::HttpClient;
using testing::kIoTimeout;
using testing::TestServer;
namespace websocket = boost::beast::websocket;

constexpr const char* kStreamPath = "/api/v1/stream";

// A synchronous WebSocket client; every operation has a deadline.
class WsClient {
 public:
  explicit WsClient(std::uint16_t port, const std::string& target) : ws_(ioc_) {
    // Bounds the closing handshake too (Beast's teardown reads the raw socket, without the
    // tcp_stream deadline).
    ws_.set_option(websocket::stream_base::timeout{kIoTimeout, websocket::stream_base::none(), false});
    auto& tcp_stream = beast::get_lowest_layer(ws_);
    auto ec = testing::run_op(
        ioc_,
        [&](auto handler) {
          tcp_stream.expires_after(kIoTimeout);
          tcp_stream.async_connect(
              asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
              std::move(handler));
        },
        cancel_);
    if (!ec) {
      ec = testing::run_op(
          ioc_,
          [&](auto handler) {
            tcp_stream.expires_after(kIoTimeout);
            ws_.async_handshake(response_, "127.0.0.1", target, std::move(handler));
          },
          cancel_);
    }
    handshake_error_ = ec;
  }

  [[nodiscard]] boost::system::error_code handshake_error() const { return handshake_error_; }
  [[nodiscard]] const websocket::response_type& handshake_response() const { return response_; }

  struct Message {
    boost::system::error_code ec;
    std::string text;
  };
  Message read(std::chrono::milliseconds timeout = kIoTimeout) {
    beast::flat_buffer buffer;
    Message m;
    m.ec = testing::run_op(
        ioc_,
        [&](auto handler) {
          beast::get_lowest_layer(ws_).expires_after(timeout);
          ws_.async_read(buffer, std::move(handler));
        },
        cancel_);
    m.text = beast::buffers_to_string(buffer.data());
    return m;
  }

  boost::system::error_code close() {
    return testing::run_op(
        ioc_,
        [&](auto handler) {
          beast::get_lowest_layer(ws_).expires_after(kIoTimeout);
          ws_.async_close(websocket::close_code::normal, std::move(handler));
        },
        cancel_);
  }

  [[nodiscard]] websocket::close_reason reason() const { return ws_.reason(); }

 private:
  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  websocket::response_type response_;
  boost::system::error_code handshake_error_;
  std::function<void()> cancel_ = [this] {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  };
};

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.router.add(verb::get, "/hello", [](Request& req) -> asio::awaitable<Response> {
      co_return empty_response(req, 204);
    });
    server_.start([this](Server& s) {
      // ?token=alice sees brand-a and global events; ?token=bob sees everything.
      s.enable_websocket(kStreamPath, server_.hub, [](Request& req) -> asio::awaitable<Subscriber> {
        auto token = req.query_param("token");
        if (!token) unauthorized("a token is required");
        if (*token == "alice") {
          co_return Subscriber{"alice", [](const std::string& scope) {
                                 return scope.empty() || scope == "brand-a";
                               }};
        }
        if (*token == "bob") co_return Subscriber{"bob", nullptr};
        forbidden("unknown token");
      });
    });
  }

  std::string target(const std::string& token) const {
    return std::string(kStreamPath) + "?token=" + token;
  }

  // Connects and waits until the server has registered the client with the hub.
  std::unique_ptr<WsClient> connect(const std::string& token) {
    auto before = server_.hub.size();
    auto client = std::make_unique<WsClient>(server_.port(), target(token));
    EXPECT_FALSE(client->handshake_error()) << client->handshake_error().message();
    EXPECT_TRUE(eventually([&] { return server_.hub.size() == before + 1; }));
    return client;
  }

  TestServer server_;
};

TEST_F(WebSocketTest, RefusedUpgradeIsAProblemResponseNotAnUpgrade) {
  HttpClient c(server_.port());
  auto res = c.get(kStreamPath, {{"Connection", "Upgrade"},
                                 {"Upgrade", "websocket"},
                                 {"Sec-WebSocket-Version", "13"},
                                 {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  EXPECT_EQ(res.result_int(), 401U);
  EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
  EXPECT_EQ(res.find(beast_http::field::sec_websocket_accept), res.end());
  auto doc = json::parse(res.body());
  EXPECT_EQ(doc["detail"], "a token is required");
  EXPECT_EQ(doc["instance"], kStreamPath);
  EXPECT_EQ(c.read_until_closed(), "");
  EXPECT_EQ(server_.hub.size(), 0U);
}

TEST_F(WebSocketTest, WebSocketClientSeesTheRefusalStatus) {
  WsClient refused(server_.port(), target("mallory"));
  EXPECT_EQ(refused.handshake_error(), websocket::error::upgrade_declined);
  EXPECT_EQ(refused.handshake_response().result_int(), 403U);
  EXPECT_EQ(server_.hub.size(), 0U);
}

TEST_F(WebSocketTest, OtherPathsAndPlainRequestsStillReachTheRouter) {
  HttpClient c(server_.port());
  EXPECT_EQ(c.get("/hello").result_int(), 204U);
  // A plain GET on the stream path is not an upgrade: the router has no such route.
  EXPECT_EQ(c.get(kStreamPath).result_int(), 404U);
}

TEST_F(WebSocketTest, ClientsReceiveOnlyWhatTheirFilterAllows) {
  auto alice = connect("alice");
  auto bob = connect("bob");

  EXPECT_EQ(server_.hub.publish("brand-b", R"({"event":"b1"})"), 1U);  // bob only
  EXPECT_EQ(server_.hub.publish("brand-a", R"({"event":"a1"})"), 2U);
  EXPECT_EQ(server_.hub.publish("", R"({"event":"global"})"), 2U);

  // Frames arrive in order, so if alice had been sent b1 she would read it first.
  auto a1 = alice->read();
  ASSERT_FALSE(a1.ec) << a1.ec.message();
  EXPECT_EQ(a1.text, R"({"event":"a1"})");
  EXPECT_EQ(alice->read().text, R"({"event":"global"})");

  EXPECT_EQ(bob->read().text, R"({"event":"b1"})");
  EXPECT_EQ(bob->read().text, R"({"event":"a1"})");
  EXPECT_EQ(bob->read().text, R"({"event":"global"})");
}

TEST_F(WebSocketTest, BroadcastReachesEveryClient) {
  auto first = connect("bob");
  auto second = connect("bob");
  EXPECT_EQ(server_.hub.publish("brand-z", "hello all"), 2U);
  EXPECT_EQ(first->read().text, "hello all");
  EXPECT_EQ(second->read().text, "hello all");
}

TEST_F(WebSocketTest, ClientThatClosesLeavesTheHub) {
  auto staying = connect("bob");
  auto leaving = connect("alice");
  ASSERT_EQ(server_.hub.size(), 2U);
  EXPECT_FALSE(leaving->close());
  EXPECT_TRUE(eventually([&] { return server_.hub.size() == 1U; }));
  EXPECT_EQ(server_.hub.publish("brand-a", "still here"), 1U);
  EXPECT_EQ(staying->read().text, "still here");
}

TEST_F(WebSocketTest, ShutdownSendsEveryClientACloseFrame) {
  auto first = connect("alice");
  auto second = connect("bob");
  server_.begin_shutdown();
  for (auto* c : {first.get(), second.get()}) {
    auto m = c->read();
    EXPECT_EQ(m.ec, websocket::error::closed) << m.ec.message();
    EXPECT_EQ(c->reason().code, websocket::close_code::going_away);
  }
  EXPECT_LT(server_.join(), server_.config().drain_timeout);
}

}  // namespace
}  // namespace herald::core::http
