#include "services/core/crypto/encoding.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace herald::core::crypto {
namespace {

TEST(Encoding, HexKnownAnswers) {
  EXPECT_EQ(hex_encode(""), "");
  EXPECT_EQ(hex_encode(std::string("\x00\x01\x7f\x80\xff", 5)), "00017f80ff");
  EXPECT_EQ(hex_encode("Herald"), "486572616c64");
  EXPECT_EQ(hex_decode("00017f80ff"), std::string("\x00\x01\x7f\x80\xff", 5));
  EXPECT_EQ(hex_decode("DEADbeef"), "\xde\xad\xbe\xef");
}

TEST(Encoding, HexRejectsBadInput) {
  EXPECT_THROW((void)hex_decode("abc"), std::invalid_argument);
  EXPECT_THROW((void)hex_decode("zz"), std::invalid_argument);
  EXPECT_THROW((void)hex_decode("0g"), std::invalid_argument);
}

// RFC 4648 section 10 test vectors.
TEST(Encoding, Base64Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base64_encode(plain), encoded) << plain;
    EXPECT_EQ(base64_decode(encoded), plain) << encoded;
  }
}

TEST(Encoding, Base64UrlUsesUrlAlphabetWithoutPadding) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(base64_encode(bytes), "+/+/");
  EXPECT_EQ(base64url_encode(bytes), "-_-_");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_decode("-_-_"), bytes);
  EXPECT_EQ(base64url_decode("Zg"), "f");
  EXPECT_EQ(base64url_decode("Zg=="), "f");  // padding tolerated
}

TEST(Encoding, Base64RoundTripsAllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len <= bytes.size(); len += 37) {
    const std::string part = bytes.substr(0, len);
    EXPECT_EQ(base64_decode(base64_encode(part)), part);
    EXPECT_EQ(base64url_decode(base64url_encode(part)), part);
    EXPECT_EQ(hex_decode(hex_encode(part)), part);
  }
}

TEST(Encoding, Base64RejectsBadInput) {
  EXPECT_THROW((void)base64_decode("Zg"), std::invalid_argument);      // missing padding
  EXPECT_THROW((void)base64_decode("Zg="), std::invalid_argument);     // bad length
  EXPECT_THROW((void)base64_decode("Z==="), std::invalid_argument);    // too much padding
  EXPECT_THROW((void)base64_decode("Zm9v\n"), std::invalid_argument);  // whitespace
  EXPECT_THROW((void)base64_decode("-_-_"), std::invalid_argument);    // url alphabet
  EXPECT_THROW((void)base64_decode("Zh=="), std::invalid_argument);    // non-zero trailing bits
  EXPECT_THROW((void)base64url_decode("+/+/"), std::invalid_argument);  // standard alphabet
  EXPECT_THROW((void)base64url_decode("Z"), std::invalid_argument);     // impossible length
  EXPECT_THROW((void)base64url_decode("Zg="), std::invalid_argument);   // partial padding
}

}  // namespace
}  // namespace herald::core::crypto
