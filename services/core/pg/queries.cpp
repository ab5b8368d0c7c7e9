#include "services/core/pg/queries.hpp"

#include <stdexcept>

namespace herald::core::pg {
namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

void QueryCatalog::add(std::string_view file_name, std::string_view text) {
  static constexpr std::string_view kMarker = "-- name:";
  std::string current;
  std::string body;
  auto flush = [&] {
    if (current.empty()) return;
    auto sql = trim(body);
    if (sql.empty()) {
      throw std::invalid_argument(std::string(file_name) + ": query " + current + " is empty");
    }
    if (!queries_.emplace(current, sql).second) {
      throw std::invalid_argument(std::string(file_name) + ": duplicate query name " + current);
    }
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    if (line.rfind(kMarker, 0) == 0) {
      flush();
      current = trim(line.substr(kMarker.size()));
      body.clear();
    } else if (!current.empty()) {
      body.append(line);
      body.push_back('\n');
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  flush();
}

const std::string& QueryCatalog::sql(const std::string& name) const {
  auto it = queries_.find(name);
  if (it == queries_.end()) throw std::out_of_range("no named query " + name);
  return it->second;
}

}  // namespace herald::core::pg
