#pragma once
// Roles and permissions (DESIGN.md section 7). Deny by default: a user may do something on a
// brand only through a membership whose role grants the permission (and, for account-level
// work, whose account scope includes the account), or as an organization admin.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace herald::iam {

// Brand-level permissions (granted by a role within one brand).
namespace perm {
inline constexpr std::string_view kBrandRead = "brand.read";
inline constexpr std::string_view kBrandManage = "brand.manage";  // settings and members
inline constexpr std::string_view kAccountRead = "account.read";
inline constexpr std::string_view kAccountManage = "account.manage";
inline constexpr std::string_view kPostRead = "post.read";
inline constexpr std::string_view kPostWrite = "post.write";
inline constexpr std::string_view kPostApprove = "post.approve";
inline constexpr std::string_view kPostPublish = "post.publish";
inline constexpr std::string_view kMediaWrite = "media.write";
inline constexpr std::string_view kLegalReview = "legal.review";
inline constexpr std::string_view kInboxRead = "inbox.read";
inline constexpr std::string_view kInboxReply = "inbox.reply";
inline constexpr std::string_view kInboxAssign = "inbox.assign";
inline constexpr std::string_view kCampaignRead = "campaign.read";
inline constexpr std::string_view kCampaignManage = "campaign.manage";
inline constexpr std::string_view kAnalyticsRead = "analytics.read";
inline constexpr std::string_view kAdsRead = "ads.read";
inline constexpr std::string_view kAdsManage = "ads.manage";
inline constexpr std::string_view kCrisisRead = "crisis.read";
inline constexpr std::string_view kCrisisFreeze = "crisis.freeze";
inline constexpr std::string_view kCrisisManage = "crisis.manage";
}  // namespace perm

struct Role {
  std::string_view name;
  std::string_view title;
  std::vector<std::string_view> permissions;
};

// The roles from the seeds, in display order.
const std::vector<Role>& roles();
const Role* find_role(std::string_view name);
bool is_permission(std::string_view name);

struct Membership {
  std::string brand_id;
  std::string brand_name;
  std::string role;
  std::optional<std::vector<std::string>> account_ids;  // nullopt: all accounts of the brand
};

struct Principal {
  std::string user_id;
  std::string org_id;
  std::string email;
  std::string display_name;
  bool is_admin = false;
  std::vector<Membership> memberships;
  std::string session_id;    // set when authenticated by a session cookie
  std::string api_token_id;  // set when authenticated by an API token

  // How the person is named to others: the display name, else the e-mail address.
  [[nodiscard]] const std::string& label() const { return display_name.empty() ? email : display_name; }
  [[nodiscard]] const Membership* membership(std::string_view brand_id) const;
  // Org admins may do anything in their organization.
  [[nodiscard]] bool can(std::string_view permission, std::string_view brand_id) const;
  [[nodiscard]] bool can_on_account(std::string_view permission, std::string_view brand_id,
                                    std::string_view account_id) const;
  [[nodiscard]] std::set<std::string> permissions_in(std::string_view brand_id) const;
  // The brands of the person's memberships where they have `permission` (an admin's memberships
  // too; callers treat is_admin as "every brand" themselves). Only well-formed brand ids.
  [[nodiscard]] std::vector<std::string> brands_with(std::string_view permission) const;
};

}  // namespace herald::iam
