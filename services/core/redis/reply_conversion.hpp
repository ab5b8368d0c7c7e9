#pragma once
// Internal: turns a hiredis reply tree into a Reply. Only the .cpp files of this folder (and
// their tests) include it, so hiredis types stay out of the public headers.
#include "services/core/redis/reply.hpp"

struct redisReply;

namespace herald::core::redis::detail {

// Deep-copies `reply` (which stays owned by the caller). Nested arrays are converted recursively.
[[nodiscard]] Reply convert_reply(const redisReply& reply);

// freeReplyObject() for a reply returned as void* by hiredis (null is fine).
void free_reply(void* reply) noexcept;

}  // namespace herald::core::redis::detail
