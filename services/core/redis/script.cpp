#include "services/core/redis/script.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>
#include <utility>

#include "services/core/redis/error.hpp"

namespace herald::core::redis {

std::string sha1_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("SHA1 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{length} * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4U]);
    out.push_back(kHex[digest[i] & 0xfU]);
  }
  return out;
}

Script::Script(std::string name, std::string source)
    : name_(std::move(name)), source_(std::move(source)), sha_(sha1_hex(source_)) {}

Reply Script::eval(Client& client, const std::vector<std::string>& keys, const std::vector<std::string>& args) const {
  const std::vector<std::string> argv = evalsha_argv(keys, args);
  Reply reply = client.command(argv);
  if (reply.is_error_with_prefix("NOSCRIPT")) {
    load(client);
    reply = client.command(argv);
  }
  return reply;
}

void Script::load(Client& client) const {
  const Reply reply = client.command({"SCRIPT", "LOAD", source_});
  if (reply.is_error()) {
    throw ReplyError("redis script " + name_ + ": SCRIPT LOAD failed: " + reply.str());
  }
  if (!reply.is_string() || reply.str() != sha_) {
    throw ReplyError("redis script " + name_ + ": SCRIPT LOAD returned " + reply.describe() + ", expected " + sha_);
  }
}

std::vector<std::string> Script::evalsha_argv(const std::vector<std::string>& keys,
                                              const std::vector<std::string>& args) const {
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.emplace_back("EVALSHA");
  argv.push_back(sha_);
  argv.push_back(std::to_string(keys.size()));
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace herald::core::redis
