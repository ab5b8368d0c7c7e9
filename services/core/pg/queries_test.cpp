#include "services/core/pg/queries.hpp"

#include <gtest/gtest.h>

#include "services/core/pg/pool.hpp"

namespace herald::core::pg {
namespace {

TEST(QueryCatalog, ParsesNamedBlocks) {
  QueryCatalog q;
  q.add("a.sql", "-- a comment before any query\n-- name: one\nSELECT 1\nFROM x;\n\n-- name: two\nSELECT 2;\n");
  EXPECT_EQ(q.sql("one"), "SELECT 1\nFROM x;");
  EXPECT_EQ(q.sql("two"), "SELECT 2;");
  EXPECT_EQ(q.all().size(), 2u);
  EXPECT_THROW(static_cast<void>(q.sql("three")), std::out_of_range);
}

TEST(QueryCatalog, RejectsDuplicatesAndEmptyQueries) {
  QueryCatalog q;
  q.add("a.sql", "-- name: one\nSELECT 1;");
  EXPECT_THROW(q.add("b.sql", "-- name: one\nSELECT 2;"), std::invalid_argument);
  EXPECT_THROW(q.add("c.sql", "-- name: empty\n\n-- name: x\nSELECT 1;"), std::invalid_argument);
}

TEST(RedactDsn, CutsPasswords) {
  EXPECT_EQ(redact_dsn("postgresql://herald:s3cret@127.0.0.1:5432/db"),
            "postgresql://herald:[REDACTED]@127.0.0.1:5432/db");
  auto kw = redact_dsn("host=x user=herald password=s3cret dbname=db");
  EXPECT_EQ(kw.find("s3cret"), std::string::npos);
  EXPECT_EQ(redact_dsn("postgresql://herald@h/db"), "postgresql://herald@h/db");
}

}  // namespace
}  // namespace herald::core::pg
