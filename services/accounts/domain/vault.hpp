#pragma once
// The token vault (DESIGN.md section 7): a TokenSet is sealed with AES-256-GCM under the master
// key ring; the account id and platform are the associated data (and the key version is
// authenticated in the sealed header), so a sealed row moved to another account does not open.
// Nothing here logs or returns a token.
#include <string>

#include "herald/adapters/types.hpp"
#include "services/core/crypto/keyring.hpp"

namespace herald::accounts {

class Vault {
 public:
  explicit Vault(const core::crypto::KeyRing& keys) : keys_(keys) {}

  [[nodiscard]] std::string seal(const std::string& account_id, const std::string& platform,
                                 const adapters::TokenSet& tokens) const;
  // Throws core::crypto::DecryptError when the row does not open (wrong key, account or platform).
  [[nodiscard]] adapters::TokenSet open(const std::string& account_id, const std::string& platform,
                                        const std::string& sealed) const;
  [[nodiscard]] std::uint32_t version_of(const std::string& sealed) const { return keys_.version_of(sealed); }
  [[nodiscard]] std::uint32_t current_version() const { return keys_.current_version(); }

  // Sealing of other small secrets (the PKCE verifier of a flow in progress).
  [[nodiscard]] std::string seal_text(const std::string& purpose, const std::string& text) const;
  [[nodiscard]] std::string open_text(const std::string& purpose, const std::string& sealed) const;

 private:
  const core::crypto::KeyRing& keys_;
};

}  // namespace herald::accounts
