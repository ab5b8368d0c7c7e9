#pragma once
// Campaigns (F6, issue #7): the plan and its life. Each campaign belongs to one brand; campaign.read
// to see it, campaign.manage to change it. Pausing is a freeze with campaign scope (the crisis
// service's lockdown switch, through contracts::FreezeControl), so a paused campaign has the freeze's
// guarantee: none of its posts goes out after the acknowledgement. Resuming is the freeze's
// two-person lift: the first resume asks, a second person's resume lifts it.
//
// Blocking (call from the blocking pool). Refusals are core::http::HttpError: 403, 404, 409 a change
// the status does not allow, 412 a stale If-Match, 422 bad input naming the field.
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/crisis/freeze_control.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"

namespace herald::campaigns {

using Notifier = std::function<void(const std::string& brand_id, const std::string& text)>;

struct EventInput {
  std::string kind, title, location, url, notes;
  std::int64_t starts_at_ms = 0;
  std::optional<std::int64_t> ends_at_ms;
};

class Campaigns {
 public:
  Campaigns(core::pg::Pool& pg, iam::Identity& identity, contracts::AccountDirectory& directory,
            contracts::FreezeControl& freezes);

  nlohmann::json create(const iam::Principal& p, const nlohmann::json& body);
  nlohmann::json get(const iam::Principal& p, const std::string& id);
  nlohmann::json list(const iam::Principal& p, const std::optional<std::string>& brand_id,
                      const std::optional<std::string>& status, const std::optional<std::string>& active_on,
                      const std::optional<std::string>& cursor, int limit);
  nlohmann::json update(const iam::Principal& p, const std::string& id, const nlohmann::json& body,
                        std::optional<int> version);
  nlohmann::json set_status(const iam::Principal& p, const std::string& id, const std::string& status,
                            std::optional<int> version);
  nlohmann::json pause(const iam::Principal& p, const std::string& id, const std::string& reason);
  nlohmann::json resume(const iam::Principal& p, const std::string& id, const std::string& reason);
  nlohmann::json add_event(const iam::Principal& p, const std::string& id, const EventInput& in);
  nlohmann::json delete_event(const iam::Principal& p, const std::string& id, const std::string& event_id);

  void on_change(Notifier n) { notifier_ = std::move(n); }

 private:
  struct Row {
    nlohmann::json json;
    std::string brand_id;
    int version = 0;
  };
  Row lock(pqxx::work& tx, const iam::Principal& p, const std::string& id, std::string_view permission);
  nlohmann::json write(pqxx::work& tx, const iam::Principal& p, const std::string& id, const nlohmann::json& fields,
                       const std::string& status, const std::optional<std::string>& freeze_id,
                       std::optional<int> version);
  void check_accounts(const iam::Principal& p, const std::string& brand_id, const nlohmann::json& account_ids);
  void notify(const std::string& brand_id, const nlohmann::json& campaign);

  core::pg::Pool& pg_;
  iam::Identity& identity_;
  contracts::AccountDirectory& directory_;
  contracts::FreezeControl& freezes_;
  Notifier notifier_;
};

}  // namespace herald::campaigns
