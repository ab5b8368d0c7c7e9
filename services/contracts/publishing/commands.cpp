#include "services/contracts/publishing/commands.hpp"

namespace herald::contracts {

Envelope schedule_set(const DispatchJob& job, std::string id, std::int64_t ts_ms) {
  Envelope e;
  e.type = std::string(kScheduleSet);
  e.id = std::move(id);
  e.ts_ms = ts_ms;
  e.data = to_json(job);
  return e;
}

std::vector<std::string> xadd_argv(const std::string& stream, const Envelope& envelope) {
  std::vector<std::string> argv{"XADD", stream, "*"};
  for (auto& [k, v] : to_fields(envelope)) {
    argv.push_back(k);
    argv.push_back(v);
  }
  return argv;
}

}  // namespace herald::contracts
