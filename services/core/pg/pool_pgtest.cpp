#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "services/core/pg/migrator.hpp"
#include "services/core/pg/pool.hpp"
#include "tests/support/pg_schema.hpp"

namespace herald::core::pg {
namespace {

class PgPool : public ::testing::Test {
 protected:
  testing::PgSchema schema_;
  PoolOptions options(int size = 2) {
    PoolOptions o;
    o.url = testing::pg_url();
    o.size = size;
    o.acquire_timeout = std::chrono::milliseconds(300);
    o.statement_timeout = std::chrono::milliseconds(500);
    o.search_path = schema_.name();
    return o;
  }
};

TEST_F(PgPool, NamedQueriesArePreparedOnEveryConnection) {
  QueryCatalog q;
  q.add("t.sql", "-- name: add\nSELECT $1::int + $2::int;\n-- name: echo\nSELECT $1::text;\n");
  Pool pool(options(), q);
  for (int i = 0; i < 3; ++i) {
    int sum = pool.transact([](pqxx::work& tx) { return tx.exec_prepared1("add", 2, 40)[0].as<int>(); });
    EXPECT_EQ(sum, 42);
  }
  auto s = pool.transact([](pqxx::work& tx) { return tx.exec_prepared1("echo", "héllo")[0].as<std::string>(); });
  EXPECT_EQ(s, "héllo");
}

TEST_F(PgPool, AcquireTimesOutWhenExhaustedAndRecoversOnRelease) {
  Pool pool(options(1));
  {
    auto held = pool.acquire();
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_THROW(pool.acquire(), PoolTimeout);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(250));
  }
  EXPECT_NO_THROW(pool.acquire());
  EXPECT_EQ(pool.open_connections(), 1);
}

TEST_F(PgPool, StatementTimeoutApplies) {
  Pool pool(options());
  EXPECT_THROW(pool.transact([](pqxx::work& tx) { tx.exec("SELECT pg_sleep(2)"); }), pqxx::sql_error);
  EXPECT_TRUE(pool.ping());
}

TEST_F(PgPool, RollbackOnException) {
  Pool pool(options());
  pool.transact([](pqxx::work& tx) { tx.exec("CREATE TABLE t (v int)"); });
  EXPECT_THROW(pool.transact([](pqxx::work& tx) {
                 tx.exec("INSERT INTO t VALUES (1)");
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  EXPECT_EQ(pool.transact([](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM t")[0].as<int>(); }), 0);
}

TEST_F(PgPool, BrokenConnectionIsReplaced) {
  Pool pool(options(1));
  int pid = pool.transact([](pqxx::work& tx) { return tx.exec1("SELECT pg_backend_pid()")[0].as<int>(); });
  {
    pqxx::connection admin(testing::pg_url());
    pqxx::work tx(admin);
    tx.exec_params("SELECT pg_terminate_backend($1)", pid);
    tx.commit();
  }
  // The first use may fail with the broken connection; the pool must heal by the next call.
  try {
    pool.transact([](pqxx::work& tx) { tx.exec("SELECT 1"); });
  } catch (const pqxx::broken_connection&) {
  } catch (const pqxx::sql_error&) {
  }
  int pid2 = pool.transact([](pqxx::work& tx) { return tx.exec1("SELECT pg_backend_pid()")[0].as<int>(); });
  EXPECT_NE(pid, pid2);
}

TEST_F(PgPool, MigrationsApplyOnceInOrderEvenConcurrently) {
  std::map<std::string_view, std::string_view> files{
      {"migrations/002_add_col.sql", "ALTER TABLE m ADD COLUMN b int;"},
      {"migrations/001_create.sql", "CREATE TABLE m (a int);"},
      {"queries/ignored.sql", "-- name: x\nSELECT 1;"},
  };
  auto ms = migrations_from_files(files);
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].version, 1);
  EXPECT_EQ(ms[0].name, "create");

  Pool pool(options(4));
  std::atomic<int> applied{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] { applied += migrate(pool, "svc", ms).applied; });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(applied.load(), 2);
  EXPECT_EQ(applied_version(pool, "svc"), 2);
  EXPECT_EQ(migrate(pool, "svc", ms).applied, 0);
  EXPECT_EQ(applied_version(pool, "other"), 0);
}

TEST_F(PgPool, ChangedMigrationStopsStartup) {
  Pool pool(options());
  migrate(pool, "svc", migrations_from_files({{"migrations/001_a.sql", "CREATE TABLE a (x int);"}}));
  EXPECT_THROW(migrate(pool, "svc", migrations_from_files({{"migrations/001_a.sql", "CREATE TABLE a (y int);"}})),
               MigrationError);
}

TEST_F(PgPool, FailedMigrationLeavesNoTrace) {
  Pool pool(options());
  auto ms = migrations_from_files({{"migrations/001_ok.sql", "CREATE TABLE ok (x int);"},
                                   {"migrations/002_bad.sql", "CREATE TABLE bad (x int); SELECT nonsense;"}});
  EXPECT_THROW(migrate(pool, "svc", ms), MigrationError);
  EXPECT_EQ(applied_version(pool, "svc"), 1);
  bool bad_exists = pool.transact([](pqxx::work& tx) {
    return tx.exec1("SELECT to_regclass('bad') IS NOT NULL")[0].as<bool>();
  });
  EXPECT_FALSE(bad_exists);
}

}  // namespace
}  // namespace herald::core::pg
