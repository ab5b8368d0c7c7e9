#include "services/core/redis/pool.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace herald::core::redis {

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), client_(std::exchange(other.client_, nullptr)) {}

Pool::Lease& Pool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::exchange(other.pool_, nullptr);
    client_ = std::exchange(other.client_, nullptr);
  }
  return *this;
}

Pool::Lease::~Lease() { release(); }

void Pool::Lease::release() noexcept {
  if (pool_ != nullptr && client_ != nullptr) {
    pool_->give_back(client_);
  }
  pool_ = nullptr;
  client_ = nullptr;
}

void Pool::Lease::discard() noexcept {
  if (client_ != nullptr) {
    client_->disconnect();
  }
  release();
}

Pool::Pool(Options options, std::size_t size, std::chrono::milliseconds acquire_timeout,
           Client::ErrorHandler on_error)
    : options_(std::move(options)), acquire_timeout_(acquire_timeout) {
  if (size == 0) {
    throw std::invalid_argument("redis pool: size must be at least 1");
  }
  clients_.reserve(size);
  free_.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    clients_.push_back(std::make_unique<Client>(options_, on_error));
    free_.push_back(clients_.back().get());
  }
}

Pool::~Pool() = default;

Pool::Lease Pool::lease() { return lease(acquire_timeout_); }

Pool::Lease Pool::lease(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, timeout, [this] { return !free_.empty(); })) {
    throw Error(Error::Kind::kPoolExhausted, "redis pool " + redacted_url(options_) + ": no connection free within " +
                                                 std::to_string(timeout.count()) + " ms (size " +
                                                 std::to_string(clients_.size()) + ")");
  }
  Client* client = free_.back();
  free_.pop_back();
  return Lease(this, client);
}

bool Pool::ping() noexcept {
  try {
    Lease leased = lease();
    leased->ping();
    return true;
  } catch (...) {
    return false;
  }
}

std::size_t Pool::available() const {
  const std::lock_guard lock(mutex_);
  return free_.size();
}

void Pool::give_back(Client* client) noexcept {
  // A borrower may have changed the timeout (and failed before restoring it): reset it here.
  if (client->command_timeout() != options_.command_timeout) {
    client->set_command_timeout(options_.command_timeout);
  }
  {
    const std::lock_guard lock(mutex_);
    free_.push_back(client);
  }
  freed_.notify_one();
}

}  // namespace herald::core::redis
