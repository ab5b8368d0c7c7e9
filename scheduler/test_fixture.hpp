#pragma once
// Shared set-up of the scheduler's *_pgtest / *_redistest: a Redis pool and key prefix of the
// test's own, the fence, and (for PostgreSQL tests) the scheduler's migrations and queries in a
// throwaway schema. The clock is a ManualClock: tests move it instead of sleeping.
#include <memory>
#include <optional>
#include <string>

#include "scheduler/dispatch/due_set.hpp"
#include "services/contracts/gate/send_gate.hpp"
#include "services/contracts/publishing/messages.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/metrics/registry.hpp"
#include "services/core/pg/migrator.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/redis/options.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/redis/streams.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/test_env.hpp"

namespace herald::scheduler::testing {

inline std::int64_t ms_of(const core::Clock& c) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(c.now().time_since_epoch()).count();
}

inline contracts::DispatchJob job(const std::string& target, std::int64_t due_ms, std::int64_t version = 1,
                                  std::int64_t attempt = 1) {
  contracts::DispatchJob j;
  j.target_id = target;
  j.post_id = "post-" + target;
  j.org_id = "org1";
  j.brand_id = "b1";
  j.account_id = "a1";
  j.platform = "mastodon";
  j.campaign_id = "c1";
  j.tags = {"launch"};
  j.content_version = version;
  j.attempt = attempt;
  j.due_at_ms = due_ms;
  j.content.text = "hello " + target;
  j.marker = "hm-" + target;
  return j;
}

inline DueEntry entry(const contracts::DispatchJob& j) {
  return DueEntry{j.target_id, j.content_version, j.attempt, j.platform, j.org_id, j.due_at_ms,
                  contracts::to_json(j).dump()};
}

class RedisFixture {
 public:
  RedisFixture()
      : prefix_(herald::testing::unique_name("sched")),
        redis_(core::redis::parse_url(herald::testing::redis_url()), 6),
        streams_(prefix_),
        due_(prefix_),
        fence_(contracts::gate::FenceKeys(prefix_)) {}
  ~RedisFixture() {
    try {
      auto l = redis_.lease();
      auto keys = l->checked({"KEYS", prefix_ + ":*"});
      for (const auto& k : keys.elements()) l->checked({"DEL", k.as_string()});
    } catch (...) {
    }
  }

  // Every entry of a stream, parsed.
  std::vector<contracts::Envelope> envelopes(const std::string& stream) {
    auto l = redis_.lease();
    auto r = l->checked({"XRANGE", stream, "-", "+"});
    std::vector<contracts::Envelope> out;
    for (const auto& e : r.elements()) {
      const auto& fields = e.elements().at(1).elements();
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].as_string() == "payload") {
          out.push_back(contracts::envelope_from_payload(fields[i + 1].as_string()));
        }
      }
    }
    return out;
  }
  void load_fence(std::int64_t now_ms = 1) {
    auto l = redis_.lease();
    fence_.ensure_loaded(*l, 1, now_ms);
  }
  void publish_command(const contracts::Envelope& env) {
    auto l = redis_.lease();
    core::redis::xadd(*l, streams_.scheduler_commands, contracts::to_fields(env));
  }

  std::string prefix_;
  core::redis::Pool redis_;
  contracts::StreamNames streams_;
  DueSet due_;
  contracts::gate::Fence fence_;
};

// The scheduler's schema in a throwaway PostgreSQL schema.
class PgFixture {
 public:
  explicit PgFixture(const std::vector<std::pair<std::string, std::string>>& query_files,
                     const std::vector<core::pg::Migration>& migrations) {
    core::pg::PoolOptions o;
    o.url = herald::testing::pg_url();
    o.size = 4;
    o.search_path = schema_.name();
    {
      auto m = o;
      m.size = 1;
      core::pg::Pool migrate_pool(m);
      core::pg::migrate(migrate_pool, "scheduler", migrations);
    }
    core::pg::QueryCatalog catalog;
    for (const auto& [file, text] : query_files) catalog.add(file, text);
    pool_ = std::make_unique<core::pg::Pool>(o, std::move(catalog));
  }
  herald::testing::PgSchema schema_;
  std::unique_ptr<core::pg::Pool> pool_;
};

}  // namespace herald::scheduler::testing
