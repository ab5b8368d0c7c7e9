#include "services/accounts/directory.hpp"

#include "services/core/crypto/decrypt_error.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::accounts {

namespace {

contracts::AccountRef ref_of(const AccountRecord& a) {
  contracts::AccountRef r{a.id, a.org_id, a.brand_id, a.platform, a.handle, a.display_name, a.platform_account_id,
                          a.status, a.tags, a.groups};
  return r;
}

}  // namespace

std::optional<contracts::AccountRef> Directory::account(const std::string& org_id, const std::string& account_id) {
  if (!core::is_uuid(account_id) || !core::is_uuid(org_id)) return std::nullopt;
  auto a = store_.get(org_id, account_id);
  if (!a) return std::nullopt;
  return ref_of(*a);
}

std::vector<contracts::AccountRef> Directory::by_platform_account(const std::string& platform,
                                                                  const std::string& platform_account_id) {
  std::vector<contracts::AccountRef> out;
  for (const auto& a : store_.by_platform_account(platform, platform_account_id)) out.push_back(ref_of(a));
  return out;
}

std::vector<contracts::AccountRef> Directory::connected() {
  std::vector<contracts::AccountRef> out;
  for (const auto& a : store_.connected()) out.push_back(ref_of(a));
  return out;
}

std::optional<adapters::Credentials> Directory::credentials(const std::string& account_id) {
  if (!core::is_uuid(account_id)) return std::nullopt;
  auto a = store_.get_any(account_id);
  if (!a || a->status == "disconnected") return std::nullopt;
  auto sealed = store_.sealed_token(account_id);
  if (!sealed) return std::nullopt;
  try {
    auto tokens = vault_.open(a->id, a->platform, *sealed);
    return adapters::Credentials{tokens.access_token, tokens.platform_account_id, {}};
  } catch (const core::crypto::DecryptError&) {
    return std::nullopt;  // the accounts module records vault errors when it next uses the token
  }
}

}  // namespace herald::accounts
