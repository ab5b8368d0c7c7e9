#pragma once
// Every request a platform port receives (GET /_sandbox/requests). An entry is opened when the
// request arrives (so a hung request is visible) and finished with the status sent, or with no
// status when no answer was sent (hang, drop_after_accept). Bounded: the oldest entries go first.
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/sandbox/util.hpp"

namespace herald::sandbox {

struct LogEntry {
  std::uint64_t seq = 0;
  TimePoint received_at{};
  std::string platform;
  std::string method;
  std::string path;
  std::optional<std::string> idempotency_key;
  std::string body_sha256;
  std::optional<int> status;
  std::optional<std::string> fault;  // the injected fault kind, if one applied

  [[nodiscard]] nlohmann::json to_json() const;
};

class RequestLog {
 public:
  explicit RequestLog(std::size_t capacity = 100000) : capacity_(capacity) {}

  // Stores the entry with the next seq (from 1) and returns that seq.
  std::uint64_t begin(LogEntry entry);
  void finish(std::uint64_t seq, std::optional<int> status, std::optional<std::string> idempotency_key,
              std::optional<std::string> fault);
  // Entries with seq > since_seq, of `platform` unless empty, oldest first.
  [[nodiscard]] nlohmann::json list(const std::string& platform, std::uint64_t since_seq) const;
  void clear();
  [[nodiscard]] std::uint64_t last_seq() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<LogEntry> entries_;
  std::uint64_t seq_ = 0;
};

}  // namespace herald::sandbox
