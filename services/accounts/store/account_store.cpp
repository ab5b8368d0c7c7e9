#include "services/accounts/store/account_store.hpp"

#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"

namespace herald::accounts {
namespace {

using core::crypto::base64_decode;
using core::crypto::base64_encode;

std::optional<std::string> opt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

std::vector<std::string> strings(const pqxx::field& f) {
  if (f.is_null()) return {};
  auto j = nlohmann::json::parse(f.as<std::string>(), nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

AccountRecord account_from(const pqxx::row& r) {
  AccountRecord a;
  a.id = r[0].as<std::string>();
  a.org_id = r[1].as<std::string>();
  a.brand_id = r[2].as<std::string>();
  a.platform = r[3].as<std::string>();
  a.platform_account_id = r[4].as<std::string>();
  a.handle = r[5].as<std::string>();
  a.display_name = r[6].as<std::string>();
  a.avatar_url = r[7].as<std::string>();
  a.bio = r[8].as<std::string>();
  a.contact = r[9].as<std::string>();
  a.verified = r[10].as<bool>();
  if (!r[11].is_null()) a.followers = r[11].as<std::int64_t>();
  a.positioning = nlohmann::json::parse(r[12].as<std::string>());
  a.groups = strings(r[13]);
  a.tags = strings(r[14]);
  a.store_id = opt(r[15]);
  a.sandbox = r[16].as<bool>();
  a.status = r[17].as<std::string>();
  a.token_expires_at = opt(r[18]);
  a.last_refresh_at = opt(r[19]);
  a.granted_scopes = strings(r[20]);
  a.required_scopes = strings(r[21]);
  a.rate_state = nlohmann::json::parse(r[22].as<std::string>());
  a.restricted = r[23].as<bool>();
  a.banned = r[24].as<bool>();
  a.last_error = opt(r[25]);
  a.last_error_class = opt(r[26]);
  a.last_error_at = opt(r[27]);
  a.version = r[28].as<int>();
  a.created_at = r[29].as<std::string>();
  a.updated_at = r[30].as<std::string>();
  if (!r[31].is_null()) a.token_expires_unix = r[31].as<std::int64_t>();
  a.refreshable = r[32].as<bool>();
  return a;
}

std::optional<std::string> json_or_null(const std::optional<nlohmann::json>& j) {
  if (!j) return std::nullopt;
  return j->dump();
}

}  // namespace

nlohmann::json AccountStore::to_json_array(const std::vector<std::string>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

std::optional<AccountRecord> AccountStore::get(const std::string& org_id, const std::string& id) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<AccountRecord> {
    auto r = tx.exec_prepared("acc_get", id, org_id);
    if (r.empty()) return std::nullopt;
    return account_from(r[0]);
  });
}

std::vector<AccountRecord> AccountStore::by_platform_account(const std::string& platform,
                                                             const std::string& platform_account_id) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<AccountRecord> out;
    for (const auto& r : tx.exec_prepared("acc_by_platform_account", platform, platform_account_id)) {
      out.push_back(account_from(r));
    }
    return out;
  });
}

std::vector<AccountRecord> AccountStore::connected() {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<AccountRecord> out;
    for (const auto& r : tx.exec_prepared("acc_connected")) out.push_back(account_from(r));
    return out;
  });
}

std::optional<AccountRecord> AccountStore::get_any(const std::string& id) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<AccountRecord> {
    auto r = tx.exec_prepared("acc_get_any", id);
    if (r.empty()) return std::nullopt;
    return account_from(r[0]);
  });
}

std::vector<AccountRecord> AccountStore::list(const std::string& org_id, const AccountFilter& f) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<AccountRecord> out;
    for (const auto& r : tx.exec_prepared("acc_list", org_id, f.brand_id, f.platform, f.status, f.tag, f.group)) {
      out.push_back(account_from(r));
    }
    return out;
  });
}

std::string AccountStore::save_connected(const iam::Actor& actor, const ConnectedAccount& a,
                                         const std::function<std::pair<std::string, int>(const std::string&)>& seal_for) {
  return pool_.transact([&](pqxx::work& tx) {
    auto row = tx.exec_prepared1("acc_upsert_connected", a.org_id, a.brand_id, a.platform, a.platform_account_id,
                                 a.handle, a.display_name, a.avatar_url, a.bio, a.verified, a.followers, a.sandbox,
                                 a.status, a.token_expires_at, to_json_array(a.granted_scopes).dump(),
                                 to_json_array(a.required_scopes).dump(), a.refreshable);
    auto id = row[0].as<std::string>();
    bool inserted = row[1].as<bool>();
    auto [sealed, version] = seal_for(id);
    if (!sealed.empty()) tx.exec_prepared("acc_put_token", id, version, base64_encode(sealed));
    tx.exec_prepared("acc_insert_event", id, "connected",
                     std::string(inserted ? "connected" : "reconnected") + " by " + actor.label);
    identity_.append_audit(tx, actor,
                           {inserted ? "account.connect" : "account.reconnect", "account", id, a.brand_id,
                            {{"platform", a.platform}, {"handle", a.handle}, {"sandbox", a.sandbox}}});
    return id;
  });
}

std::optional<AccountRecord> AccountStore::update_profile(const iam::Actor& actor, const std::string& org_id,
                                                          const std::string& id, const ProfileChange& c,
                                                          std::optional<int> expected_version) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<AccountRecord> {
    std::optional<std::string> groups, tags;
    if (c.groups) groups = to_json_array(*c.groups).dump();
    if (c.tags) tags = to_json_array(*c.tags).dump();
    auto r = tx.exec_prepared("acc_update_profile", id, org_id, c.contact, c.bio, json_or_null(c.positioning), groups,
                              tags, c.set_store_id, c.store_id, expected_version);
    if (r.empty()) return std::nullopt;
    auto a = account_from(tx.exec_prepared1("acc_get", id, org_id));
    nlohmann::json changes = nlohmann::json::object();
    if (c.contact) changes["contact"] = *c.contact;
    if (c.bio) changes["bio"] = *c.bio;
    if (c.positioning) changes["positioning"] = *c.positioning;
    if (c.groups) changes["groups"] = *c.groups;
    if (c.tags) changes["tags"] = *c.tags;
    if (c.set_store_id) changes["store_id"] = c.store_id ? nlohmann::json(*c.store_id) : nlohmann::json(nullptr);
    identity_.append_audit(tx, actor, {"account.update", "account", id, a.brand_id, changes});
    return a;
  });
}

bool AccountStore::disconnect(const iam::Actor& actor, const std::string& org_id, const std::string& id,
                              const std::string& reason) {
  return pool_.transact([&](pqxx::work& tx) {
    auto r = tx.exec_prepared("acc_disconnect", id, org_id);
    if (r.empty()) return false;
    tx.exec_prepared("acc_delete_token", id);
    tx.exec_prepared("acc_insert_event", id, "disconnected", reason);
    auto a = account_from(tx.exec_prepared1("acc_get", id, org_id));
    identity_.append_audit(tx, actor, {"account.disconnect", "account", id, a.brand_id, {{"reason", reason}}});
    return true;
  });
}

std::optional<std::string> AccountStore::sealed_token(const std::string& account_id) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<std::string> {
    auto r = tx.exec_prepared("acc_get_token", account_id);
    if (r.empty()) return std::nullopt;
    return base64_decode(r[0][0].as<std::string>());
  });
}

void AccountStore::put_token(const std::string& account_id, const std::string& sealed, int key_version) {
  pool_.transact([&](pqxx::work& tx) { tx.exec_prepared("acc_put_token", account_id, key_version, base64_encode(sealed)); });
}

void AccountStore::mark_refreshed(const std::string& account_id, std::optional<std::int64_t> expires_at,
                                  const std::vector<std::string>& scopes) {
  pool_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("acc_mark_refreshed", account_id, expires_at, to_json_array(scopes).dump());
    tx.exec_prepared("acc_insert_event", account_id, "refreshed", "");
  });
}

void AccountStore::mark_profile(const std::string& account_id, const std::string& handle,
                                const std::string& display_name, const std::string& avatar_url, const std::string& bio,
                                bool verified, std::optional<std::int64_t> followers) {
  pool_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("acc_mark_profile", account_id, handle, display_name, avatar_url, bio, verified, followers);
  });
}

void AccountStore::mark_error(const std::string& account_id, const std::string& message,
                              const std::string& error_class) {
  pool_.transact([&](pqxx::work& tx) { tx.exec_prepared("acc_mark_error", account_id, message, error_class); });
}

void AccountStore::add_event(const std::string& account_id, const std::string& kind, const std::string& reason) {
  pool_.transact([&](pqxx::work& tx) { tx.exec_prepared("acc_insert_event", account_id, kind, reason); });
}

std::vector<HealthEvent> AccountStore::events(const std::string& account_id, int limit) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<HealthEvent> out;
    for (const auto& r : tx.exec_prepared("acc_events", account_id, limit)) {
      out.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>()});
    }
    return out;
  });
}

std::vector<std::pair<std::string, std::string>> AccountStore::due_for_refresh(std::int64_t before_unix) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : tx.exec_prepared("acc_due_refresh", before_unix)) {
      out.emplace_back(r[0].as<std::string>(), r[1].as<std::string>());
    }
    return out;
  });
}

std::vector<SealedToken> AccountStore::tokens_after(const std::string& after_account_id) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<SealedToken> out;
    for (const auto& r : tx.exec_prepared("acc_tokens_page", after_account_id)) {
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), base64_decode(r[2].as<std::string>()),
                     r[3].as<int>()});
    }
    return out;
  });
}

std::vector<std::pair<int, std::int64_t>> AccountStore::token_key_versions() {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<std::pair<int, std::int64_t>> out;
    for (const auto& r : tx.exec_prepared("acc_token_versions")) out.emplace_back(r[0].as<int>(), r[1].as<std::int64_t>());
    return out;
  });
}

void AccountStore::save_flow(const std::string& state_hash, const OAuthFlow& f) {
  pool_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("oauth_purge_states");
    tx.exec_prepared("oauth_insert_state", state_hash, f.org_id, f.brand_id, f.user_id, f.user_label, f.platform,
                     base64_encode(f.sealed_verifier), f.redirect_uri);
  });
}

std::string AccountStore::hash_state(const std::string& state) { return core::crypto::sha256_hex(state); }

std::optional<OAuthFlow> AccountStore::take_flow_by_state(const std::string& state) {
  return take_flow(hash_state(state));
}

std::optional<OAuthFlow> AccountStore::take_flow(const std::string& state_hash) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<OAuthFlow> {
    auto r = tx.exec_prepared("oauth_take_state", state_hash);
    if (r.empty()) return std::nullopt;
    return OAuthFlow{r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<std::string>(),
                     r[0][3].as<std::string>(), r[0][4].as<std::string>(), base64_decode(r[0][5].as<std::string>()),
                     r[0][6].as<std::string>()};
  });
}

}  // namespace herald::accounts
