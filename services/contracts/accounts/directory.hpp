#pragma once
// What other services may ask the accounts service (which owns the account tables and the token
// vault): an account's identity in the matrix, and the credentials to act as it. The accounts
// module implements it; in the all-in-one binary it is handed to the other modules by reference.
// All calls are blocking: call them from the blocking pool or a worker thread.
#include <optional>
#include <string>
#include <vector>

#include "herald/adapters/types.hpp"

namespace herald::contracts {

struct AccountRef {
  std::string id;
  std::string org_id;
  std::string brand_id;
  std::string platform;
  std::string handle;
  std::string display_name;
  std::string platform_account_id;  // the account's id on the platform
  std::string status;  // "connected", "disconnected", "assisted"
  std::vector<std::string> tags;
  std::vector<std::string> groups;
};

class AccountDirectory {
 public:
  virtual ~AccountDirectory() = default;
  // The account, if it exists in the organization.
  virtual std::optional<AccountRef> account(const std::string& org_id, const std::string& account_id) = 0;
  // The credentials to call the platform as this account: the vault's token, opened now. nullopt
  // when the account is unknown, disconnected or has no token. The result is a secret: never log
  // it, never put it in a message or an error.
  virtual std::optional<adapters::Credentials> credentials(const std::string& account_id) = 0;
  // Every connected account (of any organization) that is this platform account: a webhook
  // delivery names the receiving account only by its platform id. Default: none.
  virtual std::vector<AccountRef> by_platform_account(const std::string& /*platform*/,
                                                      const std::string& /*platform_account_id*/) {
    return {};
  }
  // Every connected account of every organization (the inbox poller walks them). Default: none.
  virtual std::vector<AccountRef> connected() { return {}; }
};

}  // namespace herald::contracts
