#include "services/publishing/publishing_module.hpp"

#include "services/core/crypto/random.hpp"

namespace herald::publishing {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

core::DatabaseSchema PublishingModule::schema() {
  return core::schema_from_embedded("publishing", embedded::embedded_files());
}

PublishingModule::PublishingModule(core::Process& process, iam::Identity& identity,
                                   contracts::AccountDirectory& directory, const core::Clock& clock,
                                   PublishingOptions options)
    : process_(process), options_(std::move(options)) {
  const auto& prefix = process.config().redis.key_prefix;
  store_ = std::make_unique<PostStore>(process.pg());
  freeze_preview_ = std::make_unique<FreezePreview>(process.pg());
  PostsOptions posts_options;
  posts_options.key_prefix = prefix;
  posts_options.policy = options_.policy;
  posts_ = std::make_unique<Posts>(*store_, identity, directory, clock, posts_options);
  posts_->on_outbox([this] {
    {
      std::lock_guard lock(mutex_);
      outbox_dirty_ = true;
    }
    wake_.notify_all();
  });
  ctx_ = std::make_unique<PublishingContext>(
      PublishingContext{*posts_, process.blocking(), identity, process.idempotency()});
  register_post_routes(process.router(), *ctx_);
  register_held_routes(process.router(), *ctx_);
  relay_ = std::make_unique<OutboxRelay>(*store_, process.redis(), process.logger(), options_.relay);
  auto consumer_options = options_.consumer;
  consumer_options.consumer += "-" + core::crypto::random_token(6);
  consumer_ = std::make_unique<EventsConsumer>(*posts_, process.redis().options(),
                                               contracts::StreamNames(prefix).publishing_events, process.logger(),
                                               consumer_options);
}

PublishingModule::~PublishingModule() {
  stop();
  for (auto* t : {&relay_thread_, &consumer_thread_, &expiry_thread_}) {
    if (t->joinable()) t->join();
  }
}

void PublishingModule::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void PublishingModule::start_background() {
  process_.server().on_shutdown([this] { stop(); });
  relay_thread_ = std::thread([this] { relay_loop(); });
  consumer_thread_ = std::thread([this] { consume_loop(); });
  expiry_thread_ = std::thread([this] { expiry_loop(); });
}

void PublishingModule::relay_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    outbox_dirty_ = false;
    lock.unlock();
    relay_->drain();
    lock.lock();
    wake_.wait_for(lock, options_.relay_fallback, [this] { return stopping_ || outbox_dirty_; });
  }
}

void PublishingModule::consume_loop() {
  auto last_reclaim = std::chrono::steady_clock::now();
  bool group_ready = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      if (!group_ready) {
        consumer_->ensure_group();
        group_ready = true;
      }
      consumer_->poll_once();
      if (std::chrono::steady_clock::now() - last_reclaim >= options_.reclaim_interval) {
        consumer_->reclaim_once();
        last_reclaim = std::chrono::steady_clock::now();
      }
    } catch (const std::exception& e) {
      process_.logger().warn("publishing events consumer failed", {{"error", std::string(e.what())}});
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
  }
}

void PublishingModule::expiry_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      int n = posts_->expire_due();
      if (n > 0) process_.logger().info("targets expired before approval", {{"count", n}});
    } catch (const std::exception& e) {
      process_.logger().warn("approval-deadline sweep failed", {{"error", std::string(e.what())}});
    }
    lock.lock();
    wake_.wait_for(lock, options_.expiry_interval, [this] { return stopping_; });
  }
}

}  // namespace herald::publishing
