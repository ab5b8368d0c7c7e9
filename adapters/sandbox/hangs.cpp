#include "adapters/sandbox/hangs.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace herald::sandbox {

namespace asio = boost::asio;

asio::awaitable<void> HangRegistry::wait(std::chrono::milliseconds max) {
  auto executor = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(executor, max);
  {
    std::lock_guard lock(mutex_);
    if (released_) co_return;
    timers_.insert(timer);
  }
  boost::system::error_code ec;
  co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  std::lock_guard lock(mutex_);
  timers_.erase(timer);
}

void HangRegistry::release_all() {
  std::lock_guard lock(mutex_);
  released_ = true;
  for (const auto& t : timers_) {
    // A timer is not thread-safe: cancel it on its own executor (the connection's strand).
    asio::post(t->get_executor(), [t] { t->cancel(); });
  }
}

std::size_t HangRegistry::size() const {
  std::lock_guard lock(mutex_);
  return timers_.size();
}

}  // namespace herald::sandbox
