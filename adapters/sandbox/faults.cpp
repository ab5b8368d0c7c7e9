#include "adapters/sandbox/faults.hpp"

#include <algorithm>

#include "adapters/sandbox/util.hpp"

namespace herald::sandbox {

const char* to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::status:
      return "status";
    case FaultKind::rate_limit:
      return "rate_limit";
    case FaultKind::latency:
      return "latency";
    case FaultKind::hang:
      return "hang";
    case FaultKind::drop_after_accept:
      return "drop_after_accept";
  }
  return "status";
}

std::optional<FaultKind> parse_fault_kind(const std::string& s) {
  for (auto k :
       {FaultKind::status, FaultKind::rate_limit, FaultKind::latency, FaultKind::hang, FaultKind::drop_after_accept}) {
    if (s == to_string(k)) return k;
  }
  return std::nullopt;
}

bool FaultRule::matches(const std::string& p, const std::string& m, const std::string& path) const {
  if (p != platform) return false;
  if (!method.empty() && lower(method) != lower(m)) return false;
  return path_prefix.empty() || starts_with(path, path_prefix);
}

nlohmann::json FaultRule::to_json() const {
  nlohmann::json j = {{"id", id},
                      {"platform", platform},
                      {"method", method.empty() ? nlohmann::json(nullptr) : nlohmann::json(method)},
                      {"path_prefix", path_prefix.empty() ? nlohmann::json(nullptr) : nlohmann::json(path_prefix)},
                      {"kind", to_string(kind)},
                      {"times", times},
                      {"hits", hits}};
  if (kind == FaultKind::status) j["status"] = status;
  if (kind == FaultKind::latency || kind == FaultKind::hang) j["latency_ms"] = latency_ms;
  if (times != 0) j["remaining"] = remaining;
  return j;
}

FaultRule Faults::add(FaultRule rule) {
  std::lock_guard lock(mutex_);
  rule.id = ++next_id_;
  rule.remaining = rule.times;
  rule.hits = 0;
  rules_.push_back(rule);
  return rule;
}

std::optional<FaultRule> Faults::take(const std::string& platform, const std::string& method, const std::string& path) {
  std::lock_guard lock(mutex_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (!it->matches(platform, method, path)) continue;
    ++it->hits;
    FaultRule applied = *it;
    if (it->times != 0 && --it->remaining <= 0) rules_.erase(it);
    return applied;
  }
  return std::nullopt;
}

nlohmann::json Faults::list() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rules_) out.push_back(r.to_json());
  return out;
}

bool Faults::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = std::find_if(rules_.begin(), rules_.end(), [id](const FaultRule& r) { return r.id == id; });
  if (it == rules_.end()) return false;
  rules_.erase(it);
  return true;
}

void Faults::clear() {
  std::lock_guard lock(mutex_);
  rules_.clear();
}

}  // namespace herald::sandbox
