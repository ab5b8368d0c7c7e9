#pragma once
// Numbered migrations per service, applied at start-up under a PostgreSQL advisory lock so that
// several replicas starting together apply each migration once. Files are named
// "migrations/NNN_description.sql"; each runs in its own transaction with its bookkeeping row.
// An applied migration whose text changed stops start-up (edit by adding a new migration).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "services/core/pg/pool.hpp"

namespace herald::core::pg {

struct Migration {
  int version;
  std::string name;
  std::string sql;
  std::string checksum;  // sha256 hex of the text
};

// Parses embedded files (name -> text); only "migrations/NNN_*.sql" entries are taken.
std::vector<Migration> migrations_from_files(const std::map<std::string_view, std::string_view>& files);

struct MigrationReport {
  int applied = 0;
  int current_version = 0;
};

class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

MigrationReport migrate(Pool& pool, const std::string& service, std::vector<Migration> migrations);

// The highest version applied for `service` (0 if none) — /readyz checks it against the binary's.
int applied_version(Pool& pool, const std::string& service);

}  // namespace herald::core::pg
