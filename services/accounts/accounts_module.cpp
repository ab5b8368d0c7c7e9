#include "services/accounts/accounts_module.hpp"

namespace herald::accounts {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

core::DatabaseSchema AccountsModule::schema() {
  return core::schema_from_embedded("accounts", embedded::embedded_files());
}

AccountsModule::AccountsModule(core::Process& process, iam::Identity& identity) : process_(process) {
  const auto& cfg = process.config();
  store_ = std::make_unique<AccountStore>(process.pg(), identity);
  vault_ = std::make_unique<Vault>(process.keyring());
  platforms_ = std::make_unique<adapters::Platforms>(
      adapters::PlatformsOptions{cfg.platforms.sandbox_file, cfg.platforms.sandbox_client_secret});
  transport_ = std::make_unique<adapters::HttplibTransport>();
  auto redirect_uri = [this, public_url = cfg.platforms.public_url, host = cfg.http.listen_address]() {
    std::string base = public_url;
    if (base.empty()) {
      std::string h = host == "0.0.0.0" || host.empty() ? "127.0.0.1" : host;
      base = "http://" + h + ":" + std::to_string(process_.server().port());
    }
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/api/v1/oauth/callback";
  };
  connector_ = std::make_unique<Connector>(*store_, *vault_, *platforms_, *transport_, process.clock(),
                                           process.logger(), redirect_uri);
  ctx_ = std::make_unique<AccountsContext>(AccountsContext{*store_, *connector_, process.blocking(), identity,
                                                           process.idempotency(), process.clock()});
  directory_ = std::make_unique<Directory>(*store_, *vault_);
  register_account_routes(process.router(), *ctx_);
  register_connect_routes(process.router(), *ctx_);
}

AccountsModule::~AccountsModule() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

void AccountsModule::start_background() {
  process_.server().on_shutdown([this] {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
  });
  refresher_ = std::thread([this] { refresh_loop(); });
}

void AccountsModule::refresh_loop() {
  const auto& cfg = process_.config().platforms;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      int n = connector_->refresh_due(cfg.refresh_ahead.count());
      if (n > 0) process_.logger().info("tokens refreshed", {{"count", n}});
    } catch (const std::exception& e) {
      process_.logger().warn("token refresh pass failed", {{"error", std::string(e.what())}});
    }
    lock.lock();
    wake_.wait_for(lock, cfg.refresh_interval, [this] { return stopping_; });
  }
}

}  // namespace herald::accounts
