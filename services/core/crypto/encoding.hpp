#pragma once
// Binary <-> text encodings. Encoders accept any bytes; decoders are strict and throw
// std::invalid_argument on anything that is not canonical output of the matching encoder
// (wrong alphabet, bad length or padding, non-zero trailing bits). Error messages never
// echo the input, which is often secret.
#include <string>
#include <string_view>

namespace herald::core::crypto {

// Lower-case hex.
[[nodiscard]] std::string hex_encode(std::string_view bytes);
// Accepts upper- or lower-case digits; the length must be even.
[[nodiscard]] std::string hex_decode(std::string_view hex);

// RFC 4648 section 4 (alphabet +/), always padded with '='.
[[nodiscard]] std::string base64_encode(std::string_view bytes);
// Requires padding (length a multiple of 4).
[[nodiscard]] std::string base64_decode(std::string_view text);

// RFC 4648 section 5 (alphabet -_), never padded.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);
// Accepts input with or without '=' padding.
[[nodiscard]] std::string base64url_decode(std::string_view text);

}  // namespace herald::core::crypto
