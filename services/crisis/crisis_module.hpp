#pragma once
// The crisis module. So far: the lockdown switch (freezes.hpp: preview, set and acknowledge,
// two-person lift; /api/v1/crisis/freezes), and the fence keeper, which loads the send gate's
// fence from PostgreSQL at start and keeps it loaded (every second, and at once when Redis lost
// it), so every outbound send has a fence to check and fails closed without one. Every change of
// a freeze is pushed to the connected clients (/api/v1/stream). The evidence vault (evidence.hpp)
// keeps every freeze, lift and what people record, hash-chained, exportable. Listening, alerts,
// incidents and playbooks are still to come (F4, issue #5).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/contracts/publishing/freeze_preview.hpp"
#include "services/core/app/process.hpp"
#include "services/crisis/api/freeze_routes.hpp"
#include "services/crisis/fence_keeper.hpp"
#include "services/crisis/freeze_control.hpp"

namespace herald::crisis {

struct CrisisOptions {
  std::chrono::milliseconds fence_sync_interval{1000};
};

class CrisisModule {
 public:
  static core::DatabaseSchema schema();

  CrisisModule(core::Process& process, iam::Identity& identity, contracts::AccountDirectory& directory,
               contracts::FreezePreviewSource& preview, CrisisOptions options = {});
  ~CrisisModule();
  CrisisModule(const CrisisModule&) = delete;
  CrisisModule& operator=(const CrisisModule&) = delete;

  // Loads the fence now (throws when PostgreSQL or Redis cannot be reached), then keeps it loaded.
  void start_background();
  [[nodiscard]] FenceKeeper& fence() { return *keeper_; }
  [[nodiscard]] Freezes& freezes() { return *freezes_; }
  // How the campaigns service pauses and resumes a campaign.
  [[nodiscard]] contracts::FreezeControl& freeze_control() { return *freeze_control_; }

 private:
  void loop();

  core::Process& process_;
  CrisisOptions options_;
  std::unique_ptr<FenceKeeper> keeper_;
  std::unique_ptr<Freezes> freezes_;
  std::unique_ptr<FreezeControl> freeze_control_;
  std::unique_ptr<EvidenceVault> evidence_;
  std::unique_ptr<listening::Rules> rules_;
  std::unique_ptr<CrisisContext> ctx_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::crisis
