#include "herald/adapters/marker.hpp"

#include "services/core/crypto/hash.hpp"

namespace herald::adapters {

std::string invisible_marker(std::string_view marker) {
  if (marker.empty()) return "";
  static constexpr const char* kSymbols[4] = {"\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", "\xE2\x81\xA0"};
  std::string digest = core::crypto::sha256(marker);
  std::string out;
  for (int i = 0; i < 4; ++i) {
    auto byte = static_cast<unsigned char>(digest[static_cast<std::size_t>(i)]);
    for (int shift = 6; shift >= 0; shift -= 2) out += kSymbols[(byte >> shift) & 3];
  }
  return out;
}

}  // namespace herald::adapters
