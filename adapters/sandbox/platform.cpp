#include "adapters/sandbox/platform.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/sandbox/oauth_pages.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {

namespace asio = boost::asio;

RateWindows::State RateWindows::hit(const std::string& key, std::int64_t limit, std::chrono::seconds window,
                                    std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto& s = windows_[key];
  if (s.limit == 0 || now >= s.reset) s = {limit, limit, now + window};
  if (s.remaining > 0) --s.remaining;
  return s;
}

RateWindows::State RateWindows::exhaust(const std::string& key, std::int64_t limit, std::chrono::seconds window,
                                        std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto& s = windows_[key];
  if (s.limit == 0 || now >= s.reset) s = {limit, limit, now + window};
  s.remaining = 0;
  return s;
}

Platform::Platform(std::string name, std::string display_name, Context& ctx)
    : ctx_(ctx), name_(std::move(name)), display_name_(std::move(display_name)) {}

void Platform::install(http::Router& router) {
  router_ = &router;
  add_routes();
  for (auto verb : {Verb::get, Verb::post, Verb::put, Verb::delete_, Verb::patch}) {
    route(verb, "/*", [this](http::Request& req, Call&) -> http::Response {
      return error_response(req, 404, "no such endpoint: " + req.path);
    });
  }
}

void Platform::route(Verb verb, const std::string& pattern, PlatformHandler handler) {
  router_->add(verb, pattern,
               [this, pattern, h = std::move(handler)](http::Request& req) -> asio::awaitable<http::Response> {
                 co_return co_await handle(req, pattern, h);
               });
}

http::Response Platform::invoke(http::Request& req, Call& call, const PlatformHandler& handler) {
  try {
    return handler(req, call);
  } catch (ErrorResponse& e) {
    return std::move(e.response());
  } catch (const http::HttpError& e) {
    return error_response(req, e.status(), e.detail());
  } catch (const std::exception& e) {
    return error_response(req, 500, std::string("internal error in the sandbox: ") + e.what());
  }
}

asio::awaitable<http::Response> Platform::handle(http::Request& req, const std::string& route,
                                                 const PlatformHandler& handler) {
  LogEntry entry;
  entry.received_at = ctx_.clock.now();
  entry.platform = name_;
  entry.method = std::string(http::beast_http::to_string(req.raw.method()));
  entry.path = req.path;
  if (auto key = req.header("Idempotency-Key"); key && !key->empty()) entry.idempotency_key = std::string(*key);
  entry.body_sha256 = core::crypto::sha256_hex(req.raw.body());
  Call call;
  call.idempotency_key = entry.idempotency_key;
  auto seq = ctx_.log.begin(entry);

  auto fault = ctx_.faults.take(name_, entry.method, req.path);
  std::optional<std::string> fault_name;
  if (fault) fault_name = to_string(fault->kind);
  if (fault && fault->kind == FaultKind::latency && fault->latency_ms > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(fault->latency_ms));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (fault && (fault->kind == FaultKind::status || fault->kind == FaultKind::rate_limit)) {
    auto res = fault->kind == FaultKind::status
                   ? error_response(req, fault->status, "injected fault: status " + std::to_string(fault->status))
                   : rate_limit_response(req);
    if (fault->kind == FaultKind::status) decorate(req, res, route);
    ctx_.log.finish(seq, static_cast<int>(res.result_int()), std::nullopt, fault_name);
    co_return res;
  }
  if (fault && fault->kind == FaultKind::hang) {
    ctx_.log.finish(seq, std::nullopt, std::nullopt, fault_name);
    auto max =
        fault->latency_ms > 0 ? std::chrono::milliseconds(fault->latency_ms) : std::chrono::milliseconds(3600000);
    co_await ctx_.hangs.wait(max);
    throw DropConnection{};
  }
  http::Response res = invoke(req, call, handler);
  decorate(req, res, route);
  if (fault && fault->kind == FaultKind::drop_after_accept) {
    ctx_.log.finish(seq, std::nullopt, call.idempotency_key, fault_name);
    throw DropConnection{};
  }
  ctx_.log.finish(seq, static_cast<int>(res.result_int()), call.idempotency_key, fault_name);
  co_return res;
}

AuthorizeSpec Platform::authorize_spec(bool pkce_required) const {
  AuthorizeSpec spec;
  spec.platform = name_;
  spec.display_name = display_name_;
  spec.client_id = client_id();
  spec.pkce_required = pkce_required;
  return spec;
}

http::Response Platform::authorize(const http::Request& req, bool pkce_required) {
  return authorize(req, authorize_spec(pkce_required));
}

http::Response Platform::authorize(const http::Request& req, const AuthorizeSpec& spec) {
  return handle_authorize(req, spec, ctx_.oauth,
                          [this](const std::string& handle) { return account_for_handle(handle); });
}

std::chrono::system_clock::time_point Platform::event_time(const GenerateRequest& r, int index) const {
  auto now = ctx_.clock.now();
  if (r.rate_per_s <= 0) return now;
  return now + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                   std::chrono::duration<double>(index / r.rate_per_s));
}

std::chrono::steady_clock::time_point Platform::event_due(const GenerateRequest& r, int index) const {
  auto now = std::chrono::steady_clock::now();
  if (r.rate_per_s <= 0) return now;
  return now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(index / r.rate_per_s));
}

http::Response json(const http::Request& req, int status, const nlohmann::json& body) {
  return http::json_response(req, status, body);
}

}  // namespace herald::sandbox
