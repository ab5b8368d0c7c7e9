#include "services/contracts/iam/permissions.hpp"

#include <gtest/gtest.h>

namespace herald::iam {
namespace {

Principal member(std::string role, std::optional<std::vector<std::string>> accounts = std::nullopt) {
  Principal p;
  p.user_id = "u1";
  p.memberships.push_back({"b1", "Brand", std::move(role), std::move(accounts)});
  return p;
}

TEST(Permissions, DenyByDefault) {
  Principal nobody;
  EXPECT_FALSE(nobody.can(perm::kBrandRead, "b1"));
  auto p = member("viewer");
  EXPECT_FALSE(p.can(perm::kBrandRead, "b2"));  // other brand
  EXPECT_FALSE(p.can(perm::kPostWrite, "b1"));  // not granted by the role
  EXPECT_TRUE(p.can(perm::kBrandRead, "b1"));
  EXPECT_FALSE(member("no_such_role").can(perm::kBrandRead, "b1"));
}

TEST(Permissions, RolesMatchTheirJobs) {
  EXPECT_TRUE(member("community_manager").can(perm::kInboxReply, "b1"));
  EXPECT_FALSE(member("community_manager").can(perm::kPostApprove, "b1"));
  EXPECT_TRUE(member("legal_reviewer").can(perm::kLegalReview, "b1"));
  EXPECT_FALSE(member("designer").can(perm::kPostPublish, "b1"));
  EXPECT_TRUE(member("crisis_commander").can(perm::kCrisisFreeze, "b1"));
  EXPECT_FALSE(member("social_media_manager").can(perm::kCrisisFreeze, "b1"));
  EXPECT_FALSE(member("external_reviewer").can(perm::kInboxRead, "b1"));
  EXPECT_EQ(roles().size(), 9u);
}

TEST(Permissions, AccountScope) {
  auto p = member("community_manager", std::vector<std::string>{"a1"});
  EXPECT_TRUE(p.can_on_account(perm::kInboxReply, "b1", "a1"));
  EXPECT_FALSE(p.can_on_account(perm::kInboxReply, "b1", "a2"));
  EXPECT_TRUE(member("community_manager").can_on_account(perm::kInboxReply, "b1", "a2"));
}

TEST(Permissions, AdminMayDoAnything) {
  Principal admin;
  admin.is_admin = true;
  EXPECT_TRUE(admin.can(perm::kCrisisFreeze, "any"));
  EXPECT_TRUE(admin.can_on_account(perm::kInboxReply, "any", "a9"));
}

}  // namespace
}  // namespace herald::iam
