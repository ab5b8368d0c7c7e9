#include "services/core/redis/error.hpp"

namespace herald::core::redis {

Error::Error(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

std::string_view to_string(Error::Kind kind) noexcept {
  switch (kind) {
    case Error::Kind::kConnect:
      return "connect";
    case Error::Kind::kIo:
      return "io";
    case Error::Kind::kTimeout:
      return "timeout";
    case Error::Kind::kClosed:
      return "closed";
    case Error::Kind::kPoolExhausted:
      return "pool_exhausted";
  }
  return "unknown";
}

ReplyError::ReplyError(const std::string& message) : std::runtime_error(message) {}

}  // namespace herald::core::redis
