#pragma once
#include <stdexcept>

namespace herald::core::crypto {

// Sealed data could not be opened: wrong key or associated data, tampering, truncation, an
// unknown key version or format. The message names the reason only; it never carries plaintext,
// ciphertext or key material.
class DecryptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace herald::core::crypto
