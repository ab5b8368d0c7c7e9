#pragma once
// The publishing module: posts with per-account variants, review against the approval policy,
// the content calendar, scheduling through the outbox to the scheduler, and the pipeline's
// results applied to each target (DESIGN.md sections 3 and 4). Background threads: the outbox
// relay (woken by every commit that wrote a command), the publishing_events consumer, and the
// approval-deadline sweep; all stop when the server shuts down.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/process.hpp"
#include "services/publishing/api/context.hpp"
#include "services/publishing/freeze_preview.hpp"
#include "services/publishing/posts.hpp"
#include "services/publishing/queue/events_consumer.hpp"
#include "services/publishing/queue/outbox_relay.hpp"
#include "services/publishing/store/post_store.hpp"

namespace herald::publishing {

struct PublishingOptions {
  // The approval policy for every brand until per-brand settings exist (approval_policy.hpp:
  // review + legal stages, deadline 30 minutes before the slot).
  ApprovalPolicy policy = default_policy();
  std::chrono::milliseconds relay_fallback{1000};   // relay pass without a wake-up (default 1 s)
  std::chrono::milliseconds expiry_interval{15'000};  // approval-deadline sweep (default 15 s)
  std::chrono::milliseconds reclaim_interval{30'000};  // take over stuck events (default 30 s)
  ConsumerOptions consumer{};
  RelayOptions relay{};
};

class PublishingModule {
 public:
  static core::DatabaseSchema schema();

  PublishingModule(core::Process& process, iam::Identity& identity, contracts::AccountDirectory& directory,
                   const core::Clock& clock, PublishingOptions options = {});
  ~PublishingModule();
  PublishingModule(const PublishingModule&) = delete;
  PublishingModule& operator=(const PublishingModule&) = delete;

  // Starts the relay, the events consumer and the expiry sweep.
  void start_background();
  [[nodiscard]] Posts& posts() { return *posts_; }
  [[nodiscard]] PostStore& store() { return *store_; }
  // What a freeze would hold (for the crisis module).
  [[nodiscard]] FreezePreview& freeze_preview() { return *freeze_preview_; }

 private:
  void stop();
  void relay_loop();
  void consume_loop();
  void expiry_loop();

  core::Process& process_;
  PublishingOptions options_;
  std::unique_ptr<PostStore> store_;
  std::unique_ptr<Posts> posts_;
  std::unique_ptr<FreezePreview> freeze_preview_;
  std::unique_ptr<PublishingContext> ctx_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<EventsConsumer> consumer_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool outbox_dirty_ = false;
  std::thread relay_thread_, consumer_thread_, expiry_thread_;
};

}  // namespace herald::publishing
