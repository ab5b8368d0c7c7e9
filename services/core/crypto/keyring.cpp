#include "services/core/crypto/keyring.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <memory>
#include <stdexcept>
#include <utility>

#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/random.hpp"

namespace herald::core::crypto {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

CipherCtx new_ctx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) {
    throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  }
  return ctx;
}

const unsigned char* uchar(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* uchar(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

int int_size(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX) - 64) {
    throw std::length_error("input too large for AES-GCM");
  }
  return static_cast<int>(n);
}

std::string header_for(std::uint32_t version) {
  std::string h(KeyRing::kHeaderSize, '\0');
  h[0] = static_cast<char>(KeyRing::kFormatAes256Gcm);
  h[1] = static_cast<char>((version >> 24) & 0xFF);
  h[2] = static_cast<char>((version >> 16) & 0xFF);
  h[3] = static_cast<char>((version >> 8) & 0xFF);
  h[4] = static_cast<char>(version & 0xFF);
  return h;
}

// Feeds the header and then the caller's associated data to GCM as AAD.
bool feed_aad(EVP_CIPHER_CTX* ctx, std::string_view header, std::string_view aad, bool encrypt) {
  for (const std::string_view part : {header, aad}) {
    if (part.empty()) continue;
    int len = 0;
    const int ok = encrypt ? EVP_EncryptUpdate(ctx, nullptr, &len, uchar(part), int_size(part.size()))
                           : EVP_DecryptUpdate(ctx, nullptr, &len, uchar(part), int_size(part.size()));
    if (ok != 1) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::string decode_key(std::string_view b64, std::uint32_t version) {
  try {
    if (b64.find_first_of("-_") != std::string_view::npos || b64.size() % 4 != 0) {
      return base64url_decode(b64);
    }
    return base64_decode(b64);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("master key version " + std::to_string(version) +
                                " is not valid base64");
  }
}

}  // namespace

KeyRing::KeyRing(std::map<std::uint32_t, std::string> keys_by_version, std::uint32_t current_version)
    : keys_(std::move(keys_by_version)), current_version_(current_version) {
  if (keys_.empty()) {
    throw std::invalid_argument("key ring has no keys");
  }
  for (const auto& [version, key] : keys_) {
    if (key.size() != kKeySize) {
      throw std::invalid_argument("master key version " + std::to_string(version) + " must be " +
                                  std::to_string(kKeySize) + " bytes, got " +
                                  std::to_string(key.size()));
    }
  }
  if (!keys_.contains(current_version_)) {
    throw std::invalid_argument("current key version " + std::to_string(current_version_) +
                                " is not in the key ring");
  }
}

KeyRing::~KeyRing() {
  for (auto& [version, key] : keys_) {
    OPENSSL_cleanse(key.data(), key.size());
  }
}

KeyRing KeyRing::from_base64_keys(const std::string& spec) {
  const std::string_view all = trim(spec);
  if (all.empty()) {
    throw std::invalid_argument("master key spec is empty");
  }
  std::map<std::uint32_t, std::string> keys;
  if (all.find(':') == std::string_view::npos && all.find(',') == std::string_view::npos) {
    keys.emplace(1, decode_key(all, 1));
    return KeyRing(std::move(keys), 1);
  }
  std::size_t pos = 0;
  while (pos <= all.size()) {
    const std::size_t comma = std::min(all.find(',', pos), all.size());
    const std::string_view entry = trim(all.substr(pos, comma - pos));
    pos = comma + 1;
    if (entry.empty()) continue;  // tolerate a trailing comma
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      throw std::invalid_argument("master key spec entry lacks 'VERSION:' (expected 1:BASE64,2:BASE64)");
    }
    const std::string_view version_text = trim(entry.substr(0, colon));
    std::uint32_t version = 0;
    const auto [end, ec] =
        std::from_chars(version_text.data(), version_text.data() + version_text.size(), version);
    if (ec != std::errc{} || end != version_text.data() + version_text.size() || version_text.empty()) {
      throw std::invalid_argument("master key spec has an invalid version number");
    }
    if (keys.contains(version)) {
      throw std::invalid_argument("master key version " + std::to_string(version) + " is listed twice");
    }
    keys.emplace(version, decode_key(trim(entry.substr(colon + 1)), version));
  }
  if (keys.empty()) {
    throw std::invalid_argument("master key spec has no keys");
  }
  const std::uint32_t current = keys.rbegin()->first;
  return KeyRing(std::move(keys), current);
}

std::string KeyRing::generate_key_base64() {
  std::string key = random_bytes(kKeySize);
  std::string encoded = base64_encode(key);
  OPENSSL_cleanse(key.data(), key.size());
  return encoded;
}

std::string KeyRing::seal(std::string_view plaintext, std::string_view associated_data) const {
  const auto it = keys_.find(current_version_);
  if (it == keys_.end()) {
    throw std::logic_error("key ring is empty (moved from?)");
  }
  const std::string header = header_for(current_version_);
  const std::string nonce = random_bytes(kNonceSize);
  const int pt_len = int_size(plaintext.size());

  std::string out;
  out.reserve(kOverhead + plaintext.size());
  out.append(header).append(nonce);
  const std::size_t ct_offset = out.size();
  out.resize(ct_offset + plaintext.size() + kTagSize);
  auto* ct = reinterpret_cast<unsigned char*>(out.data() + ct_offset);

  const CipherCtx ctx = new_ctx();
  int len = 0;
  bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize), nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, uchar(it->second), uchar(nonce)) == 1 &&
            feed_aad(ctx.get(), header, associated_data, true);
  int written = 0;
  if (ok && pt_len > 0) {
    ok = EVP_EncryptUpdate(ctx.get(), ct, &len, uchar(plaintext), pt_len) == 1;
    written = len;
  }
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), ct + written, &len) == 1;
  written += ok ? len : 0;
  ok = ok && written == pt_len &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), ct + written) == 1;
  if (!ok) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  return out;
}

std::uint32_t KeyRing::version_of(std::string_view sealed) const {
  if (sealed.size() < kOverhead) {
    throw DecryptError("sealed data is truncated");
  }
  if (static_cast<std::uint8_t>(sealed[0]) != kFormatAes256Gcm) {
    throw DecryptError("sealed data has an unknown format");
  }
  std::uint32_t version = 0;
  for (std::size_t i = 1; i < kHeaderSize; ++i) {
    version = (version << 8) | static_cast<unsigned char>(sealed[i]);
  }
  return version;
}

std::string KeyRing::open(std::string_view sealed, std::string_view associated_data) const {
  const std::uint32_t version = version_of(sealed);
  const auto it = keys_.find(version);
  if (it == keys_.end()) {
    throw DecryptError("sealed data uses unknown key version " + std::to_string(version));
  }
  const std::string_view header = sealed.substr(0, kHeaderSize);
  const std::string_view nonce = sealed.substr(kHeaderSize, kNonceSize);
  const std::string_view ciphertext =
      sealed.substr(kHeaderSize + kNonceSize, sealed.size() - kOverhead);
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer; give it a copy.
  std::string tag(sealed.substr(sealed.size() - kTagSize));
  const int ct_len = int_size(ciphertext.size());

  std::string plaintext(ciphertext.size(), '\0');
  const CipherCtx ctx = new_ctx();
  int len = 0;
  bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize), nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, uchar(it->second), uchar(nonce)) == 1 &&
            feed_aad(ctx.get(), header, associated_data, false);
  int written = 0;
  if (ok && ct_len > 0) {
    ok = EVP_DecryptUpdate(ctx.get(), uchar(plaintext), &len, uchar(ciphertext), ct_len) == 1;
    written = len;
  }
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag.data()) == 1;
  // Final verifies the tag; nothing decrypted is released unless it succeeds.
  ok = ok && EVP_DecryptFinal_ex(ctx.get(), uchar(plaintext) + written, &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    throw DecryptError("sealed data failed authentication (wrong key or associated data, or tampered)");
  }
  return plaintext;
}

}  // namespace herald::core::crypto
