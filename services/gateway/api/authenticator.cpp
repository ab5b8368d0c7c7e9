#include "services/gateway/api/authenticator.hpp"

#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/http/problem.hpp"

namespace herald::gateway {

namespace http = core::http;

Authenticator::Authenticator(IamStore& store, core::BlockingPool& blocking, const core::Clock& clock,
                             std::string csrf_key, std::chrono::milliseconds cache_ttl)
    : store_(store), blocking_(blocking), clock_(clock), csrf_key_(std::move(csrf_key)),
      cache_ttl_(cache_ttl) {}

std::string Authenticator::hash_token(const std::string& token) {
  return core::crypto::sha256_hex(token);
}

std::string Authenticator::csrf_token(const std::string& session_token) const {
  return core::crypto::base64url_encode(core::crypto::hmac_sha256(csrf_key_, "csrf:" + hash_token(session_token)));
}

void Authenticator::evict_all() {
  std::lock_guard lock(mutex_);
  cache_.clear();
}

std::optional<Principal> Authenticator::lookup_cache(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(clock_.now().time_since_epoch()).count();
  if (clock_.steady_now() > it->second.valid_until ||
      (it->second.expires_at_us != 0 && now_us >= it->second.expires_at_us)) {
    cache_.erase(it);
    return std::nullopt;
  }
  return it->second.principal;
}

boost::asio::awaitable<std::optional<Principal>> Authenticator::identify(http::Request& req) {
  std::string token;
  bool is_api_token = false;
  if (auto authz = req.header("Authorization")) {
    static constexpr std::string_view kBearer = "Bearer ";
    if (authz->substr(0, kBearer.size()) != kBearer) http::unauthorized("unsupported Authorization scheme; use Bearer");
    token = std::string(authz->substr(kBearer.size()));
    if (token.rfind(kApiTokenPrefix, 0) != 0) http::unauthorized("malformed API token");
    is_api_token = true;
  } else if (auto cookie = req.cookie(kSessionCookie)) {
    token = *cookie;
  } else {
    co_return std::nullopt;
  }
  if (token.empty() || token.size() > 128) http::unauthorized("malformed credentials");
  std::string key = hash_token(token);

  auto principal = lookup_cache(key);
  if (!principal) {
    std::int64_t expires_at_us = 0;
    principal = co_await blocking_.run([&] {
      return is_api_token ? store_.principal_by_api_token(key, &expires_at_us)
                          : store_.principal_by_session(key, &expires_at_us);
    });
    if (!principal) http::unauthorized(is_api_token ? "the API token is unknown, expired or revoked"
                                                    : "the session is unknown, expired or revoked");
    std::lock_guard lock(mutex_);
    if (cache_.size() > 100000) cache_.clear();
    cache_[key] = Cached{*principal, clock_.steady_now() + cache_ttl_, expires_at_us};
  }

  if (!is_api_token) {
    auto method = req.raw.method();
    bool safe = method == boost::beast::http::verb::get || method == boost::beast::http::verb::head ||
                method == boost::beast::http::verb::options;
    if (!safe) {
      auto sent = req.header("X-CSRF-Token");
      if (!sent || !core::crypto::constant_time_equal(*sent, csrf_token(token))) {
        http::forbidden("missing or wrong X-CSRF-Token header for a cookie-authenticated request");
      }
    }
  }
  co_return principal;
}

boost::asio::awaitable<Principal> Authenticator::require(http::Request& req) {
  auto p = co_await identify(req);
  if (!p) http::unauthorized("sign in first: no session cookie or API token");
  co_return *p;
}

}  // namespace herald::gateway
