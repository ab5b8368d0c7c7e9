#pragma once
// Query-string parameters the way the API reads them: an absent or empty one is "not given", an
// over-long one is a 422 naming it; `limit` is a number from 1 to a maximum.
#include <optional>
#include <string>

#include "services/core/http/request.hpp"

namespace herald::core::http {

std::optional<std::string> optional_query(const Request& req, const std::string& name, std::size_t max_len);
// The `limit` parameter (fallback when absent): 422 unless it is a whole number from 1 to max.
int query_limit(const Request& req, int fallback, int max);

}  // namespace herald::core::http
