#pragma once
// The two failure types of the Redis layer.
//
// - Error: the call did not get a reply (connect/AUTH/SELECT failure, I/O error, timeout, the
//   server closed the connection, or no pooled connection free in time). The connection that saw
//   it has been dropped; the next call on the same Client reconnects.
// - ReplyError: Redis answered, but with an error reply (or a reply of an unexpected shape) where
//   the caller asked for a value: thrown by the convenience methods and the typed accessors of
//   Reply. Plain Client::command() returns error replies as values instead.
//
// Neither message ever contains the password from Options.
#include <stdexcept>
#include <string>
#include <string_view>

namespace herald::core::redis {

class Error : public std::runtime_error {
 public:
  enum class Kind {
    kConnect,        // could not connect, AUTH or SELECT failed
    kIo,             // read/write failed (connection reset, ...)
    kTimeout,        // the command timeout expired waiting for the server
    kClosed,         // the server closed the connection
    kPoolExhausted,  // Pool::lease() found no free client in time
  };

  Error(Kind kind, const std::string& message);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] bool is_timeout() const noexcept { return kind_ == Kind::kTimeout; }

 private:
  Kind kind_;
};

[[nodiscard]] std::string_view to_string(Error::Kind kind) noexcept;

class ReplyError : public std::runtime_error {
 public:
  explicit ReplyError(const std::string& message);
};

}  // namespace herald::core::redis
