#include "services/core/redis/reply_conversion.hpp"

#include <hiredis/hiredis.h>

#include <string>
#include <utility>
#include <vector>

namespace herald::core::redis::detail {

Reply convert_reply(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      return Reply::string(std::string(reply.str, reply.len));
    case REDIS_REPLY_STATUS:
      return Reply::status(std::string(reply.str, reply.len));
    case REDIS_REPLY_ERROR:
      return Reply::error(std::string(reply.str, reply.len));
    case REDIS_REPLY_INTEGER:
      return Reply::integer(static_cast<std::int64_t>(reply.integer));
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        const redisReply* element = reply.element[i];
        elements.push_back(element != nullptr ? convert_reply(*element) : Reply::nil());
      }
      return Reply::array(std::move(elements));
    }
    case REDIS_REPLY_NIL:
    default:
      return Reply::nil();
  }
}

void free_reply(void* reply) noexcept {
  if (reply != nullptr) {
    freeReplyObject(reply);
  }
}

}  // namespace herald::core::redis::detail
