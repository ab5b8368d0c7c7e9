#pragma once
// One synchronous connection to Redis (hiredis). Not thread-safe: use one per thread, or lease
// them from a Pool. Meant for the blocking thread pool, never for I/O threads.
//
// Connection life cycle:
// - Lazy: the constructor does not touch the network. The first command (or connect()) connects
//   with Options::connect_timeout, sets the command timeout, then AUTH and SELECT as configured.
// - Every command runs under the command timeout (send and receive). On any I/O failure (timeout,
//   reset, server closed) the connection is dropped and redis::Error is thrown; the failing
//   command is NOT retried (it may have run), the NEXT call reconnects.
// - Before sending, an idle connection is checked (non-blocking poll): if the server closed it
//   while we were not looking (CLIENT KILL, idle timeout, restart), it is replaced before the
//   command is sent, so nothing can run twice.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "services/core/redis/error.hpp"
#include "services/core/redis/options.hpp"
#include "services/core/redis/reply.hpp"

struct redisContext;

namespace herald::core::redis {

class Client {
 public:
  // Called with every redis::Error just before it is thrown (for logging/metrics).
  using ErrorHandler = std::function<void(const Error&)>;

  explicit Client(Options options, ErrorHandler on_error = {});
  ~Client();
  Client(Client&& other) noexcept;
  Client& operator=(Client&& other) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends one command (binary-safe argv: each argument may hold any bytes, NUL included).
  // A Redis error reply is returned as a Reply of kind kError. Throws redis::Error on I/O failure
  // and std::invalid_argument for an empty argv.
  Reply command(const std::vector<std::string>& argv);
  Reply command(std::initializer_list<std::string_view> argv);

  // As command(), but an error reply throws ReplyError.
  Reply checked(const std::vector<std::string>& argv);
  Reply checked(std::initializer_list<std::string_view> argv);

  // Sends all commands at once, then reads one reply per command, in order. Error replies are
  // values in the result. An I/O failure throws redis::Error (and drops the connection): the
  // commands may have run partly.
  std::vector<Reply> pipeline(const std::vector<std::vector<std::string>>& commands);

  // PING; throws redis::Error or ReplyError.
  void ping();

  // Connects now if not connected (eager use, e.g. at start-up). Throws redis::Error.
  void connect();
  // Drops the connection (if any); the next call reconnects.
  void disconnect() noexcept;
  [[nodiscard]] bool connected() const noexcept { return context_ != nullptr; }

  [[nodiscard]] std::chrono::milliseconds command_timeout() const noexcept { return command_timeout_; }
  // Changes the command timeout of this client (kept across reconnects). Never throws: if the
  // live socket refuses it, the connection is dropped and the next call reconnects with it.
  void set_command_timeout(std::chrono::milliseconds timeout) noexcept;

  [[nodiscard]] const Options& options() const noexcept { return options_; }
  // How many connections this client has established so far (1 after the first command).
  [[nodiscard]] std::uint64_t connection_count() const noexcept { return connections_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const noexcept;
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

  Reply execute(int argc, const char** argv, const std::size_t* lengths);
  void ensure_usable();
  void establish();
  // Drops the connection, reports and throws the failure recorded in `context`.
  [[noreturn]] void fail_io(const redisContext& context, int saved_errno, std::string_view during);
  [[noreturn]] void fail(Error::Kind kind, const std::string& message);

  Options options_;
  ErrorHandler on_error_;
  std::chrono::milliseconds command_timeout_;
  ContextPtr context_;
  std::uint64_t connections_ = 0;
};

}  // namespace herald::core::redis
