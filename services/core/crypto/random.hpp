#pragma once
// Cryptographically secure randomness from OpenSSL's DRBG (RAND_bytes).
#include <cstddef>
#include <string>

namespace herald::core::crypto {

// n random bytes. Throws std::runtime_error if the generator fails (it is never silently weak).
[[nodiscard]] std::string random_bytes(std::size_t n);

// `bytes` random bytes as unpadded base64url: an opaque token safe in URLs, cookies and headers.
// 32 bytes -> 43 characters.
[[nodiscard]] std::string random_token(std::size_t bytes = 32);

}  // namespace herald::core::crypto
