#pragma once
// PostgreSQL repository of IAM: users, brands, memberships, sessions, API tokens, audit log.
// Every change writes its audit entry in the same transaction (append_audit). Blocking: call
// from the blocking pool.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "services/core/pg/pool.hpp"
#include "services/core/util/clock.hpp"
#include "services/gateway/domain/audit_chain.hpp"
#include "services/gateway/domain/permissions.hpp"
#include "services/contracts/iam/identity.hpp"

namespace herald::gateway {

using iam::Actor;
using iam::AuditRecord;
using iam::BrandInfo;

struct UserRecord {
  std::string id, org_id, email, display_name;
  bool is_admin = false;
  bool disabled = false;
  int version = 0;
  std::string created_at;
};

struct BrandRecord {
  std::string id, org_id, name, slug, timezone;
  int version = 0;
  std::string created_at;
};

struct MemberRecord {
  std::string user_id, email, display_name, role;
  std::optional<std::vector<std::string>> account_ids;
  std::string created_at;
};

struct ApiTokenRecord {
  std::string id, name, display_prefix, created_at;
  std::optional<std::string> expires_at, revoked_at, last_used_at;
};

struct LoginCandidate {
  std::string user_id, org_id, password_hash;
  bool disabled = false;
};

class IamStore {
 public:
  IamStore(core::pg::Pool& pool, const core::Clock& clock) : pool_(pool), clock_(clock) {}

  // The named queries this store needs (add to the pool's catalog).
  static void add_queries(core::pg::QueryCatalog& catalog);

  bool has_users();
  // Creates the organization and its first admin if there is no user yet; false if there is.
  bool bootstrap(const std::string& org_name, const std::string& email,
                 const std::string& password_hash);

  std::optional<LoginCandidate> login_candidate(const std::string& email);
  std::string create_session(const std::string& user_id, const std::string& org_id,
                             const std::string& email, const std::string& token_hash,
                             std::int64_t expires_at_us, const std::string& remote);
  void revoke_session(const Principal& actor);
  // The principal behind a session or API token hash, with memberships; nullopt if unknown,
  // expired, revoked or disabled. `expires_at_us` receives the credential's expiry (0 = none).
  std::optional<Principal> principal_by_session(const std::string& token_hash, std::int64_t* expires_at_us);
  std::optional<Principal> principal_by_api_token(const std::string& token_hash, std::int64_t* expires_at_us);

  std::vector<BrandRecord> list_brands(const std::string& org_id);
  std::optional<BrandRecord> brand(const std::string& org_id, const std::string& brand_id);
  BrandRecord create_brand(const Actor& actor, const std::string& name, const std::string& slug,
                           const std::string& timezone);
  // nullopt: no such brand or version mismatch (the caller tells which by re-reading).
  std::optional<BrandRecord> update_brand(const Actor& actor, const std::string& brand_id,
                                          const std::optional<std::string>& name,
                                          const std::optional<std::string>& timezone,
                                          std::optional<int> expected_version);

  std::vector<MemberRecord> list_members(const std::string& brand_id);
  void put_member(const Actor& actor, const std::string& brand_id, const std::string& user_id,
                  const std::string& role, const std::optional<std::vector<std::string>>& account_ids);
  bool delete_member(const Actor& actor, const std::string& brand_id, const std::string& user_id);

  std::vector<UserRecord> list_users(const std::string& org_id);
  std::optional<UserRecord> user(const std::string& org_id, const std::string& user_id);
  UserRecord create_user(const Actor& actor, const std::string& email,
                         const std::string& display_name, const std::string& password_hash,
                         bool is_admin);
  std::optional<UserRecord> update_user(const Actor& actor, const std::string& user_id,
                                        const std::optional<std::string>& display_name,
                                        std::optional<bool> disabled, std::optional<bool> is_admin);
  std::optional<std::string> password_hash(const std::string& user_id);
  void set_password(const Actor& actor, const std::string& user_id, const std::string& password_hash);

  std::vector<ApiTokenRecord> list_api_tokens(const std::string& user_id);
  ApiTokenRecord create_api_token(const Actor& actor, const std::string& name,
                                  const std::string& display_prefix, const std::string& token_hash,
                                  std::optional<std::int64_t> expires_at_us);
  // The owner (user id, org id) of a token, if it exists.
  std::optional<std::pair<std::string, std::string>> api_token_owner(const std::string& token_id);
  bool revoke_api_token(const Actor& actor, const std::string& token_id);

  // Newest first, seq < before_seq.
  std::vector<AuditEntry> audit_page(const std::string& org_id, std::int64_t before_seq, int limit);
  // Verifies the whole chain in pages.
  ChainCheck verify_audit();

  // Appends to the hash chain inside the caller's transaction (serialized by an xact lock).
  void append_audit(pqxx::work& tx, const Actor& actor, const AuditRecord& record);

 private:
  std::vector<Membership> memberships(pqxx::work& tx, const std::string& user_id);
  std::optional<Principal> principal_from(pqxx::work& tx, const pqxx::result& r, std::int64_t* expires_at_us);

  core::pg::Pool& pool_;
  const core::Clock& clock_;
};

}  // namespace herald::gateway
