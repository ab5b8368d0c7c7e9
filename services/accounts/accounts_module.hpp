#pragma once
// The accounts module: the account matrix (brands x platforms x accounts) with profiles,
// positioning and health; connecting accounts (OAuth 2.0 + PKCE, or credentials); the token
// vault; refreshing tokens ahead of expiry in the background; key rotation.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "adapters/transport/httplib_transport.hpp"
#include "services/accounts/api/context.hpp"
#include "services/accounts/connector.hpp"
#include "services/accounts/directory.hpp"
#include "services/accounts/domain/vault.hpp"
#include "herald/adapters/platforms.hpp"
#include "services/accounts/store/account_store.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/app/process.hpp"

namespace herald::accounts {

class AccountsModule {
 public:
  static core::DatabaseSchema schema();

  AccountsModule(core::Process& process, iam::Identity& identity);
  ~AccountsModule();
  AccountsModule(const AccountsModule&) = delete;
  AccountsModule& operator=(const AccountsModule&) = delete;

  // Starts the background token refresh (stopped when the server shuts down).
  void start_background();
  // `herald rotate-keys`: re-encrypts every token under the current key version.
  RotationReport rotate_keys() { return connector_->rotate_keys(); }
  [[nodiscard]] AccountStore& store() { return *store_; }
  // What other modules may ask about accounts (contracts/accounts/directory.hpp).
  [[nodiscard]] contracts::AccountDirectory& directory() { return *directory_; }

 private:
  void refresh_loop();

  core::Process& process_;
  std::unique_ptr<AccountStore> store_;
  std::unique_ptr<Vault> vault_;
  std::unique_ptr<adapters::Platforms> platforms_;
  std::unique_ptr<adapters::HttplibTransport> transport_;
  std::unique_ptr<Connector> connector_;
  std::unique_ptr<AccountsContext> ctx_;
  std::unique_ptr<Directory> directory_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread refresher_;
};

}  // namespace herald::accounts
