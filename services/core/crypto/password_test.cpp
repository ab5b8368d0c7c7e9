#include "services/core/crypto/password.hpp"

#include <gtest/gtest.h>

#include <string>

namespace herald::core::crypto {
namespace {

// Small parameters keep the tests fast; production uses the defaults.
const Argon2Params kFast{.iterations = 1, .memory_kib = 1024, .parallelism = 1};

TEST(Password, HashIsEncodedArgon2idWithParameters) {
  const std::string encoded = hash_password("correct horse", kFast);
  EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0U) << encoded;
  EXPECT_EQ(encoded.find("correct horse"), std::string::npos);
  EXPECT_EQ(encoded.find('\0'), std::string::npos);
}

TEST(Password, VerifyAcceptsRightAndRejectsWrongPassword) {
  const std::string encoded = hash_password("correct horse", kFast);
  EXPECT_TRUE(verify_password("correct horse", encoded));
  EXPECT_FALSE(verify_password("correct horsf", encoded));
  EXPECT_FALSE(verify_password("", encoded));
  EXPECT_FALSE(verify_password("correct horse ", encoded));
}

TEST(Password, SaltIsRandomPerHash) {
  const std::string a = hash_password("same", kFast);
  const std::string b = hash_password("same", kFast);
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_password("same", a));
  EXPECT_TRUE(verify_password("same", b));
}

TEST(Password, EmptyAndBinaryPasswords) {
  const std::string empty = hash_password("", kFast);
  EXPECT_TRUE(verify_password("", empty));
  EXPECT_FALSE(verify_password("x", empty));
  const std::string binary("p\0w", 3);
  const std::string encoded = hash_password(binary, kFast);
  EXPECT_TRUE(verify_password(binary, encoded));
  EXPECT_FALSE(verify_password("p", encoded));  // not truncated at the NUL
}

TEST(Password, MalformedEncodingsVerifyFalseWithoutThrowing) {
  const std::string good = hash_password("pw", kFast);
  const std::string malformed[] = {
      "",
      "not a hash",
      "$argon2id$",
      "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaA",
      good.substr(0, good.size() - 10),
      good.substr(0, good.rfind('$')),
      good + "$",
      "$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=1024,t=1,p=1$!!!!$????",
  };
  for (const std::string& encoded : malformed) {
    EXPECT_NO_THROW(EXPECT_FALSE(verify_password("pw", encoded)) << encoded);
  }
}

TEST(Password, NeedsRehashWhenParametersChange) {
  const std::string encoded = hash_password("pw", kFast);
  EXPECT_FALSE(needs_rehash(encoded, kFast));
  Argon2Params stronger = kFast;
  stronger.memory_kib = 2048;
  EXPECT_TRUE(needs_rehash(encoded, stronger));
  stronger = kFast;
  stronger.iterations = 2;
  EXPECT_TRUE(needs_rehash(encoded, stronger));
  stronger = kFast;
  stronger.parallelism = 2;
  EXPECT_TRUE(needs_rehash(encoded, stronger));
  EXPECT_TRUE(needs_rehash("garbage", kFast));
  EXPECT_TRUE(needs_rehash("$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaA", kFast));
}

TEST(Password, RejectsInvalidParameters) {
  EXPECT_THROW((void)hash_password("pw", Argon2Params{.iterations = 0, .memory_kib = 1024, .parallelism = 1}),
               std::invalid_argument);
  EXPECT_THROW((void)hash_password("pw", Argon2Params{.iterations = 1, .memory_kib = 1, .parallelism = 1}),
               std::invalid_argument);
}

TEST(Password, DefaultParametersAreTheProductionOnes) {
  const Argon2Params defaults;
  EXPECT_EQ(defaults.iterations, 3U);
  EXPECT_EQ(defaults.memory_kib, 65536U);
  EXPECT_EQ(defaults.parallelism, 1U);
}

}  // namespace
}  // namespace herald::core::crypto
