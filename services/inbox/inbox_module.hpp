#pragma once
// The inbox module (F5, issue #6): the API over threads (inbox.hpp), the webhook receiver
// (api/webhook_routes.cpp), pushes of every change to the connected clients (/api/v1/stream,
// scoped by brand), and the reply sender on its own thread (replies.hpp), woken by every queued
// reply. Still to come: polling with a cursor per account and backfill, SLA policies per brand,
// assignment rules and the rota, saved replies, moderation, privacy, reports.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "adapters/transport/httplib_transport.hpp"
#include "herald/adapters/platforms.hpp"
#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/process.hpp"
#include "services/inbox/api/inbox_routes.hpp"
#include "services/inbox/inbox.hpp"
#include "services/inbox/replies.hpp"

namespace herald::inbox {

struct InboxModuleOptions {
  InboxOptions inbox{};
  std::chrono::milliseconds sender_fallback{1000};  // a sender pass without a wake-up
  std::chrono::milliseconds sla_sweep{15000};       // how often overdue SLA clocks are looked for
  PollerOptions poll{};
};

class InboxModule {
 public:
  static core::DatabaseSchema schema();

  InboxModule(core::Process& process, iam::Identity& identity, contracts::AccountDirectory& directory,
              adapters::Platforms& platforms, InboxModuleOptions options = {});
  ~InboxModule();
  InboxModule(const InboxModule&) = delete;
  InboxModule& operator=(const InboxModule&) = delete;

  void start_background();
  [[nodiscard]] Inbox& inbox() { return *inbox_; }

 private:
  void stop();
  void sender_loop();
  void sla_loop();
  void poll_loop();

  core::Process& process_;
  InboxModuleOptions options_;
  adapters::HttplibTransport transport_;
  std::unique_ptr<Inbox> inbox_;
  std::unique_ptr<ReplySender> sender_;
  std::unique_ptr<Presence> presence_;
  std::unique_ptr<SavedReplies> saved_replies_;
  std::unique_ptr<SlaPolicies> sla_;
  std::unique_ptr<Reports> reports_;
  adapters::HttplibTransport poll_transport_;  // the poller's own (one thread each)
  std::unique_ptr<Poller> poller_;
  std::unique_ptr<Moderator> moderator_;
  std::unique_ptr<Privacy> privacy_;
  std::unique_ptr<InboxContext> ctx_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable sla_wake_;
  std::condition_variable poll_wake_;
  bool stopping_ = false;
  bool queued_ = false;
  std::thread thread_;
  std::thread sla_thread_;
  std::thread poll_thread_;
};

}  // namespace herald::inbox
