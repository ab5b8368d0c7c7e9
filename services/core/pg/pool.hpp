#pragma once
// A fixed-size PostgreSQL connection pool (libpqxx). Blocking: call it from the blocking pool,
// never from an I/O thread. Connections are opened lazily, get the statement timeout and the
// catalog's prepared statements, and are replaced after a broken-connection error.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "services/core/pg/queries.hpp"

namespace herald::core::pg {

struct PoolOptions {
  std::string url;
  int size = 8;
  std::chrono::milliseconds statement_timeout{5000};
  std::chrono::milliseconds acquire_timeout{3000};
  std::string search_path;  // optional schema list (tests isolate themselves in a schema)
};

class PoolTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Pool {
 public:
  Pool(PoolOptions options, QueryCatalog queries = {});
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& operator*() { return *conn_; }
    pqxx::connection* operator->() { return conn_.get(); }
    // The connection is broken or in an unknown state: close it instead of returning it.
    void discard() { discard_ = true; }

   private:
    Pool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool discard_ = false;
  };

  Lease acquire();

  // Runs f(pqxx::work&) in a transaction and commits; on an exception it rolls back and
  // rethrows (a broken connection is discarded).
  template <class F>
  auto transact(F&& f) -> decltype(f(std::declval<pqxx::work&>())) {
    auto lease = acquire();
    try {
      pqxx::work tx(*lease);
      if constexpr (std::is_void_v<decltype(f(tx))>) {
        f(tx);
        tx.commit();
      } else {
        auto result = f(tx);
        tx.commit();
        return result;
      }
    } catch (const pqxx::broken_connection&) {
      lease.discard();
      throw;
    } catch (const pqxx::in_doubt_error&) {
      lease.discard();
      throw;
    }
  }

  // SELECT 1 with a fresh lease; false if PostgreSQL cannot be reached.
  bool ping() noexcept;
  [[nodiscard]] const QueryCatalog& queries() const { return queries_; }
  [[nodiscard]] int open_connections() const;

 private:
  std::unique_ptr<pqxx::connection> connect();
  void release(std::unique_ptr<pqxx::connection> conn, bool discard);

  PoolOptions options_;
  QueryCatalog queries_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;
};

// A DSN for logs: the password is cut (postgresql://user:[REDACTED]@host/db, password=...).
std::string redact_dsn(const std::string& url);

}  // namespace herald::core::pg
