#pragma once
// What every module that serves the API needs from identity and access (owned by the gateway):
// who is calling, which brands exist, and the audit log. The gateway implements Identity; a
// module receives it by reference from its composition root and never reads the IAM tables.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/request.hpp"

namespace herald::iam {

// Who makes a change, for the audit log.
struct Actor {
  std::string user_id;  // "" = the system
  std::string org_id;
  std::string label;
  static Actor of(const Principal& p) { return {p.user_id, p.org_id, p.email}; }
  static Actor system(std::string org_id) { return {"", std::move(org_id), "system"}; }
};

struct AuditRecord {
  std::string action, target_type, target_id, brand_id;
  nlohmann::json details = nlohmann::json::object();
};

struct BrandInfo {
  std::string id, org_id, name, slug, timezone;
};

struct MemberInfo {
  std::string user_id, name, role;  // name: the display name, else the email
  std::optional<std::vector<std::string>> account_ids;  // nullopt: every account of the brand
};

class Identity {
 public:
  virtual ~Identity() = default;
  // The authenticated caller: 401 problem when there is none, 403 on a missing/wrong CSRF token
  // for a cookie-authenticated change.
  virtual boost::asio::awaitable<Principal> require(core::http::Request& req) = 0;
  // Blocking (call from the blocking pool): the brand, if it exists in the organization.
  virtual std::optional<BrandInfo> brand(const std::string& org_id, const std::string& brand_id) = 0;
  // Blocking: every brand of the organization (an organization-wide action checks them all).
  virtual std::vector<BrandInfo> brands(const std::string& org_id) = 0;
  // Blocking: the brand's members (none for a brand that is not the organization's).
  virtual std::vector<MemberInfo> members(const std::string& org_id, const std::string& brand_id) = 0;
  // Appends to the hash-chained audit log inside the caller's transaction, so the change and its
  // audit row commit together.
  virtual void append_audit(pqxx::work& tx, const Actor& actor, const AuditRecord& record) = 0;
};

}  // namespace herald::iam
