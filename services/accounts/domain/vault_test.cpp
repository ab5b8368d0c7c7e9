#include "services/accounts/domain/vault.hpp"

#include <gtest/gtest.h>

#include "services/core/crypto/decrypt_error.hpp"

namespace herald::accounts {
namespace {

core::crypto::KeyRing ring(std::map<std::uint32_t, std::string> keys, std::uint32_t current) {
  return core::crypto::KeyRing(std::move(keys), current);
}

adapters::TokenSet tokens() {
  adapters::TokenSet t;
  t.access_token = "access-SECRET";
  t.refresh_token = "refresh-SECRET";
  t.expires_at = 1'800'000'000;
  t.scopes = {"read", "write"};
  t.platform_account_id = "42";
  return t;
}

TEST(Vault, RoundTripsATokenSetWithoutItAppearingInTheSealedBytes) {
  auto keys = ring({{1, std::string(32, 'a')}}, 1);
  Vault v(keys);
  auto sealed = v.seal("acc-1", "x", tokens());
  EXPECT_EQ(sealed.find("SECRET"), std::string::npos);
  auto back = v.open("acc-1", "x", sealed);
  EXPECT_EQ(back.access_token, "access-SECRET");
  EXPECT_EQ(back.refresh_token, "refresh-SECRET");
  ASSERT_TRUE(back.expires_at);
  EXPECT_EQ(*back.expires_at, 1'800'000'000);
  EXPECT_EQ(back.scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(back.platform_account_id, "42");
}

TEST(Vault, ARowMovedToAnotherAccountOrPlatformDoesNotOpen) {
  auto keys = ring({{1, std::string(32, 'a')}}, 1);
  Vault v(keys);
  auto sealed = v.seal("acc-1", "x", tokens());
  EXPECT_THROW((void)v.open("acc-2", "x", sealed), core::crypto::DecryptError);
  EXPECT_THROW((void)v.open("acc-1", "mastodon", sealed), core::crypto::DecryptError);
}

TEST(Vault, AfterRotationOldRowsOpenUntilTheOldKeyIsRemoved) {
  auto old_ring = ring({{1, std::string(32, 'a')}}, 1);
  auto sealed_v1 = Vault(old_ring).seal("acc-1", "x", tokens());
  auto both = ring({{1, std::string(32, 'a')}, {2, std::string(32, 'b')}}, 2);
  Vault v(both);
  EXPECT_EQ(v.version_of(sealed_v1), 1u);
  auto resealed = v.seal("acc-1", "x", v.open("acc-1", "x", sealed_v1));
  EXPECT_EQ(v.version_of(resealed), 2u);
  auto only_new = ring({{2, std::string(32, 'b')}}, 2);
  EXPECT_THROW((void)Vault(only_new).open("acc-1", "x", sealed_v1), core::crypto::DecryptError);
  EXPECT_EQ(Vault(only_new).open("acc-1", "x", resealed).access_token, "access-SECRET");
}

}  // namespace
}  // namespace herald::accounts
