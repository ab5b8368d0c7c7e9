#include "services/core/redis/streams.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "services/core/redis/error.hpp"
#include "tests/support/test_env.hpp"

namespace herald::core::redis {
namespace {

using namespace std::string_literals;
using std::chrono::milliseconds;

Options test_options() { return parse_url(herald::testing::redis_url()); }

class RedisStreams : public ::testing::Test {
 protected:
  void SetUp() override {
    stream_ = herald::testing::unique_name("stream");
    group_ = "workers";
  }
  void TearDown() override { client_.command({"DEL", stream_, dead_letter_stream(stream_)}); }

  std::int64_t pending_count() {
    return client_.checked({"XPENDING", stream_, group_}).elements()[0].as_integer();
  }
  std::string pending_owner(const std::string& id) {
    const Reply r = client_.checked({"XPENDING", stream_, group_, id, id, "1"});
    return r.elements().empty() ? "" : r.elements()[0].elements()[1].as_string();
  }

  Client client_{test_options()};
  std::string stream_;
  std::string group_;
};

TEST_F(RedisStreams, XaddReturnsTheIdAndTrims) {
  const std::string id = xadd(client_, stream_, {{"type", "post.publish"}, {"id", "p1"}});
  EXPECT_NE(id.find('-'), std::string::npos);
  const Reply range = client_.checked({"XRANGE", stream_, "-", "+"});
  ASSERT_EQ(range.elements().size(), 1U);
  EXPECT_EQ(range.elements()[0].elements()[0].as_string(), id);

  for (int i = 0; i < 500; ++i) {
    xadd(client_, stream_, {{"n", std::to_string(i)}}, 10);
  }
  const std::int64_t length = client_.checked({"XLEN", stream_}).as_integer();
  EXPECT_LT(length, 300);  // trimmed (approximately: whole macro nodes only)
  EXPECT_GE(length, 10);
  EXPECT_THROW(xadd(client_, stream_, {}), std::invalid_argument);
}

TEST_F(RedisStreams, EnsureGroupCreatesTheStreamAndIsIdempotent) {
  EXPECT_EQ(client_.command({"EXISTS", stream_}).as_integer(), 0);
  ensure_group(client_, stream_, group_);
  EXPECT_EQ(client_.command({"EXISTS", stream_}).as_integer(), 1);
  EXPECT_NO_THROW(ensure_group(client_, stream_, group_));
  const Reply groups = client_.checked({"XINFO", "GROUPS", stream_});
  EXPECT_EQ(groups.elements().size(), 1U);
  // Not BUSYGROUP: other errors surface.
  client_.checked({"SET", stream_ + ":str", "x"});
  EXPECT_THROW(ensure_group(client_, stream_ + ":str", group_), ReplyError);
  client_.command({"DEL", stream_ + ":str"});
}

TEST_F(RedisStreams, ReadGroupAndAck) {
  ensure_group(client_, stream_, group_);
  const std::string binary = "\0\xff{\"a\":1}"s;
  const std::string id1 = xadd(client_, stream_, {{"type", "a"}, {"payload", binary}});
  const std::string id2 = xadd(client_, stream_, {{"type", "b"}});

  const std::vector<StreamEntry> got = read_group(client_, group_, "c1", {stream_}, 10, milliseconds{0});
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0].stream, stream_);
  EXPECT_EQ(got[0].id, id1);
  EXPECT_EQ(got[0].deliveries, 1);
  ASSERT_NE(got[0].field("payload"), nullptr);
  EXPECT_EQ(*got[0].field("payload"), binary);
  EXPECT_EQ(*got[0].field("type"), "a");
  EXPECT_EQ(got[0].field("missing"), nullptr);
  EXPECT_EQ(got[1].id, id2);

  EXPECT_TRUE(read_group(client_, group_, "c1", {stream_}, 10, milliseconds{0}).empty());
  EXPECT_EQ(pending_count(), 2);
  EXPECT_EQ(ack(client_, stream_, group_, {id1, id2}), 2U);
  EXPECT_EQ(ack(client_, stream_, group_, {id1}), 0U);
  EXPECT_EQ(ack(client_, stream_, group_, {}), 0U);
  EXPECT_EQ(pending_count(), 0);
}

TEST_F(RedisStreams, ReadGroupCountAndSeveralStreams) {
  const std::string other = stream_ + ":other";
  ensure_group(client_, stream_, group_);
  ensure_group(client_, other, group_);
  for (int i = 0; i < 5; ++i) {
    xadd(client_, stream_, {{"i", std::to_string(i)}});
  }
  xadd(client_, other, {{"o", "1"}});
  EXPECT_EQ(read_group(client_, group_, "c", {stream_}, 3, milliseconds{0}).size(), 3U);
  const std::vector<StreamEntry> rest = read_group(client_, group_, "c", {stream_, other}, 10, milliseconds{0});
  ASSERT_EQ(rest.size(), 3U);
  EXPECT_EQ(std::count_if(rest.begin(), rest.end(), [&](const StreamEntry& e) { return e.stream == other; }), 1);
  EXPECT_THROW(read_group(client_, group_ + "-none", "c", {stream_}, 1, milliseconds{0}), ReplyError);
  client_.command({"DEL", other});
}

TEST_F(RedisStreams, BlockingReadOutlivesAShortCommandTimeout) {
  Options options = test_options();
  options.command_timeout = milliseconds{50};
  Client blocking(options);
  ensure_group(blocking, stream_, group_);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<StreamEntry> none = read_group(blocking, group_, "c", {stream_}, 1, milliseconds{300});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(none.empty());
  EXPECT_GE(elapsed, milliseconds{250});
  EXPECT_EQ(blocking.connection_count(), 1U);  // no timeout, no reconnect
  EXPECT_EQ(blocking.command_timeout(), milliseconds{50});  // restored

  // An entry added while blocked wakes the reader.
  std::thread producer([&] {
    Client writer(test_options());
    std::this_thread::sleep_for(milliseconds{100});
    xadd(writer, stream_, {{"k", "v"}});
  });
  const std::vector<StreamEntry> woken = read_group(blocking, group_, "c", {stream_}, 1, milliseconds{5000});
  producer.join();
  ASSERT_EQ(woken.size(), 1U);
  EXPECT_EQ(*woken[0].field("k"), "v");
}

TEST_F(RedisStreams, TwoConsumersNeverGetTheSameEntry) {
  ensure_group(client_, stream_, group_);
  constexpr int kEntries = 300;
  std::vector<std::vector<std::string>> batch;
  for (int i = 0; i < kEntries; ++i) {
    batch.push_back({"XADD", stream_, "*", "i", std::to_string(i)});
  }
  client_.pipeline(batch);

  std::vector<std::string> seen[2];
  const auto consume = [&](int who) {
    Client c(test_options());
    const std::string consumer = "consumer-" + std::to_string(who);
    for (;;) {
      const std::vector<StreamEntry> got = read_group(c, group_, consumer, {stream_}, 7, milliseconds{0});
      if (got.empty()) {
        return;
      }
      std::vector<std::string> ids;
      for (const StreamEntry& e : got) {
        seen[who].push_back(e.id);
        ids.push_back(e.id);
      }
      ack(c, stream_, group_, ids);
    }
  };
  std::thread a(consume, 0);
  std::thread b(consume, 1);
  a.join();
  b.join();

  std::set<std::string> all(seen[0].begin(), seen[0].end());
  const std::set<std::string> second(seen[1].begin(), seen[1].end());
  EXPECT_EQ(all.size(), seen[0].size());
  EXPECT_EQ(second.size(), seen[1].size());
  for (const std::string& id : second) {
    EXPECT_EQ(all.count(id), 0U) << id << " delivered to both consumers";
  }
  all.insert(second.begin(), second.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kEntries));
  EXPECT_EQ(pending_count(), 0);
}

TEST_F(RedisStreams, ReclaimTakesOverFromADeadConsumer) {
  ensure_group(client_, stream_, group_);
  const std::string id = xadd(client_, stream_, {{"type", "send"}, {"body", "x\0y"s}});
  const std::string other = xadd(client_, stream_, {{"type", "other"}});
  ASSERT_EQ(read_group(client_, group_, "dead-worker", {stream_}, 1, milliseconds{0}).size(), 1U);  // never acked

  // Not idle long enough yet: nothing is taken.
  const ClaimResult early = reclaim(client_, stream_, group_, "rescuer", milliseconds{60'000}, 10, 5);
  EXPECT_TRUE(early.claimed.empty());
  EXPECT_TRUE(early.dead_lettered.empty());
  EXPECT_EQ(pending_owner(id), "dead-worker");

  std::this_thread::sleep_for(milliseconds{20});
  const ClaimResult result = reclaim(client_, stream_, group_, "rescuer", milliseconds{10}, 10, 5);
  ASSERT_EQ(result.claimed.size(), 1U);
  EXPECT_TRUE(result.dead_lettered.empty());
  EXPECT_EQ(result.next_cursor, "0-0");
  const StreamEntry& entry = result.claimed[0];
  EXPECT_EQ(entry.id, id);
  EXPECT_EQ(entry.stream, stream_);
  EXPECT_EQ(entry.deliveries, 2);
  EXPECT_EQ(*entry.field("body"), "x\0y"s);
  EXPECT_EQ(pending_owner(id), "rescuer");
  // The entry nobody read is not touched by reclaim.
  EXPECT_EQ(pending_owner(other), "");
  EXPECT_EQ(ack(client_, stream_, group_, {id}), 1U);
}

TEST_F(RedisStreams, DeadLettersAfterMaxDeliveries) {
  ensure_group(client_, stream_, group_);
  const std::string payload = "{\"id\":\"p9\"}\0tail"s;
  const std::string id = xadd(client_, stream_, {{"type", "post.publish"}, {"payload", payload}});
  ASSERT_EQ(read_group(client_, group_, "w1", {stream_}, 1, milliseconds{0}).size(), 1U);  // delivery 1

  const ClaimResult second = reclaim(client_, stream_, group_, "w2", milliseconds{0}, 10, 3);  // delivery 2
  ASSERT_EQ(second.claimed.size(), 1U);
  EXPECT_EQ(second.claimed[0].deliveries, 2);
  EXPECT_EQ(client_.command({"EXISTS", dead_letter_stream(stream_)}).as_integer(), 0);

  const ClaimResult third = reclaim(client_, stream_, group_, "w3", milliseconds{0}, 10, 3);  // delivery 3
  EXPECT_TRUE(third.claimed.empty());
  ASSERT_EQ(third.dead_lettered.size(), 1U);
  EXPECT_EQ(third.dead_lettered[0].id, id);
  EXPECT_EQ(third.dead_lettered[0].deliveries, 3);

  // Acknowledged on the original stream (which keeps the entry itself) ...
  EXPECT_EQ(pending_count(), 0);
  EXPECT_EQ(client_.checked({"XLEN", stream_}).as_integer(), 1);
  // ... and present, fields intact, on the dead-letter stream.
  EXPECT_EQ(dead_letter_stream(stream_), stream_ + ":dead");
  const Reply dead = client_.checked({"XRANGE", dead_letter_stream(stream_), "-", "+"});
  ASSERT_EQ(dead.elements().size(), 1U);
  const Reply& fields = dead.elements()[0].elements()[1];
  EXPECT_EQ(fields, Reply::array({Reply::string("type"), Reply::string("post.publish"), Reply::string("payload"),
                                  Reply::string(payload), Reply::string("dead_from_id"), Reply::string(id),
                                  Reply::string("dead_deliveries"), Reply::string("3")}));

  // Nothing left to reclaim.
  const ClaimResult after = reclaim(client_, stream_, group_, "w4", milliseconds{0}, 10, 3);
  EXPECT_TRUE(after.claimed.empty());
  EXPECT_TRUE(after.dead_lettered.empty());
}

TEST_F(RedisStreams, ZeroMaxDeliveriesNeverDeadLetters) {
  ensure_group(client_, stream_, group_);
  xadd(client_, stream_, {{"k", "v"}});
  ASSERT_EQ(read_group(client_, group_, "w", {stream_}, 1, milliseconds{0}).size(), 1U);
  for (int i = 0; i < 3; ++i) {
    const ClaimResult r = reclaim(client_, stream_, group_, "w", milliseconds{0}, 10, 0);
    ASSERT_EQ(r.claimed.size(), 1U);
    EXPECT_EQ(r.claimed[0].deliveries, i + 2);
  }
  EXPECT_EQ(client_.command({"EXISTS", dead_letter_stream(stream_)}).as_integer(), 0);
}

TEST_F(RedisStreams, ReclaimPagesWithTheCursor) {
  ensure_group(client_, stream_, group_);
  for (int i = 0; i < 5; ++i) {
    xadd(client_, stream_, {{"i", std::to_string(i)}});
  }
  ASSERT_EQ(read_group(client_, group_, "gone", {stream_}, 10, milliseconds{0}).size(), 5U);
  std::size_t total = 0;
  std::string cursor = "0-0";
  int pages = 0;
  do {
    const ClaimResult page = reclaim(client_, stream_, group_, "rescuer", milliseconds{0}, 2, 10, cursor);
    total += page.claimed.size();
    cursor = page.next_cursor;
    ++pages;
  } while (cursor != "0-0" && pages < 10);
  EXPECT_EQ(total, 5U);
  EXPECT_GE(pages, 3);
}

TEST_F(RedisStreams, ReplayDeadLettersMovesThemBack) {
  ensure_group(client_, stream_, group_);
  const std::string payload = "bytes\0\xfe"s;
  const std::string id1 = xadd(client_, stream_, {{"type", "a"}, {"payload", payload}});
  const std::string id2 = xadd(client_, stream_, {{"type", "b"}});
  ASSERT_EQ(read_group(client_, group_, "w", {stream_}, 10, milliseconds{0}).size(), 2U);
  const ClaimResult dead = reclaim(client_, stream_, group_, "w", milliseconds{0}, 10, 2);
  ASSERT_EQ(dead.dead_lettered.size(), 2U);
  const std::string dead_stream = dead_letter_stream(stream_);
  ASSERT_EQ(client_.checked({"XLEN", dead_stream}).as_integer(), 2);

  EXPECT_EQ(replay_dead_letters(client_, stream_, 1), 1U);  // oldest first
  EXPECT_EQ(client_.checked({"XLEN", dead_stream}).as_integer(), 1);
  EXPECT_EQ(replay_dead_letters(client_, stream_, 10), 1U);
  EXPECT_EQ(client_.checked({"XLEN", dead_stream}).as_integer(), 0);
  EXPECT_EQ(replay_dead_letters(client_, stream_, 10), 0U);

  const std::vector<StreamEntry> again = read_group(client_, group_, "w", {stream_}, 10, milliseconds{0});
  ASSERT_EQ(again.size(), 2U);
  EXPECT_NE(again[0].id, id1);  // new entries, oldest dead letter first
  EXPECT_NE(again[1].id, id2);
  EXPECT_EQ(again[0].fields, (StreamFields{{"type", "a"}, {"payload", payload}}));
  EXPECT_EQ(again[1].fields, (StreamFields{{"type", "b"}}));
  EXPECT_EQ(again[0].field("dead_from_id"), nullptr);
  EXPECT_EQ(again[0].deliveries, 1);
}

}  // namespace
}  // namespace herald::core::redis
