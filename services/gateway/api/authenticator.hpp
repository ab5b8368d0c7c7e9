#pragma once
// Who is calling. A request authenticates with an API token (Authorization: Bearer hrld_...)
// or a session cookie (herald_session, HttpOnly, SameSite=Strict). Cookie-authenticated
// requests that change state must carry X-CSRF-Token, an HMAC of the session that only a page
// which read it from /api/v1/auth/login or /api/v1/me can know.
//
// Principals are cached in-process for a few seconds (keyed by the credential's hash) so the
// hot path does not touch PostgreSQL; logout, user and membership changes evict at once.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/request.hpp"
#include "services/gateway/store/iam_store.hpp"

namespace herald::gateway {

inline constexpr const char* kSessionCookie = "herald_session";
inline constexpr const char* kApiTokenPrefix = "hrld_";

class Authenticator {
 public:
  Authenticator(IamStore& store, core::BlockingPool& blocking, const core::Clock& clock,
                std::string csrf_key, std::chrono::milliseconds cache_ttl = std::chrono::seconds(5));

  // 401 problem when the caller is not authenticated; 403 on a missing/wrong CSRF token.
  boost::asio::awaitable<Principal> require(core::http::Request& req);
  boost::asio::awaitable<std::optional<Principal>> identify(core::http::Request& req);

  [[nodiscard]] std::string csrf_token(const std::string& session_token) const;
  static std::string hash_token(const std::string& token);

  void evict_all();

 private:
  struct Cached {
    Principal principal;
    std::chrono::steady_clock::time_point valid_until;
    std::int64_t expires_at_us;  // the credential's own expiry (0 = none)
  };
  std::optional<Principal> lookup_cache(const std::string& key);

  IamStore& store_;
  core::BlockingPool& blocking_;
  const core::Clock& clock_;
  std::string csrf_key_;
  std::chrono::milliseconds cache_ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace herald::gateway
