#pragma once
// Small helpers shared by the sandbox: time formats, HTML/URL escaping, ids.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace herald::sandbox {

using TimePoint = std::chrono::system_clock::time_point;

// "2024-05-01T12:00:00.123Z" (UTC, milliseconds): the request log, Mastodon and X timestamps.
[[nodiscard]] std::string iso8601_ms(TimePoint t);
// "2024-05-01T12:00:00+0000": the Graph API's created_time format.
[[nodiscard]] std::string graph_time(TimePoint t);
[[nodiscard]] std::int64_t unix_seconds(TimePoint t);
[[nodiscard]] std::int64_t unix_millis(TimePoint t);

[[nodiscard]] std::string html_escape(std::string_view s);
// Percent-encodes everything but RFC 3986 unreserved characters (for query strings).
[[nodiscard]] std::string url_encode(std::string_view s);
// Appends `key=value` (both encoded) to a URL, with ? or & as needed.
void append_query(std::string& url, std::string_view key, std::string_view value);

// ASCII lower-case copy.
[[nodiscard]] std::string lower(std::string_view s);
[[nodiscard]] bool starts_with(std::string_view s, std::string_view prefix);
// Whole-string unsigned decimal parse; false on anything else (empty, sign, overflow).
[[nodiscard]] bool parse_u64(std::string_view s, std::uint64_t& out);

}  // namespace herald::sandbox

namespace herald::sandbox {
// Numeric-string id order (snowflakes): shorter is smaller, then lexicographic.
[[nodiscard]] inline bool id_less(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}
}  // namespace herald::sandbox
