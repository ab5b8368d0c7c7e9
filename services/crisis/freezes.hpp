#pragma once
// The lockdown switch (DESIGN.md section 5). A freeze has one scope of an organization (all,
// brand, platform, account, campaign or tag), a reason, who set it and when, an optional expiry.
//
// set(): checks the scope and the caller's crisis.freeze permission over all of it; in one
// PostgreSQL transaction bumps the fence epoch, records the freeze and its audit row; then raises
// the fence in Redis (Fence::publish: the active scopes and the new epoch, atomically, returning
// the sends in flight at that instant); then acknowledges: records when, how long it took and the
// in-flight list, and pushes the new state to every connected client. From the acknowledgement on,
// the send gate refuses every send in scope and the scheduler holds in-scope work.
//
// Lifting takes two people: request_lift() by anyone with crisis.freeze over the scope, then
// lift() by another one, who is neither the requester nor the person who set it. Work that came
// due while frozen is HELD and waits in the review lane (publishing's /api/v1/held/actions).
//
// Blocking (call from the blocking pool). Refusals are core::http::HttpError: 403 permission,
// 404, 409 a state that does not allow it, 422 bad input (a scope that names nothing, no reason,
// an expiry in the past), 503 when the fence could not be raised (the freeze is recorded and the
// fence keeper raises it as soon as Redis answers; it is not acknowledged until then).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/gate/send_gate.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/contracts/publishing/freeze_preview.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/util/clock.hpp"

namespace herald::crisis {

struct FreezeScope {
  std::string kind;   // all | brand | platform | account | campaign | tag
  std::string value;  // "" for all; a brand, account or campaign id; a platform name; a tag
};

struct FreezeInput {
  FreezeScope scope;
  std::string reason;
  std::optional<std::int64_t> expires_at_ms;
};

struct InFlightSend {
  std::string send_key, worker;
  std::int64_t started_ms = 0;
};

struct FreezeRecord {
  std::string id, org_id;
  FreezeScope scope;
  std::string brand_id;  // brand and account scopes: the brand; "" for organization-wide scopes
  std::string reason;
  std::string set_by, set_by_label;
  std::int64_t set_at_ms = 0;
  std::optional<std::int64_t> expires_at_ms;
  std::int64_t epoch = 0;
  std::optional<std::int64_t> acknowledged_at_ms;
  std::optional<double> ack_ms;
  nlohmann::json in_flight_at_ack = nlohmann::json::array();
  std::optional<std::int64_t> held_at_ack;
  std::string lift_requested_by, lift_requested_label;
  std::optional<std::int64_t> lift_requested_at_ms;
  std::string lift_reason;
  std::string lifted_by, lifted_by_label;
  std::optional<std::int64_t> lifted_at_ms;

  // In force at `now_ms`: not lifted and not expired.
  [[nodiscard]] bool active(std::int64_t now_ms) const {
    return !lifted_at_ms && (!expires_at_ms || *expires_at_ms > now_ms);
  }
};

struct Acknowledgement {
  FreezeRecord freeze;
  std::int64_t epoch = 0;
  std::vector<InFlightSend> in_flight;  // already past the gate when the fence rose: they finish
  contracts::HeldPreview held;          // what the scope holds now
};

struct FreezesOptions {
  std::string key_prefix = "herald";  // config redis.key_prefix: the fence's Redis keys
  int preview_items = 200;            // targets listed in a preview or acknowledgement
};

// Live updates: (scope, text) for the WebSocket hub; scope is a brand id or "org:<id>".
using FreezeNotifier = std::function<void(const std::string& scope, const std::string& text)>;

class Freezes {
 public:
  Freezes(core::pg::Pool& pg, core::redis::Pool& redis, iam::Identity& identity,
          contracts::AccountDirectory& directory, contracts::FreezePreviewSource& preview, const core::Clock& clock,
          FreezesOptions options = {});

  // What a freeze of `scope` would hold now, without changing anything.
  contracts::HeldPreview preview(const iam::Principal& p, const FreezeScope& scope);
  // campaign_brand_id: campaign scope only, given by the campaigns service (contracts::FreezeControl),
  // never from the HTTP API: the campaign's brand, which then owns the freeze (campaign.manage or
  // crisis.freeze on it suffices, to set it and to lift it).
  Acknowledgement set(const iam::Principal& p, const FreezeInput& in, const std::string& campaign_brand_id = "");
  FreezeRecord get(const iam::Principal& p, const std::string& id);
  // The organization's freezes the caller may see, newest first.
  std::vector<FreezeRecord> list(const iam::Principal& p, bool active_only, int limit);
  FreezeRecord request_lift(const iam::Principal& p, const std::string& id, const std::string& reason);
  FreezeRecord lift(const iam::Principal& p, const std::string& id);

  void on_change(FreezeNotifier notifier) { notifier_ = std::move(notifier); }

 private:
  struct Resolved {
    contracts::FreezeScopeRef ref;
    std::string brand_id;  // "" for organization-wide scopes
  };
  Resolved resolve(const iam::Principal& p, const FreezeScope& scope);
  void require_freeze_permission(const iam::Principal& p, const std::string& brand_id,
                                 const std::string& kind = "");
  [[nodiscard]] bool may_see(const iam::Principal& p, const FreezeRecord& f) const;
  // The freeze, locked, if the caller may lift it and it is still in force (404/403/409 otherwise).
  FreezeRecord lock_in_force(pqxx::work& tx, const iam::Principal& p, const std::string& id, std::int64_t now);
  // Raises (or lowers) the Redis fence to PostgreSQL's epoch and scopes. Throws on Redis errors.
  contracts::gate::Fence::Applied publish_fence(std::int64_t epoch, const std::vector<std::string>& scopes);
  void notify(const std::string& type, const FreezeRecord& f);
  [[nodiscard]] std::int64_t now_ms() const;

  core::pg::Pool& pg_;
  core::redis::Pool& redis_;
  iam::Identity& identity_;
  contracts::AccountDirectory& directory_;
  contracts::FreezePreviewSource& preview_;
  const core::Clock& clock_;
  FreezesOptions options_;
  contracts::gate::FenceKeys keys_;
  FreezeNotifier notifier_;
};

nlohmann::json to_json(const FreezeRecord& f);
nlohmann::json to_json(const contracts::HeldPreview& h);

}  // namespace herald::crisis
