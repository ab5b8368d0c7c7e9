#pragma once
// QR codes for campaign links (ISO/IEC 18004), encoded by libqrencode (pkg-config libqrencode):
// QRcode_encodeString in 8-bit mode (UTF-8 text stays bytes; digits and capitals may use the denser
// numeric/alphanumeric modes, which decode to the same bytes), error correction level M (~15% of the
// symbol may be damaged), the smallest version that fits. Pure; unit-tested in qr_test.cpp, which decodes
// what it encodes with zbar.
#include <string>
#include <string_view>
#include <vector>

namespace herald::campaigns::domain {

// An SVG of the QR code for `text`: a white background and one <path> of the dark modules, `module_px`
// pixels per module and a quiet zone of `quiet_modules` modules on each side (the standard asks for 4).
// The viewBox is in modules, so the image scales without blurring. Throws invalid_argument when text is
// empty, contains a NUL byte, or is too long for a QR code (2331 bytes of arbitrary 8-bit data at level M),
// or when module_px is outside 1..1000 or quiet_modules outside 0..100.
std::string qr_svg(std::string_view text, int module_px = 8, int quiet_modules = 4);

// The module matrix itself, row by row (true = dark), without the quiet zone; square, 21..177 wide.
// Throws like qr_svg.
std::vector<std::vector<bool>> qr_matrix(std::string_view text);

}  // namespace herald::campaigns::domain
