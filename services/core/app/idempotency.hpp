#pragma once
// Idempotency-Key on creating POSTs (DESIGN.md section 9). A client that retries a POST with
// the same key gets the first response again (header Idempotent-Replayed: true) instead of a
// second resource. The same key with a different request is refused (422); a key whose first
// request is still running gets 409. Failed requests (4xx/5xx) release the key so a corrected
// retry can use it. Records expire after 24 hours.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>

#include "services/core/crypto/keyring.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/request.hpp"
#include "services/core/pg/pool.hpp"

namespace herald::core {

class Idempotency {
 public:
  Idempotency(pg::Pool& pool, BlockingPool& blocking, const crypto::KeyRing& keyring)
      : pool_(pool), blocking_(blocking), keyring_(keyring) {}

  // Runs `handler` at most once per (scope, Idempotency-Key); without the header it just runs it.
  boost::asio::awaitable<http::Response> run(
      http::Request& req, const std::string& scope,
      const std::function<boost::asio::awaitable<http::Response>()>& handler);

 private:
  pg::Pool& pool_;
  BlockingPool& blocking_;
  const crypto::KeyRing& keyring_;
};

}  // namespace herald::core
