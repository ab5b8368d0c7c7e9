#pragma once
// Building the publishing -> scheduler commands (messages.hpp), in one place for every writer:
// publishing's outbox, and the tools that play publishing's part (the chaos test, the load bench).
#include <cstdint>
#include <string>
#include <vector>

#include "services/contracts/publishing/messages.hpp"

namespace herald::contracts {

// The "schedule.set" envelope for a job.
Envelope schedule_set(const DispatchJob& job, std::string id, std::int64_t ts_ms);
// XADD <stream> * payload <envelope>: the argv for Client::command / pipeline.
std::vector<std::string> xadd_argv(const std::string& stream, const Envelope& envelope);

}  // namespace herald::contracts
