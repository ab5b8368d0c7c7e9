#pragma once
// Connecting accounts and keeping their tokens alive: the OAuth 2.0 authorization-code flow with
// PKCE (state single-use and hashed, verifier sealed), credential-based connections for
// platforms without user OAuth, refresh ahead of expiry, health checks, disconnect with
// revocation at the platform, and re-encryption of every token after a key rotation.
// Blocking: call from the blocking pool. Failures the caller should show throw core::http::HttpError.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "herald/adapters/adapter.hpp"
#include "services/accounts/domain/vault.hpp"
#include "herald/adapters/platforms.hpp"
#include "services/accounts/store/account_store.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/util/clock.hpp"

namespace herald::accounts {

using adapters::Platforms;

struct ConnectStart {
  std::string mode;           // "oauth": send the browser to authorize_url; "credentials": post them
  std::string authorize_url;
  std::string state;
  std::vector<std::string> fields;  // for "credentials": what to ask the user for
};

struct RotationReport {
  std::int64_t resealed = 0;
  std::int64_t already_current = 0;
  std::int64_t failed = 0;  // rows no key in the ring opens (reported, left as they are)
};

class Connector {
 public:
  Connector(AccountStore& store, const Vault& vault, Platforms& platforms, adapters::Transport& transport,
            const core::Clock& clock, core::log::Logger& log, std::function<std::string()> redirect_uri);

  ConnectStart start(const iam::Principal& p, const std::string& brand_id, const std::string& platform);
  // The OAuth callback: checks the state, exchanges the code with the sealed verifier, reads the
  // profile, stores the account and its sealed tokens. Returns the account id.
  std::string complete(const std::string& state, const std::string& code);
  // Platforms that connect with the account's own credentials (an app password, an AppSecret,
  // or a handle for assisted publishing).
  std::string connect_with_credentials(const iam::Principal& p, const std::string& brand_id,
                                       const std::string& platform, const std::string& identifier,
                                       const std::string& secret);

  // Refreshes the account's token now. False (and a health event) when the platform refused.
  bool refresh(const std::string& org_id, const std::string& account_id);
  // Asks the platform for the profile with the stored token; records the outcome.
  bool check(const std::string& org_id, const std::string& account_id);
  void disconnect(const iam::Principal& p, const std::string& account_id);
  // Refreshes every connected token that expires within `ahead_s`; returns how many succeeded.
  int refresh_due(std::int64_t ahead_s);
  RotationReport rotate_keys();

  [[nodiscard]] Platforms& platforms() { return platforms_; }

 private:
  std::unique_ptr<adapters::Adapter> adapter_or_throw(const std::string& platform);
  std::string finish(const iam::Actor& actor, const std::string& org_id, const std::string& brand_id,
                     const std::string& platform, adapters::Adapter& adapter, const adapters::TokenSet& tokens);
  void record_failure(const std::string& account_id, const std::string& kind, const adapters::Error& e);
  std::int64_t now() const;

  AccountStore& store_;
  const Vault& vault_;
  Platforms& platforms_;
  adapters::Transport& transport_;
  const core::Clock& clock_;
  core::log::Logger& log_;
  // Herald's OAuth callback URL, computed when needed (the port is known once the server listens).
  std::function<std::string()> redirect_uri_;
  adapters::TokenSet open_tokens(const AccountRecord& account);
};

}  // namespace herald::accounts
