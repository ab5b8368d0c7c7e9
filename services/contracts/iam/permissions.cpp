#include "services/contracts/iam/permissions.hpp"

#include <algorithm>

#include "services/core/util/uuid.hpp"

namespace herald::iam {

using namespace perm;  // NOLINT: local to this file

const std::vector<Role>& roles() {
  static const std::vector<Role> kRoles = {
      {"social_media_manager", "Social media manager",
       {kBrandRead, kBrandManage, kAccountRead, kAccountManage, kPostRead, kPostWrite,
        kPostApprove, kPostPublish, kMediaWrite, kInboxRead, kInboxReply, kInboxAssign,
        kCampaignRead, kCampaignManage, kAnalyticsRead, kAdsRead, kAdsManage, kCrisisRead}},
      {"content_planner", "Content planner",
       {kBrandRead, kAccountRead, kPostRead, kPostWrite, kMediaWrite, kCampaignRead,
        kCampaignManage, kAnalyticsRead, kInboxRead}},
      {"community_manager", "Community manager",
       {kBrandRead, kAccountRead, kPostRead, kInboxRead, kInboxReply, kInboxAssign, kCrisisRead}},
      {"data_analyst", "Data analyst",
       {kBrandRead, kAccountRead, kPostRead, kCampaignRead, kAnalyticsRead, kAdsRead, kInboxRead}},
      {"designer", "Designer", {kBrandRead, kPostRead, kPostWrite, kMediaWrite}},
      {"legal_reviewer", "Legal reviewer", {kBrandRead, kPostRead, kPostApprove, kLegalReview, kCrisisRead}},
      {"crisis_commander", "Crisis commander",
       {kBrandRead, kAccountRead, kPostRead, kPostApprove, kInboxRead, kCrisisRead, kCrisisFreeze,
        kCrisisManage}},
      {"external_reviewer", "External (agency/client) reviewer", {kBrandRead, kPostRead, kPostApprove}},
      {"viewer", "Viewer", {kBrandRead, kAccountRead, kPostRead, kCampaignRead, kAnalyticsRead}},
  };
  return kRoles;
}

const Role* find_role(std::string_view name) {
  for (const auto& r : roles()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

bool is_permission(std::string_view name) {
  for (const auto& r : roles()) {
    if (std::find(r.permissions.begin(), r.permissions.end(), name) != r.permissions.end()) return true;
  }
  return false;
}

const Membership* Principal::membership(std::string_view brand_id) const {
  for (const auto& m : memberships) {
    if (m.brand_id == brand_id) return &m;
  }
  return nullptr;
}

bool Principal::can(std::string_view permission, std::string_view brand_id) const {
  if (is_admin) return true;
  const auto* m = membership(brand_id);
  if (m == nullptr) return false;
  const auto* role = find_role(m->role);
  if (role == nullptr) return false;  // unknown role grants nothing
  return std::find(role->permissions.begin(), role->permissions.end(), permission) !=
         role->permissions.end();
}

bool Principal::can_on_account(std::string_view permission, std::string_view brand_id,
                               std::string_view account_id) const {
  if (!can(permission, brand_id)) return false;
  if (is_admin) return true;
  const auto* m = membership(brand_id);
  if (!m->account_ids) return true;
  return std::find(m->account_ids->begin(), m->account_ids->end(), account_id) != m->account_ids->end();
}

std::vector<std::string> Principal::brands_with(std::string_view permission) const {
  std::vector<std::string> out;
  for (const auto& m : memberships) {
    if (core::is_uuid(m.brand_id) && can(permission, m.brand_id)) out.push_back(m.brand_id);
  }
  return out;
}

std::set<std::string> Principal::permissions_in(std::string_view brand_id) const {
  std::set<std::string> out;
  for (const auto& r : roles()) {
    for (auto p : r.permissions) {
      if (can(p, brand_id)) out.emplace(p);
    }
  }
  return out;
}

}  // namespace herald::iam
