#include "adapters/sandbox/request_log.hpp"

namespace herald::sandbox {

nlohmann::json LogEntry::to_json() const {
  nlohmann::json j = {{"seq", seq},
                      {"received_at", iso8601_ms(received_at)},
                      {"platform", platform},
                      {"method", method},
                      {"path", path},
                      {"idempotency_key", nullptr},
                      {"body_sha256", body_sha256},
                      {"status", nullptr},
                      {"fault", nullptr}};
  if (idempotency_key) j["idempotency_key"] = *idempotency_key;
  if (status) j["status"] = *status;
  if (fault) j["fault"] = *fault;
  return j;
}

std::uint64_t RequestLog::begin(LogEntry entry) {
  std::lock_guard lock(mutex_);
  entry.seq = ++seq_;
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) entries_.pop_front();
  return seq_;
}

void RequestLog::finish(std::uint64_t seq, std::optional<int> status, std::optional<std::string> idempotency_key,
                        std::optional<std::string> fault) {
  std::lock_guard lock(mutex_);
  // Entries are in seq order: search from the back, where recent requests are.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->seq == seq) {
      it->status = status;
      if (idempotency_key) it->idempotency_key = std::move(idempotency_key);
      if (fault) it->fault = std::move(fault);
      return;
    }
    if (it->seq < seq) return;  // cleared or evicted meanwhile
  }
}

nlohmann::json RequestLog::list(const std::string& platform, std::uint64_t since_seq) const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries_) {
    if (e.seq <= since_seq) continue;
    if (!platform.empty() && e.platform != platform) continue;
    out.push_back(e.to_json());
  }
  return out;
}

void RequestLog::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();  // seq keeps counting: since_seq cursors stay valid
}

std::uint64_t RequestLog::last_seq() const {
  std::lock_guard lock(mutex_);
  return seq_;
}

}  // namespace herald::sandbox
