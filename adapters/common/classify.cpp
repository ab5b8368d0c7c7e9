#include "herald/adapters/classify.hpp"

#include <charconv>
#include <ctime>

namespace herald::adapters {
namespace {

std::optional<std::int64_t> to_int(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Retry-After: delta-seconds or an IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT").
std::optional<std::chrono::seconds> retry_after(const std::string& value, std::int64_t now_unix) {
  if (auto n = to_int(value)) return std::chrono::seconds(std::max<std::int64_t>(*n, 0));
  std::tm tm{};
  if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return std::nullopt;
  std::int64_t at = timegm(&tm);
  std::int64_t now = now_unix != 0 ? now_unix : static_cast<std::int64_t>(std::time(nullptr));
  return std::chrono::seconds(std::max<std::int64_t>(at - now, 0));
}

}  // namespace

Error classify_http(const HttpResponse& r, bool mutating, const std::string& code, const std::string& message,
                    const char* reset_header, std::int64_t now_unix) {
  Error e;
  e.http_status = r.status;
  e.code = code;
  e.message = message;
  if (r.transport_error) {
    e.cls = r.request_written && mutating ? ErrorClass::kUnknownOutcome : ErrorClass::kRetryable;
    if (e.code.empty()) e.code = "transport";
    if (e.message.empty()) e.message = r.transport_message;
    return e;
  }
  if (e.code.empty()) e.code = "http_" + std::to_string(r.status);
  if (e.message.empty()) e.message = "HTTP " + std::to_string(r.status);
  if (r.status == 429) {
    e.cls = ErrorClass::kRateLimited;
    if (auto ra = r.header("retry-after")) e.retry_after = retry_after(*ra, now_unix);
    if (!e.retry_after && reset_header != nullptr) {
      if (auto reset = r.header(reset_header)) {
        if (auto at = to_int(*reset)) {
          std::int64_t now = now_unix != 0 ? now_unix : static_cast<std::int64_t>(std::time(nullptr));
          e.retry_after = std::chrono::seconds(std::max<std::int64_t>(*at - now, 0));
        }
      }
    }
    return e;
  }
  if (r.status == 401) {
    e.cls = ErrorClass::kAuthExpired;
  } else if (mutating && (r.status == 502 || r.status == 504)) {
    e.cls = ErrorClass::kUnknownOutcome;
  } else if (r.status == 408 || r.status >= 500) {
    e.cls = ErrorClass::kRetryable;
  } else {
    e.cls = ErrorClass::kRejected;
  }
  return e;
}

std::optional<nlohmann::json> parse_json(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

}  // namespace herald::adapters
