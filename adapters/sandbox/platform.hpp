#pragma once
// The base of every platform emulator. A platform registers its routes through route(), which
// wraps each handler with what all platforms share: the request log entry, fault injection,
// the platform's own error shape for anything thrown, and per-answer headers (decorate()).
// Handlers are plain functions of the request (state is in memory, nothing blocks).
// GCC 12 with Boost 1.74: <utility> must come before the Asio headers (std::exchange).
#include <utility>
// clang-format: keep the line above first

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/sandbox/context.hpp"
#include "adapters/sandbox/oauth_pages.hpp"
#include "services/core/http/request.hpp"
#include "services/core/http/router.hpp"

namespace herald::sandbox {

namespace http = core::http;
using Verb = http::beast_http::verb;

// Per-request facts a handler reports back to the wrapper.
struct Call {
  std::optional<std::string> idempotency_key;  // from the header, or the platform's own field
};

using PlatformHandler = std::function<http::Response(http::Request&, Call&)>;

// A handler throws this to answer with a ready response (the platform's own error shape).
class ErrorResponse : public std::exception {
 public:
  explicit ErrorResponse(http::Response res) : res_(std::move(res)) {}
  [[nodiscard]] const char* what() const noexcept override { return "platform error response"; }
  [[nodiscard]] http::Response& response() { return res_; }

 private:
  http::Response res_;
};

struct GenerateRequest {
  std::string handle;
  EventKind kind = EventKind::comment;
  int count = 1;
  double rate_per_s = 0;  // 0: all at once
  bool webhook = false;   // false: poll (the items appear in list endpoints)
};

struct GenerateResult {
  int generated = 0;
  std::string first_id;
  std::string last_id;
};

// Fixed-window request counters behind the rate-limit headers (never enforced on their own:
// 429s come from rate_limit faults, so a load test is not throttled by surprise).
class RateWindows {
 public:
  struct State {
    std::int64_t limit = 0;
    std::int64_t remaining = 0;
    std::chrono::system_clock::time_point reset{};
  };
  State hit(const std::string& key, std::int64_t limit, std::chrono::seconds window,
            std::chrono::system_clock::time_point now);
  State exhaust(const std::string& key, std::int64_t limit, std::chrono::seconds window,
                std::chrono::system_clock::time_point now);

 private:
  std::mutex mutex_;
  std::map<std::string, State> windows_;
};

class Platform {
 public:
  Platform(std::string name, std::string display_name, Context& ctx);
  virtual ~Platform() = default;
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& display_name() const { return display_name_; }
  // The app's client id on every platform: "herald-<platform>".
  [[nodiscard]] std::string client_id() const { return "herald-" + name_; }
  [[nodiscard]] const std::string& client_secret() const { return ctx_.config.client_secret; }
  void set_base_url(std::string url) { base_url_ = std::move(url); }
  [[nodiscard]] const std::string& base_url() const { return base_url_; }

  // Adds the platform's routes, and catch-alls answering the platform's 404, to `router`.
  void install(http::Router& router);

  // The inbound event generator for this platform (POST /_sandbox/generate).
  virtual GenerateResult generate(const GenerateRequest& request) = 0;
  // What to do when a webhook URL is registered (X's CRC, Meta's hub.challenge); default none.
  virtual void on_webhook_registered(const std::string& /*url*/) {}
  // False for platforms without webhooks (Bluesky: the firehose is not emulated).
  [[nodiscard]] virtual bool supports_webhooks() const { return true; }

 protected:
  virtual void add_routes() = 0;
  // The platform's error document for `status` (faults, unknown routes, bad input).
  virtual http::Response error_response(const http::Request& req, int status, const std::string& message) = 0;
  // A 429 with the platform's rate-limit headers and body.
  virtual http::Response rate_limit_response(const http::Request& req) = 0;
  // Headers every answer of the platform carries (e.g. X's x-rate-limit-*).
  virtual void decorate(const http::Request& /*req*/, http::Response& /*res*/, const std::string& /*route*/) {}

  void route(Verb verb, const std::string& pattern, PlatformHandler handler);

  // The shared OAuth 2.0 authorize page (GET) and decision (POST): see oauth_pages.hpp.
  http::Response authorize(const http::Request& req, bool pkce_required);
  // The same with the platform's own parameter names (see AuthorizeSpec); authorize_spec() is the default.
  http::Response authorize(const http::Request& req, const AuthorizeSpec& spec);
  [[nodiscard]] AuthorizeSpec authorize_spec(bool pkce_required) const;
  // Creates (or finds) the account approved on the authorize page.
  virtual Account account_for_handle(const std::string& handle) = 0;

  // Stores generated author accounts and spreads events over time at rate_per_s.
  [[nodiscard]] std::chrono::system_clock::time_point event_time(const GenerateRequest& r, int index) const;
  [[nodiscard]] std::chrono::steady_clock::time_point event_due(const GenerateRequest& r, int index) const;

  Context& ctx_;
  RateWindows rate_windows_;

 private:
  boost::asio::awaitable<http::Response> handle(http::Request& req, const std::string& route,
                                                const PlatformHandler& handler);
  http::Response invoke(http::Request& req, Call& call, const PlatformHandler& handler);

  std::string name_;
  std::string display_name_;
  std::string base_url_;
  http::Router* router_ = nullptr;
};

// A JSON answer with an explicit status (core json_response, content type application/json).
http::Response json(const http::Request& req, int status, const nlohmann::json& body);

}  // namespace herald::sandbox
