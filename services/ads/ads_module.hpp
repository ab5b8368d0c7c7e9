#pragma once
// The ads module (F6, issue #7): ad accounts, entities and daily insights read through the adapters
// (ads.hpp), reports with KPIs from sums, CSV, A/B comparisons, pacing and CPC alerts. The syncer
// runs on its own thread: it reads an ad account at once when asked (connect, POST .../sync) and
// every ad account again once `resync_every` has passed.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "adapters/transport/httplib_transport.hpp"
#include "herald/adapters/platforms.hpp"
#include "services/ads/api/routes.hpp"
#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/process.hpp"

namespace herald::ads {

struct AdsModuleOptions {
  AdsOptions ads{};
  std::chrono::seconds resync_every{15 * 60};
  std::chrono::seconds poll{60};
};

class AdsModule {
 public:
  static core::DatabaseSchema schema();

  AdsModule(core::Process& process, iam::Identity& identity, contracts::AccountDirectory& directory,
            adapters::Platforms& platforms, AdsModuleOptions options = {});
  ~AdsModule();
  AdsModule(const AdsModule&) = delete;
  AdsModule& operator=(const AdsModule&) = delete;

  // The syncer. With `rounds` false it reads only the ad accounts this process was asked about
  // (its own API's connect and sync requests); the periodic re-reads are another process's.
  void start_background(bool rounds = true);
  [[nodiscard]] Ads& ads() { return *ads_; }

 private:
  void stop();
  void loop();

  core::Process& process_;
  AdsModuleOptions options_;
  adapters::HttplibTransport transport_;
  std::unique_ptr<Ads> ads_;
  std::unique_ptr<AdsContext> ctx_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> requested_;
  bool stopping_ = false;
  bool rounds_ = true;
  std::thread thread_;
};

}  // namespace herald::ads
