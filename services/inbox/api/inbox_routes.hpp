#pragma once
// The inbox's HTTP API: /api/v1/inbox/threads[...] (inbox_routes.cpp), saved replies and the FAQ
// (saved_reply_routes.cpp), SLA policies (sla_routes.cpp), routing and the rota
// (routing_routes.cpp) and the platforms' webhook
// receiver /api/v1/webhooks/{platform} (webhook_routes.cpp).
#include "herald/adapters/platforms.hpp"
#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/core/util/clock.hpp"
#include "services/inbox/inbox.hpp"
#include "services/inbox/moderation.hpp"
#include "services/inbox/poller.hpp"
#include "services/inbox/presence.hpp"
#include "services/inbox/privacy.hpp"
#include "services/inbox/reports.hpp"
#include "services/inbox/saved_replies.hpp"
#include "services/inbox/sla.hpp"

namespace herald::inbox {

struct InboxContext {
  Inbox& inbox;
  core::BlockingPool& blocking;
  iam::Identity& identity;
  core::Idempotency& idempotency;
  contracts::AccountDirectory& directory;
  adapters::Platforms& platforms;
  Presence& presence;
  SavedReplies& saved_replies;
  SlaPolicies& sla;
  Reports& reports;
  Poller& poller;
  Moderator& moderator;
  Privacy& privacy;
  const core::Clock& clock;
  std::size_t max_webhook_bytes = 1 << 20;
};

void register_inbox_routes(core::http::Router& router, InboxContext& ctx);
void register_saved_reply_routes(core::http::Router& router, InboxContext& ctx);
void register_sla_routes(core::http::Router& router, InboxContext& ctx);
void register_routing_routes(core::http::Router& router, InboxContext& ctx);
void register_privacy_routes(core::http::Router& router, InboxContext& ctx);
void register_webhook_routes(core::http::Router& router, InboxContext& ctx);

}  // namespace herald::inbox
