#pragma once
#include <string_view>

namespace herald::core::log {

enum class Level { debug, info, warn, error };

// "debug", "info", "warn", "error".
[[nodiscard]] std::string_view level_name(Level level);
// Parses a level name (case-insensitive; "warning" is accepted for warn). Throws
// std::invalid_argument naming the accepted values otherwise.
[[nodiscard]] Level parse_level(std::string_view name);

}  // namespace herald::core::log
