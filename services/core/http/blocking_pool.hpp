#pragma once
// The blocking pool: libpqxx, hiredis and argon2 calls run here, never on the I/O threads.
//   auto rows = co_await pool.run([&] { return repo.find(id); });
// The coroutine resumes on its own executor afterwards; exceptions propagate.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>

namespace herald::core {

class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads) : pool_(threads) {}
  ~BlockingPool() { pool_.join(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // GCC 12 miscompiles a closure that copies or moves a coroutine's local into its captures when
  // the closure is built inside a co_await expression (the captured object is garbage and is
  // destroyed twice). So `task` is built in its own statement, and callers must do the same: pass
  // a named closure, or one that captures by reference ([&], [this]), never
  //   co_await pool.run([id] { ... });  // id copied inside the co_await: miscompiled
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> run(F f) {
    using R = std::invoke_result_t<F>;
    auto task = [fn = std::move(f)]() mutable -> boost::asio::awaitable<R> { co_return fn(); };
    co_return co_await boost::asio::co_spawn(pool_.get_executor(), std::move(task),
                                             boost::asio::use_awaitable);
  }

  void stop() {
    pool_.stop();
    pool_.join();
  }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace herald::core
