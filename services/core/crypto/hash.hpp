#pragma once
// Digests, MACs and constant-time comparison (OpenSSL 3).
#include <cstddef>
#include <string>
#include <string_view>

namespace herald::core::crypto {

inline constexpr std::size_t kSha256Size = 32;

// Raw 32-byte SHA-256 digest.
[[nodiscard]] std::string sha256(std::string_view data);
// Lower-case hex SHA-256 digest (64 characters).
[[nodiscard]] std::string sha256_hex(std::string_view data);
// Raw 32-byte HMAC-SHA-256 of `data` under `key` (any key length, including empty).
[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view data);

// Equality whose running time depends only on the lengths, never on the content (CRYPTO_memcmp).
// Strings of different lengths compare unequal; the length itself is not treated as secret.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace herald::core::crypto
