#pragma once
// The campaigns module (F6, issue #7): campaigns (campaigns.hpp; pausing one is a freeze of campaign
// scope through contracts::FreezeControl) and tracked short links (links.hpp), with the click writer
// on its own thread. Organic metrics, A/B tests and reports are still to come.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "services/campaigns/api/routes.hpp"
#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/crisis/freeze_control.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/process.hpp"

namespace herald::campaigns {

struct CampaignsModuleOptions {
  std::chrono::milliseconds click_flush_interval{200};
};

class CampaignsModule {
 public:
  static core::DatabaseSchema schema();

  CampaignsModule(core::Process& process, iam::Identity& identity, contracts::AccountDirectory& directory,
                  contracts::FreezeControl& freezes, CampaignsModuleOptions options = {});
  ~CampaignsModule();
  CampaignsModule(const CampaignsModule&) = delete;
  CampaignsModule& operator=(const CampaignsModule&) = delete;

  void start_background();
  [[nodiscard]] Links& links() { return *links_; }

 private:
  void stop();
  void flush_loop();

  core::Process& process_;
  CampaignsModuleOptions options_;
  std::unique_ptr<Campaigns> campaigns_;
  std::unique_ptr<Links> links_;
  std::unique_ptr<CampaignsContext> ctx_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::campaigns
