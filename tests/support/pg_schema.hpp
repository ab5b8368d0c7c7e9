#pragma once
// A throwaway schema in the test PostgreSQL: created on construction, dropped on destruction,
// so each *_pgtest works on its own tables and tests can run in parallel.
#include <pqxx/pqxx>
#include <string>

#include "tests/support/test_env.hpp"

namespace herald::testing {

class PgSchema {
 public:
  PgSchema() : name_(unique_name("t")) {
    pqxx::connection c(pg_url());
    pqxx::work tx(c);
    tx.exec("CREATE SCHEMA " + tx.quote_name(name_));
    tx.commit();
  }
  ~PgSchema() {
    try {
      pqxx::connection c(pg_url());
      pqxx::work tx(c);
      tx.exec("DROP SCHEMA " + tx.quote_name(name_) + " CASCADE");
      tx.commit();
    } catch (...) {
    }
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  std::string name_;
};

}  // namespace herald::testing
