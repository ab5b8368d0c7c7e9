#include "services/campaigns/domain/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <new>
#include <stdexcept>

namespace herald::campaigns::domain {
namespace {

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::vector<std::vector<bool>> qr_matrix(std::string_view text) {
  if (text.empty()) throw std::invalid_argument("text: a QR code needs some text to encode");
  if (text.find('\0') != std::string_view::npos) throw std::invalid_argument("text: contains a NUL byte");
  const std::string owned(text);  // libqrencode wants a NUL-terminated string
  errno = 0;
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeString(owned.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    if (errno == ENOMEM) throw std::bad_alloc();
    if (errno == ERANGE) {
      throw std::invalid_argument("text: " + std::to_string(text.size()) +
                                  " bytes is too long for a QR code (at most 2331 bytes of arbitrary text)");
    }
    throw std::invalid_argument("text: cannot be encoded as a QR code");
  }
  const auto width = static_cast<std::size_t>(code->width);
  std::vector<std::vector<bool>> m(width, std::vector<bool>(width, false));
  for (std::size_t y = 0; y < width; ++y) {
    for (std::size_t x = 0; x < width; ++x) m[y][x] = (code->data[y * width + x] & 1) != 0;  // bit 0: dark
  }
  return m;
}

std::string qr_svg(std::string_view text, int module_px, int quiet_modules) {
  if (module_px < 1 || module_px > 1000) throw std::invalid_argument("module_px: must be from 1 to 1000");
  if (quiet_modules < 0 || quiet_modules > 100) throw std::invalid_argument("quiet_modules: must be from 0 to 100");
  const auto m = qr_matrix(text);
  const int width = static_cast<int>(m.size());
  const int side = width + 2 * quiet_modules;
  const auto px = std::to_string(side * module_px);
  const auto units = std::to_string(side);

  std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width=")" + px + R"(" height=")" + px +
                    R"(" viewBox="0 0 )" + units + " " + units + R"(" shape-rendering="crispEdges">)";
  svg += R"(<rect width=")" + units + R"(" height=")" + units + R"(" fill="#ffffff"/>)";
  svg += R"(<path fill="#000000" d=")";
  // One closed rectangle per horizontal run of dark modules: "M<x> <y>h<run>v1h-<run>z".
  for (int y = 0; y < width; ++y) {
    const auto& row = m[static_cast<std::size_t>(y)];
    for (int x = 0; x < width;) {
      if (!row[static_cast<std::size_t>(x)]) {
        ++x;
        continue;
      }
      int run = 0;
      while (x + run < width && row[static_cast<std::size_t>(x + run)]) ++run;
      const auto r = std::to_string(run);
      svg += "M" + std::to_string(x + quiet_modules) + " " + std::to_string(y + quiet_modules) + "h" + r + "v1h-" + r +
             "z";
      x += run;
    }
  }
  svg += R"("/></svg>)";
  return svg;
}

}  // namespace herald::campaigns::domain
