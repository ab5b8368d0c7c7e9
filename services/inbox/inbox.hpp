#pragma once
// The inbox (F5, issue #6): comments, mentions and DMs of every account as threads. Ingest files
// each inbound item into its thread once (de-duplicated by the platform's id per account), with
// its enrichment (domain/enrichment.hpp) and the thread's priority and first-response clock; the
// API lists threads by urgency, shows one, assigns it, sets its status, takes internal notes and
// queues replies, which the reply sender (replies.hpp) delivers once through the send gate.
// Every call that acts for a person checks the inbox permissions on the thread's brand and
// account; a thread the caller may not see is "not found". All calls are blocking.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "herald/adapters/types.hpp"
#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"
#include "services/inbox/routing.hpp"

namespace herald::inbox {

struct InboxOptions {
  std::chrono::seconds first_response{3600};  // the first-response target of a brand without an SLA policy
  std::size_t max_reply_chars = 5000;         // when the platform states no limit
};

struct IngestResult {
  int received = 0;
  int stored = 0;      // new items
  int duplicates = 0;  // known already: nothing changed
};

struct ListQuery {
  std::optional<std::string> brand_id, account_id, platform, status, kind, sla;
  std::optional<std::string> assignee;  // "" unassigned, a user id, or nullopt for any
  std::string sort = "priority";        // "priority" | "recent"
  std::optional<std::string> cursor;
  int limit = 50;
};

struct ReplyRequest {
  std::string text;
  std::optional<std::int64_t> item_id;  // the item answered; default the thread's latest inbound item
  bool is_private = false;              // a DM to the author instead of a public reply
  // The thread's version the writer was looking at (If-Match): when the thread changed since (a
  // new message, another agent's reply, an assignment), the reply is refused with 412 and the
  // writer reads what happened first. Collision detection for two agents answering at once.
  std::optional<int> seen_version;
};

// Called with (brand id, JSON text) for every change a client may want to see at once.
using ChangeListener = std::function<void(const std::string& brand_id, const std::string& text)>;
// What a platform allows a reply (from its adapter's capabilities).
struct ReplyRules {
  int max_chars = 0;  // 0: the platform states no limit
  bool can_reply = true;
  bool can_dm = true;
};
using ReplyLimit = std::function<ReplyRules(const std::string& platform)>;

class Inbox {
 public:
  Inbox(core::pg::Pool& pg, iam::Identity& identity, InboxOptions options = {}, ReplyLimit limit = {});

  // Files items that arrived for `account` (system: the webhook receiver and the poller).
  IngestResult ingest(const contracts::AccountRef& account, const std::vector<adapters::InboundItem>& items);

  nlohmann::json list(const iam::Principal& p, const ListQuery& q);
  nlohmann::json get(const iam::Principal& p, std::int64_t thread_id);
  nlohmann::json assign(const iam::Principal& p, std::int64_t thread_id, const std::optional<std::string>& assignee,
                        std::optional<int> version);
  nlohmann::json set_status(const iam::Principal& p, std::int64_t thread_id, const std::string& status,
                            const std::string& reason, std::optional<int> version);
  nlohmann::json add_note(const iam::Principal& p, std::int64_t thread_id, const std::string& text);
  // Queues a reply (202 for the API); the reply sender delivers it.
  nlohmann::json reply(const iam::Principal& p, std::int64_t thread_id, const ReplyRequest& r);

  void on_change(ChangeListener listener) { listener_ = std::move(listener); }
  // Routing rules and the on-duty rota, which ingest applies to the threads it opens.
  Routing& routing() { return routing_; }
  // The thread's brand when `p` may use `permission` on it (else 404, or 403 for a reader).
  std::string thread_brand(const iam::Principal& p, std::int64_t thread_id, std::string_view permission);
  // Tells the brand's listeners (the WebSocket) about something that is not stored (presence).
  void announce(const std::string& brand_id, const std::string& type, const nlohmann::json& data) {
    notify(brand_id, type, data);
  }
  // Appends to the audit log in `tx`, for an action `p` took on a thread.
  void audit(pqxx::work& tx, const iam::Principal& p, const std::string& action, std::int64_t thread_id,
             const std::string& brand_id, nlohmann::json details) {
    identity_.append_audit(tx, iam::Actor::of(p),
                           {action, "inbox_thread", std::to_string(thread_id), brand_id, std::move(details)});
  }
  // Tells listeners about a reply's new state (the reply sender calls it).
  void reply_changed(const std::string& brand_id, const nlohmann::json& reply);
  // Wakes the reply sender when a reply was queued.
  void on_reply_queued(std::function<void()> f) { reply_queued_ = std::move(f); }
  // The active freeze scopes (the send gate's fence), for approvals required during a freeze.
  void on_freeze_scopes(std::function<std::vector<std::string>()> f) { freeze_scopes_ = std::move(f); }

  // Reply approvals: a brand's mode ("always", "during_freeze", or none), set with brand.manage.
  nlohmann::json reply_approval(const iam::Principal& p, const std::string& brand_id);
  nlohmann::json set_reply_approval(const iam::Principal& p, const std::string& brand_id,
                                    const std::optional<std::string>& mode);
  // Approves (queues) or rejects a reply waiting for approval: inbox.assign on the thread, and
  // not the reply's own author.
  nlohmann::json review_reply(const iam::Principal& p, std::int64_t reply_id, bool approve, const std::string& note);

  struct ThreadRef {
    nlohmann::json json;
    std::string brand_id, account_id;
  };
  // The thread if `p` may use `permission` on it, else 404 (403 for one who may only read it).
  ThreadRef visible(pqxx::work& tx, const iam::Principal& p, std::int64_t id, std::string_view permission);

 private:
  void notify(const std::string& brand_id, const std::string& type, const nlohmann::json& data);

  core::pg::Pool& pg_;
  iam::Identity& identity_;
  InboxOptions options_;
  ReplyLimit limit_;
  ChangeListener listener_;
  std::function<void()> reply_queued_;
  Routing routing_;
  std::function<std::vector<std::string>()> freeze_scopes_;
};

}  // namespace herald::inbox
