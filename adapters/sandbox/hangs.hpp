#pragma once
// Requests held by a "hang" fault. Each waits on a timer of its own connection's executor; at
// shutdown release_all() wakes them so the servers can stop.
// GCC 12 with Boost 1.74: <utility> must come before the Asio headers (std::exchange).
#include <utility>
// clang-format: keep the line above first

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>

namespace herald::sandbox {

// Thrown (it is not a std::exception, so no handler or the server turns it into an answer) to
// make the core HTTP server drop the connection without writing a response: the session
// coroutine ends with the exception and its socket is closed. Used by hang and drop_after_accept.
struct DropConnection {};

class HangRegistry {
 public:
  // Waits until `max` passes or release_all() is called, whichever is first.
  boost::asio::awaitable<void> wait(std::chrono::milliseconds max);
  void release_all();
  [[nodiscard]] std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::set<std::shared_ptr<boost::asio::steady_timer>> timers_;
  bool released_ = false;
};

}  // namespace herald::sandbox
