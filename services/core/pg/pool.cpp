#include "services/core/pg/pool.hpp"

#include <regex>

namespace herald::core::pg {

Pool::Pool(PoolOptions options, QueryCatalog queries)
    : options_(std::move(options)), queries_(std::move(queries)) {}

Pool::~Pool() = default;

Pool::Lease::~Lease() {
  if (pool_ != nullptr && conn_) pool_->release(std::move(conn_), discard_);
}

std::unique_ptr<pqxx::connection> Pool::connect() {
  auto conn = std::make_unique<pqxx::connection>(options_.url);
  pqxx::nontransaction setup(*conn);
  setup.exec("SET statement_timeout = " + std::to_string(options_.statement_timeout.count()));
  setup.exec("SET idle_in_transaction_session_timeout = " +
             std::to_string(std::max<long long>(options_.statement_timeout.count() * 4, 10000)));
  if (!options_.search_path.empty()) {
    setup.exec("SET search_path TO " + setup.quote_name(options_.search_path) + ", public");
  }
  setup.commit();
  for (const auto& [name, sql] : queries_.all()) conn->prepare(name, sql);
  return conn;
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      if (!conn->is_open()) {  // dropped while idle: replace it
        try {
          conn = connect();
        } catch (...) {
          std::lock_guard relock(mutex_);
          --open_;
          available_.notify_one();
          throw;
        }
      }
      return Lease(this, std::move(conn));
    }
    if (open_ < options_.size) {
      ++open_;
      lock.unlock();
      try {
        return Lease(this, connect());
      } catch (...) {
        std::lock_guard relock(mutex_);
        --open_;
        available_.notify_one();
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size) {
      throw PoolTimeout("no PostgreSQL connection free within " +
                        std::to_string(options_.acquire_timeout.count()) + " ms");
    }
  }
}

void Pool::release(std::unique_ptr<pqxx::connection> conn, bool discard) {
  std::lock_guard lock(mutex_);
  if (discard || !conn->is_open()) {
    --open_;
    conn.reset();
  } else {
    idle_.push_back(std::move(conn));
  }
  available_.notify_one();
}

bool Pool::ping() noexcept {
  try {
    return transact([](pqxx::work& tx) { return tx.exec1("SELECT 1")[0].as<int>() == 1; });
  } catch (...) {
    return false;
  }
}

int Pool::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

std::string redact_dsn(const std::string& url) {
  static const std::regex kUrl(R"(^(\w+://[^:/@]*):[^@]*@)");
  static const std::regex kKeyword(R"(password\s*=\s*('[^']*'|\S+))");
  auto out = std::regex_replace(url, kUrl, "$1:[REDACTED]@");
  return std::regex_replace(out, kKeyword, "password=[REDACTED]");
}

}  // namespace herald::core::pg
