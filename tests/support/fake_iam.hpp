#pragma once
// What module tests share instead of the gateway and the accounts service: one organization with
// two brands and four accounts, a fake Identity (X-Test-User header; brands; audit rows recorded),
// a fake AccountDirectory, principals with a seed role on the first brand, and status_of() for
// the HTTP status a call fails with.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/http/problem.hpp"

namespace herald::testing {

inline const std::string kOrg = "00000000-0000-4000-8000-0000000000a1";
inline const std::string kBrand = "00000000-0000-4000-8000-0000000000b1";
inline const std::string kOtherBrand = "00000000-0000-4000-8000-0000000000b2";
inline const std::string kMastodon = "00000000-0000-4000-8000-0000000000c1";
inline const std::string kX = "00000000-0000-4000-8000-0000000000c2";
inline const std::string kInstagram = "00000000-0000-4000-8000-0000000000c3";
inline const std::string kForeign = "00000000-0000-4000-8000-0000000000c9";  // another brand's account

class FakeIdentity final : public iam::Identity {
 public:
  // The caller named by the X-Test-User header (a user id added with add_user); 401 otherwise.
  boost::asio::awaitable<iam::Principal> require(core::http::Request& req) override {
    auto h = req.header("X-Test-User");
    std::lock_guard lock(mutex_);
    if (!h || users_.count(std::string(*h)) == 0) core::http::unauthorized("no test user");
    co_return users_.at(std::string(*h));
  }
  void add_user(const iam::Principal& p) {
    std::lock_guard lock(mutex_);
    users_[p.user_id] = p;
  }
  std::optional<iam::BrandInfo> brand(const std::string& org_id, const std::string& brand_id) override {
    if (org_id != kOrg || (brand_id != kBrand && brand_id != kOtherBrand)) return std::nullopt;
    return iam::BrandInfo{brand_id, org_id, "Brand", "brand", "Asia/Shanghai"};
  }
  std::vector<iam::BrandInfo> brands(const std::string& org_id) override {
    std::vector<iam::BrandInfo> out;
    for (const auto& id : {kBrand, kOtherBrand}) {
      if (auto b = brand(org_id, id)) out.push_back(*b);
    }
    return out;
  }
  // The users added with add_user that are members of the brand.
  std::vector<iam::MemberInfo> members(const std::string& org_id, const std::string& brand_id) override {
    std::lock_guard lock(mutex_);
    std::vector<iam::MemberInfo> out;
    for (const auto& [id, p] : users_) {
      if (p.org_id != org_id) continue;
      for (const auto& m : p.memberships) {
        if (m.brand_id == brand_id) out.push_back({id, p.label(), m.role, m.account_ids});
      }
    }
    return out;
  }
  void append_audit(pqxx::work&, const iam::Actor& actor, const iam::AuditRecord& r) override {
    std::lock_guard lock(mutex_);
    audit_.push_back(r.action + " by " + actor.label);
  }
  std::vector<std::string> audit() {
    std::lock_guard lock(mutex_);
    return audit_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> audit_;
  std::map<std::string, iam::Principal> users_;
};

class FakeDirectory final : public contracts::AccountDirectory {
 public:
  FakeDirectory() {
    add(kMastodon, kBrand, "mastodon", "@herald@social.example");
    add(kX, kBrand, "x", "@herald");
    add(kInstagram, kBrand, "instagram", "herald.official");
    add(kForeign, kOtherBrand, "mastodon", "@other@social.example");
  }
  std::optional<contracts::AccountRef> account(const std::string& org_id, const std::string& id) override {
    auto it = accounts_.find(id);
    if (it == accounts_.end() || it->second.org_id != org_id) return std::nullopt;
    return it->second;
  }
  std::optional<adapters::Credentials> credentials(const std::string&) override { return std::nullopt; }
  std::vector<contracts::AccountRef> by_platform_account(const std::string& platform,
                                                         const std::string& platform_account_id) override {
    std::vector<contracts::AccountRef> out;
    for (const auto& [id, a] : accounts_) {
      if (a.platform == platform && a.platform_account_id == platform_account_id) out.push_back(a);
    }
    return out;
  }

 private:
  void add(const std::string& id, const std::string& brand, const std::string& platform, const std::string& handle) {
    contracts::AccountRef a;
    a.id = id;
    a.org_id = kOrg;
    a.brand_id = brand;
    a.platform = platform;
    a.handle = handle;
    a.platform_account_id = "pid-" + id.substr(id.size() - 4);
    a.status = "connected";
    accounts_[id] = a;
  }
  std::map<std::string, contracts::AccountRef> accounts_;
};

inline iam::Principal principal(const std::string& n, const std::string& role) {
  iam::Principal p;
  p.user_id = "00000000-0000-4000-8000-00000000010" + n;
  p.org_id = kOrg;
  p.email = "user" + n + "@example.com";
  p.display_name = "User " + n;
  p.memberships.push_back({kBrand, "Brand", role, std::nullopt});
  return p;
}

// The HTTP status a call fails with (0 when it does not fail), and its problem's extra members.
template <class F>
int status_of(F&& f, nlohmann::json* extra = nullptr, std::string* detail = nullptr) {
  try {
    f();
  } catch (const core::http::HttpError& e) {
    if (extra != nullptr) *extra = e.extra();
    if (detail != nullptr) *detail = e.detail();
    return e.status();
  }
  return 0;
}

}  // namespace herald::testing
