#pragma once
// Keeps the send gate's fence in Redis equal to the freezes in PostgreSQL (DESIGN.md section 5:
// "every Redis structure can be rebuilt from PostgreSQL"; "fail closed: if the fence state in
// Redis is absent or older than PostgreSQL's, the gate refuses until it is reloaded").
//
// sync(): reads the epoch and the scopes in force from PostgreSQL; when a freeze expired (the
// scopes in force changed without a write) it bumps the epoch first; then, if Redis has no fence,
// an older epoch or other scopes, it publishes PostgreSQL's (Fence::publish refuses to go back in
// epochs, so a slow keeper never lowers a newer fence). Blocking; run on a background thread.
#include <cstdint>
#include <string>
#include <vector>

#include "services/contracts/gate/send_gate.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/util/clock.hpp"

namespace herald::crisis {

struct FenceSync {
  std::int64_t epoch = 0;
  std::vector<std::string> scopes;
  bool published = false;  // Redis was absent, stale or different and has been reloaded
};

class FenceKeeper {
 public:
  FenceKeeper(core::pg::Pool& pg, core::redis::Pool& redis, contracts::gate::FenceKeys keys, const core::Clock& clock)
      : pg_(pg), redis_(redis), fence_(std::move(keys)), clock_(clock) {}

  FenceSync sync();
  // Readiness: Redis holds a fence at least as new as PostgreSQL's. Never throws.
  bool loaded() noexcept;

 private:
  core::pg::Pool& pg_;
  core::redis::Pool& redis_;
  contracts::gate::Fence fence_;
  const core::Clock& clock_;
  std::vector<std::string> last_scopes_;
  std::int64_t last_epoch_ = 0;
  bool have_last_ = false;
};

}  // namespace herald::crisis
