#include "services/core/crypto/hash.hpp"

#include <gtest/gtest.h>

#include <string>

#include "services/core/crypto/encoding.hpp"

namespace herald::core::crypto {
namespace {

TEST(Hash, Sha256KnownAnswers) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string raw = sha256("abc");
  ASSERT_EQ(raw.size(), kSha256Size);
  EXPECT_EQ(hex_encode(raw), sha256_hex("abc"));
}

// RFC 4231 test case 1.
TEST(Hash, HmacSha256Rfc4231Case1) {
  const std::string key(20, '\x0b');
  EXPECT_EQ(hex_encode(hmac_sha256(key, "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

// RFC 4231 test case 2.
TEST(Hash, HmacSha256Rfc4231Case2) {
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hash, HmacSha256EmptyKeyAndData) {
  // Well-known value of HMAC-SHA256("", "").
  EXPECT_EQ(hex_encode(hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Hash, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("signature", "signature"));
  EXPECT_FALSE(constant_time_equal("signature", "signaturf"));
  EXPECT_FALSE(constant_time_equal("Signature", "signature"));
  EXPECT_FALSE(constant_time_equal("sig", "signature"));
  EXPECT_FALSE(constant_time_equal("signature", ""));
  EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace herald::core::crypto
