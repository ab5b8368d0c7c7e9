#pragma once
// Who is writing a reply in which thread: the inbox's collision warning ("someone else is already
// replying"). Each agent's mark lives in Redis for `ttl` (the browser renews it while its reply
// box is in use), so a closed tab stops counting by itself. Marks are per thread, a hash of
// user id -> {"user_id", "name", "until"} whose key expires with its newest mark.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "services/core/redis/pool.hpp"

namespace herald::inbox {

class Presence {
 public:
  Presence(core::redis::Pool& redis, std::string key_prefix,
           std::chrono::milliseconds ttl = std::chrono::milliseconds(15000));

  // Marks (replying) or clears (not replying) `user_id` in the thread.
  void mark(std::int64_t thread_id, const std::string& user_id, const std::string& name, bool replying,
            std::int64_t now_ms);
  // The others replying in the thread now: [{"user_id", "name", "until"}], oldest mark first.
  [[nodiscard]] nlohmann::json replying(std::int64_t thread_id, const std::string& except_user_id,
                                        std::int64_t now_ms);
  [[nodiscard]] std::chrono::milliseconds ttl() const { return ttl_; }

 private:
  [[nodiscard]] std::string key(std::int64_t thread_id) const;

  core::redis::Pool& redis_;
  std::string prefix_;
  std::chrono::milliseconds ttl_;
};

}  // namespace herald::inbox
