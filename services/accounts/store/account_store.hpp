#pragma once
// PostgreSQL side of the accounts module: accounts, sealed tokens, health events and OAuth
// flows in progress. Blocking: call from the blocking pool. Each change writes its audit row in
// the same transaction (through contracts/iam).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"

namespace herald::accounts {

struct AccountRecord {
  std::string id, org_id, brand_id, platform, platform_account_id;
  std::string handle, display_name, avatar_url, bio, contact;
  bool verified = false;
  std::optional<std::int64_t> followers;
  nlohmann::json positioning = nlohmann::json::object();
  std::vector<std::string> groups, tags;
  std::optional<std::string> store_id;
  bool sandbox = false;
  std::string status;
  std::optional<std::string> token_expires_at, last_refresh_at;
  std::vector<std::string> granted_scopes, required_scopes;
  nlohmann::json rate_state = nlohmann::json::object();
  bool restricted = false, banned = false;
  std::optional<std::string> last_error, last_error_class, last_error_at;
  int version = 0;
  std::string created_at, updated_at;
  std::optional<std::int64_t> token_expires_unix;
  bool refreshable = false;
};

struct AccountFilter {
  std::optional<std::string> brand_id, platform, status, tag, group;
};

struct ConnectedAccount {
  std::string org_id, brand_id, platform, platform_account_id, handle, display_name, avatar_url, bio;
  bool verified = false;
  std::optional<std::int64_t> followers;
  bool sandbox = false;
  std::string status = "connected";
  std::optional<std::int64_t> token_expires_at;
  std::vector<std::string> granted_scopes, required_scopes;
  bool refreshable = false;  // the platform refreshes tokens and issued a refresh token
};

struct ProfileChange {
  std::optional<std::string> contact, bio;
  std::optional<nlohmann::json> positioning;
  std::optional<std::vector<std::string>> groups, tags;
  bool set_store_id = false;
  std::optional<std::string> store_id;
};

struct HealthEvent {
  std::int64_t id = 0;
  std::string kind, reason, at;
};

struct OAuthFlow {
  std::string org_id, brand_id, user_id, user_label, platform, sealed_verifier, redirect_uri;
};

struct SealedToken {
  std::string account_id, platform, sealed;
  int key_version = 0;
};

class AccountStore {
 public:
  AccountStore(core::pg::Pool& pool, iam::Identity& identity) : pool_(pool), identity_(identity) {}

  std::optional<AccountRecord> get(const std::string& org_id, const std::string& id);
  // Any organization's account (for other services' workers, which act for every organization).
  std::optional<AccountRecord> get_any(const std::string& id);
  // Every organization's live connection of one platform account.
  std::vector<AccountRecord> by_platform_account(const std::string& platform, const std::string& platform_account_id);
  // Every connected account of every organization (at most 100,000), by id.
  std::vector<AccountRecord> connected();
  std::vector<AccountRecord> list(const std::string& org_id, const AccountFilter& filter);

  // Creates or updates the account and stores its sealed token (seal_for(account id) gives the
  // bytes and key version), with an audit row; returns the account id.
  std::string save_connected(const iam::Actor& actor, const ConnectedAccount& a,
                             const std::function<std::pair<std::string, int>(const std::string&)>& seal_for);
  // nullopt: no such account, or the version did not match (the caller re-reads to tell).
  std::optional<AccountRecord> update_profile(const iam::Actor& actor, const std::string& org_id,
                                              const std::string& id, const ProfileChange& change,
                                              std::optional<int> expected_version);
  bool disconnect(const iam::Actor& actor, const std::string& org_id, const std::string& id, const std::string& reason);

  std::optional<std::string> sealed_token(const std::string& account_id);
  void put_token(const std::string& account_id, const std::string& sealed, int key_version);
  void mark_refreshed(const std::string& account_id, std::optional<std::int64_t> expires_at,
                      const std::vector<std::string>& scopes);
  void mark_profile(const std::string& account_id, const std::string& handle, const std::string& display_name,
                    const std::string& avatar_url, const std::string& bio, bool verified,
                    std::optional<std::int64_t> followers);
  void mark_error(const std::string& account_id, const std::string& message, const std::string& error_class);
  void add_event(const std::string& account_id, const std::string& kind, const std::string& reason);
  std::vector<HealthEvent> events(const std::string& account_id, int limit);
  // (account id, org id) of connected accounts whose token expires before `before_unix`.
  std::vector<std::pair<std::string, std::string>> due_for_refresh(std::int64_t before_unix);

  // Key rotation: pages through every sealed token (account id order).
  std::vector<SealedToken> tokens_after(const std::string& after_account_id);
  std::vector<std::pair<int, std::int64_t>> token_key_versions();

  void save_flow(const std::string& state_hash, const OAuthFlow& flow);
  // Single use: the flow is deleted as it is read; nullopt when unknown or expired.
  std::optional<OAuthFlow> take_flow(const std::string& state_hash);
  // The same, from the state itself (a flow the user declined at the platform).
  std::optional<OAuthFlow> take_flow_by_state(const std::string& state);
  static std::string hash_state(const std::string& state);

  static nlohmann::json to_json_array(const std::vector<std::string>& v);

 private:
  core::pg::Pool& pool_;
  iam::Identity& identity_;
};

}  // namespace herald::accounts
