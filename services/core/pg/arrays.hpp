#pragma once
// PostgreSQL array literals for query parameters (libpqxx 6 has no array parameters): text values
// double-quoted with '"' and '\' escaped, so any text (and any UUID) is safe; numbers as they are;
// nullopt as NULL. Pass the literal with a cast in the SQL ($1::text[], $2::bigint[]).
#include <optional>
#include <string>
#include <vector>

namespace herald::core::pg {

inline std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

template <class T>
std::string number_array(const std::vector<T>& values) {
  std::string out = "{";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    out += std::to_string(v);
  }
  return out + "}";
}

template <class T>
std::string number_array(const std::vector<std::optional<T>>& values) {
  std::string out = "{";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    out += v ? std::to_string(*v) : "NULL";
  }
  return out + "}";
}

}  // namespace herald::core::pg
