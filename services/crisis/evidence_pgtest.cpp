// The evidence vault against real PostgreSQL: freezes and lifts land in it with the people who
// made them, people record statements, the export verifies and a changed bundle does not, and
// the table refuses to be rewritten.
#include "services/crisis/evidence.hpp"

#include <gtest/gtest.h>

#include "services/crisis/crisis_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/service_db.hpp"

namespace herald::crisis {
namespace {

using herald::testing::kBrand;
using herald::testing::kOtherBrand;
using herald::testing::principal;
using herald::testing::status_of;

class EvidencePg : public ::testing::Test {
 protected:
  EvidencePg() : db_(CrisisModule::schema()) {
    manager_.memberships.push_back({kOtherBrand, "Other", "crisis_commander", std::nullopt});
  }

  EvidenceItem record(const iam::Principal& p, const std::string& kind, const std::string& brand, const std::string& text) {
    return vault_.record(p, EvidenceInput{kind, "incident-1", brand, {{"text", text}}});
  }

  herald::testing::ServiceDb db_;
  herald::testing::ManualClock clock_;
  herald::testing::FakeIdentity identity_;
  EvidenceVault vault_{db_.pool(), identity_, clock_};
  iam::Principal manager_ = principal("1", "crisis_commander");  // both brands
  iam::Principal commander_ = principal("2", "crisis_commander");  // the first brand only
  iam::Principal legal_ = principal("3", "legal_reviewer");        // crisis.read, not manage
};

TEST_F(EvidencePg, RecordsAreChainedAndTheExportVerifies) {
  auto a = record(commander_, "statement", kBrand, "We are aware of the issue.");
  auto b = record(manager_, "platform_report", kOtherBrand, "Report 7 filed");
  auto c = record(manager_, "note", "", "Press call at 14:00");
  EXPECT_EQ(a.seq, 1);
  EXPECT_EQ(b.prev_hash, a.hash);
  EXPECT_EQ(c.seq, 3);
  EXPECT_EQ(identity_.audit().back(), "crisis.evidence.record by user1@example.com");

  auto bundle = vault_.export_bundle(manager_);
  EXPECT_EQ(bundle["manifest"]["count"], 3);
  EXPECT_EQ(bundle["manifest"]["head_hash"], c.hash);
  auto ok = EvidenceVault::verify_bundle(bundle);
  EXPECT_TRUE(ok.chain.ok) << ok.chain.reason;
  EXPECT_TRUE(ok.manifest_matches) << ok.manifest_reason;

  auto edited = bundle;
  edited["items"][0]["content"] = R"({"text":"We were never aware."})";
  auto bad = EvidenceVault::verify_bundle(edited);
  EXPECT_FALSE(bad.chain.ok);
  EXPECT_EQ(bad.chain.first_bad_seq, 1);

  auto cut = bundle;
  cut["items"].erase(2);  // the last item removed: the chain holds, the manifest does not
  auto r = EvidenceVault::verify_bundle(cut);
  EXPECT_TRUE(r.chain.ok);
  EXPECT_FALSE(r.manifest_matches);
  EXPECT_THROW(EvidenceVault::verify_bundle(nlohmann::json::object()), std::invalid_argument);
}

TEST_F(EvidencePg, ReadingAndRecordingFollowTheBrandPermissions) {
  record(manager_, "statement", kBrand, "brand one");
  record(manager_, "statement", kOtherBrand, "brand two");
  // crisis.manage records; crisis.read does not.
  EXPECT_EQ(status_of([&] { record(legal_, "statement", kBrand, "x"); }), 403);
  // The organization as a whole takes the permission on every brand.
  EXPECT_EQ(status_of([&] { record(commander_, "note", "", "x"); }), 403);
  EXPECT_EQ(status_of([&] { vault_.export_bundle(commander_); }), 403);
  // Herald's own kinds and unknown ones are refused, as is a brand of another organization.
  EXPECT_EQ(status_of([&] { record(manager_, "freeze", kBrand, "x"); }), 422);
  EXPECT_EQ(status_of([&] { record(manager_, "gossip", kBrand, "x"); }), 422);
  EXPECT_EQ(status_of([&] { record(manager_, "note", "00000000-0000-4000-8000-0000000000ff", "x"); }), 422);
  EXPECT_EQ(status_of([&] { vault_.record(manager_, EvidenceInput{"note", "", kBrand, nullptr}); }), 422);
  // Each reader sees their brands' items.
  EXPECT_EQ(vault_.list(legal_, 0, 10, "").size(), 1u);
  EXPECT_EQ(vault_.list(manager_, 0, 10, "").size(), 2u);
  EXPECT_EQ(vault_.list(manager_, 1, 10, "").size(), 1u);
  EXPECT_TRUE(vault_.list(manager_, 0, 10, "another-subject").empty());
}

TEST_F(EvidencePg, TheTableIsAppendOnly) {
  record(manager_, "statement", kBrand, "kept");
  auto change = [&](const std::string& sql) {
    try {
      db_.pool().transact([&](pqxx::work& tx) { tx.exec(sql); });
      return true;
    } catch (const std::exception&) {
      return false;
    }
  };
  EXPECT_FALSE(change("UPDATE crisis_evidence SET content = '{}'"));
  EXPECT_FALSE(change("DELETE FROM crisis_evidence"));
  EXPECT_EQ(vault_.list(manager_, 0, 10, "").at(0).content, R"({"text":"kept"})");
}

}  // namespace
}  // namespace herald::crisis
