#include "services/inbox/moderation.hpp"

#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/problem.hpp"
#include "services/inbox/domain/kinds.hpp"

namespace herald::inbox {

namespace http = core::http;
namespace perm = iam::perm;
namespace gate = contracts::gate;
using nlohmann::json;

Moderator::Moderator(core::pg::Pool& pg, core::redis::Pool& redis, contracts::AccountDirectory& directory,
                     AdapterFor adapters, adapters::Transport& transport, Inbox& inbox, gate::SendGate gate,
                     std::string worker)
    : pg_(pg),
      redis_(redis),
      directory_(directory),
      adapters_(std::move(adapters)),
      transport_(transport),
      inbox_(inbox),
      gate_(std::move(gate)),
      worker_(std::move(worker)) {}

json Moderator::moderate(const iam::Principal& p, std::int64_t thread_id, std::int64_t item_id,
                         const std::string& action, std::int64_t now_ms) {
  adapters::Moderation what{};
  if (action == "hide") {
    what = adapters::Moderation::kHide;
  } else if (action == "unhide") {
    what = adapters::Moderation::kUnhide;
  } else if (action == "delete") {
    what = adapters::Moderation::kDelete;
  } else if (action == "pin") {
    what = adapters::Moderation::kPin;
  } else {
    http::invalid_field("action", "must be hide, unhide, delete or pin");
  }
  struct Target {
    std::string brand, account, platform;
    adapters::InboundItem item;
    std::int64_t id = 0;
  } t;
  auto adapter = std::unique_ptr<adapters::Adapter>();
  pg_.transact([&](pqxx::work& tx) {
    auto thread = inbox_.visible(tx, p, thread_id, perm::kInboxReply);
    t.brand = thread.brand_id;
    t.account = thread.account_id;
    t.platform = thread.json.value("platform", "");
    auto rows = tx.exec_prepared("inbox_moderation_item", item_id, thread_id);
    if (rows.empty()) http::invalid_field("item_id", "no inbound message with this id in the thread");
    const auto& r = rows[0];
    if (r[0].as<std::string>() == "dm") http::invalid_field("action", "direct messages are not moderated");
    if (r[7].as<std::string>() == "deleted") http::conflict("this comment was deleted on the platform already");
    t.item.kind = kind_of(r[0].as<std::string>());
    t.item.platform_item_id = r[1].as<std::string>();
    t.item.platform_post_id = r[2].as<std::string>();
    t.item.parent_id = r[3].as<std::string>();
    t.item.conversation_id = r[4].as<std::string>();
    t.item.author_id = r[5].as<std::string>();
    t.item.author_handle = r[6].as<std::string>();
    adapter = adapters_(t.platform);
    if (!adapter) http::conflict(t.platform + " is not reachable from this server");
    const auto& caps = adapter->capabilities();
    bool allowed = (what == adapters::Moderation::kHide || what == adapters::Moderation::kUnhide) ? caps.can_hide_comment
                   : what == adapters::Moderation::kDelete                                       ? caps.can_delete_comment
                                                                                                 : caps.can_pin_comment;
    if (!allowed) http::invalid_field("action", t.platform + " does not let an app " + action + " comments");
    t.id = tx.exec_prepared1("inbox_moderation_insert", item_id, thread_id, p.org_id, action, p.user_id, p.label())[0]
               .as<std::int64_t>();
    inbox_.audit(tx, p, "inbox.moderate", thread_id, t.brand, {{"item_id", item_id}, {"action", action}, {"moderation_id", t.id}});
  });

  auto settle = [&](const std::string& status, const std::string& error, std::optional<std::string> state) {
    auto out = pg_.transact([&](pqxx::work& tx) {
      return json::parse(tx.exec_prepared1("inbox_moderation_settle", t.id, status, error, state)[0].as<std::string>());
    });
    inbox_.announce(t.brand, "inbox.moderation", out);
    return out;
  };
  auto key = "inbox-moderation:" + std::to_string(t.id);
  gate::BeginRequest begin;
  begin.send_key = key;
  begin.scope.org_id = p.org_id;
  begin.scope.brand_id = t.brand;
  begin.scope.platform = t.platform;
  begin.scope.account_id = t.account;
  begin.scope.exempt = true;  // a person's action, as a reply written by a person
  begin.worker = worker_;
  begin.now_ms = now_ms;
  begin.lease_ms = 60'000;
  gate::Decision d;
  try {
    auto redis = redis_.lease();
    d = gate_.begin(*redis, begin);
  } catch (const std::exception&) {
    return settle("failed", "the send gate could not be reached; nothing was sent", std::nullopt);
  }
  if (d.verdict == gate::Verdict::kFrozen) return settle("held", "held by a freeze (" + d.matched + ")", std::nullopt);
  if (d.verdict != gate::Verdict::kOpen) {
    return settle("failed", "the send gate refused: " + std::string(gate::to_string(d.verdict)), std::nullopt);
  }
  auto end = [&](gate::Settle s) {
    try {
      auto redis = redis_.lease();
      gate_.end(*redis, key, worker_, s, now_ms);
    } catch (const std::exception&) {
      // the lease runs out on its own
    }
  };
  auto creds = directory_.credentials(t.account);
  if (!creds) {
    end(gate::Settle::kDone);
    return settle("failed", "the account is disconnected", std::nullopt);
  }
  auto result = adapter->moderate(transport_, *creds, t.item, what);
  end(gate::Settle::kDone);
  if (result) {
    std::string state = what == adapters::Moderation::kHide     ? "hidden"
                        : what == adapters::Moderation::kUnhide ? ""
                        : what == adapters::Moderation::kDelete ? "deleted"
                                                                : "pinned";
    return settle("done", "", state);
  }
  const auto& e = result.error();
  return settle(e.cls == adapters::ErrorClass::kUnknownOutcome ? "unknown" : "failed", e.message, std::nullopt);
}

}  // namespace herald::inbox
