#include "services/core/redis/script.hpp"

#include <gtest/gtest.h>

namespace herald::core::redis {
namespace {

TEST(RedisScript, ShaIsComputedLocallyAsRedisDoes) {
  // `printf 'return 1' | sha1sum`, and what SCRIPT LOAD answers for it.
  const Script script("one", "return 1");
  EXPECT_EQ(script.sha(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(script.name(), "one");
  EXPECT_EQ(script.source(), "return 1");
}

TEST(RedisScript, Sha1Hex) {
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

}  // namespace
}  // namespace herald::core::redis
