#pragma once
// The inbox poller (F5, issue #6 "Ingest"): the second path in beside webhooks. For every
// connected account and each kind (comments, mentions, DMs) it reads the platform's list newer
// than its cursor and files what it finds through Inbox::ingest (which de-duplicates, so a
// webhook and a poll of the same item store it once), then moves the cursor. An account seen
// for the first time is read at once with no cursor: the most recent page, the backfill. A kind
// the platform cannot list is looked at again a day later. Claims are rows locked with SKIP
// LOCKED and leased, so any number of processes poll without reading one account twice.
// Blocking; run it on its own thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "services/inbox/inbox.hpp"
#include "services/inbox/replies.hpp"

namespace herald::inbox {

struct PollerOptions {
  std::chrono::milliseconds interval{60'000};  // between two reads of one account and kind
  std::chrono::seconds unsupported_backoff{24 * 3600};
  std::chrono::seconds lease{120};
  int batch = 20;
};

class Poller {
 public:
  Poller(core::pg::Pool& pg, contracts::AccountDirectory& directory, AdapterFor adapters,
         adapters::Transport& transport, Inbox& inbox, PollerOptions options = {});

  // One pass; returns how many (account, kind) it read.
  int run_once();

  // The polling state of the accounts `p` may read the inbox of (brand_id: one brand).
  nlohmann::json state(const iam::Principal& p, const std::optional<std::string>& brand_id);

 private:
  void sync_accounts();

  core::pg::Pool& pg_;
  contracts::AccountDirectory& directory_;
  AdapterFor adapters_;
  adapters::Transport& transport_;
  Inbox& inbox_;
  PollerOptions options_;
  std::chrono::steady_clock::time_point last_sync_{};
};

}  // namespace herald::inbox
