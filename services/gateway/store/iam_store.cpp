#include "services/gateway/store/iam_store.hpp"

#include <chrono>
#include <map>
#include <string_view>

namespace herald::gateway {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

namespace {

std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

// text[] literal for ids validated as [A-Za-z0-9_-]+ (no quoting needed).
std::optional<std::string> array_literal(const std::optional<std::vector<std::string>>& ids) {
  if (!ids) return std::nullopt;
  std::string out = "{";
  for (std::size_t i = 0; i < ids->size(); ++i) {
    if (i > 0) out += ",";
    out += (*ids)[i];
  }
  return out + "}";
}

std::optional<std::vector<std::string>> parse_array(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  std::string s = f.as<std::string>();
  std::vector<std::string> out;
  if (s.size() < 2) return out;
  std::string_view body(s.data() + 1, s.size() - 2);
  while (!body.empty()) {
    auto comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    if (!item.empty() && item.front() == '"') item = item.substr(1, item.size() - 2);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  return out;
}

UserRecord user_from(const pqxx::row& r) {
  return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
          r[3].as<std::string>(), r[4].as<bool>(),        r[5].as<bool>(),
          r[6].as<int>(),         r[7].as<std::string>()};
}

BrandRecord brand_from(const pqxx::row& r) {
  return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
          r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<int>(), r[6].as<std::string>()};
}

std::optional<std::string> null_if_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

void IamStore::add_queries(core::pg::QueryCatalog& catalog) {
  const auto& files = embedded::embedded_files();
  auto it = files.find("store/iam.sql");
  if (it == files.end()) throw std::logic_error("store/iam.sql is not embedded");
  catalog.add("store/iam.sql", it->second);
}

bool IamStore::has_users() {
  return pool_.transact([](pqxx::work& tx) { return tx.exec_prepared1("iam_count_users")[0].as<long>() > 0; });
}

bool IamStore::bootstrap(const std::string& org_name, const std::string& email,
                         const std::string& password_hash) {
  return pool_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("iam_audit_lock");  // serializes concurrent first starts too
    if (tx.exec_prepared1("iam_count_users")[0].as<long>() > 0) return false;
    auto org_id = tx.exec_prepared1("iam_insert_org", org_name)[0].as<std::string>();
    auto user = user_from(tx.exec_prepared1("iam_insert_user", org_id, email, "Administrator", password_hash, true));
    append_audit(tx, Actor{"", org_id, "system"},
                 {"bootstrap.first_admin", "user", user.id, "", {{"email", email}}});
    return true;
  });
}

std::optional<LoginCandidate> IamStore::login_candidate(const std::string& email) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<LoginCandidate> {
    auto r = tx.exec_prepared("iam_user_by_email", email);
    if (r.empty()) return std::nullopt;
    return LoginCandidate{r[0][0].as<std::string>(), r[0][1].as<std::string>(),
                          r[0][4].as<std::string>(), r[0][6].as<bool>()};
  });
}

std::string IamStore::create_session(const std::string& user_id, const std::string& org_id,
                                     const std::string& email, const std::string& token_hash,
                                     std::int64_t expires_at_us, const std::string& remote) {
  return pool_.transact([&](pqxx::work& tx) {
    auto id = tx.exec_prepared1("iam_insert_session", token_hash, user_id, expires_at_us, remote)[0]
                  .as<std::string>();
    append_audit(tx, Actor{user_id, org_id, email},
                 {"auth.login", "session", id, "", {{"remote_addr", remote}}});
    return id;
  });
}

void IamStore::revoke_session(const Principal& actor) {
  pool_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("iam_revoke_session", actor.session_id);
    append_audit(tx, Actor::of(actor), {"auth.logout", "session", actor.session_id, "", {}});
  });
}

std::vector<Membership> IamStore::memberships(pqxx::work& tx, const std::string& user_id) {
  std::vector<Membership> out;
  for (const auto& r : tx.exec_prepared("iam_memberships_of", user_id)) {
    out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), parse_array(r[3])});
  }
  return out;
}

std::optional<Principal> IamStore::principal_from(pqxx::work& tx, const pqxx::result& r,
                                                  std::int64_t* expires_at_us) {
  if (r.empty()) return std::nullopt;
  Principal p;
  p.user_id = r[0][0].as<std::string>();
  p.org_id = r[0][1].as<std::string>();
  p.email = r[0][2].as<std::string>();
  p.display_name = r[0][3].as<std::string>();
  p.is_admin = r[0][4].as<bool>();
  if (expires_at_us != nullptr) *expires_at_us = r[0][6].as<std::int64_t>();
  p.memberships = memberships(tx, p.user_id);
  return p;
}

namespace {
std::int64_t now_us(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock.now().time_since_epoch()).count();
}
}  // namespace

std::optional<Principal> IamStore::principal_by_session(const std::string& token_hash,
                                                        std::int64_t* expires_at_us) {
  return pool_.transact([&](pqxx::work& tx) {
    auto r = tx.exec_prepared("iam_principal_by_session", token_hash, now_us(clock_));
    auto p = principal_from(tx, r, expires_at_us);
    if (p) p->session_id = r[0][5].as<std::string>();
    return p;
  });
}

std::optional<Principal> IamStore::principal_by_api_token(const std::string& token_hash,
                                                          std::int64_t* expires_at_us) {
  return pool_.transact([&](pqxx::work& tx) {
    auto r = tx.exec_prepared("iam_principal_by_api_token", token_hash, now_us(clock_));
    auto p = principal_from(tx, r, expires_at_us);
    if (p) {
      p->api_token_id = r[0][5].as<std::string>();
      tx.exec_prepared("iam_touch_api_token", p->api_token_id);
    }
    return p;
  });
}

std::vector<BrandRecord> IamStore::list_brands(const std::string& org_id) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<BrandRecord> out;
    for (const auto& r : tx.exec_prepared("iam_list_brands", org_id)) out.push_back(brand_from(r));
    return out;
  });
}

std::optional<BrandRecord> IamStore::brand(const std::string& org_id, const std::string& brand_id) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<BrandRecord> {
    auto r = tx.exec_prepared("iam_brand_by_id", brand_id, org_id);
    if (r.empty()) return std::nullopt;
    return brand_from(r[0]);
  });
}

BrandRecord IamStore::create_brand(const Actor& actor, const std::string& name,
                                   const std::string& slug, const std::string& timezone) {
  return pool_.transact([&](pqxx::work& tx) {
    auto b = brand_from(tx.exec_prepared1("iam_insert_brand", actor.org_id, name, slug, timezone));
    append_audit(tx, actor, {"brand.create", "brand", b.id, b.id,
                             {{"name", name}, {"slug", slug}, {"timezone", timezone}}});
    return b;
  });
}

std::optional<BrandRecord> IamStore::update_brand(const Actor& actor, const std::string& brand_id,
                                                  const std::optional<std::string>& name,
                                                  const std::optional<std::string>& timezone,
                                                  std::optional<int> expected_version) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<BrandRecord> {
    auto r = tx.exec_prepared("iam_update_brand", brand_id, actor.org_id, name, timezone, expected_version);
    if (r.empty()) return std::nullopt;
    nlohmann::json changes = nlohmann::json::object();
    if (name) changes["name"] = *name;
    if (timezone) changes["timezone"] = *timezone;
    append_audit(tx, actor, {"brand.update", "brand", brand_id, brand_id, changes});
    return brand_from(r[0]);
  });
}

std::vector<MemberRecord> IamStore::list_members(const std::string& brand_id) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<MemberRecord> out;
    for (const auto& r : tx.exec_prepared("iam_list_members", brand_id)) {
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                     r[3].as<std::string>(), parse_array(r[4]), r[5].as<std::string>()});
    }
    return out;
  });
}

void IamStore::put_member(const Actor& actor, const std::string& brand_id, const std::string& user_id,
                          const std::string& role,
                          const std::optional<std::vector<std::string>>& account_ids) {
  pool_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("iam_upsert_member", brand_id, user_id, role, array_literal(account_ids));
    nlohmann::json details{{"user_id", user_id}, {"role", role}};
    details["account_ids"] = account_ids ? nlohmann::json(*account_ids) : nlohmann::json(nullptr);
    append_audit(tx, actor, {"brand.member.put", "brand_member", user_id, brand_id, details});
  });
}

bool IamStore::delete_member(const Actor& actor, const std::string& brand_id, const std::string& user_id) {
  return pool_.transact([&](pqxx::work& tx) {
    auto r = tx.exec_prepared("iam_delete_member", brand_id, user_id);
    if (r.affected_rows() == 0) return false;
    append_audit(tx, actor, {"brand.member.delete", "brand_member", user_id, brand_id, {{"user_id", user_id}}});
    return true;
  });
}

std::vector<UserRecord> IamStore::list_users(const std::string& org_id) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<UserRecord> out;
    for (const auto& r : tx.exec_prepared("iam_list_users", org_id)) out.push_back(user_from(r));
    return out;
  });
}

std::optional<UserRecord> IamStore::user(const std::string& org_id, const std::string& user_id) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<UserRecord> {
    auto r = tx.exec_prepared("iam_user_by_id", user_id, org_id);
    if (r.empty()) return std::nullopt;
    return user_from(r[0]);
  });
}

UserRecord IamStore::create_user(const Actor& actor, const std::string& email,
                                 const std::string& display_name, const std::string& password_hash,
                                 bool is_admin) {
  return pool_.transact([&](pqxx::work& tx) {
    auto u = user_from(tx.exec_prepared1("iam_insert_user", actor.org_id, email, display_name, password_hash, is_admin));
    append_audit(tx, actor, {"user.create", "user", u.id, "",
                             {{"email", email}, {"display_name", display_name}, {"is_admin", is_admin}}});
    return u;
  });
}

std::optional<UserRecord> IamStore::update_user(const Actor& actor, const std::string& user_id,
                                                const std::optional<std::string>& display_name,
                                                std::optional<bool> disabled, std::optional<bool> is_admin) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<UserRecord> {
    auto r = tx.exec_prepared("iam_update_user", user_id, actor.org_id, display_name, disabled, is_admin);
    if (r.empty()) return std::nullopt;
    if (disabled.value_or(false)) tx.exec_prepared("iam_revoke_user_sessions", user_id);
    nlohmann::json changes = nlohmann::json::object();
    if (display_name) changes["display_name"] = *display_name;
    if (disabled) changes["disabled"] = *disabled;
    if (is_admin) changes["is_admin"] = *is_admin;
    append_audit(tx, actor, {"user.update", "user", user_id, "", changes});
    return user_from(r[0]);
  });
}

std::optional<std::string> IamStore::password_hash(const std::string& user_id) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<std::string> {
    auto r = tx.exec_prepared("iam_user_password_hash", user_id);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>();
  });
}

void IamStore::set_password(const Actor& actor, const std::string& user_id, const std::string& hash) {
  pool_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("iam_set_password", user_id, hash);
    append_audit(tx, actor, {"user.password.change", "user", user_id, "", {}});
  });
}

std::vector<ApiTokenRecord> IamStore::list_api_tokens(const std::string& user_id) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<ApiTokenRecord> out;
    for (const auto& r : tx.exec_prepared("iam_list_api_tokens", user_id)) {
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                     r[3].as<std::string>(), opt_text(r[4]), opt_text(r[5]), opt_text(r[6])});
    }
    return out;
  });
}

ApiTokenRecord IamStore::create_api_token(const Actor& actor, const std::string& name,
                                          const std::string& display_prefix, const std::string& token_hash,
                                          std::optional<std::int64_t> expires_at_us) {
  return pool_.transact([&](pqxx::work& tx) {
    auto r = tx.exec_prepared1("iam_insert_api_token", actor.user_id, name, display_prefix, token_hash, expires_at_us);
    ApiTokenRecord t{r[0].as<std::string>(), name, display_prefix, r[1].as<std::string>(), opt_text(r[2]), {}, {}};
    append_audit(tx, actor, {"api_token.create", "api_token", t.id, "", {{"name", name}, {"prefix", display_prefix}}});
    return t;
  });
}

std::optional<std::pair<std::string, std::string>> IamStore::api_token_owner(const std::string& token_id) {
  return pool_.transact([&](pqxx::work& tx) -> std::optional<std::pair<std::string, std::string>> {
    auto r = tx.exec_prepared("iam_api_token_owner", token_id);
    if (r.empty()) return std::nullopt;
    return std::make_pair(r[0][0].as<std::string>(), r[0][1].as<std::string>());
  });
}

bool IamStore::revoke_api_token(const Actor& actor, const std::string& token_id) {
  return pool_.transact([&](pqxx::work& tx) {
    auto r = tx.exec_prepared("iam_revoke_api_token", token_id);
    if (r.affected_rows() == 0) return false;
    append_audit(tx, actor, {"api_token.revoke", "api_token", token_id, "", {}});
    return true;
  });
}

namespace {
AuditEntry audit_from(const pqxx::row& r) {
  AuditEntry e;
  e.seq = r[0].as<std::int64_t>();
  e.at_us = r[1].as<std::int64_t>();
  e.org_id = r[2].as<std::string>();
  e.actor_id = r[3].as<std::string>();
  e.actor_label = r[4].as<std::string>();
  e.action = r[5].as<std::string>();
  e.target_type = r[6].as<std::string>();
  e.target_id = r[7].as<std::string>();
  e.brand_id = r[8].as<std::string>();
  e.details = nlohmann::json::parse(r[9].as<std::string>());
  e.prev_hash = r[10].as<std::string>();
  e.hash = r[11].as<std::string>();
  return e;
}
}  // namespace

std::vector<AuditEntry> IamStore::audit_page(const std::string& org_id, std::int64_t before_seq, int limit) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<AuditEntry> out;
    for (const auto& r : tx.exec_prepared("iam_audit_page_for_org", org_id, before_seq, limit)) {
      out.push_back(audit_from(r));
    }
    return out;
  });
}

ChainCheck IamStore::verify_audit() {
  ChainCheck total;
  std::string prev = kGenesisHash;
  std::int64_t after = 0;
  for (;;) {
    auto page = pool_.transact([&](pqxx::work& tx) {
      std::vector<AuditEntry> out;
      for (const auto& r : tx.exec_prepared("iam_audit_page", after, 1000)) out.push_back(audit_from(r));
      return out;
    });
    if (page.empty()) return total;
    if (page.front().seq != after + 1) {
      total.ok = false;
      total.first_bad_seq = after + 1;
      total.reason = "entry missing";
      return total;
    }
    auto check = verify_chain(page, prev);
    total.checked += check.checked;
    if (!check.ok) {
      total.ok = false;
      total.first_bad_seq = check.first_bad_seq;
      total.reason = check.reason;
      return total;
    }
    prev = page.back().hash;
    after = page.back().seq;
  }
}

void IamStore::append_audit(pqxx::work& tx, const Actor& actor, const AuditRecord& record) {
  tx.exec_prepared("iam_audit_lock");
  auto head = tx.exec_prepared("iam_audit_head");
  AuditEntry e;
  e.seq = head.empty() ? 1 : head[0][0].as<std::int64_t>() + 1;
  e.prev_hash = head.empty() ? kGenesisHash : head[0][1].as<std::string>();
  e.at_us = now_us(clock_);
  e.org_id = actor.org_id;
  e.actor_id = actor.user_id;
  e.actor_label = actor.label;
  e.action = record.action;
  e.target_type = record.target_type;
  e.target_id = record.target_id;
  e.brand_id = record.brand_id;
  e.details = record.details.is_null() ? nlohmann::json::object() : record.details;
  // Round-trip through jsonb's normal form is not needed: canonical() re-sorts keys on read.
  e.hash = audit_hash(e.prev_hash, e);
  tx.exec_prepared("iam_audit_insert", e.seq, e.at_us, null_if_empty(e.org_id), null_if_empty(e.actor_id),
                   e.actor_label, e.action, e.target_type, e.target_id, null_if_empty(e.brand_id),
                   e.details.dump(), e.prev_hash, e.hash);
}

}  // namespace herald::gateway
