#pragma once
// Shared helpers for adapters: classifying transport failures and common HTTP statuses, JSON
// parsing that turns a malformed platform answer into an Error instead of an exception.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "herald/adapters/http.hpp"
#include "herald/adapters/result.hpp"

namespace herald::adapters {

// For a response that is not a success: transport failure -> kRetryable (not written) or
// kUnknownOutcome (written); 429 -> kRateLimited with Retry-After (seconds or HTTP date) or
// `reset_header` (unix seconds, e.g. "x-rate-limit-reset") when given; 401 -> kAuthExpired;
// 408, 5xx -> kRetryable (kUnknownOutcome for a non-idempotent call when `mutating` is true and
// the status is 502/504, which a proxy sends after the request may have reached the platform);
// other 4xx -> kRejected. `code`/`message` are filled by the caller from the platform's error body.
Error classify_http(const HttpResponse& r, bool mutating, const std::string& code, const std::string& message,
                    const char* reset_header = nullptr, std::int64_t now_unix = 0);

// The body as JSON, or nullopt when it is not JSON.
std::optional<nlohmann::json> parse_json(const std::string& body);

}  // namespace herald::adapters
