#include "services/crisis/freeze_control.hpp"

#include <chrono>

#include "services/core/http/problem.hpp"

namespace herald::crisis {

contracts::FreezeState FreezeControl::state_of(const FreezeRecord& f) const {
  contracts::FreezeState s;
  s.id = f.id;
  s.active = f.active(clock_.now_ms());
  s.acknowledged = f.acknowledged_at_ms.has_value();
  s.ack_ms = f.ack_ms;
  s.lift_requested_by = f.lift_requested_at_ms ? f.lift_requested_by : std::string();
  s.held_at_ack = f.held_at_ack.value_or(0);
  return s;
}

contracts::FreezeState FreezeControl::freeze_campaign(const iam::Principal& p, const std::string& campaign_id,
                                                      const std::string& brand_id, const std::string& reason) {
  FreezeInput in;
  in.scope = {"campaign", campaign_id};
  in.reason = reason;
  return state_of(freezes_.set(p, in, brand_id).freeze);
}

contracts::FreezeState FreezeControl::request_or_lift(const iam::Principal& p, const std::string& freeze_id,
                                                      const std::string& reason) {
  auto f = freezes_.get(p, freeze_id);
  if (!f.lift_requested_at_ms) return state_of(freezes_.request_lift(p, freeze_id, reason));
  return state_of(freezes_.lift(p, freeze_id));
}

std::optional<contracts::FreezeState> FreezeControl::state(const iam::Principal& p, const std::string& freeze_id) {
  try {
    return state_of(freezes_.get(p, freeze_id));
  } catch (const core::http::HttpError& e) {
    if (e.status() == 404) return std::nullopt;
    throw;
  }
}

}  // namespace herald::crisis
