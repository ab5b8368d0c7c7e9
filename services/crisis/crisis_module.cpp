#include "services/crisis/crisis_module.hpp"

namespace herald::crisis {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

core::DatabaseSchema CrisisModule::schema() { return core::schema_from_embedded("crisis", embedded::embedded_files()); }

CrisisModule::CrisisModule(core::Process& process, CrisisOptions options) : process_(process), options_(options) {
  keeper_ = std::make_unique<FenceKeeper>(process.pg(), process.redis(),
                                          contracts::gate::FenceKeys(process.config().redis.key_prefix),
                                          process.clock());
  process.add_readiness_check("fence", [this] { return keeper_->loaded(); });
}

CrisisModule::~CrisisModule() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CrisisModule::start_background() {
  auto first = keeper_->sync();
  process_.logger().info("freeze fence loaded", {{"epoch", first.epoch}, {"scopes", first.scopes.size()}});
  process_.server().on_shutdown([this] {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
  });
  thread_ = std::thread([this] { loop(); });
}

void CrisisModule::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, options_.fence_sync_interval, [this] { return stopping_; })) {
    lock.unlock();
    try {
      auto s = keeper_->sync();
      if (s.published) {
        process_.logger().warn("freeze fence reloaded into Redis", {{"epoch", s.epoch}, {"scopes", s.scopes.size()}});
      }
    } catch (const std::exception& e) {
      process_.logger().warn("freeze fence sync failed", {{"error", std::string(e.what())}});
    }
    lock.lock();
  }
}

}  // namespace herald::crisis
