// The lockdown switch against real PostgreSQL and Redis: setting a freeze raises the send gate's
// fence before it is acknowledged, the acknowledgement lists the sends already in flight, bad
// input and missing permissions change nothing, and lifting takes a request and an approval by
// someone else.
#include "services/crisis/freezes.hpp"

#include <gtest/gtest.h>

#include "services/core/redis/options.hpp"
#include "services/crisis/crisis_module.hpp"
#include "services/crisis/evidence.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/service_db.hpp"

namespace herald::crisis {
namespace {

using contracts::gate::BeginRequest;
using contracts::gate::Fence;
using contracts::gate::FenceKeys;
using contracts::gate::SendGate;
using contracts::gate::Verdict;
using herald::testing::kBrand;
using herald::testing::kMastodon;
using herald::testing::kOrg;
using herald::testing::kOtherBrand;
using herald::testing::kX;
using herald::testing::principal;
using herald::testing::status_of;

// Records the scopes it was asked about; answers a fixed preview.
class RecordingPreview final : public contracts::FreezePreviewSource {
 public:
  contracts::HeldPreview preview(const contracts::FreezeScopeRef& scope, std::int64_t, int) override {
    asked.push_back(scope.kind + ":" + scope.value);
    contracts::HeldPreview p;
    p.total = 3;
    p.by_brand = {{kBrand, 3}};
    return p;
  }
  std::vector<std::string> asked;
};

class FreezesLive : public ::testing::Test {
 protected:
  FreezesLive()
      : db_(CrisisModule::schema()),
        redis_(core::redis::parse_url(herald::testing::redis_url()), 2),
        prefix_(herald::testing::unique_name("freeze")),
        keys_(prefix_),
        keeper_(db_.pool(), redis_, keys_, clock_),
        freezes_(db_.pool(), redis_, identity_, directory_, preview_, clock_, options()) {
    keeper_.sync();  // the fence is loaded, as CrisisModule does at start
    freezes_.on_change([this](const std::string& scope, const std::string& text) {
      pushed_.emplace_back(scope, nlohmann::json::parse(text));
    });
    commander_.memberships.push_back({kOtherBrand, "Other", "crisis_commander", std::nullopt});
    commander2_.memberships.push_back({kOtherBrand, "Other", "crisis_commander", std::nullopt});
  }
  ~FreezesLive() override {
    auto l = redis_.lease();
    Fence(keys_).clear(*l);
  }
  FreezesOptions options() {
    FreezesOptions o;
    o.key_prefix = prefix_;
    return o;
  }

  // BeginSend for a send on `brand`/`platform`/`account`, as a worker would.
  Verdict begin(const std::string& key, const std::string& brand, const std::string& platform = "mastodon",
                const std::string& account = kMastodon) {
    BeginRequest r;
    r.send_key = key;
    r.scope.org_id = kOrg;
    r.scope.brand_id = brand;
    r.scope.platform = platform;
    r.scope.account_id = account;
    r.worker = "w1";
    r.now_ms = now_ms();
    auto l = redis_.lease();
    return SendGate(keys_).begin(*l, r).verdict;
  }
  std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
  }
  std::int64_t pg_epoch() {
    return db_.pool().transact([](pqxx::work& tx) { return tx.exec1("SELECT epoch FROM crisis_fence")[0].as<std::int64_t>(); });
  }
  std::int64_t freeze_rows() {
    return db_.pool().transact([](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM freezes")[0].as<std::int64_t>(); });
  }
  FreezeInput brand_freeze(const std::string& brand = kBrand) { return FreezeInput{{"brand", brand}, "recall of batch 7", {}}; }

  herald::testing::ServiceDb db_;
  core::redis::Pool redis_;
  std::string prefix_;
  FenceKeys keys_;
  herald::testing::ManualClock clock_;
  herald::testing::FakeIdentity identity_;
  herald::testing::FakeDirectory directory_;
  RecordingPreview preview_;
  FenceKeeper keeper_;
  Freezes freezes_;
  std::vector<std::pair<std::string, nlohmann::json>> pushed_;

  iam::Principal commander_ = principal("1", "crisis_commander");
  iam::Principal commander2_ = principal("2", "crisis_commander");
  iam::Principal commander3_ = principal("3", "crisis_commander");  // first brand only
  iam::Principal planner_ = principal("4", "content_planner");
};

TEST_F(FreezesLive, SettingRaisesTheFenceBeforeTheAcknowledgement) {
  EXPECT_EQ(begin("before:1", kBrand), Verdict::kOpen);

  auto ack = freezes_.set(commander_, brand_freeze());

  // The acknowledgement: recorded, with the send already past the gate and what is now held.
  EXPECT_TRUE(ack.freeze.acknowledged_at_ms.has_value());
  ASSERT_EQ(ack.in_flight.size(), 1u);
  EXPECT_EQ(ack.in_flight[0].send_key, "before:1");
  EXPECT_EQ(ack.held.total, 3);
  EXPECT_EQ(ack.freeze.held_at_ack, 3);
  ASSERT_EQ(ack.freeze.in_flight_at_ack.size(), 1u);
  EXPECT_EQ(ack.freeze.in_flight_at_ack[0]["send_key"], "before:1");
  ASSERT_TRUE(ack.freeze.ack_ms.has_value());  // measured on the steady clock (manual here: 0)
  EXPECT_EQ(ack.epoch, pg_epoch());
  EXPECT_EQ(ack.freeze.brand_id, kBrand);

  // From now on the gate refuses the brand's sends and lets other brands' through.
  EXPECT_EQ(begin("after:1", kBrand), Verdict::kFrozen);
  EXPECT_EQ(begin("other:1", kOtherBrand), Verdict::kOpen);
  EXPECT_TRUE(keeper_.loaded());

  // Audited, and pushed to the brand's clients.
  EXPECT_EQ(identity_.audit().back(), "crisis.freeze by user1@example.com");
  ASSERT_EQ(pushed_.size(), 1u);
  EXPECT_EQ(pushed_[0].first, kBrand);
  EXPECT_EQ(pushed_[0].second["type"], "crisis.freeze");
  EXPECT_EQ(pushed_[0].second["freeze"]["id"], ack.freeze.id);
}

TEST_F(FreezesLive, OrganizationWideScopesReachEveryBrand) {
  auto ack = freezes_.set(commander_, FreezeInput{{"platform", "x"}, "X outage: nothing on X", {}});
  EXPECT_EQ(begin("x:1", kBrand, "x", kX), Verdict::kFrozen);
  EXPECT_EQ(begin("x:2", kOtherBrand, "x", kX), Verdict::kFrozen);
  EXPECT_EQ(begin("m:1", kBrand, "mastodon"), Verdict::kOpen);
  ASSERT_EQ(pushed_.size(), 1u);
  EXPECT_EQ(pushed_[0].first, "org:" + kOrg);  // everyone in the organization hears of it

  freezes_.set(commander_, FreezeInput{{"all", ""}, "everything stops", {}});
  EXPECT_EQ(begin("m:2", kOtherBrand, "mastodon"), Verdict::kFrozen);
  EXPECT_EQ(freezes_.list(planner_, true, 10).size(), 2u);  // org-wide freezes are visible to all
  (void)ack;
}

TEST_F(FreezesLive, BadInputIsRefusedAndChangesNothing) {
  const auto epoch = pg_epoch();
  std::string detail;
  EXPECT_EQ(status_of([&] { freezes_.set(commander_, FreezeInput{{"brand", kBrand}, "  ", {}}); }, nullptr, &detail), 422);
  EXPECT_NE(detail.find("required"), std::string::npos);
  EXPECT_EQ(status_of([&] { freezes_.set(commander_, FreezeInput{{"galaxy", "x"}, "why", {}}); }), 422);
  EXPECT_EQ(status_of([&] { freezes_.set(commander_, FreezeInput{{"all", "something"}, "why", {}}); }), 422);
  EXPECT_EQ(status_of([&] { freezes_.set(commander_, FreezeInput{{"brand", ""}, "why", {}}); }), 422);
  EXPECT_EQ(status_of([&] {
              freezes_.set(commander_, FreezeInput{{"brand", "00000000-0000-4000-8000-0000000000ff"}, "why", {}});
            }, nullptr, &detail), 422);
  EXPECT_NE(detail.find("names no brand"), std::string::npos);
  EXPECT_EQ(status_of([&] {
              freezes_.set(commander_, FreezeInput{{"account", "00000000-0000-4000-8000-0000000000ff"}, "why", {}});
            }), 422);
  EXPECT_EQ(status_of([&] { freezes_.set(commander_, FreezeInput{{"platform", "myspace"}, "why", {}}); }), 422);
  EXPECT_EQ(status_of([&] { freezes_.set(commander_, FreezeInput{{"brand", kBrand}, "why", now_ms() - 1000}); }), 422);
  EXPECT_EQ(pg_epoch(), epoch);
  EXPECT_EQ(freeze_rows(), 0);
  EXPECT_EQ(begin("k:1", kBrand), Verdict::kOpen);
  EXPECT_TRUE(pushed_.empty());
}

TEST_F(FreezesLive, FreezingTakesTheCrisisPermissionOverTheWholeScope) {
  EXPECT_EQ(status_of([&] { freezes_.set(planner_, brand_freeze()); }), 403);
  EXPECT_EQ(status_of([&] { freezes_.preview(planner_, FreezeScope{"brand", kBrand}); }), 403);
  // A commander of one brand may freeze it, an account of it, but nothing organization-wide.
  EXPECT_EQ(status_of([&] { freezes_.set(commander3_, FreezeInput{{"all", ""}, "why", {}}); }), 403);
  EXPECT_EQ(status_of([&] { freezes_.set(commander3_, FreezeInput{{"tag", "recall"}, "why", {}}); }), 403);
  EXPECT_EQ(status_of([&] { freezes_.set(commander3_, brand_freeze(kOtherBrand)); }), 403);
  EXPECT_EQ(freeze_rows(), 0);
  auto ack = freezes_.set(commander3_, FreezeInput{{"account", kMastodon}, "this account was hijacked", {}});
  EXPECT_EQ(ack.freeze.brand_id, kBrand);  // an account's freeze belongs to its brand
  EXPECT_EQ(begin("acc:1", kBrand), Verdict::kFrozen);
  // The planner sees the freeze (it holds their posts) but cannot lift it.
  EXPECT_EQ(freezes_.get(planner_, ack.freeze.id).id, ack.freeze.id);
  EXPECT_EQ(status_of([&] { freezes_.request_lift(planner_, ack.freeze.id, "over"); }), 403);
  // Someone with no role on the brand does not see it at all.
  auto outsider = principal("9", "viewer");
  outsider.memberships[0].brand_id = kOtherBrand;
  EXPECT_EQ(status_of([&] { freezes_.get(outsider, ack.freeze.id); }), 404);
  EXPECT_TRUE(freezes_.list(outsider, false, 10).empty());
}

TEST_F(FreezesLive, LiftingTakesARequestAndAnotherPersonsApproval) {
  auto ack = freezes_.set(commander_, brand_freeze());
  const auto& id = ack.freeze.id;
  EXPECT_EQ(status_of([&] { freezes_.lift(commander2_, id); }), 409);  // no request yet
  EXPECT_EQ(status_of([&] { freezes_.request_lift(commander2_, id, ""); }), 422);
  auto requested = freezes_.request_lift(commander2_, id, "the recall is complete");
  EXPECT_EQ(requested.lift_requested_label, "user2@example.com");
  EXPECT_EQ(status_of([&] { freezes_.request_lift(commander3_, id, "again"); }), 409);
  EXPECT_EQ(status_of([&] { freezes_.lift(commander2_, id); }), 403);  // the requester
  std::string detail;
  EXPECT_EQ(status_of([&] { freezes_.lift(commander_, id); }, nullptr, &detail), 403);  // the one who set it
  EXPECT_NE(detail.find("you set this freeze"), std::string::npos);
  EXPECT_EQ(begin("k:1", kBrand), Verdict::kFrozen);

  const auto epoch = pg_epoch();
  auto lifted = freezes_.lift(commander3_, id);
  EXPECT_TRUE(lifted.lifted_at_ms.has_value());
  EXPECT_EQ(lifted.lifted_by_label, "user3@example.com");
  EXPECT_GT(pg_epoch(), epoch);
  EXPECT_EQ(begin("k:2", kBrand), Verdict::kOpen);
  EXPECT_EQ(status_of([&] { freezes_.lift(commander3_, id); }), 409);
  EXPECT_TRUE(freezes_.list(commander_, true, 10).empty());
  EXPECT_EQ(freezes_.list(commander_, false, 10).size(), 1u);
  EXPECT_EQ(pushed_.back().second["type"], "crisis.lift");
  auto audit = identity_.audit();
  EXPECT_EQ(audit[audit.size() - 2], "crisis.freeze.lift_requested by user2@example.com");
  EXPECT_EQ(audit.back(), "crisis.freeze.lift by user3@example.com");
  // ...and in the evidence vault, chained, with who did each step.
  EvidenceVault vault(db_.pool(), identity_, clock_);
  auto items = vault.list(commander_, 0, 10, id);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind, "freeze");
  EXPECT_EQ(items[0].recorded_by_label, "user1@example.com");
  EXPECT_EQ(items[1].kind, "lift_request");
  EXPECT_EQ(items[2].kind, "lift");
  EXPECT_EQ(items[2].recorded_by_label, "user3@example.com");
  EXPECT_TRUE(verify_evidence(items).ok);
}

TEST_F(FreezesLive, AFenceLostFromRedisIsRebuiltWithTheFreeze) {
  freezes_.set(commander_, brand_freeze());
  {
    auto l = redis_.lease();
    Fence(keys_).clear(*l);
  }
  EXPECT_EQ(begin("k:1", kBrand), Verdict::kFenceAbsent);   // fail closed
  EXPECT_EQ(begin("k:2", kOtherBrand), Verdict::kFenceAbsent);
  keeper_.sync();
  EXPECT_EQ(begin("k:3", kBrand), Verdict::kFrozen);
  EXPECT_EQ(begin("k:4", kOtherBrand), Verdict::kOpen);
}

}  // namespace
}  // namespace herald::crisis
