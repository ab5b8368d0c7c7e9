// Listening's rules against real PostgreSQL: added and removed with the crisis permissions,
// imported from CSV all or nothing, exported back, and matched with the brand's names filling in
// "[brand]"; a change of the rules takes effect on the next match.
#include "services/crisis/listening/rules.hpp"

#include <gtest/gtest.h>

#include "services/crisis/crisis_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/service_db.hpp"

namespace herald::crisis::listening {
namespace {

using herald::testing::kBrand;
using herald::testing::kOtherBrand;
using herald::testing::principal;
using herald::testing::status_of;

class RulesPg : public ::testing::Test {
 protected:
  RulesPg() : db_(CrisisModule::schema()) {
    manager_.memberships.push_back({kOtherBrand, "Other", "crisis_commander", std::nullopt});
  }
  static std::vector<std::string> keywords(const std::vector<RuleRecord>& rules) {
    std::vector<std::string> out;
    for (const auto& r : rules) out.push_back(r.keyword);
    return out;
  }
  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;  // both brands are named "Brand"
  Rules rules_{db_.pool(), identity_};
  iam::Principal manager_ = principal("1", "crisis_commander");    // both brands
  iam::Principal commander_ = principal("2", "crisis_commander");  // the first brand only
  iam::Principal legal_ = principal("3", "legal_reviewer");        // crisis.read only
};

TEST_F(RulesPg, RulesAreMatchedAndAChangeTakesEffectAtOnce) {
  rules_.add(manager_, {0, "", "keyword", "当机", false, 2.0, ""});
  rules_.add(manager_, {0, "", "sensitive", "[brand]故障", true, 5.0, ""});
  EXPECT_EQ(keywords(rules_.match(legal_, "你们的系统又當機了", "", "")), std::vector<std::string>{"当机"});
  EXPECT_EQ(keywords(rules_.match(legal_, "Brand 故 障", "", kBrand)), std::vector<std::string>{"[brand]故障"});
  auto local = rules_.add(commander_, {0, kBrand, "keyword", "退款", false, 1.0, ""});
  EXPECT_EQ(rules_.match(legal_, "我要退款", "", kBrand).size(), 1u);
  EXPECT_TRUE(rules_.match(manager_, "我要退款", "", kOtherBrand).empty());  // another brand's rule
  rules_.remove(commander_, local.id);
  EXPECT_TRUE(rules_.match(legal_, "我要退款", "", kBrand).empty());
  EXPECT_EQ(identity_.audit().back(), "listening.rule.remove by user2@example.com");
}

TEST_F(RulesPg, WritingTakesCrisisManageOverTheRulesReach) {
  EXPECT_EQ(status_of([&] { rules_.add(legal_, {0, kBrand, "keyword", "x", false, 1.0, ""}); }), 403);
  EXPECT_EQ(status_of([&] { rules_.add(commander_, {0, "", "keyword", "x", false, 1.0, ""}); }), 403);
  EXPECT_EQ(status_of([&] { rules_.add(manager_, {0, "", "gossip", "x", false, 1.0, ""}); }), 422);
  EXPECT_EQ(status_of([&] { rules_.add(manager_, {0, "", "keyword", "   ", false, 1.0, ""}); }), 422);
  EXPECT_EQ(status_of([&] { rules_.add(manager_, {0, "", "keyword", "x", false, 0.0, ""}); }), 422);
  EXPECT_EQ(status_of([&] { rules_.add(manager_, {0, "00000000-0000-4000-8000-0000000000ff", "keyword", "x", false, 1.0, ""}); }), 422);
  rules_.add(manager_, {0, "", "keyword", "x", false, 1.0, ""});
  EXPECT_EQ(status_of([&] { rules_.add(manager_, {0, "", "keyword", "x", false, 1.0, ""}); }), 409);
  EXPECT_EQ(rules_.list(legal_, "").size(), 1u);
}

TEST_F(RulesPg, ImportIsAllOrNothingAndExportReadsBack) {
  nlohmann::json extra;
  std::string detail;
  EXPECT_EQ(status_of([&] { rules_.import_csv(manager_, "sensitive", "", "keyword,fuzzy,weight\n好词\n坏词,maybe\n,true\n"); },
                      &extra, &detail),
            422);
  ASSERT_EQ(extra["errors"].size(), 2u);
  EXPECT_EQ(extra["errors"][0]["line"], 3);
  EXPECT_EQ(extra["errors"][1]["line"], 4);
  EXPECT_NE(detail.find("nothing was imported"), std::string::npos);
  EXPECT_TRUE(rules_.list(manager_, "sensitive").empty());

  auto r = rules_.import_csv(manager_, "sensitive", "",
                             "keyword,fuzzy,weight,region\n诈骗,true,3\n\"hello, world\",false,1\n停电,,2,CN-GD\n诈骗,true,3\n");
  EXPECT_EQ(r.added, 3);
  EXPECT_EQ(r.already_there, 1);
  auto csv = rules_.export_csv(manager_, "sensitive", "");
  EXPECT_EQ(csv, "keyword,fuzzy,weight,region\n诈骗,true,3,\n\"hello, world\",false,1,\n停电,false,2,CN-GD\n");
  EXPECT_EQ(rules_.import_csv(manager_, "sensitive", kBrand, csv).added, 3);  // the export imports again
  EXPECT_EQ(keywords(rules_.match(manager_, "诈 骗电话", "", "")), std::vector<std::string>{"诈骗"});
  EXPECT_TRUE(rules_.match(manager_, "停电了", "CN-BJ", "").empty());
  EXPECT_EQ(status_of([&] { rules_.import_csv(commander_, "sensitive", "", "x\n"); }), 403);
}

}  // namespace
}  // namespace herald::crisis::listening
