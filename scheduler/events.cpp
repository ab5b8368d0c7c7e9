#include "scheduler/events.hpp"

#include "scheduler/keys.hpp"

namespace herald::scheduler {

// GCC 12 at -O2 reports the TargetEvent's string members as maybe-uninitialized while they are
// assigned (a known false positive of the std::string SSO copy); nothing here reads one unset.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
std::vector<std::string> event_xadd(const std::string& stream, const EventFacts& f) {
  contracts::TargetEvent ev;
  ev.outcome = f.outcome;
  ev.target_id = f.target_id;
  ev.org_id = f.org_id;
  ev.content_version = f.content_version;
  ev.attempt = f.attempt;
  ev.at_ms = f.at_ms;
  ev.worker = f.worker;
  if (f.outcome == contracts::Outcome::kHeld) {
    ev.error_class = "frozen";
    ev.error_code = f.scope;
  }
  auto id = std::string(contracts::to_string(f.outcome)) + ":" + job_key(f.target_id, f.content_version, f.attempt);
  auto env = contracts::to_envelope(ev, std::move(id), f.at_ms);
  std::vector<std::string> argv{"XADD", stream, "*"};
  for (auto& [k, v] : contracts::to_fields(env)) {
    argv.push_back(std::move(k));
    argv.push_back(std::move(v));
  }
  return argv;
}
#pragma GCC diagnostic pop

}  // namespace herald::scheduler
