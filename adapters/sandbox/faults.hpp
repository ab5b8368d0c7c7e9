#pragma once
// Injected faults (POST /_sandbox/faults). A rule matches a request by platform, optionally
// method (case-insensitive) and path prefix; the first rule added that matches applies and uses
// up one of its `times` (0 = until removed). Kinds:
//   status            answer `status` with the platform's error body, do nothing else
//   rate_limit        answer 429 with the platform's rate-limit headers and error body
//   latency           wait latency_ms, then handle the request normally
//   hang              never answer (until latency_ms if given, else until shutdown), then close
//   drop_after_accept handle the request (the post is created), then close without answering
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace herald::sandbox {

enum class FaultKind { status, rate_limit, latency, hang, drop_after_accept };

[[nodiscard]] const char* to_string(FaultKind kind);
[[nodiscard]] std::optional<FaultKind> parse_fault_kind(const std::string& s);

struct FaultRule {
  std::uint64_t id = 0;
  std::string platform;
  std::string method;       // empty: any
  std::string path_prefix;  // empty: any
  FaultKind kind = FaultKind::status;
  int status = 503;
  std::int64_t latency_ms = 0;
  std::int64_t times = 1;      // 0 = unlimited
  std::int64_t remaining = 1;  // uses left (unused when times == 0)
  std::int64_t hits = 0;

  [[nodiscard]] bool matches(const std::string& platform, const std::string& method, const std::string& path) const;
  [[nodiscard]] nlohmann::json to_json() const;
};

class Faults {
 public:
  // Stores the rule (ids from 1) and returns it as stored.
  FaultRule add(FaultRule rule);
  // The first matching rule, after using up one of its times (an exhausted rule is removed).
  std::optional<FaultRule> take(const std::string& platform, const std::string& method, const std::string& path);
  [[nodiscard]] nlohmann::json list() const;
  // Removes one rule; false if there is none with that id.
  bool remove(std::uint64_t id);
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<FaultRule> rules_;
  std::uint64_t next_id_ = 0;
};

}  // namespace herald::sandbox
