#include "services/campaigns/campaigns_module.hpp"

namespace herald::campaigns {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

core::DatabaseSchema CampaignsModule::schema() {
  return core::schema_from_embedded("campaigns", embedded::embedded_files());
}

CampaignsModule::CampaignsModule(core::Process& process, iam::Identity& identity,
                                 contracts::AccountDirectory& directory, contracts::FreezeControl& freezes,
                                 CampaignsModuleOptions options)
    : process_(process), options_(options) {
  const auto& cfg = process.config();
  LinksOptions links_options;
  links_options.base_url = [this, public_url = cfg.platforms.public_url, host = cfg.http.listen_address]() {
    if (!public_url.empty()) return public_url;
    std::string h = host == "0.0.0.0" || host.empty() ? "127.0.0.1" : host;
    return "http://" + h + ":" + std::to_string(process_.server().port());
  };
  campaigns_ = std::make_unique<Campaigns>(process.pg(), identity, directory, freezes);
  campaigns_->on_change([&live = process.live()](const std::string& brand_id, const std::string& text) {
    live.publish(brand_id, text);
  });
  links_ = std::make_unique<Links>(process.pg(), identity, links_options);
  ctx_ = std::make_unique<CampaignsContext>(
      CampaignsContext{*campaigns_, *links_, process.blocking(), identity, process.idempotency(), process.clock()});
  register_campaign_routes(process.router(), *ctx_);
  register_link_routes(process.router(), *ctx_);
}

CampaignsModule::~CampaignsModule() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void CampaignsModule::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void CampaignsModule::start_background() {
  process_.server().on_shutdown([this] { stop(); });
  thread_ = std::thread([this] { flush_loop(); });
}

void CampaignsModule::flush_loop() {
  std::unique_lock lock(mutex_);
  std::size_t reported_drops = 0;
  auto& dropped_metric = process_.metrics().counter(
      "herald_link_clicks_dropped_total", "Short-link clicks not logged because the click queue was full");
  for (;;) {
    bool last = stopping_;
    lock.unlock();
    try {
      links_->flush();
    } catch (const std::exception& e) {
      process_.logger().warn("link clicks could not be written (kept for the next pass)", {{"error", std::string(e.what())}});
    }
    if (auto d = links_->dropped(); d > reported_drops) {
      process_.logger().warn("link clicks dropped: the queue was full", {{"dropped_total", d}});
      dropped_metric.inc(static_cast<double>(d - reported_drops));
      reported_drops = d;
    }
    lock.lock();
    if (last) return;  // one flush after the stop: the clicks served during the drain are written
    wake_.wait_for(lock, options_.click_flush_interval, [this] { return stopping_; });
  }
}

}  // namespace herald::campaigns
