// The inbox against real PostgreSQL: items are filed into threads once (a redelivery changes
// nothing), comments thread under their post and DMs under their conversation; the list is
// sorted by priority, filtered, paged, and shows only what the caller may read; a reply is
// checked before it is queued and stops the first-response clock; assignment and status take
// the thread's version, and a pending thread needs a reason.
#include "services/inbox/inbox.hpp"

#include <gtest/gtest.h>

#include <map>

#include "services/inbox/inbox_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/service_db.hpp"

namespace herald::inbox {
namespace {

using herald::testing::kBrand;
using herald::testing::kForeign;
using herald::testing::kMastodon;
using herald::testing::kOrg;
using herald::testing::kOtherBrand;
using herald::testing::kX;
using herald::testing::principal;
using herald::testing::status_of;
using adapters::InboundItem;
using adapters::InboundKind;

InboundItem comment(const std::string& id, const std::string& post, const std::string& text) {
  InboundItem i;
  i.kind = InboundKind::kComment;
  i.platform_item_id = id;
  i.platform_post_id = post;
  i.author_id = "u-" + id;
  i.author_handle = "fan" + id;
  i.text = text;
  i.created_at = 1'700'000'000;
  return i;
}

InboundItem dm(const std::string& id, const std::string& conversation, const std::string& text) {
  auto i = comment(id, "", text);
  i.kind = InboundKind::kDirectMessage;
  i.conversation_id = conversation;
  return i;
}

class InboxPg : public ::testing::Test {
 protected:
  InboxPg() : db_(InboxModule::schema()) {}

  contracts::AccountRef account(const std::string& id) { return *directory_.account(kOrg, id); }

  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;
  herald::testing::FakeDirectory directory_;
  Inbox inbox_{db_.pool(), identity_, InboxOptions{},
               [](const std::string& platform) { return ReplyRules{platform == "x" ? 280 : 500, true, true}; }};
  iam::Principal agent_ = principal("1", "community_manager");  // the first brand
  iam::Principal planner_ = principal("2", "content_planner");  // reads the inbox, cannot reply
  iam::Principal viewer_ = principal("3", "viewer");            // no inbox at all
};

TEST_F(InboxPg, ItemsAreFiledIntoThreadsOnceAndARedeliveryChangesNothing) {
  auto first = inbox_.ingest(account(kX), {comment("c1", "p1", "Love it!"), comment("c2", "p1", "When is it in stock?"),
                                           dm("d1", "conv-1", "Hi, my order is broken, I want a refund")});
  EXPECT_EQ(first.stored, 3);
  EXPECT_EQ(first.duplicates, 0);
  auto again = inbox_.ingest(account(kX), {comment("c2", "p1", "When is it in stock?"), dm("d2", "conv-1", "Hello?")});
  EXPECT_EQ(again.stored, 1);
  EXPECT_EQ(again.duplicates, 1);

  auto list = inbox_.list(agent_, {});
  ASSERT_EQ(list["items"].size(), 2u) << list.dump();
  std::map<std::string, nlohmann::json> by_kind;
  for (const auto& t : list["items"]) by_kind[t["kind"]] = t;
  EXPECT_EQ(by_kind["comment"]["item_count"], 2);
  EXPECT_EQ(by_kind["comment"]["platform_post_id"], "p1");
  EXPECT_EQ(by_kind["dm"]["item_count"], 2);
  EXPECT_EQ(by_kind["dm"]["unanswered"], 2);
  // The complaint in a DM outranks the comments.
  EXPECT_EQ(list["items"][0]["kind"], "dm");
  EXPECT_GT(list["items"][0]["priority"].get<int>(), list["items"][1]["priority"].get<int>());

  auto thread = inbox_.get(agent_, by_kind["dm"]["id"].get<std::int64_t>());
  ASSERT_EQ(thread["items"].size(), 2u);
  EXPECT_EQ(thread["items"][0]["sentiment"], "negative");
  EXPECT_EQ(thread["items"][0]["category"], "complaint");
  EXPECT_EQ(thread["items"][0]["language"], "en");
}

TEST_F(InboxPg, ADeliveryIsTakenAsIfItemByItem) {
  const std::string tricky = R"(He said "no", then {left} \ ok, NULL 好的)";
  auto r = inbox_.ingest(account(kX), {comment("q1", "p9", tricky), comment("q1", "p9", "the same id again"),
                                       comment("q2", "p9", "Terrible, it arrived broken, I want a refund"),
                                       comment("q3", "p9", "Thanks, love it")});
  EXPECT_EQ(r.received, 4);
  EXPECT_EQ(r.stored, 3);
  EXPECT_EQ(r.duplicates, 1);
  auto list = inbox_.list(agent_, {});
  ASSERT_EQ(list["items"].size(), 1u) << list.dump();
  const auto& t = list["items"][0];
  EXPECT_EQ(t["item_count"], 3);
  EXPECT_EQ(t["unanswered"], 3);
  EXPECT_EQ(t["sentiment"], "positive") << "the last item's sentiment";
  auto thread = inbox_.get(agent_, t["id"].get<std::int64_t>());
  ASSERT_EQ(thread["items"].size(), 3u);
  EXPECT_EQ(thread["items"][0]["text"], tricky) << "the first of two deliveries of one id is the one kept";
  EXPECT_EQ(thread["items"][1]["category"], "complaint");
  int highest = 0;
  for (const auto& i : thread["items"]) highest = std::max(highest, i["priority"].get<int>());
  EXPECT_EQ(t["priority"], highest) << "the thread takes its most urgent item's priority";
  EXPECT_GT(highest, thread["items"][2]["priority"].get<int>());

  // The next delivery to the same thread adds to it; one of two threads of it is new.
  auto next = inbox_.ingest(account(kX), {comment("q4", "p9", "Any news?"), comment("q5", "p10", "Nice")});
  EXPECT_EQ(next.stored, 2);
  auto after = inbox_.get(agent_, t["id"].get<std::int64_t>());
  EXPECT_EQ(after["item_count"], 4);
  EXPECT_EQ(inbox_.list(agent_, {})["items"].size(), 2u);
}

TEST_F(InboxPg, TheListShowsOnlyWhatTheCallerMayReadAndPagesByPriority) {
  for (int i = 0; i < 5; ++i) {
    inbox_.ingest(account(kMastodon), {comment("m" + std::to_string(i), "post" + std::to_string(i), "ok")});
  }
  inbox_.ingest(account(kForeign), {comment("f1", "fp", "another brand's comment")});
  EXPECT_EQ(inbox_.list(agent_, {})["items"].size(), 5u);
  EXPECT_EQ(inbox_.list(viewer_, {})["items"].size(), 0u);
  auto other = principal("4", "community_manager");
  other.memberships[0].brand_id = kOtherBrand;
  auto foreign = inbox_.list(other, {});
  ASSERT_EQ(foreign["items"].size(), 1u);
  auto foreign_id = foreign["items"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(status_of([&] { inbox_.get(agent_, foreign_id); }), 404);
  EXPECT_EQ(status_of([&] { inbox_.reply(agent_, foreign_id, {"hi", std::nullopt, false, std::nullopt}); }), 404);

  // Pages of two, no thread twice, none left out.
  ListQuery q;
  q.limit = 2;
  std::set<std::int64_t> seen;
  for (int page = 0; page < 5; ++page) {
    auto r = inbox_.list(agent_, q);
    for (const auto& t : r["items"]) EXPECT_TRUE(seen.insert(t["id"].get<std::int64_t>()).second);
    if (r["next_cursor"].is_null()) break;
    q.cursor = r["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), 5u);
  q.cursor = "garbage";
  EXPECT_EQ(status_of([&] { inbox_.list(agent_, q); }), 422);

  ListQuery by_account;
  by_account.account_id = kX;
  EXPECT_EQ(inbox_.list(agent_, by_account)["items"].size(), 0u);
}

TEST_F(InboxPg, AReplyIsCheckedBeforeItIsQueuedAndStopsTheClock) {
  inbox_.ingest(account(kX), {comment("c1", "p1", "Does it ship to Canada?")});
  auto id = inbox_.list(agent_, {})["items"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(status_of([&] { inbox_.reply(agent_, id, {std::string(281, 'a'), std::nullopt, false, std::nullopt}); }), 422);
  EXPECT_EQ(status_of([&] { inbox_.reply(planner_, id, {"yes", std::nullopt, false, std::nullopt}); }), 403);
  EXPECT_EQ(status_of([&] { inbox_.reply(agent_, id, {"yes", 999999, false, std::nullopt}); }), 422);
  EXPECT_EQ(inbox_.get(agent_, id)["replies"].size(), 0u);

  auto reply = inbox_.reply(agent_, id, {"Yes, it does.", std::nullopt, false, std::nullopt});
  EXPECT_EQ(reply["status"], "queued");
  auto t = inbox_.get(agent_, id);
  EXPECT_EQ(t["unanswered"], 0);
  EXPECT_EQ(t["sla"]["state"], "met");
  EXPECT_EQ(t["replies"].size(), 1u);
  EXPECT_EQ(identity_.audit().back(), "inbox.reply by user1@example.com");
  // A new comment opens the clock again without touching the first response.
  inbox_.ingest(account(kX), {comment("c2", "p1", "Thanks!")});
  t = inbox_.get(agent_, id);
  EXPECT_EQ(t["unanswered"], 1);
  EXPECT_EQ(t["sla"]["state"], "met");
}

TEST_F(InboxPg, AssignmentAndStatusTakeTheVersionAndPendingNeedsAReason) {
  inbox_.ingest(account(kX), {comment("c1", "p1", "Hello")});
  auto thread = inbox_.list(agent_, {})["items"][0];
  auto id = thread["id"].get<std::int64_t>();
  int version = thread["version"].get<int>();
  auto mine = inbox_.assign(agent_, id, agent_.user_id, version);
  EXPECT_EQ(mine["assignee_id"], agent_.user_id);
  EXPECT_EQ(status_of([&] { inbox_.set_status(agent_, id, "resolved", "", version); }), 412);
  EXPECT_EQ(status_of([&] { inbox_.set_status(agent_, id, "pending", "", std::nullopt); }), 422);
  EXPECT_EQ(status_of([&] { inbox_.set_status(agent_, id, "snoozed", "", std::nullopt); }), 422);
  EXPECT_EQ(status_of([&] { inbox_.assign(planner_, id, agent_.user_id, std::nullopt); }), 403);
  auto pending = inbox_.set_status(agent_, id, "pending", "waiting for the warehouse", std::nullopt);
  EXPECT_EQ(pending["pending_reason"], "waiting for the warehouse");
  ListQuery q;
  q.assignee = "me";
  q.status = "pending";
  EXPECT_EQ(inbox_.list(agent_, q)["items"].size(), 1u);
  q.assignee = "";
  EXPECT_EQ(inbox_.list(agent_, q)["items"].size(), 0u);
  // A resolved thread reopens when the person writes again.
  inbox_.set_status(agent_, id, "resolved", "", std::nullopt);
  inbox_.ingest(account(kX), {comment("c9", "p1", "One more thing")});
  EXPECT_EQ(inbox_.get(agent_, id)["status"], "open");
}

// Comment -> DM handoff: a private answer to a comment links the person's DM conversation to the
// comment's thread, both ways, whether the DM thread opens afterwards or was there already.
TEST_F(InboxPg, APrivateAnswerToACommentLinksTheDmConversationBothWays) {
  auto by = [](InboundItem i, const std::string& author) {
    i.author_id = author;
    return i;
  };
  inbox_.ingest(account(kX), {by(comment("c1", "p1", "Is the blue one back?"), "lin"),
                              by(comment("c2", "p2", "And the red?"), "mei")});
  std::map<std::string, std::int64_t> ids;
  auto refresh = [&] {
    auto list = inbox_.list(agent_, {});
    for (const auto& t : list["items"]) ids[t["kind"].get<std::string>() + ":" + t["platform_post_id"].get<std::string>()] = t["id"];
  };
  refresh();
  ReplyRequest dm_reply;
  dm_reply.text = "Let's sort it out in a DM.";
  dm_reply.is_private = true;
  inbox_.reply(agent_, ids["comment:p1"], dm_reply);
  EXPECT_TRUE(inbox_.get(agent_, ids["comment:p1"])["linked_thread_id"].is_null());  // no DM thread yet

  // Lin writes back by DM: the new DM thread and the comment thread point at each other.
  inbox_.ingest(account(kX), {by(dm("d1", "conv-lin", "Here is my order number"), "lin")});
  refresh();
  auto dm_thread = ids["dm:"];
  ASSERT_NE(dm_thread, 0);
  EXPECT_EQ(inbox_.get(agent_, dm_thread)["linked_thread_id"], ids["comment:p1"]);
  EXPECT_EQ(inbox_.get(agent_, ids["comment:p1"])["linked_thread_id"], dm_thread);

  // Mei had written a DM before; a private answer to her comment links the two at once.
  inbox_.ingest(account(kX), {by(dm("d2", "conv-mei", "hello?"), "mei")});
  std::int64_t mei_dm = 0;
  auto all = inbox_.list(agent_, {});
  for (const auto& t : all["items"]) {
    if (t["kind"] == "dm" && t["id"] != dm_thread) mei_dm = t["id"];
  }
  ASSERT_NE(mei_dm, 0);
  inbox_.reply(agent_, ids["comment:p2"], dm_reply);
  EXPECT_EQ(inbox_.get(agent_, ids["comment:p2"])["linked_thread_id"], mei_dm);
  EXPECT_EQ(inbox_.get(agent_, mei_dm)["linked_thread_id"], ids["comment:p2"]);
  // A public answer hands nothing over.
  ReplyRequest pub;
  pub.text = "Back next week!";
  inbox_.ingest(account(kX), {by(comment("c3", "p3", "green?"), "zoe"), by(dm("d3", "conv-zoe", "hi"), "zoe")});
  refresh();
  inbox_.reply(agent_, ids["comment:p3"], pub);
  EXPECT_TRUE(inbox_.get(agent_, ids["comment:p3"])["linked_thread_id"].is_null());
}

// Reply approvals: with "always" a reply waits for someone else with inbox.assign to approve it
// (nothing is queued, the clock runs on); with "during_freeze" only while a freeze covers the
// thread; a rejected reply is never sent.
TEST_F(InboxPg, RepliesWaitForApprovalAlwaysOrWhileAFreezeCoversTheThread) {
  auto manager = principal("4", "social_media_manager");
  auto lead = principal("5", "community_manager");
  std::vector<std::string> scopes;
  inbox_.on_freeze_scopes([&scopes] { return scopes; });
  int wakes = 0;
  inbox_.on_reply_queued([&wakes] { ++wakes; });
  inbox_.ingest(account(kX), {comment("c1", "p1", "Is it safe?"), comment("c2", "p2", "Hello?")});
  std::map<std::string, std::int64_t> ids;
  auto list = inbox_.list(agent_, {});
  for (const auto& t : list["items"]) ids[t["platform_post_id"]] = t["id"];

  EXPECT_EQ(status_of([&] { inbox_.set_reply_approval(agent_, kBrand, "always"); }), 403);  // brand.manage
  nlohmann::json extra;
  EXPECT_EQ(status_of([&] { inbox_.set_reply_approval(manager, kBrand, "sometimes"); }, &extra), 422);
  EXPECT_EQ(extra["field"], "mode");
  EXPECT_EQ(inbox_.set_reply_approval(manager, kBrand, "always")["mode"], "always");

  ReplyRequest r;
  r.text = "We are looking into it.";
  auto waiting = inbox_.reply(agent_, ids["p1"], r);
  EXPECT_EQ(waiting["status"], "pending_approval");
  EXPECT_EQ(wakes, 0);  // the sender is not woken: nothing to send
  EXPECT_TRUE(inbox_.get(agent_, ids["p1"])["sla"]["first_response_at"].is_null());
  auto id = waiting["id"].get<std::int64_t>();
  EXPECT_EQ(status_of([&] { inbox_.review_reply(agent_, id, true, ""); }), 403);    // not one's own
  EXPECT_EQ(status_of([&] { inbox_.review_reply(planner_, id, true, ""); }), 403);  // inbox.read only
  auto approved = inbox_.review_reply(lead, id, true, "ok");
  EXPECT_EQ(approved["status"], "queued");
  EXPECT_EQ(approved["reviewed_by"], "User 5");
  EXPECT_EQ(wakes, 1);
  EXPECT_FALSE(inbox_.get(agent_, ids["p1"])["sla"]["first_response_at"].is_null());
  EXPECT_EQ(status_of([&] { inbox_.review_reply(lead, id, true, ""); }), 409);  // done already

  // Only while a freeze covers the thread.
  inbox_.set_reply_approval(manager, kBrand, "during_freeze");
  r.text = "Hi!";
  EXPECT_EQ(inbox_.reply(agent_, ids["p2"], r)["status"], "queued");
  scopes = {"brand:" + kBrand};
  auto held = inbox_.reply(agent_, ids["p2"], r);
  EXPECT_EQ(held["status"], "pending_approval");
  auto rejected = inbox_.review_reply(lead, held["id"].get<std::int64_t>(), false, "not during the incident");
  EXPECT_EQ(rejected["status"], "rejected");
  EXPECT_EQ(rejected["review_note"], "not during the incident");
  scopes = {"platform:mastodon"};  // another platform's freeze
  EXPECT_EQ(inbox_.reply(agent_, ids["p2"], r)["status"], "queued");
  inbox_.set_reply_approval(manager, kBrand, std::nullopt);
  scopes = {"all"};
  EXPECT_EQ(inbox_.reply(agent_, ids["p2"], r)["status"], "queued");
}

}  // namespace
}  // namespace herald::inbox
