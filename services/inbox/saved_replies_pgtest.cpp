// Saved replies and the FAQ against real PostgreSQL: who reads and writes which entries, the
// variable check, a saved reply filled for a thread (and counted as used), FAQ suggestions for
// what a person asked, and promoting a question and its answer to the FAQ.
#include "services/inbox/saved_replies.hpp"

#include <gtest/gtest.h>

#include "services/inbox/inbox_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/service_db.hpp"

namespace herald::inbox {
namespace {

using herald::testing::kBrand;
using herald::testing::kForeign;
using herald::testing::kOrg;
using herald::testing::kOtherBrand;
using herald::testing::kX;
using herald::testing::principal;
using herald::testing::status_of;
using nlohmann::json;

adapters::InboundItem comment(const std::string& id, const std::string& text, const std::string& name = "Li Lei") {
  adapters::InboundItem i;
  i.kind = adapters::InboundKind::kComment;
  i.platform_item_id = id;
  i.platform_post_id = "post-" + id;
  i.author_id = "u-" + id;
  i.author_handle = "fan" + id;
  i.author_name = name;
  i.text = text;
  i.created_at = 1'700'000'000;
  return i;
}

class SavedRepliesPg : public ::testing::Test {
 protected:
  SavedRepliesPg() : db_(InboxModule::schema()) {}

  std::int64_t thread_for(const std::string& account, const adapters::InboundItem& item) {
    inbox_.ingest(*directory_.account(kOrg, account), {item});
    auto list = inbox_.list(admin_, {});
    for (const auto& t : list["items"]) {
      if (t["platform_post_id"] == item.platform_post_id) return t["id"].get<std::int64_t>();
    }
    ADD_FAILURE() << "no thread for " << item.platform_item_id;
    return 0;
  }
  std::int64_t latest_item(std::int64_t thread) {
    return inbox_.get(admin_, thread)["items"].back()["id"].get<std::int64_t>();
  }
  SavedReplyDraft draft(const std::string& text, const std::string& kind = "reply", const std::string& question = "") {
    SavedReplyDraft d;
    d.kind = kind;
    d.brand_id = kBrand;
    d.text = text;
    d.question = question;
    return d;
  }

  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;
  herald::testing::FakeDirectory directory_;
  Inbox inbox_{db_.pool(), identity_};
  SavedReplies saved_{db_.pool(), identity_, directory_, inbox_};
  iam::Principal agent_ = principal("1", "community_manager");  // the first brand
  iam::Principal planner_ = principal("2", "content_planner");  // reads the inbox, cannot reply
  iam::Principal viewer_ = principal("3", "viewer");            // no inbox
  iam::Principal admin_ = [] {
    auto p = principal("4", "viewer");
    p.is_admin = true;
    return p;
  }();
};

TEST_F(SavedRepliesPg, ABrandsAgentsWriteItsEntriesOnlyAdministratorsWriteOrganizationWideOnes) {
  auto own = saved_.create(agent_, draft("Thanks {{name}}!"));
  EXPECT_EQ(own["brand_id"], kBrand);
  EXPECT_EQ(own["title"], "Thanks {{name}}!");
  EXPECT_EQ(own["version"], 1);

  auto org_wide = draft("We are looking into it, {{name}}.");
  org_wide.brand_id.reset();
  EXPECT_EQ(status_of([&] { saved_.create(agent_, org_wide); }), 403);
  auto shared = saved_.create(admin_, org_wide);
  EXPECT_TRUE(shared["brand_id"].is_null());

  auto other = draft("Other brand's text");
  other.brand_id = kOtherBrand;
  EXPECT_EQ(status_of([&] { saved_.create(agent_, other); }), 404);  // a brand it cannot see
  EXPECT_EQ(status_of([&] { saved_.create(planner_, draft("x")); }), 403);
  auto foreign = saved_.create(admin_, other);

  // The agent and the planner read their brand's entries and the organization-wide ones.
  for (const auto* p : {&agent_, &planner_}) {
    auto list = saved_.list(*p, {});
    std::set<std::int64_t> ids;
    for (const auto& e : list["items"]) ids.insert(e["id"].get<std::int64_t>());
    EXPECT_EQ(ids, (std::set<std::int64_t>{own["id"], shared["id"]})) << list.dump();
  }
  EXPECT_EQ(status_of([&] { saved_.get(agent_, foreign["id"]); }), 404);
  EXPECT_EQ(saved_.list(viewer_, {})["items"].size(), 1u);  // only the organization-wide one
  EXPECT_EQ(saved_.list(admin_, {})["items"].size(), 3u);

  // Changing and deleting need what creating needed, and the version read.
  EXPECT_EQ(status_of([&] { saved_.update(agent_, shared["id"], {std::nullopt, std::nullopt, "x", std::nullopt}); }), 403);
  EXPECT_EQ(status_of([&] { saved_.update(planner_, own["id"], {"t", std::nullopt, std::nullopt, std::nullopt}); }), 403);
  auto changed = saved_.update(agent_, own["id"], {"Thanks", std::nullopt, "Thank you, {{name}}!", 1});
  EXPECT_EQ(changed["text"], "Thank you, {{name}}!");
  EXPECT_EQ(changed["title"], "Thanks");
  EXPECT_EQ(changed["version"], 2);
  EXPECT_EQ(status_of([&] { saved_.update(agent_, own["id"], {"stale", std::nullopt, std::nullopt, 1}); }), 412);
  EXPECT_EQ(status_of([&] { saved_.remove(agent_, own["id"], 1); }), 412);
  saved_.remove(agent_, own["id"], 2);
  EXPECT_EQ(status_of([&] { saved_.get(agent_, own["id"]); }), 404);
}

TEST_F(SavedRepliesPg, AnUnknownVariableIsRefusedAndNamedBeforeAnythingIsStored) {
  json extra;
  std::string detail;
  EXPECT_EQ(status_of([&] { saved_.create(agent_, draft("Hi {{nmae}}, {{agent}} here")); }, &extra, &detail), 422);
  EXPECT_EQ(extra["field"], "text");
  EXPECT_NE(detail.find("{{nmae}}"), std::string::npos) << detail;
  EXPECT_NE(detail.find("{{name}}"), std::string::npos) << detail;  // says what may be used
  EXPECT_EQ(status_of([&] { saved_.create(agent_, draft("  ")); }), 422);
  EXPECT_EQ(status_of([&] { saved_.create(agent_, draft("An answer", "faq")); }), 422);  // no question
  auto ok = saved_.create(agent_, draft("Hi {{name}}"));
  EXPECT_EQ(status_of([&] { saved_.update(agent_, ok["id"], {std::nullopt, std::nullopt, "{{Name}}", std::nullopt}); }), 422);
  EXPECT_EQ(saved_.list(agent_, {})["items"].size(), 1u);
  EXPECT_EQ(saved_.get(agent_, ok["id"])["text"], "Hi {{name}}");
}

TEST_F(SavedRepliesPg, ASavedReplyIsFilledForTheThreadAndCountedAsUsed) {
  auto thread = thread_for(kX, comment("c1", "Where is my parcel?"));
  auto e = saved_.create(agent_, draft("Hi {{name}} ({{handle}}), {{agent}} from {{brand}} on {{account}} here."));
  auto r = saved_.render(agent_, thread, e["id"]);
  EXPECT_EQ(r["text"], "Hi Li Lei (@fanc1), User 1 from Brand on @herald here.");
  EXPECT_TRUE(r["missing"].empty());
  EXPECT_EQ(saved_.get(agent_, e["id"])["use_count"], 1);

  // An author without a name is called by their handle; nothing at all is listed as missing.
  auto anonymous = thread_for(kX, comment("c2", "hello", ""));
  EXPECT_EQ(saved_.render(agent_, anonymous, e["id"])["text"], "Hi @fanc2 (@fanc2), User 1 from Brand on @herald here.");
  auto bare = comment("c3", "hello", "");
  bare.author_handle = "";
  auto nobody = thread_for(kX, bare);
  auto none = saved_.render(agent_, nobody, e["id"]);
  EXPECT_EQ(none["text"], "Hi  (), User 1 from Brand on @herald here.");
  EXPECT_EQ(none["missing"], (json{"name", "handle"}));

  // Only someone who answers the thread renders into it, and only the brand's own entries.
  EXPECT_EQ(status_of([&] { saved_.render(planner_, thread, e["id"]); }), 403);
  EXPECT_EQ(status_of([&] { saved_.render(viewer_, thread, e["id"]); }), 404);
  auto other = draft("Other brand");
  other.brand_id = kOtherBrand;
  auto foreign = saved_.create(admin_, other);
  json extra;
  EXPECT_EQ(status_of([&] { saved_.render(admin_, thread, foreign["id"]); }, &extra), 422);
  EXPECT_EQ(extra["field"], "saved_reply_id");
  auto foreign_thread = thread_for(kForeign, comment("f1", "hi"));
  EXPECT_EQ(status_of([&] { saved_.render(agent_, foreign_thread, e["id"]); }), 404);
}

TEST_F(SavedRepliesPg, FaqEntriesCloseToWhatWasAskedAreSuggestedBestFirst) {
  saved_.create(agent_, draft("You can ask for a refund in your order page, {{name}}.", "faq",
                              "How do I get a refund for my order?"));
  saved_.create(agent_, draft("Shipping takes 3 days.", "faq", "How long does shipping take?"));
  saved_.create(agent_, draft("退款请在订单页面申请。", "faq", "订单怎么申请退款"));
  saved_.create(agent_, draft("Thanks!"));  // a saved reply, not an FAQ entry: never suggested

  auto thread = thread_for(kX, comment("q1", "hi, how can I get a refund for the order?"));
  auto s = saved_.suggest(agent_, thread);
  EXPECT_EQ(s["asked"], "hi, how can I get a refund for the order?");
  ASSERT_GE(s["items"].size(), 1u) << s.dump();
  EXPECT_EQ(s["items"][0]["entry"]["question"], "How do I get a refund for my order?");
  EXPECT_EQ(s["items"][0]["text"], "You can ask for a refund in your order page, Li Lei.");
  for (std::size_t i = 1; i < s["items"].size(); ++i) {
    EXPECT_LE(s["items"][i]["score"].get<double>(), s["items"][i - 1]["score"].get<double>());
  }
  for (const auto& i : s["items"]) EXPECT_NE(i["entry"]["question"], "订单怎么申请退款");

  auto zh = thread_for(kX, comment("q2", "请问怎么申请退款?"));
  auto zs = saved_.suggest(agent_, zh);
  ASSERT_EQ(zs["items"].size(), 1u) << zs.dump();
  EXPECT_EQ(zs["items"][0]["entry"]["question"], "订单怎么申请退款");

  auto unrelated = thread_for(kX, comment("q3", "love the new colours!"));
  EXPECT_TRUE(saved_.suggest(agent_, unrelated)["items"].empty());
  EXPECT_TRUE(saved_.suggest(planner_, unrelated)["items"].empty());  // a reader may look
  EXPECT_EQ(status_of([&] { saved_.suggest(viewer_, unrelated); }), 404);
}

TEST_F(SavedRepliesPg, AQuestionAndItsAnswerArePromotedToTheFaqOfTheirBrand) {
  auto thread = thread_for(kX, comment("p1", "Do you ship to Canada?"));
  auto item = latest_item(thread);
  SavedReplyDraft promote;
  promote.kind = "faq";
  promote.source_item_id = item;
  json extra;
  // Not answered yet and no answer given: the writer is asked for it.
  EXPECT_EQ(status_of([&] { saved_.create(agent_, promote); }, &extra), 422);
  EXPECT_EQ(extra["field"], "text");

  ReplyRequest r;
  r.text = "Yes, {{name}}: we ship to Canada in 5 days.";
  inbox_.reply(agent_, thread, r);
  auto faq = saved_.create(agent_, promote);
  EXPECT_EQ(faq["kind"], "faq");
  EXPECT_EQ(faq["brand_id"], kBrand);
  EXPECT_EQ(faq["question"], "Do you ship to Canada?");
  EXPECT_EQ(faq["title"], "Do you ship to Canada?");
  EXPECT_EQ(faq["text"], "Yes, {{name}}: we ship to Canada in 5 days.");
  EXPECT_EQ(faq["source_item_id"], item);

  // The next person asking something like it gets the answer suggested.
  auto next = thread_for(kX, comment("p2", "do you ship to canada", "Han Meimei"));
  auto s = saved_.suggest(agent_, next);
  ASSERT_EQ(s["items"].size(), 1u) << s.dump();
  EXPECT_EQ(s["items"][0]["text"], "Yes, Han Meimei: we ship to Canada in 5 days.");

  // Only one who answers that thread promotes from it; a wrong id or a saved reply is refused.
  EXPECT_EQ(status_of([&] { saved_.create(planner_, promote); }), 403);
  promote.source_item_id = item + 1000;
  EXPECT_EQ(status_of([&] { saved_.create(agent_, promote); }, &extra), 422);
  EXPECT_EQ(extra["field"], "source_item_id");
  auto as_reply = promote;
  as_reply.kind = "reply";
  as_reply.source_item_id = item;
  EXPECT_EQ(status_of([&] { saved_.create(agent_, as_reply); }), 422);
  auto foreign_thread = thread_for(kForeign, comment("f1", "Do you ship to Mars?"));
  promote.source_item_id = latest_item(foreign_thread);
  promote.text = "No.";
  EXPECT_EQ(status_of([&] { saved_.create(agent_, promote); }), 404);
}

}  // namespace
}  // namespace herald::inbox
