#pragma once
// Client markers for platforms without a client field: the marker is hashed and written as a
// short run of zero-width characters appended to the post text, which readers do not see and
// find_by_marker looks for in the text read back. Whether a platform keeps zero-width
// characters is the platform's choice: where it strips them, find_by_marker finds nothing and
// reconciliation falls back to a person.
#include <string>
#include <string_view>

namespace herald::adapters {

// 16 zero-width characters (U+200B, U+200C, U+200D, U+2060; 2 bits each) encoding the first
// 32 bits of SHA-256(marker); empty for an empty marker. 48 UTF-8 bytes; 16 code points.
std::string invisible_marker(std::string_view marker);

inline constexpr int kInvisibleMarkerCodePoints = 16;

}  // namespace herald::adapters
