#pragma once
// RFC 3339 instants in the API: "2026-12-01T18:00:00Z", "2026-12-01T18:00:00.250+08:00".
#include <cstdint>
#include <optional>
#include <string>

namespace herald::core {

// -> milliseconds since the Unix epoch; nullopt when malformed or out of range.
std::optional<std::int64_t> parse_instant_ms(const std::string& text);
// Milliseconds since the epoch -> "2026-12-01T18:00:00.250Z" (UTC, millisecond precision).
std::string format_instant_ms(std::int64_t ms);

}  // namespace herald::core
