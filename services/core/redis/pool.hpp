#pragma once
// A fixed set of Clients shared by the threads of the blocking pool. lease() hands one out for
// exclusive use; the Lease gives it back when destroyed. Clients connect lazily, so building a
// Pool never touches the network; ping() is the readiness check.
//
// A client that saw an I/O error has already dropped its connection and reconnects on its next
// use, so returning it is always safe. The Pool must outlive every Lease.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "services/core/redis/client.hpp"
#include "services/core/redis/options.hpp"

namespace herald::core::redis {

class Pool {
 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    [[nodiscard]] Client& client() const noexcept { return *client_; }
    Client& operator*() const noexcept { return *client_; }
    Client* operator->() const noexcept { return client_; }

    // Gives the client back now (idempotent). Using the Lease afterwards is an error.
    void release() noexcept;
    // Drops the client's connection, then gives it back: for a connection left in a state the
    // next user must not inherit (an unfinished MULTI, a SUBSCRIBE, a SELECTed other db).
    void discard() noexcept;

   private:
    friend class Pool;
    Lease(Pool* pool, Client* client) noexcept : pool_(pool), client_(client) {}

    Pool* pool_ = nullptr;
    Client* client_ = nullptr;
  };

  // `size` clients (at least 1); lease() waits at most `acquire_timeout` for a free one.
  Pool(Options options, std::size_t size, std::chrono::milliseconds acquire_timeout = std::chrono::milliseconds{1000},
       Client::ErrorHandler on_error = {});
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool();

  // Throws redis::Error (kind kPoolExhausted) when no client is free in time.
  [[nodiscard]] Lease lease();
  [[nodiscard]] Lease lease(std::chrono::milliseconds timeout);

  // Readiness: leases a client and PINGs. Never throws; false on any failure.
  [[nodiscard]] bool ping() noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return clients_.size(); }
  [[nodiscard]] std::size_t available() const;
  [[nodiscard]] const Options& options() const noexcept { return options_; }

 private:
  void give_back(Client* client) noexcept;

  Options options_;
  std::chrono::milliseconds acquire_timeout_;
  std::vector<std::unique_ptr<Client>> clients_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<Client*> free_;
};

}  // namespace herald::core::redis
