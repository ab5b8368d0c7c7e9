#include "services/crisis/crisis_module.hpp"

namespace herald::crisis {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

core::DatabaseSchema CrisisModule::schema() { return core::schema_from_embedded("crisis", embedded::embedded_files()); }

CrisisModule::CrisisModule(core::Process& process, iam::Identity& identity, contracts::AccountDirectory& directory,
                           contracts::FreezePreviewSource& preview, CrisisOptions options)
    : process_(process), options_(options) {
  const auto& prefix = process.config().redis.key_prefix;
  keeper_ = std::make_unique<FenceKeeper>(process.pg(), process.redis(), contracts::gate::FenceKeys(prefix),
                                          process.clock());
  FreezesOptions freezes_options;
  freezes_options.key_prefix = prefix;
  freezes_ = std::make_unique<Freezes>(process.pg(), process.redis(), identity, directory, preview, process.clock(),
                                       freezes_options);
  freeze_control_ = std::make_unique<FreezeControl>(*freezes_, process.clock());
  // Live updates: a brand's freeze to that brand's readers, an organization-wide one to everyone
  // in the organization (the gateway's subscriber filter reads "org:<id>").
  freezes_->on_change([&live = process.live()](const std::string& scope, const std::string& text) {
    live.publish(scope, text);
  });
  evidence_ = std::make_unique<EvidenceVault>(process.pg(), identity, process.clock());
  rules_ = std::make_unique<listening::Rules>(process.pg(), identity);
  ctx_ = std::make_unique<CrisisContext>(
      CrisisContext{*freezes_, *evidence_, *rules_, process.blocking(), identity, process.idempotency()});
  register_freeze_routes(process.router(), *ctx_);
  register_evidence_routes(process.router(), *ctx_);
  register_listening_routes(process.router(), *ctx_);
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
  // Only the process that keeps the fence waits for it: the others' send gates read it from Redis.
  process_.add_readiness_check("fence", [this] { return keeper_->loaded(); });
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
