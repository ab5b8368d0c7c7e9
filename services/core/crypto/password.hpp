#pragma once
// Password hashing with argon2id (libargon2), in the standard PHC encoded form
// "$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>", which carries its own parameters and salt.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace herald::core::crypto {

struct Argon2Params {
  std::uint32_t iterations = 3;
  std::uint32_t memory_kib = 65536;
  std::uint32_t parallelism = 1;
};

inline constexpr std::size_t kPasswordSaltSize = 16;
inline constexpr std::size_t kPasswordHashSize = 32;

// Hashes with a fresh random 16-byte salt. Throws std::invalid_argument for parameters argon2
// rejects (e.g. memory below 8 KiB per lane) and std::runtime_error on internal failure; the
// password never appears in a message.
[[nodiscard]] std::string hash_password(std::string_view password, const Argon2Params& params);

// True only if `encoded` is a well-formed argon2id hash of `password`. Returns false (never
// throws) for a mismatch or a malformed, truncated or non-argon2id encoding. The final
// comparison is constant-time (inside libargon2).
[[nodiscard]] bool verify_password(std::string_view password, const std::string& encoded);

// True if `encoded` should be replaced by a fresh hash_password() after a successful login:
// its parameters differ from `params`, it is not argon2id v=19, or it cannot be parsed.
[[nodiscard]] bool needs_rehash(const std::string& encoded, const Argon2Params& params);

}  // namespace herald::core::crypto
