#pragma once
// Named queries. SQL lives in .sql files (embedded into the binary by herald_embed) as blocks:
//   -- name: find_user_by_email
//   SELECT ... WHERE email = $1;
// Each name becomes a prepared statement on every pooled connection; the name is also the
// metrics label and what a log line mentions, never the SQL text with values.
#include <map>
#include <string>
#include <string_view>

namespace herald::core::pg {

class QueryCatalog {
 public:
  // Parses one .sql file's text; throws std::invalid_argument on a duplicate or empty query.
  void add(std::string_view file_name, std::string_view text);
  [[nodiscard]] const std::string& sql(const std::string& name) const;
  [[nodiscard]] const std::map<std::string, std::string>& all() const { return queries_; }

 private:
  std::map<std::string, std::string> queries_;
};

}  // namespace herald::core::pg
