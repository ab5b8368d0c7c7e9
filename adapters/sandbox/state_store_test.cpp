#include "adapters/sandbox/state_store.hpp"

#include <gtest/gtest.h>

#include "tests/support/manual_clock.hpp"

namespace herald::sandbox {
namespace {

std::string fmt(std::uint64_t n) { return "id" + std::to_string(n); }

Item post(const std::string& author, const std::string& text) {
  Item it;
  it.platform = "mastodon";
  it.author_id = author;
  it.text = text;
  return it;
}

TEST(StateStore, AccountsAreFoundByHandleCaseInsensitivelyAndKeepTheirId) {
  testing::ManualClock clock;
  StateStore store(clock);
  auto a = store.ensure_account("mastodon", "Demo", fmt);
  auto again = store.ensure_account("mastodon", "demo", fmt);
  EXPECT_EQ(a.id, "id1");
  EXPECT_EQ(again.id, a.id);
  EXPECT_EQ(again.handle, "Demo");
  // Another platform has its own counter and namespace.
  EXPECT_EQ(store.ensure_account("x", "demo", fmt).id, "id1");
  EXPECT_EQ(store.ensure_account("mastodon", "other", fmt).id, "id2");
  EXPECT_FALSE(store.account_by_handle("mastodon", "nobody"));
}

TEST(StateStore, IdempotencyKeyReturnsTheFirstItemPerAuthor) {
  testing::ManualClock clock;
  StateStore store(clock);
  auto first = store.create_item(post("a", "hello"), fmt, "key-1");
  auto second = store.create_item(post("a", "hello again"), fmt, "key-1");
  EXPECT_FALSE(first.replayed);
  EXPECT_TRUE(second.replayed);
  EXPECT_EQ(second.item.id, first.item.id);
  EXPECT_EQ(second.item.text, "hello");
  // The same key from another author is another request.
  auto other = store.create_item(post("b", "hi"), fmt, "key-1");
  EXPECT_FALSE(other.replayed);
  EXPECT_NE(other.item.id, first.item.id);
  // No key: never de-duplicated.
  auto a = store.create_item(post("a", "x"), fmt);
  auto b = store.create_item(post("a", "x"), fmt);
  EXPECT_NE(a.item.id, b.item.id);
  EXPECT_EQ(store.items("mastodon", [](const Item&) { return true; }).size(), 4u);
}

TEST(StateStore, CreateFillsRootTimesAndOrder) {
  testing::ManualClock clock;
  StateStore store(clock);
  auto root = store.create_item(post("a", "root"), fmt).item;
  EXPECT_EQ(root.root_id, root.id);
  EXPECT_EQ(root.created_at, clock.now());
  EXPECT_EQ(root.visible_at, root.created_at);
  Item reply = post("b", "reply");
  reply.in_reply_to_id = root.id;
  reply.root_id = root.root_id;
  auto r = store.create_item(reply, fmt).item;
  EXPECT_GT(r.seq, root.seq);
  auto updated = store.update_item("mastodon", root.id, [](Item& it) { it.deleted = true; });
  ASSERT_TRUE(updated);
  EXPECT_TRUE(store.item("mastodon", root.id)->deleted);
  EXPECT_FALSE(store.update_item("mastodon", "missing", [](Item&) {}));
}

TEST(StateStore, NotificationsBecomeVisibleAtTheirTime) {
  testing::ManualClock clock;
  StateStore store(clock);
  Notification n{"mastodon", "", "me", "mention", "i1", "them", clock.now() + std::chrono::seconds(10), 0};
  store.add_notification(n, fmt);
  EXPECT_TRUE(store.notifications("mastodon", "me").empty());
  clock.advance(std::chrono::seconds(10));
  ASSERT_EQ(store.notifications("mastodon", "me").size(), 1u);
  EXPECT_TRUE(store.notifications("mastodon", "them").empty());
}

TEST(StateStore, StateSortsPostsCommentsRepliesMentionsDmsAndModeration) {
  testing::ManualClock clock;
  StateStore store(clock);
  auto me = store.ensure_account("mastodon", "demo", fmt);
  auto fan = store.ensure_account("mastodon", "fan", fmt, "Fan", true);
  auto mine = store.create_item(post(me.id, "my post"), fmt).item;
  Item comment = post(fan.id, "nice");
  comment.in_reply_to_id = mine.id;
  comment.hidden = true;
  auto c = store.create_item(comment, fmt).item;
  Item reply = post(me.id, "thanks");
  reply.in_reply_to_id = c.id;
  store.create_item(reply, fmt);
  Item mention = post(fan.id, "@demo hi");
  mention.mention_ids = {me.id};
  store.create_item(mention, fmt);
  Item dm = post(fan.id, "psst");
  dm.kind = ItemKind::dm;
  dm.recipient_id = me.id;
  store.create_item(dm, fmt);
  store.create_item(post(fan.id, "unrelated"), fmt);

  auto s = store.state_json("mastodon", "DEMO");
  ASSERT_FALSE(s.is_null());
  EXPECT_EQ(s["account"]["id"], me.id);
  ASSERT_EQ(s["posts"].size(), 1u);
  EXPECT_EQ(s["posts"][0]["text"], "my post");
  ASSERT_EQ(s["comments"].size(), 1u);
  EXPECT_EQ(s["comments"][0]["author_handle"], "fan");
  ASSERT_EQ(s["replies"].size(), 1u);
  EXPECT_EQ(s["replies"][0]["text"], "thanks");
  ASSERT_EQ(s["mentions"].size(), 1u);
  ASSERT_EQ(s["dms"].size(), 1u);
  EXPECT_EQ(s["moderation"]["hidden"], nlohmann::json::array({c.id}));
  EXPECT_TRUE(store.state_json("mastodon", "nobody").is_null());
}

}  // namespace
}  // namespace herald::sandbox

namespace herald::sandbox {
namespace {

// The indexes behind duplicate checks and per-author counts agree with a scan of everything,
// through edits, deletions and items that become visible later.
TEST(StateStore, TextIndexAndAuthorCountsFollowEditsAndDeletions) {
  testing::ManualClock clock;
  StateStore store(clock);
  auto a = store.create_item(post("a", "same words"), fmt).item;
  store.create_item(post("b", "same words"), fmt);
  auto later = post("a", "scheduled");
  later.visible_at = clock.now() + std::chrono::hours(1);
  store.create_item(later, fmt);
  EXPECT_EQ(store.items_with_text("mastodon", "a", "same words").size(), 1u);
  EXPECT_TRUE(store.items_with_text("mastodon", "a", "other words").empty());
  EXPECT_EQ(store.live_items_of("mastodon", "a").count, 2u);
  EXPECT_EQ(store.live_items_of("mastodon", "a", clock.now()).count, 1u);  // one is not visible yet
  EXPECT_EQ(store.live_items_of("mastodon", "a", clock.now() + std::chrono::hours(2)).count, 2u);

  store.update_item("mastodon", a.id, [](Item& it) { it.text = "edited words"; });
  EXPECT_TRUE(store.items_with_text("mastodon", "a", "same words").empty());  // the old text is gone
  EXPECT_EQ(store.items_with_text("mastodon", "a", "edited words").size(), 1u);

  store.update_item("mastodon", a.id, [](Item& it) { it.deleted = true; });
  EXPECT_EQ(store.live_items_of("mastodon", "a").count, 1u);
  EXPECT_FALSE(store.live_items_of("mastodon", "a", clock.now()).last_created.has_value());
  EXPECT_EQ(store.items_with_text("mastodon", "a", "edited words").at(0).deleted, true);  // callers filter
  for (const std::string author : {"a", "b", "nobody"}) {
    auto scanned = store.items("mastodon", [&](const Item& it) { return it.author_id == author && !it.deleted; });
    EXPECT_EQ(store.live_items_of("mastodon", author).count, scanned.size()) << author;
  }
}

}  // namespace
}  // namespace herald::sandbox
