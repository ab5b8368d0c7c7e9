#include "adapters/sandbox/samples.hpp"

#include <gtest/gtest.h>

namespace herald::sandbox {
namespace {

TEST(SampleMedia, EachFileHasItsFormatsSignatureAndType) {
  auto jpg = sample_media("sample.jpg");
  ASSERT_TRUE(jpg);
  EXPECT_EQ(jpg->content_type, "image/jpeg");
  EXPECT_EQ(jpg->bytes.substr(0, 2), "\xff\xd8");                   // SOI
  EXPECT_EQ(jpg->bytes.substr(jpg->bytes.size() - 2), "\xff\xd9");  // EOI
  EXPECT_NE(jpg->bytes.find("\xff\xc0"), std::string::npos);        // baseline SOF0
  auto png = sample_media("sample.png");
  ASSERT_TRUE(png);
  EXPECT_EQ(png->content_type, "image/png");
  EXPECT_EQ(png->bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->bytes.substr(png->bytes.size() - 8, 4), "IEND");
  auto gif = sample_media("sample.gif");
  ASSERT_TRUE(gif);
  EXPECT_EQ(gif->bytes.substr(0, 6), "GIF89a");
  EXPECT_EQ(gif->bytes.back(), ';');
  auto mp4 = sample_media("sample.mp4");
  ASSERT_TRUE(mp4);
  EXPECT_EQ(mp4->content_type, "video/mp4");
  EXPECT_EQ(mp4->bytes.substr(4, 8), "ftypisom");
  // The box sizes add up to the file.
  std::size_t at = 0;
  while (at + 8 <= mp4->bytes.size()) {
    auto b = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(mp4->bytes[at + i])); };
    at += (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
  }
  EXPECT_EQ(at, mp4->bytes.size());
}

TEST(SampleMedia, NamesListEveryFileAndNothingElseIsServed) {
  for (const auto& n : sample_names()) EXPECT_TRUE(sample_media(n)) << n;
  EXPECT_EQ(sample_names().size(), 4u);
  EXPECT_FALSE(sample_media("../etc/passwd"));
  EXPECT_FALSE(sample_media("sample.JPG"));
}

}  // namespace
}  // namespace herald::sandbox
