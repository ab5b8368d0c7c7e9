#include "services/core/crypto/password.hpp"

#include <argon2.h>
#include <openssl/crypto.h>

#include <charconv>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "services/core/crypto/random.hpp"

namespace herald::core::crypto {
namespace {

constexpr std::string_view kPrefix = "$argon2id$";
// Refuse to verify against an encoding that asks for absurd work (a corrupted or hostile row
// must not let one login allocate gigabytes or spin for minutes).
constexpr std::uint32_t kMaxVerifyMemoryKib = 4U * 1024U * 1024U;  // 4 GiB
constexpr std::uint32_t kMaxVerifyIterations = 64;
constexpr std::uint32_t kMaxVerifyParallelism = 64;

struct EncodedParams {
  std::uint32_t version = 0;
  Argon2Params params;
};

// Reads "<name>=<uint32>" at the front of `s` and consumes it.
bool take_number(std::string_view& s, std::string_view name, std::uint32_t& out) {
  if (s.substr(0, name.size()) != name || s.size() <= name.size() || s[name.size()] != '=') {
    return false;
  }
  s.remove_prefix(name.size() + 1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc{} || end == s.data()) {
    return false;
  }
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return true;
}

bool take_char(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

// Parses "$argon2id$v=19$m=..,t=..,p=..$salt$hash" far enough to read the parameters and check
// the salt and hash sections are present. libargon2 does the full decoding when verifying.
std::optional<EncodedParams> parse_encoded(std::string_view s) {
  if (s.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  s.remove_prefix(kPrefix.size());
  EncodedParams p;
  if (!take_number(s, "v", p.version) || !take_char(s, '$') ||
      !take_number(s, "m", p.params.memory_kib) || !take_char(s, ',') ||
      !take_number(s, "t", p.params.iterations) || !take_char(s, ',') ||
      !take_number(s, "p", p.params.parallelism) || !take_char(s, '$')) {
    return std::nullopt;
  }
  const std::size_t dollar = s.find('$');
  if (dollar == 0 || dollar == std::string_view::npos || dollar + 1 >= s.size()) {
    return std::nullopt;
  }
  return p;
}

}  // namespace

std::string hash_password(std::string_view password, const Argon2Params& params) {
  if (password.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument("password too long");
  }
  std::string salt = random_bytes(kPasswordSaltSize);
  const std::size_t encoded_len =
      argon2_encodedlen(params.iterations, params.memory_kib, params.parallelism,
                        static_cast<std::uint32_t>(kPasswordSaltSize),
                        static_cast<std::uint32_t>(kPasswordHashSize), Argon2_id);
  std::string encoded(encoded_len, '\0');
  const int rc = argon2id_hash_encoded(params.iterations, params.memory_kib, params.parallelism,
                                       password.data(), password.size(), salt.data(), salt.size(),
                                       kPasswordHashSize, encoded.data(), encoded.size());
  OPENSSL_cleanse(salt.data(), salt.size());
  if (rc != ARGON2_OK) {
    const std::string reason = argon2_error_message(rc);
    if (rc == ARGON2_MEMORY_ALLOCATION_ERROR || rc == ARGON2_THREAD_FAIL) {
      throw std::runtime_error("argon2id hashing failed: " + reason);
    }
    throw std::invalid_argument("argon2id hashing rejected the parameters: " + reason);
  }
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));  // drop the terminator
  return encoded;
}

bool verify_password(std::string_view password, const std::string& encoded) {
  const auto parsed = parse_encoded(encoded);
  if (!parsed || encoded.find('\0') != std::string::npos ||
      parsed->params.memory_kib > kMaxVerifyMemoryKib ||
      parsed->params.iterations > kMaxVerifyIterations ||
      parsed->params.parallelism > kMaxVerifyParallelism ||
      password.size() > std::numeric_limits<std::uint32_t>::max()) {
    return false;
  }
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool needs_rehash(const std::string& encoded, const Argon2Params& params) {
  const auto parsed = parse_encoded(encoded);
  if (!parsed) return true;
  return parsed->version != ARGON2_VERSION_13 || parsed->params.memory_kib != params.memory_kib ||
         parsed->params.iterations != params.iterations ||
         parsed->params.parallelism != params.parallelism;
}

}  // namespace herald::core::crypto
