// Privacy against real PostgreSQL: who wrote is masked for those who only read the inbox; a
// retention policy purges old messages (with their replies, and threads left empty) and nothing
// newer; one person's messages and the replies they got are exported for a brand manager only.
#include "services/inbox/privacy.hpp"

#include <gtest/gtest.h>

#include "services/inbox/inbox.hpp"
#include "services/inbox/inbox_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/service_db.hpp"

namespace herald::inbox {
namespace {

using herald::testing::kBrand;
using herald::testing::kOrg;
using herald::testing::kX;
using herald::testing::principal;
using herald::testing::status_of;
using nlohmann::json;

adapters::InboundItem comment(const std::string& id, const std::string& post, const std::string& author) {
  adapters::InboundItem i;
  i.kind = adapters::InboundKind::kComment;
  i.platform_item_id = id;
  i.platform_post_id = post;
  i.author_id = author;
  i.author_handle = "lin_" + author;
  i.author_name = "Lin " + author;
  i.text = "Message " + id;
  i.created_at = 1'700'000'000;
  return i;
}

class PrivacyPg : public ::testing::Test {
 protected:
  PrivacyPg() : db_(InboxModule::schema()) {}

  std::int64_t thread_of(const std::string& post) {
    auto list = inbox_.list(agent_, {});
    for (const auto& t : list["items"]) {
      if (t["platform_post_id"] == post) return t["id"].get<std::int64_t>();
    }
    return 0;
  }
  void sql(const std::string& s) {
    db_.pool().transact([&](pqxx::work& tx) { tx.exec(s); });
  }

  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;
  herald::testing::FakeDirectory directory_;
  Inbox inbox_{db_.pool(), identity_};
  Privacy privacy_{db_.pool(), identity_};
  iam::Principal manager_ = principal("1", "social_media_manager");  // brand.manage
  iam::Principal agent_ = principal("2", "community_manager");
  iam::Principal planner_ = principal("3", "content_planner");  // reads the inbox, answers nothing
};

TEST_F(PrivacyPg, WhoWroteIsMaskedForThoseWhoOnlyReadTheInbox) {
  inbox_.ingest(*directory_.account(kOrg, kX), {comment("c1", "p1", "u1")});
  auto id = thread_of("p1");
  auto seen = inbox_.get(agent_, id);
  EXPECT_EQ(seen["personal_data"], "shown");
  EXPECT_EQ(seen["items"][0]["author"]["handle"], "lin_u1");
  EXPECT_EQ(seen["items"][0]["author"]["id"], "u1");
  auto read = inbox_.get(planner_, id);
  EXPECT_EQ(read["personal_data"], "masked");
  EXPECT_EQ(read["items"][0]["author"]["handle"], "l***");
  EXPECT_EQ(read["items"][0]["author"]["name"], "L***");
  EXPECT_EQ(read["items"][0]["author"]["id"], "");
  EXPECT_EQ(read["items"][0]["text"], "Message c1");  // what was said stays readable
}

TEST_F(PrivacyPg, ARetentionPolicyPurgesOldMessagesAndNothingNewer) {
  EXPECT_TRUE(privacy_.retention(manager_, kBrand)["keep_days"].is_null());
  EXPECT_EQ(status_of([&] { privacy_.set_retention(agent_, kBrand, 30); }), 403);
  json extra;
  EXPECT_EQ(status_of([&] { privacy_.set_retention(manager_, kBrand, 0); }, &extra), 422);
  EXPECT_EQ(extra["field"], "keep_days");
  EXPECT_EQ(privacy_.set_retention(manager_, kBrand, 30)["keep_days"], 30);

  inbox_.ingest(*directory_.account(kOrg, kX),
                {comment("old", "p-old", "u1"), comment("mixed-old", "p-mixed", "u2"), comment("new", "p-new", "u3")});
  inbox_.ingest(*directory_.account(kOrg, kX), {comment("mixed-new", "p-mixed", "u2")});
  ReplyRequest r;
  r.text = "Thanks!";
  r.item_id = inbox_.get(agent_, thread_of("p-old"))["items"][0]["id"].get<std::int64_t>();
  inbox_.reply(agent_, thread_of("p-old"), r);
  sql("UPDATE inbox_items SET received_at = now() - interval '40 days' WHERE platform_item_id IN ('old', 'mixed-old')");

  auto purged = privacy_.purge();
  EXPECT_EQ(purged.messages, 2);
  EXPECT_EQ(purged.threads, 1);  // p-old had nothing else; p-mixed keeps its newer message
  EXPECT_EQ(thread_of("p-old"), 0);
  auto mixed = inbox_.get(agent_, thread_of("p-mixed"));
  ASSERT_EQ(mixed["items"].size(), 1u);
  EXPECT_EQ(mixed["items"][0]["platform_item_id"], "mixed-new");
  EXPECT_NE(thread_of("p-new"), 0);
  EXPECT_EQ(privacy_.purge().messages, 0);  // nothing more to do
  EXPECT_EQ(privacy_.retention(manager_, kBrand)["purged_total"], 2);
  db_.pool().transact([&](pqxx::work& tx) {
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM inbox_replies")[0].as<int>(), 0);  // went with its message
  });
  EXPECT_TRUE(privacy_.set_retention(manager_, kBrand, std::nullopt)["keep_days"].is_null());
}

TEST_F(PrivacyPg, OnePersonsMessagesAndTheRepliesTheyGotAreExportedForABrandManager) {
  inbox_.ingest(*directory_.account(kOrg, kX),
                {comment("a1", "p1", "u1"), comment("a2", "p2", "u1"), comment("b1", "p1", "u2")});
  ReplyRequest r;
  r.text = "We are on it, Lin.";
  r.item_id = inbox_.get(agent_, thread_of("p2"))["items"][0]["id"].get<std::int64_t>();
  inbox_.reply(agent_, thread_of("p2"), r);

  EXPECT_EQ(status_of([&] { privacy_.export_person(agent_, "x", "u1"); }), 403);
  json extra;
  EXPECT_EQ(status_of([&] { privacy_.export_person(manager_, "x", ""); }, &extra), 422);
  EXPECT_EQ(extra["field"], "author_id");
  auto out = privacy_.export_person(manager_, "x", "u1");
  ASSERT_EQ(out["messages"].size(), 2u) << out.dump();
  EXPECT_EQ(out["messages"][0]["text"], "Message a1");
  EXPECT_EQ(out["messages"][1]["text"], "Message a2");
  ASSERT_EQ(out["replies"].size(), 1u);
  EXPECT_EQ(out["replies"][0]["text"], "We are on it, Lin.");
  EXPECT_EQ(out["person"]["handles"], json::array({"lin_u1"}));
  EXPECT_TRUE(privacy_.export_person(manager_, "mastodon", "u1")["messages"].empty());  // another platform's u1
  auto audit = identity_.audit();
  EXPECT_NE(std::find(audit.begin(), audit.end(), "inbox.person_export by user1@example.com"), audit.end());
}

}  // namespace
}  // namespace herald::inbox
