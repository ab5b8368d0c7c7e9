#include "services/inbox/replies.hpp"

#include <nlohmann/json.hpp>

#include "services/inbox/domain/kinds.hpp"

namespace herald::inbox {

using nlohmann::json;
namespace gate = contracts::gate;

ReplySender::ReplySender(core::pg::Pool& pg, core::redis::Pool& redis, contracts::AccountDirectory& directory,
                         AdapterFor adapters, adapters::Transport& transport, Inbox& inbox, gate::SendGate gate,
                         ReplySenderOptions options)
    : pg_(pg),
      redis_(redis),
      directory_(directory),
      adapters_(std::move(adapters)),
      transport_(transport),
      inbox_(inbox),
      gate_(std::move(gate)),
      options_(std::move(options)) {}

int ReplySender::run_once(std::int64_t now_ms) {
  auto lease_s = static_cast<double>(options_.lease_ms) / 1000.0;
  // Replies a dead sender left 'sending' are looked for once per lease, not on every pass.
  bool sweep = now_ms - last_sweep_ms_ >= options_.lease_ms;
  if (sweep) last_sweep_ms_ = now_ms;
  auto claimed = pg_.transact([&](pqxx::work& tx) {
    if (sweep) tx.exec_prepared("inbox_replies_stuck", lease_s * 2);
    std::vector<std::pair<std::int64_t, int>> out;
    for (const auto& r : tx.exec_prepared("inbox_replies_claim", options_.batch)) {
      out.emplace_back(r[0].as<std::int64_t>(), r[2].as<int>());
    }
    return out;
  });
  for (const auto& [id, attempts] : claimed) send_one(id, attempts, now_ms);
  return static_cast<int>(claimed.size());
}

void ReplySender::send_one(std::int64_t reply_id, int attempts, std::int64_t now_ms) {
  struct Context {
    std::string body, org, brand, account, platform;
    bool is_private = false, automated = false;
    adapters::InboundItem item;
  } c;
  pg_.transact([&](pqxx::work& tx) {
    auto r = tx.exec_prepared1("inbox_reply_context", reply_id);
    c.body = r[1].as<std::string>();
    c.is_private = r[2].as<bool>();
    c.automated = r[3].as<bool>();
    c.org = r[4].as<std::string>();
    c.brand = r[5].as<std::string>();
    c.account = r[6].as<std::string>();
    c.platform = r[7].as<std::string>();
    c.item.kind = kind_of(r[8].as<std::string>());
    c.item.platform_item_id = r[9].as<std::string>();
    c.item.platform_post_id = r[10].as<std::string>();
    c.item.parent_id = r[11].as<std::string>();
    c.item.conversation_id = r[12].as<std::string>();
    c.item.author_id = r[13].as<std::string>();
    c.item.author_handle = r[14].as<std::string>();
  });
  auto settle = [&](const std::string& status, const std::string& platform_id, const std::string& error,
                    double retry_s) {
    auto j = pg_.transact([&](pqxx::work& tx) {
      auto row = tx.exec_prepared1("inbox_reply_settle", reply_id, status, platform_id, error, retry_s);
      if (status == "sent" && !platform_id.empty()) tx.exec_prepared("inbox_reply_outbound_item", reply_id, platform_id);
      return json::parse(row[0].as<std::string>());
    });
    inbox_.reply_changed(c.brand, j);
  };

  std::string key = "inbox-reply:" + std::to_string(reply_id);
  gate::BeginRequest begin;
  begin.send_key = key;
  begin.scope.org_id = c.org;
  begin.scope.brand_id = c.brand;
  begin.scope.platform = c.platform;
  begin.scope.account_id = c.account;
  begin.scope.exempt = !c.automated;
  begin.worker = options_.worker;
  begin.now_ms = now_ms;
  begin.lease_ms = options_.lease_ms;
  gate::Decision d;
  try {
    auto redis = redis_.lease();
    d = gate_.begin(*redis, begin);
  } catch (const std::exception&) {
    settle("queued", "", "the send gate could not be reached", 5);
    return;
  }
  switch (d.verdict) {
    case gate::Verdict::kOpen: break;
    case gate::Verdict::kAlreadyDone: settle("unknown", "", "this reply settled before; not sent again", 0); return;
    case gate::Verdict::kFrozen: settle("held", "", "held by a freeze (" + d.matched + ")", 0); return;
    case gate::Verdict::kLeaseExpired:
      settle("unknown", "", "an earlier attempt stopped during the send; check the platform before resending", 0);
      return;
    default: settle("queued", "", "the send gate refused for now: " + std::string(gate::to_string(d.verdict)), 5); return;
  }

  auto end = [&](gate::Settle s) {
    try {
      auto redis = redis_.lease();
      gate_.end(*redis, key, options_.worker, s, now_ms);
    } catch (const std::exception&) {
      // the lease runs out on its own; a later begin sees kLeaseExpired and marks it unknown
    }
  };
  auto adapter = adapters_(c.platform);
  auto creds = directory_.credentials(c.account);
  if (!adapter || !creds) {
    end(gate::Settle::kDone);
    settle("failed", "", !adapter ? c.platform + " is not reachable" : "the account is disconnected", 0);
    return;
  }
  auto idem = "herald-reply-" + std::to_string(reply_id);
  bool dm = c.is_private || c.item.kind == adapters::InboundKind::kDirectMessage;
  auto result = dm && c.item.kind != adapters::InboundKind::kDirectMessage
                    ? adapter->send_dm(transport_, *creds, c.item.author_id, c.body, idem)
                    : adapter->reply(transport_, *creds, c.item, c.body, idem);
  if (result) {
    end(gate::Settle::kDone);
    settle("sent", *result, "", 0);
    return;
  }
  const auto& e = result.error();
  switch (e.cls) {
    case adapters::ErrorClass::kRetryable:
    case adapters::ErrorClass::kRateLimited:
      if (attempts < options_.max_attempts) {
        end(gate::Settle::kRelease);
        double wait = e.retry_after ? static_cast<double>(e.retry_after->count()) : 2.0 * attempts * attempts;
        settle("queued", "", e.message, wait);
        return;
      }
      end(gate::Settle::kDone);
      settle("failed", "", e.message + " (after " + std::to_string(attempts) + " attempts)", 0);
      return;
    case adapters::ErrorClass::kUnknownOutcome:
      end(gate::Settle::kDone);  // never resent on its own
      settle("unknown", "", e.message, 0);
      return;
    case adapters::ErrorClass::kAuthExpired:
    case adapters::ErrorClass::kRejected:
      end(gate::Settle::kDone);
      settle("failed", "", e.message, 0);
      return;
  }
}

}  // namespace herald::inbox
