#pragma once
// The gateway's side of contracts/iam: what other modules are handed to authenticate callers,
// look up brands and write audit rows, without touching the IAM tables themselves.
#include "services/contracts/iam/identity.hpp"
#include "services/gateway/api/authenticator.hpp"
#include "services/gateway/store/iam_store.hpp"

namespace herald::gateway {

class GatewayIdentity final : public iam::Identity {
 public:
  GatewayIdentity(Authenticator& auth, IamStore& store) : auth_(auth), store_(store) {}

  boost::asio::awaitable<Principal> require(core::http::Request& req) override { return auth_.require(req); }
  std::optional<iam::BrandInfo> brand(const std::string& org_id, const std::string& brand_id) override {
    auto b = store_.brand(org_id, brand_id);
    if (!b) return std::nullopt;
    return iam::BrandInfo{b->id, b->org_id, b->name, b->slug, b->timezone};
  }
  std::vector<iam::BrandInfo> brands(const std::string& org_id) override {
    std::vector<iam::BrandInfo> out;
    for (const auto& b : store_.list_brands(org_id)) out.push_back(iam::BrandInfo{b.id, b.org_id, b.name, b.slug, b.timezone});
    return out;
  }
  std::vector<iam::MemberInfo> members(const std::string& org_id, const std::string& brand_id) override {
    std::vector<iam::MemberInfo> out;
    if (!store_.brand(org_id, brand_id)) return out;
    for (auto& m : store_.list_members(brand_id)) {
      out.push_back(iam::MemberInfo{m.user_id, m.display_name.empty() ? m.email : m.display_name, m.role, m.account_ids});
    }
    return out;
  }
  void append_audit(pqxx::work& tx, const iam::Actor& actor, const iam::AuditRecord& record) override {
    store_.append_audit(tx, actor, record);
  }

 private:
  Authenticator& auth_;
  IamStore& store_;
};

}  // namespace herald::gateway
