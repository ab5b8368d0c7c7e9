#include "services/inbox/presence.hpp"

#include <algorithm>

namespace herald::inbox {

Presence::Presence(core::redis::Pool& redis, std::string key_prefix, std::chrono::milliseconds ttl)
    : redis_(redis), prefix_(std::move(key_prefix)), ttl_(ttl) {}

std::string Presence::key(std::int64_t thread_id) const {
  return prefix_ + ":inbox:replying:" + std::to_string(thread_id);
}

void Presence::mark(std::int64_t thread_id, const std::string& user_id, const std::string& name, bool replying,
                    std::int64_t now_ms) {
  auto redis = redis_.lease();
  const auto k = key(thread_id);
  if (!replying) {
    redis->checked({"HDEL", k, user_id});
    return;
  }
  nlohmann::json mark = {{"user_id", user_id}, {"name", name}, {"until", now_ms + ttl_.count()}};
  redis->pipeline({{"HSET", k, user_id, mark.dump()}, {"PEXPIRE", k, std::to_string(ttl_.count())}});
}

nlohmann::json Presence::replying(std::int64_t thread_id, const std::string& except_user_id, std::int64_t now_ms) {
  auto redis = redis_.lease();
  auto all = redis->checked({"HGETALL", key(thread_id)});
  nlohmann::json out = nlohmann::json::array();
  const auto& e = all.elements();
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    if (e[i].as_string() == except_user_id) continue;
    auto mark = nlohmann::json::parse(e[i + 1].as_string(), nullptr, false);
    if (!mark.is_object() || mark.value("until", std::int64_t{0}) <= now_ms) continue;  // gone quiet
    out.push_back(mark);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a["until"] < b["until"]; });
  return out;
}

}  // namespace herald::inbox
