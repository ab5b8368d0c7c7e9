// SLA policies against real PostgreSQL: who sets a brand's policy, what is refused, how a
// thread's first-response and resolution clocks follow the policy in its business hours, how
// resolving stops the resolution clock and a new message restarts it, and that the breach
// sweep reports each overdue clock once and never a thread that is resolved.
#include "services/inbox/sla.hpp"

#include <gtest/gtest.h>

#include "services/inbox/inbox.hpp"
#include "services/inbox/inbox_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/service_db.hpp"

namespace herald::inbox {
namespace {

using herald::testing::kBrand;
using herald::testing::kOrg;
using herald::testing::kOtherBrand;
using herald::testing::kX;
using herald::testing::principal;
using herald::testing::status_of;
using nlohmann::json;
using namespace std::chrono_literals;

// A day's opening hours as JSON ([["09:00", "18:00"], ...]); spelled out because a braced list
// of string pairs would make nlohmann::json build an object.
nlohmann::json spans(std::initializer_list<std::pair<const char*, const char*>> list) {
  auto out = nlohmann::json::array();
  for (const auto& [a, b] : list) out.push_back(nlohmann::json::array({a, b}));
  return out;
}

adapters::InboundItem comment(const std::string& id, const std::string& post) {
  adapters::InboundItem i;
  i.kind = adapters::InboundKind::kComment;
  i.platform_item_id = id;
  i.platform_post_id = post;
  i.author_id = "u-" + id;
  i.author_handle = "fan" + id;
  i.text = "Where is my order?";
  i.created_at = 1'700'000'000;
  return i;
}

// A timestamp of the API ("2026-12-03T10:00:00.000Z") as Unix seconds.
double unix_of(const std::string& iso) {
  std::istringstream in(iso);
  date::sys_time<std::chrono::milliseconds> t{};
  in >> date::parse("%FT%TZ", t);
  EXPECT_FALSE(in.fail()) << iso;
  return static_cast<double>(t.time_since_epoch().count()) / 1000.0;
}

class SlaPg : public ::testing::Test {
 protected:
  SlaPg() : db_(InboxModule::schema()) {}

  json thread(const std::string& post) {
    auto list = inbox_.list(manager_, {});
    for (const auto& t : list["items"]) {
      if (t["platform_post_id"] == post) return inbox_.get(manager_, t["id"].get<std::int64_t>());
    }
    ADD_FAILURE() << "no thread for " << post << " in " << list.dump();
    return {};
  }
  void sql(const std::string& statement) {
    db_.pool().transact([&](pqxx::work& tx) { tx.exec(statement); });
  }

  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;
  herald::testing::FakeDirectory directory_;
  Inbox inbox_{db_.pool(), identity_};
  SlaPolicies sla_{db_.pool(), identity_};
  iam::Principal manager_ = principal("1", "social_media_manager");  // brand.manage
  iam::Principal agent_ = principal("2", "community_manager");       // inbox, not brand settings
  iam::Principal viewer_ = principal("3", "viewer");
};

const json kWeekdays = {{"timezone", "Asia/Shanghai"},
                        {"weekly",
                         {{"mon", spans({{"09:00", "18:00"}})},
                          {"tue", spans({{"09:00", "18:00"}})},
                          {"wed", spans({{"09:00", "18:00"}})},
                          {"thu", spans({{"09:00", "18:00"}})},
                          {"fri", spans({{"09:00", "18:00"}})}}}};

TEST_F(SlaPg, ABrandManagerSetsThePolicyAndBadTargetsOrHoursAreRefusedByField) {
  auto d = sla_.get(agent_, kBrand);
  EXPECT_EQ(d["default"], true);
  EXPECT_EQ(d["first_response_minutes"], 60);
  EXPECT_TRUE(d["resolution_minutes"].is_null());
  EXPECT_TRUE(d["business_hours"].is_null());
  EXPECT_EQ(d["open_now"], true);

  SlaPolicyInput in;
  in.first_response_minutes = 30;
  in.resolution_minutes = 480;
  in.business_hours = json{{"weekly", kWeekdays["weekly"]}};  // no zone: the brand's
  EXPECT_EQ(status_of([&] { sla_.put(agent_, kBrand, in); }), 403);
  EXPECT_EQ(status_of([&] { sla_.put(viewer_, kOtherBrand, in); }), 404);
  auto set = sla_.put(manager_, kBrand, in);
  EXPECT_EQ(set["default"], false);
  EXPECT_EQ(set["first_response_minutes"], 30);
  EXPECT_EQ(set["resolution_minutes"], 480);
  EXPECT_EQ(set["business_hours"]["timezone"], "Asia/Shanghai");
  EXPECT_EQ(set["version"], 1);
  EXPECT_EQ(set["updated_by"], "User 1");
  EXPECT_EQ(sla_.get(agent_, kBrand), set);  // the agent reads it

  json extra;
  auto refused = [&](SlaPolicyInput bad) {
    extra = nullptr;
    EXPECT_EQ(status_of([&] { sla_.put(manager_, kBrand, bad); }, &extra), 422);
    return extra.value("field", "");
  };
  auto bad = in;
  bad.resolution_minutes = 10;
  EXPECT_EQ(refused(bad), "resolution_minutes");  // shorter than the first response
  bad = in;
  bad.first_response_minutes = 0;
  EXPECT_EQ(refused(bad), "first_response_minutes");
  bad = in;
  bad.business_hours = json{{"timezone", "UTC"}, {"weekly", {{"mon", spans({{"18:00", "09:00"}})}}}};
  EXPECT_EQ(refused(bad), "business_hours.weekly.mon[0]");
  bad.business_hours = json{{"timezone", "Nowhere/City"}, {"weekly", kWeekdays["weekly"]}};
  EXPECT_EQ(refused(bad), "business_hours.timezone");
  EXPECT_EQ(sla_.get(agent_, kBrand)["version"], 1);  // nothing changed

  auto again = in;
  again.first_response_minutes = 45;
  again.version = 1;
  EXPECT_EQ(sla_.put(manager_, kBrand, again)["version"], 2);
  EXPECT_EQ(status_of([&] { sla_.put(manager_, kBrand, again); }), 412);  // version 1 is stale

  sla_.reset(manager_, kBrand);
  EXPECT_EQ(sla_.get(agent_, kBrand)["default"], true);
}

TEST_F(SlaPg, ClocksStartUnderThePolicyInItsBusinessHours) {
  auto before = std::chrono::system_clock::now();
  inbox_.ingest(*directory_.account(kOrg, kX), {comment("c1", "p1")});
  auto after = std::chrono::system_clock::now();
  auto plain = thread("p1");
  SlaPolicy fallback;
  auto lo = sla_due(fallback, before - 1s), hi = sla_due(fallback, after + 1s);
  auto due = unix_of(plain["sla"]["first_response_due"]);
  EXPECT_GE(due, lo.first_response_s);
  EXPECT_LE(due, hi.first_response_s);
  EXPECT_TRUE(plain["sla"]["resolution_due"].is_null());
  EXPECT_EQ(plain["sla"]["resolution_state"], "none");

  SlaPolicyInput in;
  in.first_response_minutes = 120;
  in.resolution_minutes = 24 * 60;
  in.business_hours = kWeekdays;
  auto policy_json = sla_.put(manager_, kBrand, in);
  before = std::chrono::system_clock::now();
  inbox_.ingest(*directory_.account(kOrg, kX), {comment("c2", "p2")});
  after = std::chrono::system_clock::now();
  auto t = thread("p2");
  SlaPolicy policy;
  policy.first_response = 120min;
  policy.resolution = 24h;
  BusinessHours h;
  HoursError e;
  ASSERT_TRUE(parse_business_hours(kWeekdays, h, e));
  policy.hours = h;
  lo = sla_due(policy, before - 1s);
  hi = sla_due(policy, after + 1s);
  auto first = unix_of(t["sla"]["first_response_due"]);
  auto resolution = unix_of(t["sla"]["resolution_due"]);
  EXPECT_GE(first, lo.first_response_s);
  EXPECT_LE(first, hi.first_response_s);
  EXPECT_GE(resolution, *lo.resolution_s);
  EXPECT_LE(resolution, *hi.resolution_s);
  // Due inside opening hours, and at least the target away (business time is never faster).
  auto at = date::sys_seconds{std::chrono::seconds{static_cast<std::int64_t>(first)}};
  EXPECT_TRUE(is_open(at - 1s, h));
  EXPECT_GE(first - std::chrono::duration<double>(before.time_since_epoch()).count(), 2 * 3600 - 2);
  // 24 business hours at 9 a day: more than two calendar days away.
  EXPECT_GT(resolution - first, 2 * 24 * 3600.0 - 3 * 3600);
  EXPECT_EQ(t["sla"]["resolution_state"], "ok");
  // The policy does not move the clocks of the thread opened before it.
  EXPECT_EQ(thread("p1")["sla"]["first_response_due"], plain["sla"]["first_response_due"]);
}

TEST_F(SlaPg, ResolvingStopsTheResolutionClockAndANewMessageStartsAnotherOne) {
  SlaPolicyInput in;
  in.first_response_minutes = 60;
  in.resolution_minutes = 240;
  sla_.put(manager_, kBrand, in);
  inbox_.ingest(*directory_.account(kOrg, kX), {comment("c1", "p1")});
  auto t = thread("p1");
  auto id = t["id"].get<std::int64_t>();
  auto resolved = inbox_.set_status(agent_, id, "resolved", "", std::nullopt);
  EXPECT_EQ(resolved["sla"]["resolution_state"], "met");
  EXPECT_FALSE(resolved["sla"]["resolved_at"].is_null());
  // Opened again by hand: the clock runs on from where it was.
  auto reopened = inbox_.set_status(agent_, id, "open", "", std::nullopt);
  EXPECT_TRUE(reopened["sla"]["resolved_at"].is_null());
  EXPECT_EQ(reopened["sla"]["resolution_due"], t["sla"]["resolution_due"]);
  inbox_.set_status(agent_, id, "closed", "", std::nullopt);
  // Pushed three hours into the past, then a new message: a new conversation, a new clock.
  sql("UPDATE inbox_threads SET resolution_due = resolution_due - interval '3 hours' WHERE id = " + std::to_string(id));
  auto pushed = unix_of(inbox_.get(agent_, id)["sla"]["resolution_due"]);
  inbox_.ingest(*directory_.account(kOrg, kX), {comment("c2", "p1")});
  auto again = inbox_.get(agent_, id);
  EXPECT_EQ(again["status"], "open");
  EXPECT_TRUE(again["sla"]["resolved_at"].is_null());
  EXPECT_GE(unix_of(again["sla"]["resolution_due"]), pushed + 3 * 3600 - 2);  // four hours from now
  EXPECT_EQ(again["sla"]["resolution_state"], "ok");
}

TEST_F(SlaPg, TheSweepReportsEachOverdueClockOnceAndNeverAResolvedThread) {
  SlaPolicyInput in;
  in.first_response_minutes = 60;
  in.resolution_minutes = 240;
  sla_.put(manager_, kBrand, in);
  inbox_.ingest(*directory_.account(kOrg, kX), {comment("c1", "p1"), comment("c2", "p2"), comment("c3", "p3")});
  auto late = thread("p1")["id"].get<std::int64_t>();
  auto done = thread("p2")["id"].get<std::int64_t>();
  EXPECT_TRUE(sla_.sweep().empty());  // nothing is due yet

  inbox_.set_status(agent_, done, "resolved", "", std::nullopt);
  inbox_.assign(agent_, late, agent_.user_id, std::nullopt);
  sql("UPDATE inbox_threads SET first_response_due = now() - interval '1 minute' WHERE id IN (" +
      std::to_string(late) + "," + std::to_string(done) + ")");
  auto breaches = sla_.sweep();
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].thread_id, late);
  EXPECT_EQ(breaches[0].clock, "first_response");
  EXPECT_EQ(breaches[0].brand_id, kBrand);
  EXPECT_EQ(breaches[0].event["sla"], "first_response");
  EXPECT_EQ(breaches[0].event["assignee_id"], agent_.user_id);
  EXPECT_EQ(breaches[0].event["account_id"], kX);
  EXPECT_FALSE(breaches[0].event["due"].get<std::string>().empty());
  EXPECT_TRUE(sla_.sweep().empty());  // reported once
  ListQuery breached;
  breached.sla = "breached";
  EXPECT_EQ(inbox_.list(agent_, breached)["items"].size(), 1u);

  sql("UPDATE inbox_threads SET resolution_due = now() - interval '1 minute' WHERE id = " + std::to_string(late));
  breaches = sla_.sweep();
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].clock, "resolution");
  EXPECT_EQ(inbox_.get(agent_, late)["sla"]["resolution_state"], "breached");
  EXPECT_TRUE(sla_.sweep().empty());
}

}  // namespace
}  // namespace herald::inbox
