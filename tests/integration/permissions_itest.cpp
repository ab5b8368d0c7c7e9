// Roles on brands, as a member sees them: every IAM endpoint allowed or refused by the server
// according to the role, personal API tokens, and the audit trail of each change.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/integration/iam_helpers.hpp"

namespace herald::testing {
namespace {

class Permissions : public HeraldSuite<Permissions> {};

bool contains(const nlohmann::json& array, const std::string& value) {
  return array.is_array() && std::find(array.begin(), array.end(), value) != array.end();
}

// A brand, a second brand and a user holding `role` on the first.
struct Scene {
  std::string brand_id, other_brand_id, user_id, email, admin_id;
};

Scene make_scene(Http& admin, const std::string& role, const nlohmann::json& account_ids = nullptr) {
  Scene s;
  s.brand_id = json_id(create_brand(admin, unique_slug("brand")));
  s.other_brand_id = json_id(create_brand(admin, unique_slug("other")));
  s.email = unique_email(role);
  s.user_id = json_id(create_user(admin, s.email));
  s.admin_id = admin.get("/api/v1/me").json["user"].value("id", "");
  nlohmann::json body{{"role", role}};
  if (!account_ids.is_null()) body["account_ids"] = account_ids;
  auto r = admin.put("/api/v1/brands/" + s.brand_id + "/members/" + s.user_id, body);
  EXPECT_EQ(r.status, 200) << r.body;
  return s;
}

void expect_forbidden(const HttpResponse& r, const std::string& what) {
  SCOPED_TRACE(what);
  expect_problem(r, 403);
}

TEST_F(Permissions, CommunityManagerGetsExactlyWhatTheRoleAllows) {
  Http admin = admin_client(herald());
  auto s = make_scene(admin, "community_manager");
  Http u = login_as(herald(), s.email);

  auto me = u.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["user"]["is_admin"], false);
  ASSERT_EQ(me.json["user"]["memberships"].size(), 1u) << me.body;
  const auto& m = me.json["user"]["memberships"][0];
  EXPECT_EQ(m["brand_id"], s.brand_id);
  EXPECT_EQ(m["role"], "community_manager");
  EXPECT_TRUE(m["account_ids"].is_null());
  for (const char* p : {"brand.read", "inbox.read", "inbox.reply", "inbox.assign"}) {
    EXPECT_TRUE(contains(m["permissions"], p)) << p << " missing: " << m.dump();
  }
  for (const char* p : {"brand.manage", "post.write", "post.publish", "account.manage"}) {
    EXPECT_FALSE(contains(m["permissions"], p)) << p << " granted: " << m.dump();
  }

  // Allowed.
  auto brands = u.get("/api/v1/brands");
  ASSERT_EQ(brands.status, 200) << brands.body;
  ASSERT_EQ(brands.json["items"].size(), 1u) << "lists only the member's brand: " << brands.body;
  EXPECT_EQ(brands.json["items"][0]["id"], s.brand_id);
  EXPECT_EQ(u.get("/api/v1/brands/" + s.brand_id).status, 200);
  auto members = u.get("/api/v1/brands/" + s.brand_id + "/members");
  ASSERT_EQ(members.status, 200) << members.body;
  ASSERT_EQ(members.json["items"].size(), 1u);
  EXPECT_EQ(members.json["items"][0]["user_id"], s.user_id);
  EXPECT_EQ(members.json["items"][0]["role"], "community_manager");
  EXPECT_EQ(u.get("/api/v1/roles").status, 200);
  EXPECT_EQ(u.get("/api/v1/users/" + s.user_id).status, 200) << "a user may read their own record";

  // Refused, and nothing written.
  auto before = audit_head(admin);
  expect_forbidden(u.post("/api/v1/brands", {{"name", "Mine"}}), "POST /brands");
  expect_forbidden(u.get("/api/v1/users"), "GET /users");
  expect_forbidden(u.post("/api/v1/users", {{"email", unique_email("x")}, {"display_name", "X"}}), "POST /users");
  expect_forbidden(u.get("/api/v1/users/" + s.admin_id), "GET another user");
  expect_forbidden(u.patch("/api/v1/users/" + s.user_id, {{"is_admin", true}}), "PATCH /users (self-promotion)");
  expect_forbidden(u.patch("/api/v1/brands/" + s.brand_id, {{"name", "Hijacked"}}), "PATCH brand w/o brand.manage");
  expect_forbidden(u.put("/api/v1/brands/" + s.brand_id + "/members/" + s.user_id, {{"role", "social_media_manager"}}),
                   "PUT members (self-upgrade)");
  expect_forbidden(u.del("/api/v1/brands/" + s.brand_id + "/members/" + s.user_id), "DELETE member");
  expect_forbidden(u.get("/api/v1/audit"), "GET /audit");
  expect_forbidden(u.get("/api/v1/audit/verify"), "GET /audit/verify");
  expect_forbidden(u.get("/api/v1/brands/" + s.other_brand_id), "GET other brand");
  expect_forbidden(u.get("/api/v1/brands/" + s.other_brand_id + "/members"), "GET other brand members");
  expect_forbidden(u.patch("/api/v1/brands/" + s.other_brand_id, {{"name", "x"}}), "PATCH other brand");
  expect_forbidden(u.put("/api/v1/brands/" + s.other_brand_id + "/members/" + s.user_id, {{"role", "viewer"}}),
                   "PUT self into other brand");
  EXPECT_EQ(audit_head(admin), before);
  EXPECT_EQ(admin.get("/api/v1/brands/" + s.brand_id).json["version"], 1);
  EXPECT_EQ(admin.get("/api/v1/users/" + s.user_id).json["is_admin"], false);
}

TEST_F(Permissions, ViewerScopedToAccountsSeesItsScope) {
  Http admin = admin_client(herald());
  auto s = make_scene(admin, "viewer", nlohmann::json::array({"acct-1", "acct_2"}));
  Http u = login_as(herald(), s.email);

  auto me = u.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  ASSERT_EQ(me.json["user"]["memberships"].size(), 1u) << me.body;
  const auto& m = me.json["user"]["memberships"][0];
  EXPECT_EQ(m["role"], "viewer");
  EXPECT_EQ(m["account_ids"], nlohmann::json::array({"acct-1", "acct_2"}));
  EXPECT_TRUE(contains(m["permissions"], "analytics.read")) << m.dump();
  EXPECT_FALSE(contains(m["permissions"], "post.write")) << m.dump();
  EXPECT_FALSE(contains(m["permissions"], "inbox.reply")) << m.dump();

  auto members = u.get("/api/v1/brands/" + s.brand_id + "/members");
  ASSERT_EQ(members.status, 200) << members.body;
  EXPECT_EQ(members.json["items"][0]["account_ids"], nlohmann::json::array({"acct-1", "acct_2"}));
  auto brands = u.get("/api/v1/brands");
  ASSERT_EQ(brands.json["items"].size(), 1u) << brands.body;
  expect_forbidden(u.get("/api/v1/brands/" + s.other_brand_id), "other brand");
  expect_forbidden(u.patch("/api/v1/brands/" + s.brand_id, {{"name", "x"}}), "viewer PATCH");
  expect_forbidden(u.get("/api/v1/audit"), "viewer audit");
}

TEST_F(Permissions, AnEmptyAccountListMeansNoAccountsNotAll) {
  Http admin = admin_client(herald());
  auto s = make_scene(admin, "viewer", nlohmann::json::array());
  auto members = admin.get("/api/v1/brands/" + s.brand_id + "/members");
  ASSERT_EQ(members.status, 200) << members.body;
  EXPECT_EQ(members.json["items"][0]["account_ids"], nlohmann::json::array()) << members.body;
  Http u = login_as(herald(), s.email);
  auto me = u.get("/api/v1/me");
  EXPECT_EQ(me.json["user"]["memberships"][0]["account_ids"], nlohmann::json::array()) << me.body;
  // And null (or absent) widens it again to every account.
  ASSERT_EQ(admin.put("/api/v1/brands/" + s.brand_id + "/members/" + s.user_id, {{"role", "viewer"}, {"account_ids", nullptr}})
                .status,
            200);
  me = u.get("/api/v1/me");
  EXPECT_TRUE(me.json["user"]["memberships"][0]["account_ids"].is_null()) << me.body;
}

TEST_F(Permissions, TheSeededRolesAreListed) {
  Http admin = admin_client(herald());
  auto r = admin.get("/api/v1/roles");
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> names;
  for (const auto& role : r.json["items"]) {
    names.push_back(role.value("name", ""));
    EXPECT_FALSE(role.value("title", "").empty());
    EXPECT_TRUE(contains(role["permissions"], "brand.read")) << role.dump();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"social_media_manager", "content_planner", "community_manager",
                                             "data_analyst", "designer", "legal_reviewer", "crisis_commander",
                                             "external_reviewer", "viewer"}));
  expect_problem(Http(herald()).get("/api/v1/roles"), 401);
}

TEST_F(Permissions, MembershipChangesTakeEffectAtOnce) {
  Http admin = admin_client(herald());
  auto s = make_scene(admin, "viewer");
  Http u = login_as(herald(), s.email);
  auto brand = "/api/v1/brands/" + s.brand_id;
  expect_forbidden(u.patch(brand, {{"name", "Try 1"}}), "viewer PATCH");  // principal now cached

  ASSERT_EQ(admin.put(brand + "/members/" + s.user_id, {{"role", "social_media_manager"}}).status, 200);
  auto r = u.patch(brand, {{"name", "Managed"}});
  EXPECT_EQ(r.status, 200) << "an upgraded role must apply without waiting for the cache: " << r.body;
  // A manager of this brand still cannot see other brands or the organization's users.
  EXPECT_EQ(u.get(brand + "/members").status, 200);
  expect_forbidden(u.get("/api/v1/brands/" + s.other_brand_id), "manager, other brand");
  expect_forbidden(u.get("/api/v1/users"), "manager, users");

  auto removed = admin.del(brand + "/members/" + s.user_id);
  EXPECT_EQ(removed.status, 204) << removed.body;
  expect_forbidden(u.get(brand), "removed member");
  auto brands = u.get("/api/v1/brands");
  ASSERT_EQ(brands.status, 200);
  EXPECT_TRUE(brands.json["items"].empty()) << brands.body;
}

TEST_F(Permissions, MembersManageTheirOwnApiTokens) {
  Http admin = admin_client(herald());
  auto s = make_scene(admin, "community_manager");
  Http u = login_as(herald(), s.email);

  auto created = u.post("/api/v1/api-tokens", {{"name", "my script"}, {"expires_in_days", 30}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto token = created.json.value("token", "");
  auto token_id = json_id(created.json);
  EXPECT_EQ(token.rfind("hrld_", 0), 0u) << created.body;
  EXPECT_EQ(token.substr(0, 12), created.json.value("prefix", "")) << created.body;
  EXPECT_FALSE(created.json["expires_at"].is_null()) << "the create response must show the expiry: " << created.body;

  auto list = u.get("/api/v1/api-tokens");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["items"].size(), 1u) << list.body;
  EXPECT_EQ(list.json["items"][0]["id"], token_id);
  EXPECT_EQ(list.body.find(token), std::string::npos) << "the token is shown only once";
  EXPECT_FALSE(list.json["items"][0]["expires_at"].is_null()) << list.body;
  EXPECT_TRUE(list.json["items"][0]["last_used_at"].is_null()) << list.body;
  EXPECT_TRUE(admin.get("/api/v1/api-tokens").json["items"].empty()) << "tokens are personal";

  // The token works as Bearer, with the member's rights, and without CSRF.
  Http script(herald());
  script.use_bearer(token);
  auto me = script.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["user"]["id"], s.user_id);
  EXPECT_FALSE(me.json.contains("csrf_token"));
  EXPECT_EQ(script.get("/api/v1/brands/" + s.brand_id).status, 200);
  expect_forbidden(script.get("/api/v1/users"), "token, users");
  expect_forbidden(script.post("/api/v1/brands", {{"name", "Via token"}}), "token, POST brand");
  auto second = script.post("/api/v1/api-tokens", {{"name", "made by token"}});
  EXPECT_EQ(second.status, 201) << second.body;
  expect_problem(script.post("/api/v1/auth/logout"), 400);
  list = u.get("/api/v1/api-tokens");
  for (const auto& t : list.json["items"]) {
    if (t["id"] == token_id) {
      EXPECT_FALSE(t["last_used_at"].is_null()) << "use of the token is recorded: " << t.dump();
    }
  }

  // Someone else cannot revoke it; its owner can, and it stops working at once.
  auto other_email = unique_email("other");
  create_user(admin, other_email);
  Http other = login_as(herald(), other_email);
  expect_forbidden(other.del("/api/v1/api-tokens/" + token_id), "revoke someone else's token");
  EXPECT_EQ(script.get("/api/v1/me").status, 200);
  auto revoked = u.del("/api/v1/api-tokens/" + token_id);
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  expect_problem(script.get("/api/v1/me"), 401);
  list = u.get("/api/v1/api-tokens");
  bool shown_revoked = false;
  for (const auto& t : list.json["items"]) {
    if (t["id"] == token_id) shown_revoked = !t["revoked_at"].is_null();
  }
  EXPECT_TRUE(shown_revoked) << list.body;
  expect_problem(u.del("/api/v1/api-tokens/00000000-0000-4000-8000-000000000000"), 404);
}

TEST_F(Permissions, EveryChangeIsAuditedWithActorAndTarget) {
  Http admin = admin_client(herald());
  auto admin_me = admin.get("/api/v1/me").json["user"];
  auto admin_id = admin_me.value("id", "");
  auto brand_id = json_id(create_brand(admin, unique_slug("audited")));
  auto email = unique_email("audited");
  auto user_id = json_id(create_user(admin, email));
  ASSERT_EQ(admin.put("/api/v1/brands/" + brand_id + "/members/" + user_id, {{"role", "designer"}}).status, 200);
  ASSERT_EQ(admin.patch("/api/v1/brands/" + brand_id, {{"name", "Audited brand"}}).status, 200);
  Http u = login_as(herald(), email);
  auto token = u.post("/api/v1/api-tokens", {{"name", "audited"}});
  ASSERT_EQ(token.status, 201);
  auto token_id = json_id(token.json);
  ASSERT_EQ(u.del("/api/v1/api-tokens/" + token_id).status, 204);
  ASSERT_EQ(u.logout().status, 204);

  auto entries = audit_entries(admin);
  auto check = [&](const std::string& action, const std::string& target_id, const std::string& actor_id,
                   const std::string& actor, const std::string& target_type) {
    SCOPED_TRACE(action);
    auto e = find_audit(entries, action, target_id);
    ASSERT_TRUE(e.is_object()) << "no " << action << " entry for " << target_id;
    EXPECT_EQ(e["actor_id"], actor_id);
    EXPECT_EQ(e["actor"], actor);
    EXPECT_EQ(e["target_type"], target_type);
    EXPECT_EQ(e.value("hash", "").size(), 64u);
  };
  const auto& admin_email = herald().admin_email();
  check("brand.create", brand_id, admin_id, admin_email, "brand");
  check("user.create", user_id, admin_id, admin_email, "user");
  check("brand.member.put", user_id, admin_id, admin_email, "brand_member");
  check("brand.update", brand_id, admin_id, admin_email, "brand");
  check("api_token.create", token_id, user_id, email, "api_token");
  check("api_token.revoke", token_id, user_id, email, "api_token");
  auto member = find_audit(entries, "brand.member.put", user_id);
  EXPECT_EQ(member["brand_id"], brand_id);
  EXPECT_EQ(member["details"].value("role", ""), "designer") << member.dump();

  int logins = 0, logouts = 0;
  for (const auto& e : entries) {
    if (e["actor_id"] != user_id) continue;
    if (e["action"] == "auth.login" && e["target_type"] == "session") ++logins;
    if (e["action"] == "auth.logout" && e["target_type"] == "session") ++logouts;
  }
  EXPECT_EQ(logins, 1);
  EXPECT_EQ(logouts, 1);

  // Newest first, one chain: each entry points at the hash of the one before it.
  for (std::size_t i = 0; i + 1 < entries.size(); ++i) {
    EXPECT_EQ(entries[i]["seq"].get<std::int64_t>(), entries[i + 1]["seq"].get<std::int64_t>() + 1);
    EXPECT_EQ(entries[i]["prev_hash"], entries[i + 1]["hash"]) << "at seq " << entries[i]["seq"];
  }
  auto all = admin.get("/api/v1/audit?limit=500");
  EXPECT_EQ(all.body.find(kUserPassword), std::string::npos) << "the audit log holds a password";
  EXPECT_EQ(all.body.find(token.json.value("token", "")), std::string::npos) << "the audit log holds a token";

  auto verify = admin.get("/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(verify.json["ok"], true) << verify.body;
  EXPECT_GE(verify.json.value("checked", 0), static_cast<int>(entries.size()));
  EXPECT_TRUE(verify.json["first_bad_seq"].is_null());
}

}  // namespace
}  // namespace herald::testing
