#pragma once
// AES-256-GCM envelope for secrets at rest (platform tokens), with versioned master keys so keys
// can be rotated: new data is sealed under the current version, older versions still open.
//
// Sealed format (binary; base64-encode it for text columns):
//   byte 0       format tag (0x01)
//   bytes 1..4   key version, big-endian
//   bytes 5..16  96-bit random nonce (fresh per seal)
//   bytes 17..   ciphertext (same length as the plaintext)
//   last 16      GCM tag
// The GCM associated data is the 5-byte header (tag + version) followed by the caller's
// associated data, so neither the version nor the caller's context can be swapped.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "services/core/crypto/decrypt_error.hpp"

namespace herald::core::crypto {

class KeyRing {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;
  static constexpr std::size_t kHeaderSize = 5;
  static constexpr std::size_t kOverhead = kHeaderSize + kNonceSize + kTagSize;
  static constexpr std::uint8_t kFormatAes256Gcm = 0x01;

  // Every key must be exactly 32 bytes and `current_version` must be one of them; otherwise
  // throws std::invalid_argument (naming the version, never the key).
  KeyRing(std::map<std::uint32_t, std::string> keys_by_version, std::uint32_t current_version);
  ~KeyRing();  // wipes the key material
  KeyRing(const KeyRing&) = default;
  KeyRing& operator=(const KeyRing&) = default;
  KeyRing(KeyRing&&) noexcept = default;
  KeyRing& operator=(KeyRing&&) noexcept = default;

  // "1:BASE64KEY,2:BASE64KEY" (highest version current) or one bare BASE64KEY (version 1).
  // Whitespace around entries is ignored; base64 or base64url. Throws std::invalid_argument.
  [[nodiscard]] static KeyRing from_base64_keys(const std::string& spec);
  // A fresh random 32-byte key, base64-encoded, for the key rotation command.
  [[nodiscard]] static std::string generate_key_base64();

  // Encrypts under the current key version with a fresh random nonce.
  [[nodiscard]] std::string seal(std::string_view plaintext, std::string_view associated_data) const;
  // Throws DecryptError on any failure (see decrypt_error.hpp).
  [[nodiscard]] std::string open(std::string_view sealed, std::string_view associated_data) const;
  // The key version `sealed` was sealed under (for re-encryption after a rotation), without
  // decrypting. Throws DecryptError if it is not in the sealed format.
  [[nodiscard]] std::uint32_t version_of(std::string_view sealed) const;
  [[nodiscard]] std::uint32_t current_version() const { return current_version_; }
  [[nodiscard]] bool has_version(std::uint32_t version) const { return keys_.contains(version); }

 private:
  std::map<std::uint32_t, std::string> keys_;
  std::uint32_t current_version_;
};

}  // namespace herald::core::crypto
