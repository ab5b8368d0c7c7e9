#pragma once
// Test fixture for the publishing module against real PostgreSQL: its own schema with the
// module's migrations and named queries, a fake Identity (brands, audit rows recorded), a fake
// AccountDirectory, a manual clock, and principals with the seed roles.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/pg/migrator.hpp"
#include "services/core/pg/pool.hpp"
#include "services/publishing/posts.hpp"
#include "services/publishing/publishing_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/test_env.hpp"

namespace herald::publishing::testing {

// The organization, brands, accounts, fakes and principals every module test shares.
using herald::testing::FakeDirectory;
using herald::testing::FakeIdentity;
using herald::testing::kBrand;
using herald::testing::kForeign;
using herald::testing::kInstagram;
using herald::testing::kMastodon;
using herald::testing::kOrg;
using herald::testing::kOtherBrand;
using herald::testing::kX;
using herald::testing::principal;
using herald::testing::status_of;

// A pool over a fresh schema with the publishing module's migrations applied and its queries prepared.
inline std::unique_ptr<core::pg::Pool> migrated_pool(const herald::testing::PgSchema& schema) {
  auto s = PublishingModule::schema();
  core::pg::PoolOptions o;
  o.url = herald::testing::pg_url();
  o.size = 4;
  o.search_path = schema.name();
  {
    core::pg::PoolOptions m = o;
    m.size = 1;
    core::pg::Pool migrate_pool(m);
    core::pg::migrate(migrate_pool, "publishing", s.migrations);
  }
  core::pg::QueryCatalog catalog;
  for (const auto& [file, text] : s.query_files) catalog.add("publishing/" + file, text);
  return std::make_unique<core::pg::Pool>(o, catalog);
}


class PublishingTest : public ::testing::Test {
 protected:
  herald::testing::PgSchema schema_;
  std::unique_ptr<core::pg::Pool> pool_ = migrated_pool(schema_);
  herald::testing::ManualClock clock_;
  std::string prefix_ = herald::testing::unique_name("pub");  // Redis key prefix of this test
  FakeIdentity identity_;
  FakeDirectory directory_;
  PostStore store_{*pool_};
  Posts posts_{store_, identity_, directory_, clock_, options()};

  const iam::Principal author_ = principal("1", "content_planner");
  const iam::Principal manager_ = principal("2", "social_media_manager");
  const iam::Principal legal_ = principal("3", "legal_reviewer");
  const iam::Principal manager2_ = principal("4", "social_media_manager");
  const iam::Principal viewer_ = principal("5", "viewer");

  PostsOptions options() {
    PostsOptions o;
    o.key_prefix = prefix_;
    return o;
  }

  [[nodiscard]] std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
  }

  static Variant variant(const std::string& account, const std::string& text) {
    Variant v;
    v.account_id = account;
    v.text = text;
    return v;
  }

  PostInput input(std::optional<std::int64_t> slot_ms = std::nullopt) {
    PostInput in;
    in.brand_id = kBrand;
    in.title = "Spring launch";
    in.tags = {"launch"};
    auto m = variant(kMastodon, "Our spring line is here");
    m.hashtags = {"spring", "#launch"};
    m.first_comment = "Details: https://example.com/spring";
    m.thread = {"Part two of the story"};
    in.variants = {m, variant(kX, "Spring line, out now")};
    if (slot_ms) in.slot = Slot{*slot_ms, "Asia/Shanghai"};
    return in;
  }

  // Submit, then the review stage (a manager) and the legal stage (a legal reviewer).
  PostView approve(const std::string& id) {
    posts_.submit(author_, id);
    posts_.decide(manager_, id, Verdict::kApprove, "", std::nullopt);
    return posts_.decide(legal_, id, Verdict::kApprove, "", std::nullopt);
  }

  struct OutboxEntry {
    std::string type;
    std::string target_id;
    contracts::Envelope envelope;
  };
  std::vector<OutboxEntry> outbox() {
    return pool_->transact([this](pqxx::work& tx) {
      std::vector<OutboxEntry> out;
      auto rows = tx.exec("SELECT type, target_id::text, payload, stream FROM publishing_outbox ORDER BY id");
      for (const auto& r : rows) {
        EXPECT_EQ(r[3].as<std::string>(), prefix_ + ":scheduler:commands");
        out.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                       contracts::envelope_from_payload(r[2].as<std::string>())});
      }
      return out;
    });
  }
  void clear_outbox() {
    pool_->transact([](pqxx::work& tx) { tx.exec("DELETE FROM publishing_outbox"); });
  }

  static std::vector<std::string> states(const PostView& v) {
    std::vector<std::string> out;
    for (const auto& t : v.targets) out.emplace_back(to_string(t.state));
    return out;
  }

  ApplyResult event(const std::string& id, contracts::Outcome outcome, const TargetRecord& t,
                    std::int64_t attempt = 1, std::int64_t retry_at_ms = 0) {
    contracts::TargetEvent e;
    e.outcome = outcome;
    e.target_id = t.id;
    e.org_id = t.org_id;
    e.content_version = t.content_version;
    e.attempt = attempt;
    e.at_ms = now_ms();
    e.worker = "w1";
    if (outcome == contracts::Outcome::kPublished) {
      e.platform_post_id = "109";
      e.url = "https://social.example/@herald/109";
    }
    if (outcome == contracts::Outcome::kRetry) {
      e.error_class = "rate_limited";
      e.error_message = "429 Too Many Requests";
      e.retry_at_ms = retry_at_ms;
    }
    return posts_.apply_event(contracts::to_envelope(e, id, now_ms()));
  }
};

}  // namespace herald::publishing::testing
