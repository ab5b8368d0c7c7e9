#pragma once
// The shared skeleton of every Herald executable (composition, not a singleton): from a
// validated Config it builds the logger, metrics, the blocking pool, PostgreSQL (migrated) and
// Redis pools, the key ring, the router and the HTTP server with /healthz, /readyz and /metrics.
// A main() creates one Process, constructs its modules with references to these parts, then
// calls run(). Nothing here is reachable except through the Process a main owns.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/core/app/idempotency.hpp"
#include "services/core/app/live_stream.hpp"
#include "services/core/config/config.hpp"
#include "services/core/crypto/keyring.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/core/http/server.hpp"
#include "services/core/http/websocket_hub.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"
#include "services/core/pg/migrator.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/util/clock.hpp"

namespace herald::core {

// What one module needs from PostgreSQL: its migrations and its named queries.
struct DatabaseSchema {
  std::string service;
  std::vector<pg::Migration> migrations;
  std::vector<std::pair<std::string, std::string>> query_files;  // (name, text)
};

// Builds a DatabaseSchema from a module's embedded files: migrations/*.sql and store/*.sql.
DatabaseSchema schema_from_embedded(std::string service,
                                    const std::map<std::string_view, std::string_view>& files);

class Process {
 public:
  // Connects to PostgreSQL (retrying for up to 30 s), applies the core schema (idempotency keys)
  // and every module schema's migrations, and prepares their queries; throws with a clear
  // message when that cannot be done.
  Process(std::string name, config::Config config, std::vector<DatabaseSchema> schemas);
  ~Process();

  [[nodiscard]] const config::Config& config() const { return config_; }
  [[nodiscard]] log::Logger& logger() { return *logger_; }
  [[nodiscard]] metrics::Registry& metrics() { return metrics_; }
  [[nodiscard]] const Clock& clock() const { return clock_; }
  [[nodiscard]] BlockingPool& blocking() { return *blocking_; }
  [[nodiscard]] pg::Pool& pg() { return *pg_; }
  [[nodiscard]] redis::Pool& redis() { return *redis_; }
  [[nodiscard]] const crypto::KeyRing& keyring() const { return *keyring_; }
  [[nodiscard]] http::Router& router() { return router_; }
  [[nodiscard]] http::WebSocketHub& hub() { return hub_; }
  // Where modules publish live updates: this process's WebSocket clients and every other
  // process's (through Redis). Started by run().
  [[nodiscard]] LiveStream& live() { return *live_; }
  [[nodiscard]] http::Server& server() { return *server_; }
  [[nodiscard]] Idempotency& idempotency() { return *idempotency_; }

  // /readyz answers 200 only when every check passes (they run on the blocking pool).
  void add_readiness_check(std::string name, std::function<bool()> check);

  // Binds, logs the address, serves until SIGINT/SIGTERM, drains. Returns the exit code.
  int run();

 private:
  void add_system_routes();

  std::string name_;
  config::Config config_;
  std::unique_ptr<log::Logger> logger_;
  metrics::Registry metrics_;
  SystemClock clock_;
  std::unique_ptr<BlockingPool> blocking_;
  std::unique_ptr<pg::Pool> pg_;
  std::unique_ptr<redis::Pool> redis_;
  std::unique_ptr<crypto::KeyRing> keyring_;
  http::Router router_;
  http::WebSocketHub hub_;
  std::unique_ptr<LiveStream> live_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<Idempotency> idempotency_;
  std::vector<std::pair<std::string, std::function<bool()>>> readiness_;
  std::vector<std::pair<std::string, int>> expected_versions_;
};

}  // namespace herald::core
