// The inbox reports against real PostgreSQL: first-response times and SLA outcomes per brand,
// replies and first responses per person, messages and complaints per day, categories and the
// words written about most; who may read them and what period is refused.
#include "services/inbox/reports.hpp"

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

adapters::InboundItem comment(const std::string& id, const std::string& text) {
  adapters::InboundItem i;
  i.kind = adapters::InboundKind::kComment;
  i.platform_item_id = id;
  i.platform_post_id = "post-" + id;
  i.author_id = "u-" + id;
  i.author_handle = "fan" + id;
  i.text = text;
  i.created_at = 1'700'000'000;
  return i;
}

class ReportsPg : public ::testing::Test {
 protected:
  ReportsPg() : db_(InboxModule::schema()) {}

  std::int64_t thread_of(const std::string& id) {
    auto list = inbox_.list(agent_, {});
    for (const auto& t : list["items"]) {
      if (t["platform_post_id"] == "post-" + id) return t["id"].get<std::int64_t>();
    }
    ADD_FAILURE() << "no thread " << id;
    return 0;
  }
  void sql(const std::string& s) {
    db_.pool().transact([&](pqxx::work& tx) { tx.exec(s); });
  }

  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;
  herald::testing::FakeDirectory directory_;
  Inbox inbox_{db_.pool(), identity_};
  Reports reports_{db_.pool()};
  iam::Principal agent_ = principal("1", "community_manager");  // inbox.assign
  iam::Principal analyst_ = principal("2", "data_analyst");     // analytics.read
  iam::Principal designer_ = principal("3", "designer");        // neither
};

TEST_F(ReportsPg, ResponseTimesSlaOutcomesAgentsDaysAndTopics) {
  inbox_.ingest(*directory_.account(kOrg, kX),
                {comment("a", "I want a refund, the box arrived broken"), comment("b", "Refund please, it is broken"),
                 comment("c", "Love the new colours"), comment("d", "退款三周了还没到账")});
  ReplyRequest r;
  r.text = "Sorry about that, we are on it.";
  for (const auto* id : {"a", "b"}) inbox_.reply(agent_, thread_of(id), r);
  // First answers 10 and 30 minutes after the threads opened; d waited past its target.
  sql("UPDATE inbox_threads SET first_response_at = created_at + interval '10 minutes' WHERE id = " + std::to_string(thread_of("a")));
  sql("UPDATE inbox_threads SET first_response_at = created_at + interval '30 minutes' WHERE id = " + std::to_string(thread_of("b")));
  sql("UPDATE inbox_threads SET first_response_due = now() - interval '1 minute' WHERE id = " + std::to_string(thread_of("d")));
  inbox_.set_status(agent_, thread_of("a"), "resolved", "", std::nullopt);

  auto rep = reports_.report(analyst_, {kBrand, "", ""});
  ASSERT_EQ(rep["brands"].size(), 1u) << rep.dump();
  const auto& b = rep["brands"][0];
  EXPECT_EQ(b["brand_id"], kBrand);
  EXPECT_EQ(b["threads"], 4);
  EXPECT_EQ(b["answered"], 2);
  EXPECT_DOUBLE_EQ(b["first_response_median_s"].get<double>(), 1200.0);
  EXPECT_DOUBLE_EQ(b["first_response_p90_s"].get<double>(), 1680.0);
  EXPECT_EQ(b["first_response_met"], 2);
  EXPECT_EQ(b["first_response_missed"], 1);
  EXPECT_EQ(b["resolved"], 1);

  ASSERT_EQ(rep["agents"].size(), 1u);
  EXPECT_EQ(rep["agents"][0]["user_id"], agent_.user_id);
  EXPECT_EQ(rep["agents"][0]["name"], "User 1");
  EXPECT_EQ(rep["agents"][0]["replies"], 2);
  EXPECT_EQ(rep["agents"][0]["first_responses"], 2);

  ASSERT_EQ(rep["days"].size(), 1u);
  EXPECT_EQ(rep["days"][0]["messages"], 4);
  EXPECT_GE(rep["days"][0]["complaints"].get<int>(), 2);
  EXPECT_EQ(rep["categories"].value("complaint", 0), rep["days"][0]["complaints"]);
  ASSERT_FALSE(rep["top_terms"].empty());
  std::map<std::string, int> terms;
  for (const auto& t : rep["top_terms"]) terms[t["term"]] = t["messages"];
  EXPECT_EQ(terms["refund"], 2);
  EXPECT_EQ(terms["broken"], 2);
  EXPECT_EQ(terms["退款"], 1);
  EXPECT_EQ(rep["top_terms"][0]["messages"], 2);

  // Another brand's period is its own; an empty period is empty.
  EXPECT_TRUE(reports_.report(agent_, {std::nullopt, "2020-01-01", "2020-01-31"})["brands"].empty());
}

TEST_F(ReportsPg, WhoMayReadThemAndWhatPeriodIsRefused) {
  EXPECT_EQ(status_of([&] { reports_.report(designer_, {kBrand, "", ""}); }), 403);
  EXPECT_TRUE(reports_.report(designer_, {std::nullopt, "", ""})["brands"].empty());
  EXPECT_EQ(status_of([&] { reports_.report(agent_, {kOtherBrand, "", ""}); }), 404);
  json extra;
  EXPECT_EQ(status_of([&] { reports_.report(agent_, {kBrand, "2026-13-01", ""}); }, &extra), 422);
  EXPECT_EQ(extra["field"], "from");
  EXPECT_EQ(status_of([&] { reports_.report(agent_, {kBrand, "2026-02-01", "2026-01-01"}); }, &extra), 422);
  EXPECT_EQ(status_of([&] { reports_.report(agent_, {kBrand, "2026-01-01", "2026-06-01"}); }, &extra), 422);
  EXPECT_EQ(status_of([&] { reports_.report(agent_, {kBrand, "", "yesterday"}); }, &extra), 422);
  EXPECT_EQ(extra["field"], "to");
  auto week = reports_.report(agent_, {kBrand, "", "2026-03-10"});
  EXPECT_EQ(week["from"], "2026-03-04");
  EXPECT_EQ(week["to"], "2026-03-10");
}

}  // namespace
}  // namespace herald::inbox
