#include "adapters/sandbox/platforms/graph_fields.hpp"

#include <gtest/gtest.h>

namespace herald::sandbox {
namespace {

TEST(GraphFields, ParsesExpansionModifiersAndNesting) {
  auto f =
      parse_fields("id,comments.limit(50).order(reverse_chronological){id,message,from{id,name},parent{id}},shares");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].name, "id");
  EXPECT_EQ(f[1].name, "comments");
  EXPECT_EQ(f[1].modifier("limit"), "50");
  EXPECT_EQ(f[1].modifier("order"), "reverse_chronological");
  ASSERT_EQ(f[1].fields.size(), 4u);
  const FieldSpec* from = find_field(f[1].fields, "from");
  ASSERT_NE(from, nullptr);
  EXPECT_EQ(from->fields.size(), 2u);
  EXPECT_EQ(f[2].name, "shares");
  EXPECT_EQ(find_field(f, "missing"), nullptr);
}

TEST(GraphFields, SummaryAndEmptyAndErrors) {
  auto f = parse_fields("reactions.summary(true).limit(0)");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].modifier("summary"), "true");
  EXPECT_EQ(f[0].modifier("limit"), "0");
  EXPECT_TRUE(parse_fields("").empty());
  EXPECT_THROW((void)parse_fields("comments{id"), std::invalid_argument);
  EXPECT_THROW((void)parse_fields("comments.limit(5"), std::invalid_argument);
  EXPECT_THROW((void)parse_fields("id}"), std::invalid_argument);
}

}  // namespace
}  // namespace herald::sandbox
