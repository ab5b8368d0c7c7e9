// Routing and the rota against real PostgreSQL: a rule takes the threads it matches, the rest go
// round robin to the members on duty (off duty, outside their hours, or not covering the
// account: never), a thread is routed once when it opens and never taken from whoever has it;
// who may change rules and duties, and what is refused.
#include "services/inbox/routing.hpp"

#include <gtest/gtest.h>

#include "services/inbox/inbox.hpp"
#include "services/inbox/inbox_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/service_db.hpp"

namespace herald::inbox {
namespace {

using herald::testing::kBrand;
using herald::testing::kMastodon;
using herald::testing::kOrg;
using herald::testing::kX;
using herald::testing::principal;
using herald::testing::status_of;
using nlohmann::json;

adapters::InboundItem comment(const std::string& id, const std::string& text) {
  adapters::InboundItem i;
  i.kind = adapters::InboundKind::kComment;
  i.platform_item_id = id;
  i.platform_post_id = "post-" + id;  // a thread each
  i.author_id = "u-" + id;
  i.author_handle = "fan" + id;
  i.text = text;
  i.created_at = 1'700'000'000;
  return i;
}

class RoutingPg : public ::testing::Test {
 protected:
  RoutingPg() : db_(InboxModule::schema()) {
    for (auto* p : {&lead_, &ann_, &bo_, &planner_, &mastodon_only_}) identity_.add_user(*p);
  }

  // The assignee of the thread of post-<id> ("" for nobody).
  std::string assignee(const std::string& id) {
    auto list = inbox_.list(lead_, {});
    for (const auto& t : list["items"]) {
      if (t["platform_post_id"] == "post-" + id) return t["assignee_id"].is_null() ? "" : t["assignee_id"].get<std::string>();
    }
    ADD_FAILURE() << "no thread for " << id;
    return "?";
  }
  void deliver(const std::string& account, const std::vector<adapters::InboundItem>& items) {
    inbox_.ingest(*directory_.account(kOrg, account), items);
  }
  Routing& routing() { return inbox_.routing(); }

  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;
  herald::testing::FakeDirectory directory_;
  Inbox inbox_{db_.pool(), identity_};
  iam::Principal lead_ = principal("1", "community_manager");  // inbox.assign
  iam::Principal ann_ = principal("2", "community_manager");
  iam::Principal bo_ = principal("3", "community_manager");
  iam::Principal planner_ = principal("4", "content_planner");  // reads the inbox, answers nothing
  iam::Principal mastodon_only_ = [] {
    auto p = principal("5", "community_manager");
    p.memberships[0].account_ids = std::vector<std::string>{kMastodon};
    return p;
  }();
};

TEST_F(RoutingPg, ARuleTakesWhatItMatchesAndTheRestGoRoundRobinToThoseOnDuty) {
  routing().put(lead_, kBrand, json::parse(R"({"auto_assign": true, "rules": [
      {"name": "Refunds", "keywords": ["refund", "退款"], "assign_to": ")" + ann_.user_id + R"("}]})"), std::nullopt);
  routing().put_duty(lead_, kBrand, ann_.user_id, {true, std::nullopt});
  routing().put_duty(bo_, kBrand, bo_.user_id, {true, std::nullopt});  // Bo puts himself on duty

  deliver(kX, {comment("r1", "I want a REFUND"), comment("r2", "订单退款")});
  EXPECT_EQ(assignee("r1"), ann_.user_id);
  EXPECT_EQ(assignee("r2"), ann_.user_id);
  // The others in turn: neither was given one by turn yet, so by user id, then alternating.
  deliver(kX, {comment("a", "hello"), comment("b", "hi"), comment("c", "hey")});
  EXPECT_EQ(assignee("a"), ann_.user_id);
  EXPECT_EQ(assignee("b"), bo_.user_id);
  EXPECT_EQ(assignee("c"), ann_.user_id);
  deliver(kX, {comment("d", "good morning")});
  EXPECT_EQ(assignee("d"), bo_.user_id);

  // Off duty: nothing more for Bo. Nobody on duty: the thread waits unassigned.
  routing().put_duty(bo_, kBrand, bo_.user_id, {false, std::nullopt});
  deliver(kX, {comment("e", "one"), comment("f", "two")});
  EXPECT_EQ(assignee("e"), ann_.user_id);
  EXPECT_EQ(assignee("f"), ann_.user_id);
  routing().remove_duty(lead_, kBrand, ann_.user_id);
  deliver(kX, {comment("g", "anyone?")});
  EXPECT_EQ(assignee("g"), "");

  // A thread is routed when it opens, never again: a new message or a redelivery changes nothing.
  routing().put_duty(lead_, kBrand, bo_.user_id, {true, std::nullopt});
  auto again = comment("g2", "still there?");
  again.platform_post_id = "post-g";
  deliver(kX, {again, comment("a", "hello")});
  EXPECT_EQ(assignee("g"), "");
  EXPECT_EQ(assignee("a"), ann_.user_id);
}

TEST_F(RoutingPg, OnlyMembersOnDutyWithinTheirHoursAndCoveringTheAccountAreGivenThreads) {
  routing().put(lead_, kBrand, json{{"auto_assign", true}}, std::nullopt);
  // Ann works only on a day that is not today; the Mastodon-only member is on duty too.
  auto today = date::weekday(date::floor<date::days>(std::chrono::system_clock::now())).c_encoding();  // UTC
  const char* names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  json hours{{"timezone", "UTC"}, {"weekly", {{names[(today + 3) % 7], json::array({json::array({"00:00", "24:00"})})}}}};
  auto ann = routing().put_duty(lead_, kBrand, ann_.user_id, {true, hours});
  EXPECT_EQ(ann["on_duty_now"], false);
  EXPECT_EQ(ann["available"], true);
  routing().put_duty(lead_, kBrand, mastodon_only_.user_id, {true, std::nullopt});

  deliver(kX, {comment("x1", "hello")});
  EXPECT_EQ(assignee("x1"), "");  // Ann is outside her hours; the other does not cover X
  deliver(kMastodon, {comment("m1", "hello")});
  EXPECT_EQ(assignee("m1"), mastodon_only_.user_id);

  auto rota = routing().rota(planner_, kBrand);  // a reader sees the rota
  std::map<std::string, json> by_user;
  for (const auto& m : rota["members"]) by_user[m["user_id"]] = m;
  EXPECT_EQ(by_user.count(planner_.user_id), 0u);  // answers nothing: not listed
  EXPECT_EQ(by_user[bo_.user_id]["in_rota"], false);
  EXPECT_EQ(by_user[mastodon_only_.user_id]["on_duty_now"], true);
  EXPECT_FALSE(by_user[mastodon_only_.user_id]["last_assigned_at"].is_null());
}

TEST_F(RoutingPg, WhoMayChangeRulesAndDutiesAndWhatIsRefused) {
  json extra;
  EXPECT_EQ(status_of([&] { routing().put(planner_, kBrand, json{{"auto_assign", true}}, std::nullopt); }), 403);
  EXPECT_EQ(status_of([&] { routing().put(lead_, kBrand, json::parse(R"({"rules": [{"keywords": ["x"], "assign_to": ")" +
                                                                           planner_.user_id + R"("}]})"),
                                           std::nullopt); }, &extra),
            422);
  EXPECT_EQ(extra["field"], "rules[0].assign_to");  // the planner does not answer the inbox
  EXPECT_EQ(status_of([&] { routing().put(lead_, kBrand, json::parse(R"({"rules": [{"name": "all"}]})"), std::nullopt); }, &extra), 422);
  EXPECT_EQ(extra["field"], "rules[0]");
  auto set = routing().put(lead_, kBrand, json{{"auto_assign", true}}, std::nullopt);
  EXPECT_EQ(set["version"], 1);
  EXPECT_EQ(status_of([&] { routing().put(lead_, kBrand, json{{"auto_assign", false}}, 7); }), 412);
  EXPECT_EQ(routing().get(planner_, kBrand)["auto_assign"], true);

  EXPECT_EQ(status_of([&] { routing().put_duty(planner_, kBrand, planner_.user_id, {true, std::nullopt}); }), 403);
  EXPECT_EQ(status_of([&] { routing().put_duty(planner_, kBrand, ann_.user_id, {true, std::nullopt}); }), 403);
  EXPECT_EQ(status_of([&] { routing().put_duty(lead_, kBrand, planner_.user_id, {true, std::nullopt}); }, &extra), 422);
  EXPECT_EQ(extra["field"], "user_id");
  json bad{{"weekly", {{"mon", json::array({json::array({"18:00", "09:00"})})}}}};
  EXPECT_EQ(status_of([&] { routing().put_duty(ann_, kBrand, ann_.user_id, {true, bad}); }, &extra), 422);
  EXPECT_EQ(extra["field"], "hours.weekly.mon[0]");
  EXPECT_EQ(status_of([&] { routing().remove_duty(ann_, kBrand, ann_.user_id); }), 404);  // not in it
}

}  // namespace
}  // namespace herald::inbox
