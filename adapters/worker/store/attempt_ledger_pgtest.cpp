// The attempt ledger on real PostgreSQL: the worker's migration and named queries, in a schema of
// its own.
#include "adapters/worker/store/attempt_ledger.hpp"

#include <gtest/gtest.h>

#include "adapters/worker/worker_module.hpp"
#include "services/core/pg/migrator.hpp"
#include "tests/support/pg_schema.hpp"

namespace herald::worker {
namespace {

class LedgerLive : public ::testing::Test {
 protected:
  LedgerLive() {
    auto schema = WorkerModule::schema();
    core::pg::PoolOptions o;
    o.url = herald::testing::pg_url();
    o.size = 2;
    o.search_path = schema_.name();
    {
      core::pg::Pool migrate_pool(o);
      core::pg::migrate(migrate_pool, schema.service, schema.migrations);
    }
    core::pg::QueryCatalog q;
    for (const auto& [file, text] : schema.query_files) q.add(file, text);
    pool_ = std::make_unique<core::pg::Pool>(o, q);
  }
  AttemptRow row(const std::string& outcome) {
    AttemptRow r;
    r.target_id = "t1";
    r.content_version = 3;
    r.attempt = 2;
    r.account_id = "a1";
    r.platform = "mastodon";
    r.worker = "host:1:0";
    r.started_ms = 1'800'000'000'123;
    r.finished_ms = 1'800'000'000'456;
    r.latency_ms = 333;
    r.request_summary = "POST /api/v1/statuses -> 503";
    r.response_status = 503;
    r.outcome = outcome;
    r.error_class = "retryable";
    r.error_code = "";
    r.error_message = "Service unavailable";
    return r;
  }
  herald::testing::PgSchema schema_;
  std::unique_ptr<core::pg::Pool> pool_;
};

TEST_F(LedgerLive, MigrationAndQueriesAreEmbedded) {
  auto s = WorkerModule::schema();
  EXPECT_EQ(s.service, "worker");
  ASSERT_EQ(s.migrations.size(), 1U);
  EXPECT_EQ(s.migrations[0].version, 1);
  ASSERT_EQ(s.query_files.size(), 1U);
  EXPECT_EQ(s.query_files[0].first, "store/attempts.sql");
}

TEST_F(LedgerLive, RowsRoundTripInOrder) {
  PgAttemptLedger ledger(*pool_);
  ledger.record(row("retry"));
  auto published = row("published");
  published.attempt = 3;
  published.response_status = 200;
  published.platform_post_id = "111";
  published.error_class.clear();
  published.error_message.clear();
  ledger.record(published);
  auto unknown = row("unknown");
  unknown.response_status.reset();
  ledger.record(unknown);

  auto rows = ledger.of_target("t1");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_LT(rows[0].id, rows[1].id);
  EXPECT_EQ(rows[0].outcome, "retry");
  EXPECT_EQ(rows[0].started_ms, 1'800'000'000'123);
  EXPECT_EQ(rows[0].finished_ms, 1'800'000'000'456);
  EXPECT_EQ(rows[0].latency_ms, 333);
  EXPECT_EQ(rows[0].response_status, 503);
  EXPECT_EQ(rows[0].error_class, "retryable");
  EXPECT_EQ(rows[0].error_code, "");  // stored as NULL
  EXPECT_EQ(rows[0].request_summary, "POST /api/v1/statuses -> 503");
  EXPECT_EQ(rows[1].attempt, 3);
  EXPECT_EQ(rows[1].platform_post_id, "111");
  EXPECT_EQ(rows[1].error_class, "");
  EXPECT_FALSE(rows[2].response_status.has_value());
  EXPECT_TRUE(ledger.of_target("other").empty());
}

TEST_F(LedgerLive, AnUnknownOutcomeWordIsRefused) {
  PgAttemptLedger ledger(*pool_);
  EXPECT_THROW(ledger.record(row("maybe")), std::exception);
  EXPECT_TRUE(ledger.of_target("t1").empty());
}

}  // namespace
}  // namespace herald::worker
