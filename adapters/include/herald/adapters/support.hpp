#pragma once
// Small helpers the platform adapters share: lenient JSON field access (platforms send ids as
// strings or numbers), RFC 3339 times and HTTP auth headers. (Fetching media bytes and multipart
// bodies: multipart.hpp; client markers: marker.hpp.)
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "herald/adapters/http.hpp"
#include "herald/adapters/result.hpp"
#include "herald/adapters/types.hpp"

namespace herald::adapters {

// j[key], or a null value when j is not an object or has no such key; never throws, never inserts.
// Iterating the result of a missing key runs zero times.
const nlohmann::json& json_at(const nlohmann::json& j, std::string_view key);
// j[key] as a bool; `otherwise` when absent or not a bool.
bool json_bool(const nlohmann::json& j, std::string_view key, bool otherwise = false);
// j[key] as a string: a string as is, an integer in decimal, "" when absent or of another type.
std::string json_string(const nlohmann::json& j, std::string_view key);
// j[key] as an integer: a number, or a string holding a decimal integer; nullopt otherwise.
std::optional<std::int64_t> json_int(const nlohmann::json& j, std::string_view key);

// RFC 3339 / ISO 8601 instants as platforms write them ("2024-05-01T12:34:56Z", with fractional
// seconds, "+0000" or "+02:00" offsets) to unix seconds; nullopt when malformed.
std::optional<std::int64_t> parse_time(std::string_view text);
// Unix seconds as "2024-05-01T12:34:56.000Z".
std::string format_time(std::int64_t unix_seconds);

// "Basic base64(user:password)" (RFC 7617) and "Bearer token".
std::string basic_auth(std::string_view user, std::string_view password);
std::string bearer(std::string_view token);

}  // namespace herald::adapters
