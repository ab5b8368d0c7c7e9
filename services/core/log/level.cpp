#include "services/core/log/level.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

namespace herald::core::log {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

Level parse_level(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "debug") return Level::debug;
  if (lower == "info") return Level::info;
  if (lower == "warn" || lower == "warning") return Level::warn;
  if (lower == "error") return Level::error;
  throw std::invalid_argument("unknown log level '" + std::string(name) +
                              "' (expected debug, info, warn or error)");
}

}  // namespace herald::core::log
