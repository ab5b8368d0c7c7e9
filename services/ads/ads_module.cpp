#include "services/ads/ads_module.hpp"

namespace herald::ads {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

core::DatabaseSchema AdsModule::schema() { return core::schema_from_embedded("ads", embedded::embedded_files()); }

AdsModule::AdsModule(core::Process& process, iam::Identity& identity, contracts::AccountDirectory& directory,
                     adapters::Platforms& platforms, AdsModuleOptions options)
    : process_(process), options_(options) {
  ads_ = std::make_unique<Ads>(
      process.pg(), identity, directory, [&platforms](const std::string& platform) { return platforms.adapter(platform); },
      transport_, process.clock(), options_.ads);
  ctx_ = std::make_unique<AdsContext>(AdsContext{*ads_, process.blocking(), identity, process.idempotency(),
                                                 [this](const std::string& id) {
                                                   {
                                                     std::lock_guard lock(mutex_);
                                                     if (std::find(requested_.begin(), requested_.end(), id) == requested_.end()) {
                                                       requested_.push_back(id);
                                                     }
                                                   }
                                                   wake_.notify_all();
                                                 }});
  register_ads_routes(process.router(), *ctx_);
}

AdsModule::~AdsModule() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void AdsModule::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void AdsModule::start_background(bool rounds) {
  rounds_ = rounds;
  process_.server().on_shutdown([this] { stop(); });
  thread_ = std::thread([this] { loop(); });
}

void AdsModule::loop() {
  std::unique_lock lock(mutex_);
  auto next_round = std::chrono::steady_clock::now();
  while (!stopping_) {
    std::optional<std::string> id;
    if (!requested_.empty()) {
      id = requested_.front();
      requested_.pop_front();
    }
    bool round = rounds_ && !id && std::chrono::steady_clock::now() >= next_round;
    lock.unlock();
    try {
      if (id) {
        auto r = ads_->sync(*id);
        if (!r.error.empty()) process_.logger().warn("ad account sync failed", {{"ad_account_id", *id}, {"error", r.error}});
      } else if (round) {
        ads_->sync_due(options_.resync_every);
        next_round = std::chrono::steady_clock::now() + options_.poll;
      }
    } catch (const std::exception& e) {
      process_.logger().warn("ad account sync failed", {{"error", std::string(e.what())}});
      next_round = std::chrono::steady_clock::now() + options_.poll;
    }
    lock.lock();
    if (requested_.empty() && !stopping_) {
      if (rounds_) {
        wake_.wait_until(lock, next_round, [this] { return stopping_ || !requested_.empty(); });
      } else {
        wake_.wait(lock, [this] { return stopping_ || !requested_.empty(); });
      }
    }
  }
}

}  // namespace herald::ads
