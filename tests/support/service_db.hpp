#pragma once
// A service's tables in a throwaway schema of the test PostgreSQL: the schema is created, the
// service's migrations applied and its named queries prepared on a pool searching that schema,
// the way core::Process does it for the real thing. For *_pgtest.cpp of a module.
#include <memory>
#include <string>

#include "services/core/app/process.hpp"
#include "services/core/pg/migrator.hpp"
#include "services/core/pg/pool.hpp"
#include "tests/support/pg_schema.hpp"

namespace herald::testing {

class ServiceDb {
 public:
  explicit ServiceDb(const core::DatabaseSchema& schema, int pool_size = 4) {
    core::pg::PoolOptions o;
    o.url = pg_url();
    o.size = pool_size;
    o.search_path = schema_.name();
    {
      auto migrate_options = o;
      migrate_options.size = 1;
      core::pg::Pool migrate_pool(migrate_options);
      core::pg::migrate(migrate_pool, schema.service, schema.migrations);
    }
    core::pg::QueryCatalog catalog;
    for (const auto& [file, text] : schema.query_files) catalog.add(schema.service + "/" + file, text);
    pool_ = std::make_unique<core::pg::Pool>(o, catalog);
  }

  [[nodiscard]] core::pg::Pool& pool() { return *pool_; }
  [[nodiscard]] const std::string& schema_name() const { return schema_.name(); }

 private:
  PgSchema schema_;  // declared first: dropped last
  std::unique_ptr<core::pg::Pool> pool_;
};

}  // namespace herald::testing
