// The campaign plan's pure rules: calendar dates, the status life cycle, and the checks across
// fields (allocation within the budget, reward values needing a budget, ordered dates).
#include "services/campaigns/domain/campaign.hpp"

#include "services/core/util/day.hpp"

#include <gtest/gtest.h>

namespace herald::campaigns::domain {
namespace {

TEST(CampaignDay, ParsesRealCalendarDatesOnly) {
  using core::parse_day;
  EXPECT_EQ(parse_day("1970-01-02"), 1);
  EXPECT_EQ(parse_day("2024-02-29").has_value(), true);  // a leap day
  EXPECT_FALSE(parse_day("2026-02-29"));
  EXPECT_FALSE(parse_day("2026-13-01"));
  EXPECT_FALSE(parse_day("2026-1-01"));
  EXPECT_FALSE(parse_day("2026-01-01T00:00"));
  EXPECT_EQ(*parse_day("2026-11-11") - *parse_day("2026-11-01"), 10);
}

TEST(CampaignStatus, FollowsTheLifeCycleAndLeavesPausingToTheFreeze) {
  EXPECT_TRUE(can_change_status("draft", "planned"));
  EXPECT_TRUE(can_change_status("draft", "active"));
  EXPECT_TRUE(can_change_status("planned", "draft"));
  EXPECT_TRUE(can_change_status("active", "completed"));
  EXPECT_TRUE(can_change_status("active", "cancelled"));
  EXPECT_FALSE(can_change_status("draft", "completed"));
  EXPECT_FALSE(can_change_status("active", "paused"));
  EXPECT_FALSE(can_change_status("paused", "active"));
  EXPECT_FALSE(can_change_status("completed", "active"));
  EXPECT_FALSE(can_change_status("cancelled", "draft"));
  EXPECT_FALSE(can_change_status("active", "active"));
}

CampaignFields base() {
  CampaignFields c;
  c.name = "n";
  c.type = "promotion";
  c.budget_minor = 1000;
  c.currency = "JPY";
  return c;
}

std::string field_of(const CampaignFields& c) {
  try {
    check(c);
  } catch (const FieldError& e) {
    return e.field;
  }
  return "";
}

TEST(CampaignCheck, AllocationStaysWithinTheBudget) {
  auto c = base();
  c.allocation = {{"weibo", "", 600}, {"KOL", "", 400}};
  EXPECT_EQ(field_of(c), "");
  c.allocation.push_back({"x", "", 1});
  EXPECT_EQ(field_of(c), "allocation");
  c.budget_minor.reset();
  c.allocation = {{"weibo", "", 1}};
  EXPECT_EQ(field_of(c), "allocation");
}

TEST(CampaignCheck, RewardValuesNeedABudgetAndDatesComeInOrder) {
  auto c = base();
  c.rewards = {{"Kettle", 1, 299}};
  EXPECT_EQ(field_of(c), "");
  c.budget_minor.reset();
  c.currency.clear();
  EXPECT_EQ(field_of(c), "rewards[0].value_minor");
  c = base();
  c.starts_on = "2026-11-11";
  c.ends_on = "2026-11-10";
  EXPECT_EQ(field_of(c), "ends_on");
  c.ends_on = "2030-11-11";
  EXPECT_EQ(field_of(c), "ends_on");  // more than 3 years
  c.ends_on = "2026-11-11";
  EXPECT_EQ(field_of(c), "");
  c.status = "active";
  c.ends_on.reset();
  EXPECT_EQ(field_of(c), "ends_on");
}

TEST(CampaignApply, CreatingNeedsNameAndTypeAndAPatchCannotMoveBrandOrStatus) {
  auto known = [](std::string_view p) { return p == "weibo"; };
  CampaignFields c;
  auto field = [&](const nlohmann::json& body, bool creating) -> std::string {
    try {
      apply(c, body, creating, known);
    } catch (const FieldError& e) {
      return e.field;
    }
    return "";
  };
  EXPECT_EQ(field({{"type", "promotion"}}, true), "name");
  EXPECT_EQ(field({{"name", "x"}}, true), "type");
  EXPECT_EQ(field({{"name", "x"}, {"type", "promotion"}, {"platforms", {"weibo", "weibo"}}}, true), "");
  EXPECT_EQ(c.platforms.size(), 1u);
  EXPECT_EQ(field({{"brand_id", "00000000-0000-4000-8000-000000000001"}}, false), "brand_id");
  EXPECT_EQ(field({{"status", "active"}}, false), "status");
  EXPECT_EQ(field({{"kpis", {{{"metric", "reach"}, {"target", 1}}, {{"metric", "reach"}, {"target", 2}}}}}, false),
            "kpis[1].metric");
  EXPECT_EQ(field({{"name", ""}}, false), "name");
}

}  // namespace
}  // namespace herald::campaigns::domain
