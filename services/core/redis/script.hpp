#pragma once
// A Lua script called by SHA (EVALSHA). The SHA1 is computed locally from the source, so a script
// needs no round trip until it is first used; if the server does not know it (NOSCRIPT: a
// restart, a SCRIPT FLUSH, a fail-over), it is loaded and the call retried once.
#include <string>
#include <string_view>
#include <vector>

#include "services/core/redis/client.hpp"
#include "services/core/redis/reply.hpp"

namespace herald::core::redis {

class Script {
 public:
  // `name` is for messages and metrics; `source` is the Lua text.
  Script(std::string name, std::string source);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  // Lower-case hex SHA1 of the source, as Redis computes it.
  [[nodiscard]] const std::string& sha() const noexcept { return sha_; }

  // EVALSHA with `keys` and `args` (binary-safe). A Lua or Redis error is returned as an error
  // Reply (caller decides); throws redis::Error on I/O failure, ReplyError if loading fails.
  Reply eval(Client& client, const std::vector<std::string>& keys, const std::vector<std::string>& args) const;

  // SCRIPT LOAD; throws ReplyError if Redis refuses it or reports another SHA.
  void load(Client& client) const;

 private:
  [[nodiscard]] std::vector<std::string> evalsha_argv(const std::vector<std::string>& keys,
                                                      const std::vector<std::string>& args) const;

  std::string name_;
  std::string source_;
  std::string sha_;
};

// Lower-case hex SHA1 of `data`.
[[nodiscard]] std::string sha1_hex(std::string_view data);

}  // namespace herald::core::redis
