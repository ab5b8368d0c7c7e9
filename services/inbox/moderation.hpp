#pragma once
// Moderation of inbound comments (F5, issue #6 "Respond"): hide, unhide, delete or pin a comment
// or mention where the platform allows it (its adapter's capabilities), done now, on the
// caller's request, through the send gate under "inbox-moderation:<id>" like every outbound
// action (a person's action passes a freeze, as replies do), with the attempt and its outcome
// logged (done, failed, unknown when the platform's answer was lost, held). Needs inbox.reply on
// the thread; a thread the caller may not read is a 404; DMs are not moderated. Blocking.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "herald/adapters/platforms.hpp"
#include "services/contracts/gate/send_gate.hpp"
#include "services/core/redis/pool.hpp"
#include "services/inbox/inbox.hpp"
#include "services/inbox/replies.hpp"

namespace herald::inbox {

class Moderator {
 public:
  Moderator(core::pg::Pool& pg, core::redis::Pool& redis, contracts::AccountDirectory& directory, AdapterFor adapters,
            adapters::Transport& transport, Inbox& inbox, contracts::gate::SendGate gate, std::string worker);

  // `action`: hide | unhide | delete | pin. Returns the logged attempt with its outcome.
  nlohmann::json moderate(const iam::Principal& p, std::int64_t thread_id, std::int64_t item_id,
                          const std::string& action, std::int64_t now_ms);

 private:
  core::pg::Pool& pg_;
  core::redis::Pool& redis_;
  contracts::AccountDirectory& directory_;
  AdapterFor adapters_;
  adapters::Transport& transport_;
  Inbox& inbox_;
  contracts::gate::SendGate gate_;
  std::string worker_;
};

}  // namespace herald::inbox
