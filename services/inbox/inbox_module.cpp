#include "services/inbox/inbox_module.hpp"

#include "services/core/crypto/random.hpp"

namespace herald::inbox {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

core::DatabaseSchema InboxModule::schema() { return core::schema_from_embedded("inbox", embedded::embedded_files()); }

InboxModule::InboxModule(core::Process& process, iam::Identity& identity, contracts::AccountDirectory& directory,
                         adapters::Platforms& platforms, InboxModuleOptions options)
    : process_(process), options_(options) {
  auto rules = [&platforms](const std::string& platform) {
    ReplyRules r;
    if (auto a = platforms.adapter(platform)) {
      const auto& caps = a->capabilities();
      r.max_chars = caps.max_text_length;
      r.can_reply = caps.can_reply;
      r.can_dm = caps.can_dm;
    }
    return r;
  };
  inbox_ = std::make_unique<Inbox>(process.pg(), identity, options_.inbox, rules);
  inbox_->on_change([&live = process.live()](const std::string& brand_id, const std::string& text) {
    live.publish(brand_id, text);
  });
  inbox_->on_freeze_scopes([&process] {
    contracts::gate::Fence fence(contracts::gate::FenceKeys(process.config().redis.key_prefix));
    auto redis = process.redis().lease();
    return fence.scopes(*redis);
  });
  inbox_->on_reply_queued([this] {
    {
      std::lock_guard lock(mutex_);
      queued_ = true;
    }
    wake_.notify_all();
  });
  ReplySenderOptions sender_options;
  sender_options.worker = "inbox-" + core::crypto::random_token(6);
  sender_ = std::make_unique<ReplySender>(
      process.pg(), process.redis(), directory,
      [&platforms](const std::string& platform) { return platforms.adapter(platform); }, transport_, *inbox_,
      contracts::gate::SendGate(contracts::gate::FenceKeys(process.config().redis.key_prefix)), sender_options);
  presence_ = std::make_unique<Presence>(process.redis(), process.config().redis.key_prefix);
  saved_replies_ = std::make_unique<SavedReplies>(process.pg(), identity, directory, *inbox_);
  SlaPolicy fallback;
  fallback.first_response = options_.inbox.first_response;
  sla_ = std::make_unique<SlaPolicies>(process.pg(), identity, fallback);
  reports_ = std::make_unique<Reports>(process.pg());
  poller_ = std::make_unique<Poller>(
      process.pg(), directory, [&platforms](const std::string& platform) { return platforms.adapter(platform); },
      poll_transport_, *inbox_, options_.poll);
  moderator_ = std::make_unique<Moderator>(
      process.pg(), process.redis(), directory,
      [&platforms](const std::string& platform) { return platforms.adapter(platform); }, transport_, *inbox_,
      contracts::gate::SendGate(contracts::gate::FenceKeys(process.config().redis.key_prefix)),
      sender_options.worker + "-moderation");
  privacy_ = std::make_unique<Privacy>(process.pg(), identity);
  ctx_ = std::make_unique<InboxContext>(InboxContext{*inbox_, process.blocking(), identity, process.idempotency(),
                                                     directory, platforms, *presence_, *saved_replies_, *sla_, *reports_, *poller_, *moderator_, *privacy_,
                                                     process.clock()});
  register_inbox_routes(process.router(), *ctx_);
  register_saved_reply_routes(process.router(), *ctx_);
  register_sla_routes(process.router(), *ctx_);
  register_routing_routes(process.router(), *ctx_);
  register_privacy_routes(process.router(), *ctx_);
  register_webhook_routes(process.router(), *ctx_);
}

InboxModule::~InboxModule() {
  stop();
  if (thread_.joinable()) thread_.join();
  if (sla_thread_.joinable()) sla_thread_.join();
  if (poll_thread_.joinable()) poll_thread_.join();
}

void InboxModule::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  sla_wake_.notify_all();
  poll_wake_.notify_all();
}

void InboxModule::start_background() {
  process_.server().on_shutdown([this] { stop(); });
  thread_ = std::thread([this] { sender_loop(); });
  sla_thread_ = std::thread([this] { sla_loop(); });
  poll_thread_ = std::thread([this] { poll_loop(); });
}

// The second path in: every connected account's comments, mentions and DMs read on a cursor.
void InboxModule::poll_loop() {
  auto tick = std::min<std::chrono::milliseconds>(options_.poll.interval, std::chrono::milliseconds(1000));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    int n = 0;
    try {
      n = poller_->run_once();
    } catch (const std::exception& e) {
      process_.logger().warn("inbox poll failed", {{"error", std::string(e.what())}});
    }
    lock.lock();
    if (n < options_.poll.batch) poll_wake_.wait_for(lock, tick, [this] { return stopping_; });
  }
}

// Overdue SLA clocks, each reported once (across processes: the sweep marks what it reports):
// pushed to the brand's clients as inbox.sla_breach, counted, and logged.
void InboxModule::sla_loop() {
  auto& first = process_.metrics().counter("herald_inbox_sla_breaches_total",
                                           "SLA clocks that went past due (reported once each)",
                                           {{"sla", "first_response"}});
  auto& resolution = process_.metrics().counter("herald_inbox_sla_breaches_total",
                                                "SLA clocks that went past due (reported once each)",
                                                {{"sla", "resolution"}});
  // Retention is enforced on the same thread, every ten minutes (each pass bounded per brand).
  auto last_purge = std::chrono::steady_clock::now() - std::chrono::hours(1);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    std::size_t n = 0;
    if (std::chrono::steady_clock::now() - last_purge >= std::chrono::minutes(10)) {
      last_purge = std::chrono::steady_clock::now();
      try {
        auto purged = privacy_->purge();
        if (purged.messages > 0) {
          process_.logger().info("inbox retention purged messages",
                                 {{"messages", purged.messages}, {"threads", purged.threads}});
        }
      } catch (const std::exception& e) {
        process_.logger().warn("inbox retention purge failed", {{"error", std::string(e.what())}});
      }
    }
    try {
      auto breaches = sla_->sweep();
      n = breaches.size();
      for (const auto& b : breaches) {
        (b.clock == "resolution" ? resolution : first).inc();
        process_.live().publish(b.brand_id, nlohmann::json{{"type", "inbox.sla_breach"}, {"data", b.event}}.dump());
      }
      if (n > 0) process_.logger().info("inbox SLA breaches reported", {{"count", n}});
    } catch (const std::exception& e) {
      process_.logger().warn("inbox SLA sweep failed", {{"error", std::string(e.what())}});
    }
    lock.lock();
    if (n < 500) sla_wake_.wait_for(lock, options_.sla_sweep, [this] { return stopping_; });
  }
}

void InboxModule::sender_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    queued_ = false;
    lock.unlock();
    int n = 0;
    try {
      auto now = process_.clock().now().time_since_epoch();
      n = sender_->run_once(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
    } catch (const std::exception& e) {
      process_.logger().warn("inbox reply sender failed", {{"error", std::string(e.what())}});
    }
    lock.lock();
    if (n == 0) wake_.wait_for(lock, options_.sender_fallback, [this] { return stopping_ || queued_; });
  }
}

}  // namespace herald::inbox
