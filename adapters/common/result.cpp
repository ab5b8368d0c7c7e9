#include "herald/adapters/result.hpp"

namespace herald::adapters {

std::string_view to_string(ErrorClass c) {
  switch (c) {
    case ErrorClass::kRetryable: return "retryable";
    case ErrorClass::kRateLimited: return "rate_limited";
    case ErrorClass::kAuthExpired: return "auth_expired";
    case ErrorClass::kRejected: return "rejected";
    case ErrorClass::kUnknownOutcome: return "unknown_outcome";
  }
  return "rejected";
}

Error unsupported(std::string_view operation) {
  return Error{ErrorClass::kRejected, "unsupported", std::string(operation) + " is not supported by this platform", 0,
               std::nullopt};
}

}  // namespace herald::adapters
