// LiveStream against a real Redis: what one process publishes reaches the clients of another
// (and only those allowed to see it), its own clients get it exactly once, and a reader whose
// connection is cut resumes after the last entry it saw.
#include "services/core/app/live_stream.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "services/core/redis/client.hpp"
#include "tests/support/test_env.hpp"

namespace herald::core {
namespace {

using namespace std::chrono_literals;

class RecordingClient : public http::WebSocketClient {
 public:
  explicit RecordingClient(std::string brand) {
    subscriber_.user_id = "u-" + brand;
    subscriber_.may_see = [brand](const std::string& scope) { return scope.empty() || scope == brand; };
  }
  void send(std::shared_ptr<const std::string> text) override {
    std::lock_guard lock(mutex_);
    texts_.push_back(*text);
  }
  void close() override {}
  [[nodiscard]] const http::Subscriber& subscriber() const override { return subscriber_; }
  std::vector<std::string> texts() const {
    std::lock_guard lock(mutex_);
    return texts_;
  }

 private:
  http::Subscriber subscriber_;
  mutable std::mutex mutex_;
  std::vector<std::string> texts_;
};

template <class F>
bool eventually(F f, std::chrono::milliseconds limit = 3000ms) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!f()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// One "process": a hub with two clients (brands a and b) and its LiveStream.
struct Node {
  explicit Node(const std::string& prefix)
      : logger(log::Logger::to_stderr("live-test", log::Level::warn)),
        live(options(prefix), hub, logger, metrics) {
    hub.join(a);
    hub.join(b);
  }
  static LiveStreamOptions options(const std::string& prefix) {
    LiveStreamOptions o{redis::parse_url(herald::testing::redis_url()), prefix};
    o.block = 200ms;
    o.retry = 50ms;
    return o;
  }
  http::WebSocketHub hub;
  metrics::Registry metrics;
  log::Logger logger;
  std::shared_ptr<RecordingClient> a = std::make_shared<RecordingClient>("brand-a");
  std::shared_ptr<RecordingClient> b = std::make_shared<RecordingClient>("brand-b");
  LiveStream live;
};

class LiveStreamTest : public ::testing::Test {
 protected:
  void TearDown() override { redis_.command({"DEL", prefix_ + ":live"}); }
  std::string prefix_ = herald::testing::unique_name("live");
  redis::Client redis_{redis::parse_url(herald::testing::redis_url())};
};

TEST_F(LiveStreamTest, AnUpdateReachesTheOtherProcessOnlyForThoseWhoMaySeeItAndLocalClientsOnce) {
  Node one(prefix_), two(prefix_);
  one.live.start();
  two.live.start();
  ASSERT_TRUE(eventually([&] { return one.live.reading() && two.live.reading(); }));

  one.live.publish("brand-a", R"({"type":"crisis.freeze","n":1})");
  one.live.publish("", R"({"type":"org","n":2})");
  ASSERT_TRUE(eventually([&] { return two.a->texts().size() == 2 && two.b->texts().size() == 1; }));
  EXPECT_EQ(two.a->texts()[0], R"({"type":"crisis.freeze","n":1})");
  EXPECT_EQ(two.b->texts()[0], R"({"type":"org","n":2})");  // brand a's update is not brand b's

  // The publishing process delivered locally at once and does not deliver its own entries again.
  std::this_thread::sleep_for(400ms);  // more than one read round
  EXPECT_EQ(one.a->texts().size(), 2U);
  EXPECT_EQ(one.b->texts().size(), 1U);
  EXPECT_EQ(two.a->texts().size(), 2U);

  // Both directions.
  two.live.publish("brand-b", "from two");
  ASSERT_TRUE(eventually([&] { return one.b->texts().size() == 2; }));
  EXPECT_EQ(one.b->texts()[1], "from two");
  EXPECT_EQ(one.a->texts().size(), 2U);
}

TEST_F(LiveStreamTest, AReaderWhoseConnectionIsCutCatchesUpOnWhatItMissed) {
  Node one(prefix_), two(prefix_);
  one.live.start();
  two.live.start();
  ASSERT_TRUE(eventually([&] { return one.live.reading() && two.live.reading(); }));
  one.live.publish("brand-a", "before");
  ASSERT_TRUE(eventually([&] { return two.a->texts().size() == 1; }));

  // Cut every connection of this test's readers and writers (blocked XREADs included), then
  // publish while they reconnect.
  auto clients = redis_.checked({"CLIENT", "LIST"}).str();
  std::size_t killed = 0;
  for (std::size_t pos = 0; (pos = clients.find("cmd=xread", pos)) != std::string::npos; ++pos) {
    auto line_start = clients.rfind('\n', pos);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    auto id_at = clients.find("id=", line_start) + 3;
    auto id = clients.substr(id_at, clients.find(' ', id_at) - id_at);
    redis_.command({"CLIENT", "KILL", "ID", id});
    ++killed;
  }
  EXPECT_GE(killed, 1U);
  for (int i = 0; i < 5; ++i) one.live.publish("brand-a", "during " + std::to_string(i));
  ASSERT_TRUE(eventually([&] { return two.a->texts().size() == 6; })) << two.a->texts().size();
  EXPECT_EQ(two.a->texts()[1], "during 0");
  EXPECT_EQ(two.a->texts()[5], "during 4");
}

TEST_F(LiveStreamTest, ANewProcessStartsAfterWhatWasAlreadyThere) {
  Node one(prefix_);
  one.live.start();
  ASSERT_TRUE(eventually([&] { return one.live.reading(); }));
  one.live.publish("brand-a", "old news");
  ASSERT_TRUE(eventually([&] { return redis_.checked({"XLEN", prefix_ + ":live"}).as_integer() == 1; }));

  Node late(prefix_);
  late.live.start();
  ASSERT_TRUE(eventually([&] { return late.live.reading(); }));
  one.live.publish("brand-a", "fresh");
  ASSERT_TRUE(eventually([&] { return !late.a->texts().empty(); }));
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(late.a->texts().size(), 1U);
  EXPECT_EQ(late.a->texts()[0], "fresh");
}

TEST_F(LiveStreamTest, WithoutRedisLocalClientsAreStillServedAndStopDoesNotHang) {
  LiveStreamOptions o{redis::parse_url("redis://127.0.0.1:1/0"), prefix_};
  o.retry = 20ms;
  http::WebSocketHub hub;
  metrics::Registry metrics;
  auto logger = log::Logger::to_stderr("live-test", log::Level::error);
  auto client = std::make_shared<RecordingClient>("brand-a");
  hub.join(client);
  LiveStream live(o, hub, logger, metrics);
  live.start();
  live.publish("brand-a", "local only");
  EXPECT_EQ(client->texts().size(), 1U);
  EXPECT_FALSE(live.reading());
  auto t0 = std::chrono::steady_clock::now();
  live.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_NE(metrics.render().find("herald_live_dropped_total 1"), std::string::npos) << metrics.render();
}

}  // namespace
}  // namespace herald::core
