#include "services/core/crypto/keyring.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "services/core/crypto/encoding.hpp"

namespace herald::core::crypto {
namespace {

const std::string kKey1(32, '\x11');
const std::string kKey2(32, '\x22');
constexpr std::string_view kAad = "account=42|platform=x";
constexpr std::string_view kSecret = "platform-access-token-SUPERSECRET";

KeyRing ring_v1() { return KeyRing({{1, kKey1}}, 1); }
KeyRing ring_v12() { return KeyRing({{1, kKey1}, {2, kKey2}}, 2); }

std::string flip(std::string s, std::size_t index, unsigned char mask = 0x01) {
  s[index] = static_cast<char>(static_cast<unsigned char>(s[index]) ^ mask);
  return s;
}

TEST(KeyRing, SealOpenRoundTrip) {
  const KeyRing ring = ring_v1();
  const std::string sealed = ring.seal(kSecret, kAad);
  EXPECT_EQ(sealed.size(), kSecret.size() + KeyRing::kOverhead);
  EXPECT_EQ(sealed.find(kSecret), std::string::npos);
  EXPECT_EQ(ring.open(sealed, kAad), kSecret);
}

TEST(KeyRing, RoundTripsEmptyAndBinaryPlaintext) {
  const KeyRing ring = ring_v1();
  EXPECT_EQ(ring.open(ring.seal("", ""), ""), "");
  std::string binary;
  for (int i = 0; i < 1000; ++i) binary.push_back(static_cast<char>(i % 256));
  EXPECT_EQ(ring.open(ring.seal(binary, std::string("\0aad", 4)), std::string("\0aad", 4)), binary);
}

TEST(KeyRing, SealedFormatHeader) {
  const std::string sealed = ring_v12().seal("x", "");
  EXPECT_EQ(static_cast<unsigned char>(sealed[0]), KeyRing::kFormatAes256Gcm);
  EXPECT_EQ(sealed.substr(1, 4), std::string("\0\0\0\x02", 4));
  EXPECT_EQ(ring_v12().version_of(sealed), 2U);
}

TEST(KeyRing, FreshNoncePerSeal) {
  const KeyRing ring = ring_v1();
  const std::string a = ring.seal(kSecret, kAad);
  const std::string b = ring.seal(kSecret, kAad);
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(KeyRing::kHeaderSize, KeyRing::kNonceSize),
            b.substr(KeyRing::kHeaderSize, KeyRing::kNonceSize));
  EXPECT_EQ(ring.open(a, kAad), ring.open(b, kAad));
}

TEST(KeyRing, WrongAssociatedDataFails) {
  const KeyRing ring = ring_v1();
  const std::string sealed = ring.seal(kSecret, kAad);
  EXPECT_THROW((void)ring.open(sealed, "account=43|platform=x"), DecryptError);
  EXPECT_THROW((void)ring.open(sealed, ""), DecryptError);
}

TEST(KeyRing, WrongKeyFails) {
  const std::string sealed = ring_v1().seal(kSecret, kAad);
  const KeyRing other({{1, std::string(32, '\x33')}}, 1);
  EXPECT_THROW((void)other.open(sealed, kAad), DecryptError);
}

TEST(KeyRing, DetectsTamperingAnywhere) {
  const KeyRing ring = ring_v1();
  const std::string sealed = ring.seal(kSecret, kAad);
  const std::size_t nonce_at = KeyRing::kHeaderSize;
  const std::size_t ct_at = KeyRing::kHeaderSize + KeyRing::kNonceSize;
  const std::size_t tag_at = sealed.size() - KeyRing::kTagSize;
  EXPECT_THROW((void)ring.open(flip(sealed, ct_at), kAad), DecryptError);
  EXPECT_THROW((void)ring.open(flip(sealed, tag_at - 1, 0x80), kAad), DecryptError);
  EXPECT_THROW((void)ring.open(flip(sealed, tag_at), kAad), DecryptError);
  EXPECT_THROW((void)ring.open(flip(sealed, sealed.size() - 1), kAad), DecryptError);
  EXPECT_THROW((void)ring.open(flip(sealed, nonce_at), kAad), DecryptError);
  EXPECT_THROW((void)ring.open(flip(sealed, 0), kAad), DecryptError);  // format tag
  EXPECT_THROW((void)ring.open(sealed.substr(0, sealed.size() - 1), kAad), DecryptError);
  EXPECT_THROW((void)ring.open(sealed.substr(0, KeyRing::kOverhead - 1), kAad), DecryptError);
  EXPECT_THROW((void)ring.open("", kAad), DecryptError);
}

TEST(KeyRing, VersionIsAuthenticated) {
  // Both keys are the same bytes, so only the authenticated header stops a relabelled version.
  const KeyRing ring({{1, kKey1}, {2, kKey1}}, 1);
  const std::string sealed = ring.seal(kSecret, kAad);
  ASSERT_EQ(ring.version_of(sealed), 1U);
  const std::string relabelled = flip(sealed, 4, 0x03);  // version 1 -> 2
  ASSERT_EQ(ring.version_of(relabelled), 2U);
  EXPECT_THROW((void)ring.open(relabelled, kAad), DecryptError);
}

TEST(KeyRing, RotationOpensOldSealsNew) {
  const std::string old_sealed = ring_v1().seal(kSecret, kAad);
  const KeyRing rotated = ring_v12();
  EXPECT_EQ(rotated.current_version(), 2U);
  EXPECT_EQ(rotated.open(old_sealed, kAad), kSecret);
  const std::string new_sealed = rotated.seal(kSecret, kAad);
  EXPECT_EQ(rotated.version_of(new_sealed), 2U);
  EXPECT_EQ(rotated.version_of(old_sealed), 1U);

  const KeyRing only_v2({{2, kKey2}}, 2);
  EXPECT_EQ(only_v2.open(new_sealed, kAad), kSecret);
  EXPECT_THROW((void)only_v2.open(old_sealed, kAad), DecryptError);
  // The old ring cannot open data sealed under the new version.
  EXPECT_THROW((void)ring_v1().open(new_sealed, kAad), DecryptError);
}

TEST(KeyRing, ErrorsNeverCarryPlaintextOrKey) {
  const KeyRing ring = ring_v1();
  const std::string sealed = ring.seal(kSecret, kAad);
  const KeyRing only_v2({{2, kKey2}}, 2);
  for (const auto& attempt : {std::pair{&ring, flip(sealed, 20)}, std::pair{&only_v2, sealed}}) {
    try {
      (void)attempt.first->open(attempt.second, kAad);
      FAIL() << "open should have thrown";
    } catch (const DecryptError& e) {
      const std::string what = e.what();
      EXPECT_FALSE(what.empty());
      EXPECT_EQ(what.find(kSecret), std::string::npos);
      EXPECT_EQ(what.find(kKey1), std::string::npos);
      EXPECT_EQ(what.find(kKey2), std::string::npos);
      EXPECT_EQ(what.find(base64_encode(kKey1)), std::string::npos);
    }
  }
}

TEST(KeyRing, ConstructorValidates) {
  EXPECT_THROW(KeyRing({{1, std::string(31, 'k')}}, 1), std::invalid_argument);
  EXPECT_THROW(KeyRing({{1, std::string(33, 'k')}}, 1), std::invalid_argument);
  EXPECT_THROW(KeyRing({}, 1), std::invalid_argument);
  EXPECT_THROW(KeyRing({{1, kKey1}}, 2), std::invalid_argument);
}

TEST(KeyRing, FromBase64KeysParsesVersionedSpec) {
  const std::string spec = " 1:" + base64_encode(kKey1) + ", 2:" + base64_encode(kKey2) + "\n";
  const KeyRing ring = KeyRing::from_base64_keys(spec);
  EXPECT_EQ(ring.current_version(), 2U);
  EXPECT_TRUE(ring.has_version(1));
  // Interoperates with a ring built from the raw keys, in both directions.
  const KeyRing raw = ring_v12();
  EXPECT_EQ(raw.open(ring.seal(kSecret, kAad), kAad), kSecret);
  EXPECT_EQ(ring.open(raw.seal(kSecret, kAad), kAad), kSecret);
  // Order in the spec does not matter: the highest version is current.
  const KeyRing reversed =
      KeyRing::from_base64_keys("7:" + base64_encode(kKey2) + ",3:" + base64_encode(kKey1));
  EXPECT_EQ(reversed.current_version(), 7U);
}

TEST(KeyRing, FromBase64KeysSingleKeyIsVersion1) {
  const KeyRing ring = KeyRing::from_base64_keys(base64_encode(kKey1) + "\n");
  EXPECT_EQ(ring.current_version(), 1U);
  EXPECT_EQ(ring_v1().open(ring.seal(kSecret, kAad), kAad), kSecret);
  // base64url (no padding) is accepted too.
  const KeyRing url = KeyRing::from_base64_keys("1:" + base64url_encode(kKey1));
  EXPECT_EQ(ring_v1().open(url.seal(kSecret, kAad), kAad), kSecret);
}

TEST(KeyRing, FromBase64KeysRejectsBadSpecsWithoutEchoingKeys) {
  const std::string short_key = base64_encode(std::string(16, 'k'));
  const std::vector<std::string> specs = {
      "", "  ", "1:" + short_key, "x:" + base64_encode(kKey1),
      "1:" + base64_encode(kKey1) + ",1:" + base64_encode(kKey2), "1:not base64!",
      base64_encode(kKey1) + "," + base64_encode(kKey2), "-1:" + base64_encode(kKey1)};
  for (const std::string& spec : specs) {
    try {
      (void)KeyRing::from_base64_keys(spec);
      FAIL() << "accepted a bad spec";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.find(base64_encode(kKey1)), std::string::npos);
      EXPECT_EQ(what.find(short_key), std::string::npos);
    }
  }
}

TEST(KeyRing, GeneratedKeysAreUsableAndDistinct) {
  const std::string a = KeyRing::generate_key_base64();
  const std::string b = KeyRing::generate_key_base64();
  EXPECT_NE(a, b);
  EXPECT_EQ(base64_decode(a).size(), KeyRing::kKeySize);
  const KeyRing ring = KeyRing::from_base64_keys("1:" + a + ",2:" + b);
  EXPECT_EQ(ring.open(ring.seal(kSecret, kAad), kAad), kSecret);
}

}  // namespace
}  // namespace herald::core::crypto
