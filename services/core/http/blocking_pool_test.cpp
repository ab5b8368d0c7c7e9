#include <utility>  // before Asio/Beast with GCC 12 (std::exchange)

#include "services/core/http/blocking_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace herald::core {
namespace {

namespace asio = boost::asio;

// Runs `coro` on an io_context driven by this thread and returns its result.
template <class T>
T run_on_io(asio::io_context& ioc, asio::awaitable<T> coro) {
  auto future = asio::co_spawn(ioc, std::move(coro), asio::use_future);
  ioc.run_for(std::chrono::seconds(5));
  EXPECT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  return future.get();
}

TEST(BlockingPool, RunReturnsTheValue) {
  BlockingPool pool(2);
  asio::io_context ioc;
  auto coro = [&pool]() -> asio::awaitable<std::string> {
    auto n = co_await pool.run([] { return 40 + 2; });
    auto describe = [n] { return "answer " + std::to_string(n); };
    auto s = co_await pool.run(describe);
    co_return s;
  };
  EXPECT_EQ(run_on_io(ioc, coro()), "answer 42");
}

// Closures are named before the co_await: GCC 12 miscompiles a by-value capture of a coroutine
// local written inside the co_await expression (see blocking_pool.hpp).
TEST(BlockingPool, ClosuresOwningStateKeepItIntact) {
  BlockingPool pool(2);
  asio::io_context ioc;
  auto coro = [&pool]() -> asio::awaitable<std::string> {
    auto shared = std::make_shared<int>(9);
    std::string id(40, 'k');  // long enough to live on the heap
    auto read = [shared, id] { return std::to_string(*shared) + "/" + id; };
    auto got = co_await pool.run(read);
    // The copy inside run() is released by the worker thread right after it hands the result
    // over, so it may still be alive for a moment when this coroutine resumes: wait (bounded).
    for (int i = 0; i < 1000 && shared.use_count() > 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    co_return got + " uses=" + std::to_string(shared.use_count());
  };
  // The copy inside run() is gone again (use_count back to 2: `shared` and `read`).
  EXPECT_EQ(run_on_io(ioc, coro()), "9/" + std::string(40, 'k') + " uses=2");
}

TEST(BlockingPool, MoveOnlyResultsAndCallables) {
  BlockingPool pool(1);
  asio::io_context ioc;
  auto coro = [&pool]() -> asio::awaitable<int> {
    auto owned = std::make_unique<int>(7);
    auto give_back = [q = std::move(owned)]() mutable { return std::move(q); };
    auto p = co_await pool.run(std::move(give_back));
    co_return *p;
  };
  EXPECT_EQ(run_on_io(ioc, coro()), 7);
}

TEST(BlockingPool, ExceptionsPropagateToTheAwaitingCoroutine) {
  BlockingPool pool(1);
  asio::io_context ioc;
  auto coro = [&pool]() -> asio::awaitable<std::string> {
    try {
      co_await pool.run([]() -> int { throw std::runtime_error("database is down"); });
    } catch (const std::runtime_error& e) {
      co_return std::string("caught: ") + e.what();
    }
    co_return "not thrown";
  };
  EXPECT_EQ(run_on_io(ioc, coro()), "caught: database is down");

  // Uncaught, it fails the spawning coroutine as a whole.
  asio::io_context ioc2;
  auto future = asio::co_spawn(
      ioc2,
      [&pool]() -> asio::awaitable<void> {
        co_await pool.run([] { throw std::logic_error("bug"); });
      },
      asio::use_future);
  ioc2.run_for(std::chrono::seconds(5));
  EXPECT_THROW(future.get(), std::logic_error);
}

TEST(BlockingPool, WorkRunsOffTheIoThreadAndResumesOnIt) {
  BlockingPool pool(2);
  asio::io_context ioc;
  struct Threads {
    std::thread::id before, inside, after;
  };
  auto coro = [&pool]() -> asio::awaitable<Threads> {
    Threads t;
    t.before = std::this_thread::get_id();
    t.inside = co_await pool.run([] { return std::this_thread::get_id(); });
    t.after = std::this_thread::get_id();
    co_return t;
  };
  auto t = run_on_io(ioc, coro());
  EXPECT_EQ(t.before, std::this_thread::get_id());  // the io_context runs on this thread
  EXPECT_NE(t.inside, t.before);
  EXPECT_EQ(t.after, t.before);
}

TEST(BlockingPool, VoidFunctionsRunToCompletionBeforeResuming) {
  BlockingPool pool(1);
  asio::io_context ioc;
  std::atomic<int> calls{0};
  auto coro = [&]() -> asio::awaitable<int> {
    co_await pool.run([&calls] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // simulated blocking call
      ++calls;
    });
    co_await pool.run([&calls] { ++calls; });
    co_return calls.load();
  };
  EXPECT_EQ(run_on_io(ioc, coro()), 2);
}

TEST(BlockingPool, BlockingWorkDoesNotStallTheIoThread) {
  // While one coroutine waits on a slow blocking call, another on the same single-threaded
  // io_context keeps running.
  BlockingPool pool(1);
  asio::io_context ioc;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<bool> slow_done{false};
  auto slow = asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        auto wait_for_release = [released] { released.wait_for(std::chrono::seconds(5)); };
        co_await pool.run(wait_for_release);
        slow_done = true;
      },
      asio::use_future);
  auto fast = asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<bool> {
        bool slow_finished_first = slow_done.load();
        release.set_value();  // only now may the blocking call return
        co_return slow_finished_first;
      },
      asio::use_future);
  ioc.run_for(std::chrono::seconds(5));
  ASSERT_EQ(fast.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_FALSE(fast.get());
  slow.get();
  EXPECT_TRUE(slow_done.load());
}

}  // namespace
}  // namespace herald::core
