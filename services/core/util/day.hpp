#pragma once
// Calendar days in the API: "YYYY-MM-DD" <-> days since 1970-01-01 (proleptic Gregorian).
#include <optional>
#include <string>
#include <string_view>

namespace herald::core {

// The day of a real calendar date "YYYY-MM-DD"; nullopt for anything else ("2026-02-30", "2026-1-01").
std::optional<int> parse_day(std::string_view text);
// Days since 1970-01-01 -> "YYYY-MM-DD".
std::string format_day(int days);

}  // namespace herald::core
