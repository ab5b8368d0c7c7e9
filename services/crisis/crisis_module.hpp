#pragma once
// The crisis module. So far: the freeze tables and the fence keeper, which loads the send gate's
// fence from PostgreSQL at start and keeps it loaded (every second, and at once when Redis lost
// it), so every outbound send has a fence to check and fails closed without one. Setting and
// lifting freezes (the lockdown switch, its preview and acknowledgement), listening and alerts
// come with F4 (issue #5).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "services/core/app/process.hpp"
#include "services/crisis/fence_keeper.hpp"

namespace herald::crisis {

struct CrisisOptions {
  std::chrono::milliseconds fence_sync_interval{1000};
};

class CrisisModule {
 public:
  static core::DatabaseSchema schema();

  explicit CrisisModule(core::Process& process, CrisisOptions options = {});
  ~CrisisModule();
  CrisisModule(const CrisisModule&) = delete;
  CrisisModule& operator=(const CrisisModule&) = delete;

  // Loads the fence now (throws when PostgreSQL or Redis cannot be reached), then keeps it loaded.
  void start_background();
  [[nodiscard]] FenceKeeper& fence() { return *keeper_; }

 private:
  void loop();

  core::Process& process_;
  CrisisOptions options_;
  std::unique_ptr<FenceKeeper> keeper_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::crisis
