// The Sender writing the real attempt ledger (PostgreSQL) while the gate and the events live in
// real Redis. A Redis test that also needs PostgreSQL: skipped when HERALD_TEST_PG_URL is unset
// (scripts/test and /tmp/itest.sh set both).
#include <gtest/gtest.h>

#include <cstdlib>

#include "adapters/worker/worker_module.hpp"
#include "adapters/worker/worker_test_support.hpp"
#include "herald/adapters/marker.hpp"
#include "services/core/pg/migrator.hpp"
#include "tests/support/pg_schema.hpp"

namespace herald::worker {
namespace {

using contracts::Outcome;

bool have_pg() {
  const char* v = std::getenv("HERALD_TEST_PG_URL");
  return v != nullptr && *v != '\0';
}

class SenderWithLedger : public testing::WorkerRedis {
 protected:
  void SetUp() override {
    if (!have_pg()) GTEST_SKIP() << "HERALD_TEST_PG_URL is not set";
    schema_ = std::make_unique<herald::testing::PgSchema>();
    auto s = WorkerModule::schema();
    core::pg::PoolOptions o;
    o.url = herald::testing::pg_url();
    o.size = 2;
    o.search_path = schema_->name();
    {
      core::pg::Pool migrate_pool(o);
      core::pg::migrate(migrate_pool, s.service, s.migrations);
    }
    core::pg::QueryCatalog q;
    for (const auto& [file, text] : s.query_files) q.add(file, text);
    pool_ = std::make_unique<core::pg::Pool>(o, q);
    pg_ledger_ = std::make_unique<PgAttemptLedger>(*pool_);
  }
  Sender pg_sender() {
    auto d = deps(redis_, transport_);
    SenderOptions o;
    o.random01 = [] { return 0.0; };
    return Sender(Sender::Deps{d.redis, d.transport, d.clock, d.gate, d.directory, d.adapters, *pg_ledger_, d.logger,
                               d.streams, d.governor},
                  "w1", o);
  }
  std::unique_ptr<herald::testing::PgSchema> schema_;
  std::unique_ptr<core::pg::Pool> pool_;
  std::unique_ptr<PgAttemptLedger> pg_ledger_;
};

TEST_F(SenderWithLedger, PublishedPathIsDurableInTheLedgerAndOnTheStream) {
  transport_.reply(200, testing::status_json("111"));
  auto sender = pg_sender();
  EXPECT_EQ(sender.handle(testing::sample_job()).outcome, Outcome::kPublished);
  auto rows = pg_ledger_->of_target("t1");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].outcome, "published");
  EXPECT_EQ(rows[0].platform_post_id, "111");
  EXPECT_EQ(rows[0].response_status, 200);
  EXPECT_EQ(rows[0].worker, "w1");
  EXPECT_EQ(rows[0].account_id, "a1");
  EXPECT_EQ(rows[0].started_ms, now_ms());
  EXPECT_EQ(rows[0].request_summary, "POST /api/v1/statuses -> 200");
  EXPECT_EQ(outcomes(), (std::vector<std::string>{"sending", "published"}));
}

TEST_F(SenderWithLedger, EveryAttemptAndReadBackIsARow) {
  auto sender = pg_sender();
  auto job = testing::sample_job();
  transport_.reply(503, R"({"error":"busy"})");
  EXPECT_EQ(sender.handle(job).outcome, Outcome::kRetry);
  job.attempt = 2;
  transport_.fail(true);
  transport_.reply(200, "[" + testing::status_json("121", "x" + adapters::invisible_marker("hm-t1")) + "]");
  EXPECT_EQ(sender.handle(job).outcome, Outcome::kPublished);
  auto rows = pg_ledger_->of_target("t1");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].attempt, 1);
  EXPECT_EQ(rows[0].outcome, "retry");
  EXPECT_EQ(rows[0].error_class, "retryable");
  EXPECT_EQ(rows[0].error_message, "busy");
  EXPECT_EQ(rows[1].attempt, 2);
  EXPECT_EQ(rows[1].outcome, "unknown");
  EXPECT_FALSE(rows[1].response_status.has_value());
  EXPECT_EQ(rows[2].kind, "read_back");
  EXPECT_EQ(rows[2].outcome, "published");
  EXPECT_EQ(rows[2].platform_post_id, "121");
  for (const auto& r : rows) EXPECT_EQ(r.request_summary.find("tok-secret"), std::string::npos);
}

}  // namespace
}  // namespace herald::worker
