#include "services/core/crypto/random.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "services/core/crypto/encoding.hpp"

namespace herald::core::crypto {
namespace {

TEST(Random, BytesHaveRequestedLengthAndDiffer) {
  EXPECT_EQ(random_bytes(0), "");
  const std::string a = random_bytes(32);
  const std::string b = random_bytes(32);
  EXPECT_EQ(a.size(), 32U);
  EXPECT_NE(a, b);
}

TEST(Random, TokenIsUnpaddedBase64UrlOfRequestedBytes) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = random_token(32);
    EXPECT_EQ(token.size(), 43U);
    EXPECT_EQ(token.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(base64url_decode(token).size(), 32U);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100U);
  EXPECT_EQ(random_token(16).size(), 22U);
}

}  // namespace
}  // namespace herald::core::crypto
