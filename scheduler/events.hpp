#pragma once
// The TargetEvents the scheduler reports to publishing (dispatched, held, missed), as XADD
// commands for a pipeline. Ids are deterministic ("<outcome>:<target>:<version>:<attempt>"), so
// a report repeated after a crash is de-duplicated by publishing.
#include <cstdint>
#include <string>
#include <vector>

#include "services/contracts/publishing/messages.hpp"

namespace herald::scheduler {

struct EventFacts {
  contracts::Outcome outcome = contracts::Outcome::kDispatched;
  std::string target_id;
  std::string org_id;
  std::int64_t content_version = 0;
  std::int64_t attempt = 0;
  std::int64_t at_ms = 0;
  std::string worker;
  std::string scope;  // held: the freeze scope (error_class "frozen", error_code the scope)
};

std::vector<std::string> event_xadd(const std::string& stream, const EventFacts& facts);

}  // namespace herald::scheduler
