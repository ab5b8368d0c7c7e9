#include "services/core/http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "services/core/http/problem.hpp"
#include "services/core/http/websocket_session.hpp"
#include "services/core/metrics/buckets.hpp"

namespace herald::core::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

struct Server::RouteStats {
  metrics::Counter* by_class[5];  // 1xx..5xx
  metrics::Histogram* latency;
};

namespace {

std::string new_trace_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  auto v = rng();
  for (auto& c : out) {
    c = kHex[v & 0xF];
    v >>= 4;
  }
  return out;
}

bool valid_trace_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

Request minimal_request(const std::string& path, const std::string& trace_id) {
  Request r;
  r.raw.version(11);
  r.raw.keep_alive(false);
  r.path = path;
  r.trace_id = trace_id;
  return r;
}

}  // namespace

Server::Server(config::HttpConfig config, Router& router, log::Logger& logger,
               metrics::Registry& metrics)
    : config_(std::move(config)), router_(router), logger_(logger), metrics_(metrics),
      ioc_(config_.io_threads), acceptor_(ioc_) {
  connections_gauge_ = &metrics_.gauge("herald_http_connections", "Open HTTP connections");
  rejected_connections_ = &metrics_.counter("herald_http_rejected_connections_total",
                                            "Connections refused over max_connections");
}

Server::~Server() = default;

void Server::enable_websocket(std::string path, WebSocketHub& hub, WebSocketAuthorizer authorize) {
  ws_path_ = std::move(path);
  hub_ = &hub;
  ws_authorize_ = std::move(authorize);
}

void Server::on_shutdown(std::function<void()> hook) { shutdown_hooks_.push_back(std::move(hook)); }

void Server::start() {
  auto address = asio::ip::make_address(config_.listen_address);
  tcp::endpoint endpoint{address, config_.port};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  if (!config_.port_file.empty()) {
    std::string tmp = config_.port_file + ".tmp";
    { std::ofstream(tmp) << port_ << "\n"; }
    std::rename(tmp.c_str(), config_.port_file.c_str());
  }
  asio::co_spawn(ioc_, accept_loop(), asio::detached);
  logger_.info("listening", {{"address", config_.listen_address}, {"port", port_}});
}

void Server::run(bool handle_signals) {
  std::unique_ptr<asio::signal_set> signals;
  if (handle_signals) {
    signals = std::make_unique<asio::signal_set>(ioc_, SIGINT, SIGTERM);
    signals->async_wait([this](const boost::system::error_code& ec, int sig) {
      if (!ec) {
        logger_.info("signal received, draining", {{"signal", sig}});
        shutdown();
      }
    });
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < config_.io_threads; ++i) threads.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : threads) t.join();
}

void Server::shutdown() {
  if (draining_.exchange(true)) return;
  asio::co_spawn(ioc_, drain(), asio::detached);
}

asio::awaitable<void> Server::drain() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  for (auto& hook : shutdown_hooks_) hook();
  if (hub_ != nullptr) hub_->close_all();
  auto deadline = std::chrono::steady_clock::now() + config_.drain_timeout;
  asio::steady_timer timer(ioc_);
  // WebSocket clients leave the hub once their close handshake is over: wait for those too, or
  // stopping the io_context would cut them off without (or in the middle of) a close frame.
  auto open_websockets = [this] { return hub_ == nullptr ? std::size_t{0} : hub_->size(); };
  while ((active_requests_.load() > 0 || open_websockets() > 0) &&
         std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
  }
  logger_.info("drained", {{"unfinished_requests", active_requests_.load()},
                           {"open_websockets", open_websockets()}});
  ioc_.stop();
}

asio::awaitable<void> Server::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(asio::make_strand(ioc_),
                                                         asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      logger_.warn("accept failed", {{"error", ec.message()}});
      continue;
    }
    if (static_cast<std::size_t>(connections_.load()) >= config_.max_connections) {
      rejected_connections_->inc();
      socket.close(ec);
      continue;
    }
    // Counted here, not when the session starts: otherwise a burst of connections could all pass
    // the check above before any of their sessions had run. The session's Closer uncounts it.
    connections_gauge_->set(static_cast<double>(++connections_));
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> Server::session(tcp::socket socket) {
  struct Closer {
    Server* s;
    ~Closer() { s->connections_gauge_->set(static_cast<double>(--s->connections_)); }
  } closer{this};

  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    boost::system::error_code ec;
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(config_.body_limit_bytes);
    stream.expires_after(config_.idle_timeout);
    co_await beast_http::async_read_header(stream, buffer, parser,
                                           asio::redirect_error(use_awaitable, ec));
    if (!ec && !parser.is_done()) {
      stream.expires_after(config_.read_timeout);
      co_await beast_http::async_read(stream, buffer, parser,
                                      asio::redirect_error(use_awaitable, ec));
    }
    if (ec) {
      int status = 0;
      std::string detail;
      if (ec == beast_http::error::body_limit) {
        status = 413;
        detail = "request body exceeds the limit of " +
                 std::to_string(config_.body_limit_bytes) + " bytes";
      } else if (ec == beast_http::error::header_limit) {
        status = 431;
        detail = "request headers exceed 16 KiB";
      } else if (ec != beast_http::error::end_of_stream &&  // the client closed between requests
                 ec.category() == beast_http::make_error_code(beast_http::error::bad_target).category()) {
        status = 400;
        detail = "malformed HTTP request";
      }
      if (status != 0) {
        auto req = minimal_request("", new_trace_id());
        auto res = problem_response(req, status,
                                    status == 413 ? "Content Too Large"
                                    : status == 431 ? "Request Header Fields Too Large"
                                                    : "Bad Request",
                                    detail);
        res.keep_alive(false);
        stream.expires_after(config_.read_timeout);
        co_await beast_http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
      }
      break;  // timeout, reset, end of stream: just close
    }

    Request req;
    req.raw = parser.release();
    req.remote_address = remote;
    if (auto tid = req.raw.find("X-Trace-Id");
        tid != req.raw.end() && valid_trace_id(std::string_view(tid->value().data(), tid->value().size()))) {
      req.trace_id = std::string(tid->value());
    } else {
      req.trace_id = new_trace_id();
    }
    std::string_view target(req.raw.target().data(), req.raw.target().size());
    auto q = target.find('?');
    req.path = std::string(target.substr(0, q));

    if (hub_ != nullptr && beast::websocket::is_upgrade(req.raw) && req.path == ws_path_) {
      std::optional<Response> refusal;
      Subscriber sub;
      try {
        if (q != std::string_view::npos) req.query = parse_query(target.substr(q + 1));
        sub = co_await ws_authorize_(req);
      } catch (const HttpError& e) {
        refusal = problem_response(req, e.status(), e.title(), e.detail(), e.extra());
      } catch (const std::exception& e) {
        logger_.error("websocket authorization failed",
                      {{"trace_id", req.trace_id}, {"error", e.what()}});
        refusal = problem_response(req, 500, "Internal Server Error",
                                   "an internal error occurred (trace id " + req.trace_id + ")");
      }
      if (refusal) {
        refusal->keep_alive(false);
        co_await beast_http::async_write(stream, *refusal, asio::redirect_error(use_awaitable, ec));
        break;
      }
      auto ws = std::make_shared<WebSocketSession>(std::move(stream), *hub_, std::move(sub));
      co_await ws->run(std::move(req.raw));
      co_return;
    }

    ++active_requests_;
    Response res;
    try {
      if (q != std::string_view::npos) req.query = parse_query(target.substr(q + 1));
      res = co_await dispatch(req);
    } catch (const HttpError& e) {
      res = problem_response(req, e.status(), e.title(), e.detail(), e.extra());
    }
    res.set("X-Trace-Id", req.trace_id);
    res.set(beast_http::field::server, "herald");
    res.set("X-Content-Type-Options", "nosniff");
    if (draining_.load()) res.keep_alive(false);
    stream.expires_after(config_.read_timeout);
    co_await beast_http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
    --active_requests_;
    if (ec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

Server::RouteStats& Server::stats_for(const std::string& route, const std::string& method) {
  std::string key = method + " " + route;
  std::lock_guard lock(stats_mutex_);
  auto& slot = stats_[key];
  if (!slot) {
    slot = std::make_unique<RouteStats>();
    for (int i = 0; i < 5; ++i) {
      slot->by_class[i] = &metrics_.counter(
          "herald_http_requests_total", "HTTP requests by route and status class",
          {{"method", method}, {"route", route}, {"status", std::to_string(i + 1) + "xx"}});
    }
    slot->latency = &metrics_.histogram("herald_http_request_duration_seconds",
                                        "HTTP request latency by route",
                                        metrics::kLatencySecondsBuckets,
                                        {{"method", method}, {"route", route}});
  }
  return *slot;
}

asio::awaitable<Response> Server::dispatch(Request& req) {
  auto started = std::chrono::steady_clock::now();
  Response res;
  std::string route_name = "unmatched";
  std::string method(beast_http::to_string(req.raw.method()));
  try {
    auto m = router_.match(req.raw.method(), req.path, req);
    if (m.route == nullptr) {
      if (m.path_known) {
        std::string allow;
        for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
        res = problem_response(req, 405, "Method Not Allowed",
                               method + " is not allowed on " + req.path + " (allowed: " + allow + ")");
        res.set(beast_http::field::allow, allow);
      } else {
        res = problem_response(req, 404, "Not Found", "no such resource: " + req.path);
      }
    } else {
      route_name = m.route->pattern;
      res = co_await m.route->handler(req);
    }
  } catch (const HttpError& e) {
    res = problem_response(req, e.status(), e.title(), e.detail(), e.extra());
  } catch (const std::exception& e) {
    logger_.error("request failed", {{"trace_id", req.trace_id}, {"route", route_name},
                                     {"method", method}, {"error", e.what()}});
    res = problem_response(req, 500, "Internal Server Error",
                           "an internal error occurred; quote trace id " + req.trace_id);
  }
  auto& stats = stats_for(route_name, method);
  int cls = std::clamp(static_cast<int>(res.result_int() / 100), 1, 5);
  stats.by_class[cls - 1]->inc();
  stats.latency->observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  co_return res;
}

}  // namespace herald::core::http
