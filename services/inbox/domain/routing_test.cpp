#include "services/inbox/domain/routing.hpp"

#include <gtest/gtest.h>

namespace herald::inbox {
namespace {

using nlohmann::json;

const std::string kAnn = "00000000-0000-4000-8000-00000000a001";
const std::string kBo = "00000000-0000-4000-8000-00000000a002";
const std::string kAcc = "00000000-0000-4000-8000-0000000000c2";

RoutingConfig config(const json& j) {
  RoutingConfig c;
  FieldError e;
  EXPECT_TRUE(parse_routing(j, c, e)) << e.field << ": " << e.message;
  return c;
}

TEST(Routing, TheFirstRuleWhoseConditionsAllHoldTakesTheThread) {
  auto c = config(json::parse(R"({"auto_assign": true, "rules": [
    {"name": "Refund DMs", "keywords": ["Refund", "退款"], "kinds": ["dm"], "assign_to": ")" + kAnn + R"("},
    {"name": "Refunds anywhere", "keywords": ["refund"]},
    {"name": "The X account", "account_ids": [")" + kAcc + R"("], "assign_to": ")" + kBo + R"("}]})"));
  EXPECT_EQ(match_rule(c, {"I want a REFUND now", kAcc, "dm"}), 0u);       // case-insensitive
  EXPECT_EQ(match_rule(c, {"订单退款还没到账", "other", "dm"}), 0u);          // Chinese keyword
  EXPECT_EQ(match_rule(c, {"I want a refund", kAcc, "comment"}), 1u);     // not a DM: the next rule
  EXPECT_EQ(match_rule(c, {"Love it", kAcc, "comment"}), 2u);             // by account
  EXPECT_EQ(match_rule(c, {"Love it", "another-account", "comment"}), std::nullopt);
  EXPECT_EQ(c.rules[1].assign_to, std::nullopt);  // round robin
}

TEST(Routing, RoundRobinGivesTheThreadToTheOnDutyMemberWaitingLongest) {
  std::vector<DutyMember> team{{kBo, true, 2000}, {kAnn, true, 1000}, {"00000000-0000-4000-8000-00000000a003", false, 0}};
  EXPECT_EQ(next_in_turn(team), kAnn);  // the off-duty member is never chosen, however long they wait
  team[1].last_assigned_ms = 3000;
  EXPECT_EQ(next_in_turn(team), kBo);
  team[0].last_assigned_ms = 3000;
  EXPECT_EQ(next_in_turn(team), kAnn);  // a tie goes by user id
  team.push_back({"00000000-0000-4000-8000-00000000a004", true, 0});
  EXPECT_EQ(next_in_turn(team), "00000000-0000-4000-8000-00000000a004");  // never given one: first
  for (auto& m : team) m.on_duty = false;
  EXPECT_EQ(next_in_turn(team), std::nullopt);
}

TEST(Routing, BadRulesAreRefusedNamingTheField) {
  auto refused = [](const std::string& text) {
    RoutingConfig c;
    FieldError e;
    EXPECT_FALSE(parse_routing(json::parse(text), c, e)) << text;
    return e.field;
  };
  EXPECT_EQ(refused(R"({"auto_assign": "yes"})"), "auto_assign");
  EXPECT_EQ(refused(R"({"rules": [{"name": "all"}]})"), "rules[0]");
  EXPECT_EQ(refused(R"({"rules": [{"keywords": ["a"], "kinds": ["email"]}]})"), "rules[0].kinds[0]");
  EXPECT_EQ(refused(R"({"rules": [{"keywords": ["a"], "assign_to": "ann"}]})"), "rules[0].assign_to");
  EXPECT_EQ(refused(R"({"rules": [{"keywords": [""]}]})"), "rules[0].keywords[0]");
  EXPECT_EQ(refused(R"({"rules": [{"account_ids": ["x"]}]})"), "rules[0].account_ids[0]");
  EXPECT_EQ(refused(R"({"rules": [{"keywords": ["a"], "colour": 1}]})"), "rules[0].colour");
  EXPECT_EQ(refused(R"({"rules": [], "extra": 1})"), "extra");
}

TEST(Routing, TheJsonFormRoundTrips) {
  auto c = config(json::parse(R"({"auto_assign": false, "rules": [{"name": "VIP", "keywords": ["VIP"], "assign_to": null}]})"));
  auto j = to_json(c);
  EXPECT_EQ(j["rules"][0]["keywords"], json::array({"vip"}));
  EXPECT_TRUE(j["rules"][0]["assign_to"].is_null());
  EXPECT_EQ(to_json(config(j)), j);
}

}  // namespace
}  // namespace herald::inbox
