#include "services/core/http/query.hpp"

#include "services/core/http/problem.hpp"

namespace herald::core::http {

std::optional<std::string> optional_query(const Request& req, const std::string& name, std::size_t max_len) {
  auto v = req.query_param(name);
  if (v && v->empty()) return std::nullopt;
  if (v && v->size() > max_len) invalid_field(name, "too long");
  return v;
}

int query_limit(const Request& req, int fallback, int max) {
  auto l = req.query_param("limit");
  if (!l) return fallback;
  const std::string problem = "must be a number from 1 to " + std::to_string(max);
  if (l->empty() || l->size() > 6 || l->find_first_not_of("0123456789") != std::string::npos) {
    invalid_field("limit", problem);
  }
  int n = std::stoi(*l);
  if (n < 1 || n > max) invalid_field("limit", problem);
  return n;
}

}  // namespace herald::core::http
