#pragma once
// contracts::FreezeControl over the lockdown switch: how the campaigns service pauses a campaign
// (a freeze with campaign scope, owned by the campaign's brand) and resumes it (the two-person lift).
#include "services/contracts/crisis/freeze_control.hpp"
#include "services/core/util/clock.hpp"
#include "services/crisis/freezes.hpp"

namespace herald::crisis {

class FreezeControl final : public contracts::FreezeControl {
 public:
  FreezeControl(Freezes& freezes, const core::Clock& clock) : freezes_(freezes), clock_(clock) {}

  contracts::FreezeState freeze_campaign(const iam::Principal& p, const std::string& campaign_id,
                                         const std::string& brand_id, const std::string& reason) override;
  contracts::FreezeState request_or_lift(const iam::Principal& p, const std::string& freeze_id,
                                         const std::string& reason) override;
  std::optional<contracts::FreezeState> state(const iam::Principal& p, const std::string& freeze_id) override;

 private:
  [[nodiscard]] contracts::FreezeState state_of(const FreezeRecord& f) const;

  Freezes& freezes_;
  const core::Clock& clock_;
};

}  // namespace herald::crisis
