#include "services/crisis/listening/matcher.hpp"

#include <gtest/gtest.h>

namespace herald::crisis::listening {
namespace {

std::vector<std::int64_t> ids(const ScanResult& r) {
  std::vector<std::int64_t> out;
  for (const auto& m : r.matches) out.push_back(m.rule_id);
  return out;
}

TEST(Folder, TraditionalFullWidthAndCaseFoldTogether) {
  Folder f;
  EXPECT_EQ(f.fold("當機"), "当机");
  EXPECT_EQ(f.fold("產品召回"), "产品召回");
  EXPECT_EQ(f.fold("ＡＰＰ閃退"), "app闪退");
  EXPECT_EQ(f.fold("Battery FIRE"), "battery fire");
  EXPECT_EQ(f.fold("already simple 简体"), "already simple 简体");
  EXPECT_EQ(f.fold(std::string("bad \xff byte")), std::string("bad \xff byte"));  // kept, not dropped
}

TEST(Matcher, ExactRulesMeetTheirKeywordInAnyScriptAndCase) {
  Matcher m({{1, "当机", false, 2.0, ""}, {2, "battery fire", false, 5.0, ""}, {3, "退款", false, 1.0, ""}},
            {});
  auto r = m.scan("你们的APP又當機了, and my Battery Fire story");
  EXPECT_EQ(ids(r), (std::vector<std::int64_t>{1, 2}));
  EXPECT_DOUBLE_EQ(r.weight, 7.0);
  EXPECT_TRUE(m.scan("一切正常").matches.empty());
  EXPECT_TRUE(m.scan("battery  fire").matches.empty());  // exact means exact
}

TEST(Matcher, FuzzyRulesSeeThroughSeparators) {
  Matcher m({{1, "故障", true, 1.0, ""}, {2, "故障", false, 1.0, ""}}, {});
  EXPECT_EQ(ids(m.scan("又故 障了")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(ids(m.scan("又故*障了")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(ids(m.scan("又故。。障了")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(ids(m.scan("又故障了")), (std::vector<std::int64_t>{1, 2}));
  EXPECT_TRUE(m.scan("故意的障碍").matches.empty());  // other characters in between are not separators
  EXPECT_TRUE(m.scan("故 , . ! 障").matches.empty());  // at most three separators
}

TEST(Matcher, BrandTemplatesExpandToEveryName) {
  Matcher m({{7, "[brand]故障", false, 3.0, ""}, {8, "[brand]", false, 0.5, ""}}, {"Herald", "赫兰"});
  EXPECT_EQ(m.patterns(), 4u);
  EXPECT_EQ(ids(m.scan("herald故障了吗")), (std::vector<std::int64_t>{7, 8}));
  EXPECT_EQ(ids(m.scan("赫蘭故障")), (std::vector<std::int64_t>{7, 8}));  // Traditional 蘭
  EXPECT_EQ(ids(m.scan("赫兰很好")), (std::vector<std::int64_t>{8}));
  auto twice = m.scan("Herald故障, 赫兰故障");
  EXPECT_EQ(ids(twice), (std::vector<std::int64_t>{7, 8}));  // a rule counts once per item
  EXPECT_DOUBLE_EQ(twice.weight, 3.5);
}

TEST(Matcher, ARegionalRuleMatchesItsRegionOrAnUnknownOne) {
  Matcher m({{1, "停电", false, 1.0, "CN-GD"}, {2, "停电", false, 1.0, ""}}, {});
  EXPECT_EQ(ids(m.scan("停电了", "CN-GD")), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(ids(m.scan("停电了", "CN-BJ")), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(ids(m.scan("停电了")), (std::vector<std::int64_t>{1, 2}));
}

TEST(Matcher, BadRulesAreRefusedByName) {
  try {
    Matcher m({{1, "ok", false, 1.0, ""}, {42, "   ", false, 1.0, ""}}, {});
    FAIL() << "an empty keyword compiled";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rule 42"), std::string::npos) << e.what();
  }
  Matcher none({}, {});
  EXPECT_TRUE(none.scan("anything").matches.empty());
  Matcher no_brand({{1, "[brand]故障", false, 1.0, ""}}, {});  // no brand names: nothing to expand
  EXPECT_TRUE(no_brand.scan("故障").matches.empty());
}

TEST(Matcher, PunctuationInKeywordsIsLiteral) {
  Matcher m({{1, "c++ (beta)", false, 1.0, ""}, {2, "a.b", false, 1.0, ""}}, {});
  EXPECT_EQ(ids(m.scan("try C++ (BETA) now")), (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(m.scan("axb").matches.empty());  // "." is not a wildcard
}

}  // namespace
}  // namespace herald::crisis::listening
