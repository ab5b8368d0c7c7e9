#pragma once
// Outcomes callers branch on are values (STYLE.md 6). Every adapter call returns Result<T>:
// either a value or an Error carrying the class the scheduler and workers act on
// (DESIGN.md section 4).
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace herald::adapters {

enum class ErrorClass {
  kRetryable,       // transient (5xx, connection refused): retry with backoff
  kRateLimited,     // 429 or the platform's own quota code: retry after retry_after
  kAuthExpired,     // token expired or revoked: refresh or reconnect the account
  kRejected,        // permanent (validation, policy, not found, unsupported): never retry
  kUnknownOutcome,  // the request may have been applied (timeout after writing): reconcile first
};

std::string_view to_string(ErrorClass c);

struct Error {
  ErrorClass cls = ErrorClass::kRejected;
  std::string code;     // the platform's own error code or name when it gives one ("unsupported" for ours)
  std::string message;  // human readable; never contains a token
  int http_status = 0;
  std::optional<std::chrono::seconds> retry_after;  // for kRateLimited
};

// Error{kRejected, "unsupported"}: the platform does not offer the operation.
Error unsupported(std::string_view operation);

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};  // Result<Ok> for operations with no value

}  // namespace herald::adapters
