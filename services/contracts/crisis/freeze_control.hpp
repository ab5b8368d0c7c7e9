#pragma once
// What other services may ask the crisis service about freezes: a campaign's pause is a freeze with
// campaign scope (DESIGN.md section 5), so it has the freeze's guarantee (nothing of the campaign
// goes out after the acknowledgement) and its two-person lift. The crisis module implements it; in
// the all-in-one binary it is handed to the campaigns module by reference.
// Blocking (call from the blocking pool). Refusals are core::http::HttpError, as crisis's own API
// gives them (403 without crisis.freeze over the scope, 409 a freeze that is no longer in force).
#include <cstdint>
#include <optional>
#include <string>

#include "services/contracts/iam/permissions.hpp"

namespace herald::contracts {

struct FreezeState {
  std::string id;
  bool active = false;           // in force (not lifted, not expired)
  bool acknowledged = false;     // the fence is up: nothing in scope starts a send any more
  std::optional<double> ack_ms;  // how long setting it took
  std::string lift_requested_by;  // user id of who asked to lift it ("" none)
  std::int64_t held_at_ack = 0;   // targets it held when acknowledged
};

class FreezeControl {
 public:
  virtual ~FreezeControl() = default;
  // Sets a freeze of campaign scope and waits for its acknowledgement. The campaign belongs to
  // brand_id (the campaigns service vouches for it): campaign.manage or crisis.freeze on that brand
  // suffices, to set it and to lift it.
  virtual FreezeState freeze_campaign(const iam::Principal& p, const std::string& campaign_id,
                                      const std::string& brand_id, const std::string& reason) = 0;
  // The first call asks to lift the freeze; a call by a second person (neither the one who asked nor
  // the one who set it) lifts it.
  virtual FreezeState request_or_lift(const iam::Principal& p, const std::string& freeze_id,
                                      const std::string& reason) = 0;
  // nullopt when the freeze does not exist in the caller's organization.
  virtual std::optional<FreezeState> state(const iam::Principal& p, const std::string& freeze_id) = 0;
};

}  // namespace herald::contracts
