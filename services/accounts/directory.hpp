#pragma once
// The accounts service's answer to other services (contracts/accounts/directory.hpp): accounts
// by id, and credentials opened from the vault for the adapter workers.
#include "services/accounts/domain/vault.hpp"
#include "services/accounts/store/account_store.hpp"
#include "services/contracts/accounts/directory.hpp"

namespace herald::accounts {

class Directory : public contracts::AccountDirectory {
 public:
  Directory(AccountStore& store, const Vault& vault) : store_(store), vault_(vault) {}

  std::optional<contracts::AccountRef> account(const std::string& org_id, const std::string& account_id) override;
  std::optional<adapters::Credentials> credentials(const std::string& account_id) override;
  std::vector<contracts::AccountRef> by_platform_account(const std::string& platform,
                                                         const std::string& platform_account_id) override;
  std::vector<contracts::AccountRef> connected() override;

 private:
  AccountStore& store_;
  const Vault& vault_;
};

}  // namespace herald::accounts
