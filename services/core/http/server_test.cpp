#include <utility>  // before Asio/Beast with GCC 12 (std::exchange)

#include "services/core/http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "services/core/http/problem.hpp"
#include "services/core/http/test_server_fixture.hpp"

namespace herald::core::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using beast_http::verb;
using nlohmann::json;
using testing::eventually;
using testing::HttpClient;
using testing::TestServer;

asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(d);
  co_await timer.async_wait(asio::use_awaitable);
}

json body_of(const Response& res) { return json::parse(res.body()); }
bool is_hex_trace_id(const std::string& s) {
  return s.size() == 16 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

class ServerTest : public ::testing::Test {
 protected:
  // Starts a server with the test routes and `config` (see test_http_config for the defaults).
  TestServer& start(config::HttpConfig config = testing::test_http_config()) {
    server_ = std::make_unique<TestServer>(std::move(config));
    auto& r = server_->router;
    r.add(verb::get, "/hello", [](Request& req) -> asio::awaitable<Response> {
      json body{{"hello", "world"}};
      co_return json_response(req, 200, body);
    });
    r.add(verb::delete_, "/hello", [](Request& req) -> asio::awaitable<Response> {
      co_return empty_response(req, 204);
    });
    r.add(verb::get, "/echo/{name}", [](Request& req) -> asio::awaitable<Response> {
      json body{{"name", req.param("name")}, {"q", req.query_param("q").value_or("")}};
      co_return json_response(req, 200, body);
    });
    r.add(verb::post, "/items", [](Request& req) -> asio::awaitable<Response> {
      json body{{"received", req.raw.body().size()}};
      co_return json_response(req, 201, body);
    });
    r.add(verb::get, "/conflict", [](Request&) -> asio::awaitable<Response> {
      conflict("slug already taken");
      co_return Response{};
    });
    r.add(verb::get, "/invalid", [](Request&) -> asio::awaitable<Response> {
      invalid_field("title", "is required");
      co_return Response{};
    });
    r.add(verb::get, "/boom", [](Request&) -> asio::awaitable<Response> {
      throw std::runtime_error("connection to 10.1.2.3 failed: internal-detail-xyzzy");
      co_return Response{};
    });
    r.add(verb::get, "/slow", [this](Request& req) -> asio::awaitable<Response> {
      slow_started_ = true;
      co_await sleep_for(300ms);
      json body{{"slow", "done"}};
      co_return json_response(req, 200, body);
    });
    r.add(verb::get, "/stuck", [this](Request& req) -> asio::awaitable<Response> {
      slow_started_ = true;
      co_await sleep_for(1h);
      co_return empty_response(req, 204);
    });
    server_->start();
    return *server_;
  }

  double requests_total(const std::string& method, const std::string& route,
                        const std::string& status_class) {
    return server_->metrics
        .counter("herald_http_requests_total", "",
                 {{"method", method}, {"route", route}, {"status", status_class}})
        .value();
  }

  std::unique_ptr<TestServer> server_;
  std::atomic<bool> slow_started_{false};
};

TEST_F(ServerTest, RouteAnswers200WithStandardHeaders) {
  auto& s = start();
  HttpClient c(s.port());
  auto res = c.get("/echo/caf%C3%A9?q=a+b");
  EXPECT_EQ(res.result_int(), 200U);
  EXPECT_EQ(res[beast_http::field::content_type], "application/json");
  EXPECT_EQ(res[beast_http::field::server], "herald");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(body_of(res), (json{{"name", "caf\xC3\xA9"}, {"q", "a b"}}));
}

TEST_F(ServerTest, UnknownPathIs404ProblemJson) {
  auto& s = start();
  HttpClient c(s.port());
  auto res = c.get("/nope?x=1");
  EXPECT_EQ(res.result_int(), 404U);
  EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
  auto doc = body_of(res);
  EXPECT_EQ(doc["status"], 404);
  EXPECT_EQ(doc["instance"], "/nope");
  EXPECT_EQ(doc["trace_id"], std::string(res["X-Trace-Id"]));
}

TEST_F(ServerTest, WrongMethodIs405WithAllowHeader) {
  auto& s = start();
  HttpClient c(s.port());
  auto res = c.request(verb::put, "/hello", {}, "{}");
  EXPECT_EQ(res.result_int(), 405U);
  EXPECT_EQ(res[beast_http::field::allow], "GET, DELETE");
  EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
  EXPECT_EQ(body_of(res)["status"], 405);
}

TEST_F(ServerTest, HttpErrorBecomesItsStatusAsProblemJson) {
  auto& s = start();
  HttpClient c(s.port());
  auto res = c.get("/conflict");
  EXPECT_EQ(res.result_int(), 409U);
  EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
  auto doc = body_of(res);
  EXPECT_EQ(doc["title"], "Conflict");
  EXPECT_EQ(doc["detail"], "slug already taken");
  EXPECT_EQ(doc["instance"], "/conflict");

  auto invalid = c.get("/invalid");
  EXPECT_EQ(invalid.result_int(), 422U);
  EXPECT_EQ(body_of(invalid)["field"], "title");
  EXPECT_EQ(body_of(invalid)["detail"], "title: is required");
}

TEST_F(ServerTest, OtherExceptionIs500WithTraceIdButNotTheMessage) {
  auto& s = start();
  HttpClient c(s.port());
  auto res = c.get("/boom");
  EXPECT_EQ(res.result_int(), 500U);
  EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
  std::string trace_id(res["X-Trace-Id"]);
  ASSERT_FALSE(trace_id.empty());
  EXPECT_EQ(res.body().find("xyzzy"), std::string::npos) << res.body();
  EXPECT_EQ(res.body().find("10.1.2.3"), std::string::npos) << res.body();
  EXPECT_NE(body_of(res)["detail"].get<std::string>().find(trace_id), std::string::npos);
  // The details go to the log, under the same trace id.
  EXPECT_TRUE(s.logged("xyzzy"));
  EXPECT_TRUE(s.logged(trace_id));
  // The connection survives a failed request.
  EXPECT_EQ(c.get("/hello").result_int(), 200U);
}

TEST_F(ServerTest, TraceIdIsEchoedWhenValidAndGeneratedOtherwise) {
  auto& s = start();
  HttpClient c(s.port());
  auto echoed = c.get("/hello", {{"X-Trace-Id", "req-2027_abc"}});
  EXPECT_EQ(echoed["X-Trace-Id"], "req-2027_abc");
  auto failed = c.get("/conflict", {{"x-trace-id", "req-42"}});
  EXPECT_EQ(failed["X-Trace-Id"], "req-42");
  EXPECT_EQ(body_of(failed)["trace_id"], "req-42");

  auto first = std::string(c.get("/hello")["X-Trace-Id"]);
  auto second = std::string(c.get("/hello")["X-Trace-Id"]);
  EXPECT_TRUE(is_hex_trace_id(first)) << first;
  EXPECT_TRUE(is_hex_trace_id(second)) << second;
  EXPECT_NE(first, second);

  // Not echoed: characters that could forge log lines or headers, and overlong ids.
  auto forged = std::string(c.get("/hello", {{"X-Trace-Id", "a\"b c"}})["X-Trace-Id"]);
  EXPECT_TRUE(is_hex_trace_id(forged)) << forged;
  auto overlong = std::string(c.get("/hello", {{"X-Trace-Id", std::string(65, 'a')}})["X-Trace-Id"]);
  EXPECT_TRUE(is_hex_trace_id(overlong)) << overlong;
}

TEST_F(ServerTest, BodyOverTheLimitIs413) {
  auto config = testing::test_http_config();
  config.body_limit_bytes = 1024;
  auto& s = start(config);
  {
    HttpClient c(s.port());
    auto at_limit = c.request(verb::post, "/items", {}, std::string(1024, 'x'));
    EXPECT_EQ(at_limit.result_int(), 201U);
    EXPECT_EQ(body_of(at_limit)["received"], 1024);
    auto res = c.request(verb::post, "/items", {}, std::string(1025, 'x'));
    EXPECT_EQ(res.result_int(), 413U);
    EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
    EXPECT_FALSE(res.keep_alive());
    EXPECT_EQ(c.read_until_closed(), "");
  }
  // Without a Content-Length (chunked), the limit still holds.
  HttpClient c(s.port());
  std::string chunk(2000, 'y');
  c.send_raw("POST /items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + chunk +
             "\r\n0\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 413U);
}

TEST_F(ServerTest, HeadersOver16KiBAre431) {
  auto& s = start();
  HttpClient ok(s.port());
  EXPECT_EQ(ok.get("/hello", {{"X-Padding", std::string(8 * 1024, 'p')}}).result_int(), 200U);

  HttpClient c(s.port());
  auto req = testing::make_request(verb::get, "/hello", {{"X-Padding", std::string(20 * 1024, 'p')}});
  c.send(req);
  auto res = c.read();
  EXPECT_EQ(res.result_int(), 431U);
  EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(ServerTest, GarbageRequestIs400AndCloses) {
  auto& s = start();
  HttpClient c(s.port());
  c.send_raw("THIS IS NOT HTTP\r\n\r\n");
  auto res = c.read();
  EXPECT_EQ(res.result_int(), 400U);
  EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
  EXPECT_EQ(c.read_until_closed(), "");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto& s = start();
  HttpClient c(s.port());
  auto first = c.get("/hello");
  EXPECT_EQ(first.result_int(), 200U);
  EXPECT_TRUE(first.keep_alive());
  EXPECT_EQ(c.get("/echo/two").result_int(), 200U);
  // "Connection: close" is honoured: the response says so and the server closes.
  auto last = c.get("/hello", {{"Connection", "close"}});
  EXPECT_EQ(last.result_int(), 200U);
  EXPECT_FALSE(last.keep_alive());
  EXPECT_EQ(c.read_until_closed(), "");
}

TEST_F(ServerTest, ClientThatHalfClosesGetsOnlyItsOwnResponse) {
  // A client may send its request and shut down its sending side (e.g. `nc -N`). The server must
  // answer it and then close quietly: the end of the stream is not a malformed request.
  auto& s = start();
  HttpClient c(s.port());
  c.send_raw("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  c.shutdown_send();
  auto all = c.read_until_closed();
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->find("HTTP/1.1 200"), 0U) << *all;
  EXPECT_EQ(all->find("HTTP/1.1", 1), std::string::npos) << "an extra response: " << *all;
}

TEST_F(ServerTest, IdleConnectionIsClosedAfterIdleTimeout) {
  auto config = testing::test_http_config();
  config.idle_timeout = 200ms;
  auto& s = start(config);
  HttpClient c(s.port());
  EXPECT_EQ(c.get("/hello").result_int(), 200U);  // then stay silent
  auto before = std::chrono::steady_clock::now();
  EXPECT_EQ(c.read_until_closed(2s), "");
  auto waited = std::chrono::steady_clock::now() - before;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 1500ms);

  HttpClient never_spoke(s.port());
  EXPECT_EQ(never_spoke.read_until_closed(2s), "");
}

TEST_F(ServerTest, SlowBodyIsCutOffByReadTimeout) {
  auto config = testing::test_http_config();
  config.read_timeout = 300ms;
  config.idle_timeout = 5s;  // longer: it must not be the one that fires
  auto& s = start(config);
  HttpClient c(s.port());
  auto before = std::chrono::steady_clock::now();
  c.send_raw("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 100\r\n\r\n{\"a\":");
  auto received = c.read_until_closed(3s);
  auto waited = std::chrono::steady_clock::now() - before;
  ASSERT_TRUE(received.has_value()) << "still open after 3 s";
  EXPECT_EQ(received->find("201"), std::string::npos) << *received;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 2s);
}

TEST_F(ServerTest, ConnectionsOverMaxAreRefused) {
  auto config = testing::test_http_config();
  config.max_connections = 1;
  auto& s = start(config);
  auto first = std::make_unique<HttpClient>(s.port());
  EXPECT_EQ(first->get("/hello").result_int(), 200U);  // its session is running and counted

  HttpClient second(s.port());  // the kernel accepts; the server then closes it
  auto req = testing::make_request(verb::get, "/hello");
  try {
    second.send(req);
  } catch (const std::runtime_error&) {
    // the server may already have closed it
  }
  Response res;
  EXPECT_TRUE(second.try_read(res)) << "the over-limit connection got a response";
  EXPECT_EQ(s.metrics.counter("herald_http_rejected_connections_total", "").value(), 1.0);

  first.reset();  // frees the slot
  EXPECT_TRUE(eventually([&] {
    try {
      HttpClient again(s.port());
      return again.get("/hello").result_int() == 200U;
    } catch (const std::runtime_error&) {
      return false;
    }
  }));
}

TEST_F(ServerTest, BurstOfConnectionsDoesNotOvershootMax) {
  auto config = testing::test_http_config();
  config.max_connections = 2;
  auto& s = start(config);
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<HttpClient>(s.port()));
  int served = 0;
  for (auto& c : clients) {
    auto req = testing::make_request(verb::get, "/hello");
    Response res;
    try {
      c->send(req);
      if (!c->try_read(res) && res.result_int() == 200U) ++served;
    } catch (const std::runtime_error&) {
      // refused
    }
  }
  EXPECT_EQ(served, 2);
  EXPECT_EQ(s.metrics.counter("herald_http_rejected_connections_total", "").value(), 6.0);
}

TEST_F(ServerTest, MetricsCountRequestsByRouteAndStatusClass) {
  auto& s = start();
  HttpClient c(s.port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.get("/echo/n" + std::to_string(i)).result_int(), 200U);
  EXPECT_EQ(c.get("/conflict").result_int(), 409U);
  EXPECT_EQ(c.get("/boom").result_int(), 500U);
  EXPECT_EQ(c.get("/missing").result_int(), 404U);

  EXPECT_EQ(requests_total("GET", "/echo/{name}", "2xx"), 3.0);  // the pattern, not the path
  EXPECT_EQ(requests_total("GET", "/echo/{name}", "4xx"), 0.0);
  EXPECT_EQ(requests_total("GET", "/conflict", "4xx"), 1.0);
  EXPECT_EQ(requests_total("GET", "/boom", "5xx"), 1.0);
  EXPECT_EQ(requests_total("GET", "unmatched", "4xx"), 1.0);
  auto text = s.metrics.render();
  EXPECT_NE(text.find("herald_http_request_duration_seconds_count{method=\"GET\",route=\"/echo/{name}\"} 3"),
            std::string::npos)
      << text;
}

TEST_F(ServerTest, ShutdownFinishesInFlightRequestAndRefusesNewConnections) {
  auto& s = start();  // drain_timeout 2 s
  HttpClient c(s.port());
  auto req = testing::make_request(verb::get, "/slow");
  c.send(req);
  ASSERT_TRUE(eventually([&] { return slow_started_.load(); }));

  s.begin_shutdown();
  EXPECT_TRUE(eventually([&] {
    return HttpClient::try_connect(s.port()) == asio::error::connection_refused;
  }, 1s));
  EXPECT_EQ(s.server().active_requests(), 1);  // the slow handler is still running

  auto res = c.read();
  EXPECT_EQ(res.result_int(), 200U);
  EXPECT_EQ(body_of(res)["slow"], "done");
  EXPECT_FALSE(res.keep_alive());  // draining: no more requests on this connection
  auto took = s.join();
  EXPECT_LT(took, s.config().drain_timeout);
  EXPECT_TRUE(s.logged("\"unfinished_requests\":0"));
}

TEST_F(ServerTest, StuckHandlerDoesNotDelayShutdownBeyondDrainTimeout) {
  auto config = testing::test_http_config();
  config.drain_timeout = 300ms;
  auto& s = start(config);
  HttpClient c(s.port());
  auto req = testing::make_request(verb::get, "/stuck");
  c.send(req);
  ASSERT_TRUE(eventually([&] { return slow_started_.load(); }));

  s.begin_shutdown();
  auto took = s.join();
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 300ms + 1500ms);
  EXPECT_TRUE(s.logged("\"unfinished_requests\":1"));
  s.stop();  // destroys the server with the handler still suspended
  Response res;
  EXPECT_TRUE(c.try_read(res));  // the connection closes without a response
}

TEST_F(ServerTest, ShutdownWithoutTrafficReturnsPromptly) {
  auto& s = start();
  s.begin_shutdown();
  EXPECT_LT(s.join(), 1s);
  s.server().shutdown();  // a second call is harmless
}

}  // namespace
}  // namespace herald::core::http
