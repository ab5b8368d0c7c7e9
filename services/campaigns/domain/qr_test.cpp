#include "services/campaigns/domain/qr.hpp"

#include <gtest/gtest.h>
#include <zbar.h>

#include <cstdint>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace herald::campaigns::domain {
namespace {

// Renders the matrix as an 8-bit grayscale image (zbar's "Y800") with a quiet zone and asks zbar to
// read it back: the test is a scanner, not our own encoder.
std::vector<std::string> decode(const std::vector<std::vector<bool>>& m, int px = 4, int quiet = 4) {
  const int side = (static_cast<int>(m.size()) + 2 * quiet) * px;
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(side) * static_cast<std::size_t>(side), 255);
  for (std::size_t y = 0; y < m.size(); ++y) {
    for (std::size_t x = 0; x < m.size(); ++x) {
      if (!m[y][x]) continue;
      for (int dy = 0; dy < px; ++dy) {
        for (int dx = 0; dx < px; ++dx) {
          auto row = static_cast<std::size_t>((static_cast<int>(y) + quiet) * px + dy);
          auto col = static_cast<std::size_t>((static_cast<int>(x) + quiet) * px + dx);
          pixels[row * static_cast<std::size_t>(side) + col] = 0;
        }
      }
    }
  }
  zbar::zbar_image_scanner_t* scanner = zbar::zbar_image_scanner_create();
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_t* image = zbar::zbar_image_create();
  zbar::zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(image, static_cast<unsigned>(side), static_cast<unsigned>(side));
  zbar::zbar_image_set_data(image, pixels.data(), pixels.size(), nullptr);
  std::vector<std::string> out;
  if (zbar::zbar_scan_image(scanner, image) > 0) {
    for (const zbar::zbar_symbol_t* s = zbar::zbar_image_first_symbol(image); s; s = zbar::zbar_symbol_next(s)) {
      out.emplace_back(zbar::zbar_symbol_get_data(s), zbar::zbar_symbol_get_data_length(s));
    }
  }
  zbar::zbar_image_destroy(image);
  zbar::zbar_image_scanner_destroy(scanner);
  return out;
}

void expect_round_trip(const std::string& text) {
  auto decoded = decode(qr_matrix(text));
  ASSERT_EQ(decoded.size(), 1u) << text;
  EXPECT_EQ(decoded[0], text);
}

TEST(QrMatrix, DecodesBackToAsciiUrls) {
  expect_round_trip("https://example.com/");
  expect_round_trip("https://hrld.example/c/8Fk2Qz?utm_source=weibo&utm_medium=social&utm_campaign=spring%202024");
  expect_round_trip("HTTPS://EXAMPLE.COM/ABC123");  // capitals and digits: alphanumeric and numeric modes
  std::string long_url = "https://shop.example.com/item?id=42";
  while (long_url.size() < 900) long_url += "&p" + std::to_string(long_url.size()) + "=value";
  expect_round_trip(long_url);
}

TEST(QrMatrix, DecodesBackToUtf8ChineseText) {
  expect_round_trip("春季大促：全场五折，立即抢购！");
  expect_round_trip("https://例子.中国/活动?utm_campaign=%E6%98%A5%E5%AD%A3");
}

TEST(QrMatrix, IsSquareWithTheThreeFinderPatterns) {
  auto m = qr_matrix("https://example.com/");
  const auto w = m.size();
  ASSERT_GE(w, 21u);
  EXPECT_EQ((w - 17) % 4, 0u) << "width is 17 + 4 * version";
  for (const auto& row : m) ASSERT_EQ(row.size(), w);
  // A finder pattern: a dark 7x7 ring, a light ring inside it, a dark 3x3 centre.
  auto finder_at = [&](std::size_t top, std::size_t left) {
    for (std::size_t y = 0; y < 7; ++y) {
      for (std::size_t x = 0; x < 7; ++x) {
        bool ring = y == 0 || y == 6 || x == 0 || x == 6;
        bool centre = y >= 2 && y <= 4 && x >= 2 && x <= 4;
        if (m[top + y][left + x] != (ring || centre)) return false;
      }
    }
    return true;
  };
  EXPECT_TRUE(finder_at(0, 0));
  EXPECT_TRUE(finder_at(0, w - 7));
  EXPECT_TRUE(finder_at(w - 7, 0));
  EXPECT_FALSE(finder_at(w - 7, w - 7));
}

TEST(QrMatrix, UsesErrorCorrectionLevelM) {
  // ISO/IEC 18004 table 7, byte capacity: version 2 holds 32 (L) / 26 (M) / 20 (Q) bytes; version 3 holds
  // 53 / 42 / 32; version 4 holds 78 / 62 / 46. Lower-case letters are 8-bit data.
  EXPECT_EQ(qr_matrix(std::string(26, 'a')).size(), 25u);  // version 2
  EXPECT_EQ(qr_matrix(std::string(27, 'a')).size(), 29u);  // version 3: not L (would still be version 2)
  EXPECT_EQ(qr_matrix(std::string(42, 'a')).size(), 29u);  // version 3: not Q (would be version 4)
  EXPECT_EQ(qr_matrix(std::string(43, 'a')).size(), 33u);  // version 4
}

TEST(QrMatrix, RefusesEmptyAndTooLongText) {
  EXPECT_THROW(qr_matrix(""), std::invalid_argument);
  EXPECT_THROW(qr_matrix(std::string_view("a\0b", 3)), std::invalid_argument);
  auto biggest = qr_matrix(std::string(2331, 'a'));  // version 40 at level M
  EXPECT_EQ(biggest.size(), 177u);
  try {
    qr_matrix(std::string(2332, 'a'));
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("too long"), std::string::npos) << e.what();
  }
  EXPECT_THROW(qr_svg(std::string(5000, 'x')), std::invalid_argument);
  EXPECT_THROW(qr_svg(""), std::invalid_argument);
}

TEST(QrSvg, DrawsExactlyTheDarkModulesInOnePath) {
  const std::string text = "https://hrld.example/c/8Fk2Qz";
  const auto m = qr_matrix(text);
  const int w = static_cast<int>(m.size());
  const int px = 5;
  const int quiet = 2;
  const auto svg = qr_svg(text, px, quiet);
  const int side = w + 2 * quiet;
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u) << svg.substr(0, 80);
  EXPECT_NE(svg.find("width=\"" + std::to_string(side * px) + "\""), std::string::npos);
  EXPECT_NE(svg.find("height=\"" + std::to_string(side * px) + "\""), std::string::npos);
  EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(side) + " " + std::to_string(side) + "\""), std::string::npos);
  EXPECT_EQ(svg.find("<path"), svg.rfind("<path"));
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");

  // Paint the path's rectangles back onto a grid and compare with the matrix, quiet zone included.
  std::vector<std::vector<bool>> painted(static_cast<std::size_t>(side), std::vector<bool>(static_cast<std::size_t>(side)));
  auto d_start = svg.find(" d=\"") + 4;
  const std::string d = svg.substr(d_start, svg.find('"', d_start) - d_start);
  std::regex rect(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  std::size_t consumed = 0;
  for (std::sregex_iterator it(d.begin(), d.end(), rect), end; it != end; ++it) {
    ASSERT_EQ(static_cast<std::size_t>(it->position()), consumed) << "unexpected path data at " << consumed;
    consumed += static_cast<std::size_t>(it->length());
    int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), run = std::stoi((*it)[3]);
    ASSERT_EQ(run, std::stoi((*it)[4]));
    for (int i = 0; i < run; ++i) {
      auto cell = painted.at(static_cast<std::size_t>(y)).at(static_cast<std::size_t>(x + i));
      ASSERT_FALSE(cell) << "painted twice";
      cell = true;
    }
  }
  EXPECT_EQ(consumed, d.size());
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      bool inside = y >= quiet && y < quiet + w && x >= quiet && x < quiet + w;
      bool dark = inside && m[static_cast<std::size_t>(y - quiet)][static_cast<std::size_t>(x - quiet)];
      ASSERT_EQ(painted[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)], dark) << x << "," << y;
    }
  }
}

TEST(QrSvg, DefaultsToEightPixelsAndAFourModuleQuietZone) {
  const std::string text = "https://example.com/";
  const auto w = static_cast<int>(qr_matrix(text).size());
  const auto svg = qr_svg(text);
  EXPECT_NE(svg.find("width=\"" + std::to_string((w + 8) * 8) + "\""), std::string::npos) << svg.substr(0, 200);
  EXPECT_NE(svg.find("M4 4h7v1h-7z"), std::string::npos) << "the top-left finder starts after the quiet zone";
}

TEST(QrSvg, RefusesNonsenseSizes) {
  EXPECT_THROW(qr_svg("x", 0), std::invalid_argument);
  EXPECT_THROW(qr_svg("x", -3), std::invalid_argument);
  EXPECT_THROW(qr_svg("x", 1001), std::invalid_argument);
  EXPECT_THROW(qr_svg("x", 8, -1), std::invalid_argument);
  EXPECT_THROW(qr_svg("x", 8, 101), std::invalid_argument);
  EXPECT_NO_THROW(qr_svg("x", 1, 0));
}

}  // namespace
}  // namespace herald::campaigns::domain
