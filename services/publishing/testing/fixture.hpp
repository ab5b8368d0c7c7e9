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
#include "tests/support/manual_clock.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/test_env.hpp"

namespace herald::publishing::testing {

inline const std::string kOrg = "00000000-0000-4000-8000-0000000000a1";
inline const std::string kBrand = "00000000-0000-4000-8000-0000000000b1";
inline const std::string kOtherBrand = "00000000-0000-4000-8000-0000000000b2";
inline const std::string kMastodon = "00000000-0000-4000-8000-0000000000c1";
inline const std::string kX = "00000000-0000-4000-8000-0000000000c2";
inline const std::string kInstagram = "00000000-0000-4000-8000-0000000000c3";
inline const std::string kForeign = "00000000-0000-4000-8000-0000000000c9";  // another brand's account

class FakeIdentity final : public iam::Identity {
 public:
  // The caller named by the X-Test-User header (a user id added with add_user); 401 otherwise.
  boost::asio::awaitable<iam::Principal> require(core::http::Request& req) override {
    auto h = req.header("X-Test-User");
    std::lock_guard lock(mutex_);
    if (!h || users_.count(std::string(*h)) == 0) core::http::unauthorized("no test user");
    co_return users_.at(std::string(*h));
  }
  void add_user(const iam::Principal& p) {
    std::lock_guard lock(mutex_);
    users_[p.user_id] = p;
  }
  std::optional<iam::BrandInfo> brand(const std::string& org_id, const std::string& brand_id) override {
    if (org_id != kOrg || (brand_id != kBrand && brand_id != kOtherBrand)) return std::nullopt;
    return iam::BrandInfo{brand_id, org_id, "Brand", "brand", "Asia/Shanghai"};
  }
  void append_audit(pqxx::work&, const iam::Actor& actor, const iam::AuditRecord& r) override {
    std::lock_guard lock(mutex_);
    audit_.push_back(r.action + " by " + actor.label);
  }
  std::vector<std::string> audit() {
    std::lock_guard lock(mutex_);
    return audit_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> audit_;
  std::map<std::string, iam::Principal> users_;
};

class FakeDirectory final : public contracts::AccountDirectory {
 public:
  FakeDirectory() {
    add(kMastodon, kBrand, "mastodon", "@herald@social.example");
    add(kX, kBrand, "x", "@herald");
    add(kInstagram, kBrand, "instagram", "herald.official");
    add(kForeign, kOtherBrand, "mastodon", "@other@social.example");
  }
  std::optional<contracts::AccountRef> account(const std::string& org_id, const std::string& id) override {
    auto it = accounts_.find(id);
    if (it == accounts_.end() || it->second.org_id != org_id) return std::nullopt;
    return it->second;
  }
  std::optional<adapters::Credentials> credentials(const std::string&) override { return std::nullopt; }

 private:
  void add(const std::string& id, const std::string& brand, const std::string& platform, const std::string& handle) {
    contracts::AccountRef a;
    a.id = id;
    a.org_id = kOrg;
    a.brand_id = brand;
    a.platform = platform;
    a.handle = handle;
    a.status = "connected";
    accounts_[id] = a;
  }
  std::map<std::string, contracts::AccountRef> accounts_;
};

inline iam::Principal principal(const std::string& n, const std::string& role) {
  iam::Principal p;
  p.user_id = "00000000-0000-4000-8000-00000000010" + n;
  p.org_id = kOrg;
  p.email = "user" + n + "@example.com";
  p.display_name = "User " + n;
  p.memberships.push_back({kBrand, "Brand", role, std::nullopt});
  return p;
}

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

// The HTTP status a call fails with (0 when it does not fail), and its problem's extra members.
template <class F>
int status_of(F&& f, nlohmann::json* extra = nullptr, std::string* detail = nullptr) {
  try {
    f();
  } catch (const core::http::HttpError& e) {
    if (extra != nullptr) *extra = e.extra();
    if (detail != nullptr) *detail = e.detail();
    return e.status();
  }
  return 0;
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
