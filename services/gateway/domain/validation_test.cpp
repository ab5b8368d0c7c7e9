#include "services/gateway/domain/validation.hpp"

#include <gtest/gtest.h>

namespace herald::gateway {
namespace {

TEST(Validation, Email) {
  EXPECT_EQ(check_email("cm@brand.example"), "");
  EXPECT_NE(check_email("no-at-sign"), "");
  EXPECT_NE(check_email("two@@at.example"), "");
  EXPECT_NE(check_email("space @x.example"), "");
  EXPECT_NE(check_email("x@"), "");
}

TEST(Validation, SlugAndSlugify) {
  EXPECT_EQ(check_slug("acme-tea"), "");
  EXPECT_NE(check_slug("Acme"), "");
  EXPECT_NE(check_slug(""), "");
  EXPECT_EQ(slugify("Acme Tea, Shanghai!"), "acme-tea-shanghai");
  EXPECT_EQ(slugify("花茶"), "");  // callers fall back to a generated slug
}

TEST(Validation, TimezoneUsesTheTzDatabase) {
  EXPECT_EQ(check_timezone("Asia/Shanghai"), "");
  EXPECT_EQ(check_timezone("America/New_York"), "");
  EXPECT_NE(check_timezone("Mars/Olympus"), "");
}

TEST(Validation, PasswordsAndIds) {
  EXPECT_NE(check_password("short"), "");
  EXPECT_EQ(check_password("correct horse battery"), "");
  EXPECT_TRUE(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_FALSE(is_uuid("123e4567e89b12d3a456426614174000"));
  EXPECT_FALSE(is_uuid("'; DROP TABLE users; --"));
  EXPECT_EQ(check_account_id("weibo_123"), "");
  EXPECT_NE(check_account_id("a,b"), "");
}

}  // namespace
}  // namespace herald::gateway
