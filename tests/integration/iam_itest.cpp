// Sign-in, sessions and their protections, as a browser or script sees them: the first-run
// admin, login failures, CSRF, logout, disabled users, ETag/If-Match.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cctype>

#include "tests/integration/iam_helpers.hpp"

namespace herald::testing {
namespace {

class Iam : public HeraldSuite<Iam> {};

TEST_F(Iam, FirstStartWritesPrivateCredentialsAndTheAdminCanSignIn) {
  struct stat st {};
  ASSERT_EQ(::stat(herald().credentials_file().c_str(), &st), 0) << "no credentials file";
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the credentials file must be readable by its owner only";
  EXPECT_EQ(herald().admin_email(), "admin@herald.local");
  EXPECT_GE(herald().admin_password().size(), 12u);

  Http admin(herald());
  auto r = admin.login(herald().admin_email(), herald().admin_password());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["user"]["email"], herald().admin_email());
  EXPECT_EQ(r.json["user"]["is_admin"], true);
  EXPECT_FALSE(r.json.value("csrf_token", "").empty());
  auto set_cookie = r.header("Set-Cookie");
  EXPECT_EQ(set_cookie.rfind("herald_session=", 0), 0u) << set_cookie;
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_EQ(r.body.find(herald().admin_password()), std::string::npos) << "login echoes the password";

  auto me = admin.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["user"]["email"], herald().admin_email());
  EXPECT_EQ(me.json["csrf_token"], admin.csrf_token());
}

TEST_F(Iam, WrongPasswordAndUnknownEmailGetTheSame401) {
  Http anon(herald());
  auto wrong = anon.login(herald().admin_email(), "Wrong-Password-Guess-1");
  expect_problem(wrong, 401);
  EXPECT_FALSE(anon.cookie("herald_session")) << "a failed login must not set a session";
  auto unknown = anon.login("nobody-" + unique_slug("x") + "@example.test", "Wrong-Password-Guess-2");
  expect_problem(unknown, 401);
  EXPECT_EQ(wrong.json["detail"], unknown.json["detail"]) << "the answer must not reveal which emails exist";
  EXPECT_EQ(wrong.json["title"], unknown.json["title"]);
  // Malformed but complete: also 401, not a different shape.
  expect_problem(anon.login(herald().admin_email(), "x"), 401);
}

TEST_F(Iam, PasswordsNeverReachTheLog) {
  Http admin = admin_client(herald());
  auto email = unique_email("logcheck");
  create_user(admin, email, "Log-Check-Secret-Passw0rd");
  Http u(herald());
  ASSERT_EQ(u.login(email, "Log-Check-Secret-Passw0rd").status, 200);
  expect_problem(u.login(email, "Another-Wrong-Secret-99"), 401);
  auto generated = admin.post("/api/v1/users", {{"email", unique_email("gen")}, {"display_name", "Generated"}});
  ASSERT_EQ(generated.status, 201) << generated.body;
  auto initial = generated.json.value("initial_password", "");
  ASSERT_GE(initial.size(), 12u) << "a user created without a password gets a generated one: " << generated.body;

  auto log = herald().log_text();
  ASSERT_FALSE(log.empty()) << "HERALD_LOG_FILE stayed empty: the scan below would prove nothing";
  EXPECT_NE(log.find("listening"), std::string::npos) << log;
  for (const auto& secret : {herald().admin_password(), std::string("Log-Check-Secret-Passw0rd"),
                             std::string("Another-Wrong-Secret-99"), initial}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "the log contains a password";
  }
  // The console shows the first admin's password once (the first-run banner), nothing else.
  auto out = herald().output_text();
  EXPECT_EQ(out.find("Log-Check-Secret-Passw0rd"), std::string::npos);
  EXPECT_EQ(out.find("Another-Wrong-Secret-99"), std::string::npos);
  auto first = out.find(herald().admin_password());
  EXPECT_NE(first, std::string::npos) << "the first-run banner should show the admin password";
  EXPECT_EQ(out.find(herald().admin_password(), first + 1), std::string::npos) << "shown more than once";
}

TEST_F(Iam, CookieRequestsThatChangeStateNeedTheCsrfToken) {
  Http admin = admin_client(herald());
  auto before = audit_head(admin);
  auto slug = unique_slug("csrf");

  Http no_csrf = admin;
  no_csrf.set_auto_csrf(false);
  auto r = no_csrf.post("/api/v1/brands", {{"name", slug}, {"slug", slug}});
  expect_problem(r, 403, "X-CSRF-Token");
  r = no_csrf.post("/api/v1/brands", {{"name", slug}, {"slug", slug}}, {{"X-CSRF-Token", "forged-token"}});
  expect_problem(r, 403, "X-CSRF-Token");
  // Another session's token does not fit this session either.
  Http other = admin_client(herald());
  r = no_csrf.post("/api/v1/brands", {{"name", slug}, {"slug", slug}}, {{"X-CSRF-Token", other.csrf_token()}});
  expect_problem(r, 403, "X-CSRF-Token");
  // Nothing was created: no brand, and only the second login in the audit log.
  EXPECT_EQ(audit_head(admin), before + 1);
  before += 1;
  auto brands = admin.get("/api/v1/brands");
  EXPECT_EQ(brands.body.find(slug), std::string::npos);

  // Logging out is a change too: a forged cross-site logout is refused and the session lives on.
  expect_problem(no_csrf.post("/api/v1/auth/logout"), 403, "X-CSRF-Token");
  EXPECT_EQ(no_csrf.get("/api/v1/me").status, 200);
  EXPECT_EQ(audit_head(admin), before);

  // Safe methods need no token; with it, the change goes through.
  EXPECT_EQ(no_csrf.get("/api/v1/brands").status, 200);
  r = admin.post("/api/v1/brands", {{"name", slug}, {"slug", slug}});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(audit_head(admin), before + 1);
}

TEST_F(Iam, EmailsAreCaseInsensitiveAtLogin) {
  Http admin = admin_client(herald());
  auto email = unique_email("MixedCase");
  create_user(admin, email);
  std::string upper = email;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Http u(herald());
  auto r = u.login(upper, kUserPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["user"]["email"], email);
}

TEST_F(Iam, UsersChangeTheirOwnPassword) {
  Http admin = admin_client(herald());
  auto email = unique_email("passwd");
  auto user_id = json_id(create_user(admin, email));
  Http u = login_as(herald(), email);
  const std::string next = "a brand new passphrase 42";

  auto before = audit_head(admin);
  expect_problem(u.post("/api/v1/me/password", {{"current_password", "not the password"}, {"new_password", next}}), 422,
                 "current_password");
  expect_problem(u.post("/api/v1/me/password", {{"current_password", kUserPassword}, {"new_password", "short"}}), 422,
                 "new_password");
  expect_problem(u.post("/api/v1/me/password", {{"new_password", next}}), 422, "current_password");
  EXPECT_EQ(audit_head(admin), before);
  EXPECT_EQ(Http(herald()).login(email, kUserPassword).status, 200) << "a refused change kept the old password";
  before = audit_head(admin);

  auto r = u.post("/api/v1/me/password", {{"current_password", kUserPassword}, {"new_password", next}});
  EXPECT_EQ(r.status, 204) << r.body;
  expect_problem(Http(herald()).login(email, kUserPassword), 401);
  EXPECT_EQ(Http(herald()).login(email, next).status, 200);
  auto e = find_audit(audit_entries(admin, 20), "user.password.change", user_id);
  ASSERT_TRUE(e.is_object()) << "no user.password.change audit entry";
  EXPECT_EQ(e["actor_id"], user_id);
  EXPECT_EQ(e["seq"].get<std::int64_t>(), before + 1);
  EXPECT_EQ(e.dump().find(next), std::string::npos) << "the audit entry holds the password";
}

TEST_F(Iam, LogoutEndsTheSessionAtOnce) {
  Http admin = admin_client(herald());
  auto email = unique_email("logout");
  create_user(admin, email);
  Http u = login_as(herald(), email);
  ASSERT_EQ(u.get("/api/v1/me").status, 200);  // the principal is now cached
  auto cookie = u.cookie("herald_session");
  ASSERT_TRUE(cookie);

  auto out = u.logout();
  EXPECT_EQ(out.status, 204) << out.body;
  auto cleared = out.header("Set-Cookie");
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << "logout should clear the cookie: " << cleared;
  EXPECT_FALSE(u.cookie("herald_session"));
  expect_problem(u.get("/api/v1/me"), 401);

  // The same cookie, replayed: refused at once, not after the principal cache expires.
  Http replay(herald());
  replay.set_cookie("herald_session", *cookie);
  expect_problem(replay.get("/api/v1/me"), 401);
  expect_problem(replay.get("/api/v1/brands"), 401);

  auto entries = audit_entries(admin, 50);
  bool logged_out = false;
  for (const auto& e : entries) logged_out |= e.value("action", "") == "auth.logout" && e.value("actor", "") == email;
  EXPECT_TRUE(logged_out) << "no auth.logout audit entry for " << email;
}

TEST_F(Iam, MissingGarbageAndForeignCredentialsGet401) {
  Http anon(herald());
  expect_problem(anon.get("/api/v1/me"), 401);
  expect_problem(anon.get("/api/v1/brands"), 401);
  expect_problem(anon.post("/api/v1/brands", {{"name", "x"}}), 401);

  Http garbage(herald());
  garbage.set_cookie("herald_session", "definitely-not-a-session");
  expect_problem(garbage.get("/api/v1/me"), 401);
  garbage.set_cookie("herald_session", std::string(200, 'a'));
  expect_problem(garbage.get("/api/v1/me"), 401);

  Http basic(herald());
  expect_problem(basic.get("/api/v1/me", {{"Authorization", "Basic YWRtaW46YWRtaW4="}}), 401);
  Http bearer(herald());
  bearer.use_bearer("hrld_not-a-real-token");
  expect_problem(bearer.get("/api/v1/me"), 401);
  bearer.use_bearer("not-even-prefixed");
  expect_problem(bearer.get("/api/v1/me"), 401);
}

TEST_F(Iam, DisablingAUserEndsTheirSessionsAndTokensAtOnce) {
  Http admin = admin_client(herald());
  auto email = unique_email("disable");
  auto user = create_user(admin, email);
  auto id = json_id(user);
  Http u = login_as(herald(), email);
  auto token = u.post("/api/v1/api-tokens", {{"name", "cli"}});
  ASSERT_EQ(token.status, 201) << token.body;
  Http bearer(herald());
  bearer.use_bearer(token.json.value("token", ""));
  ASSERT_EQ(u.get("/api/v1/me").status, 200);  // cached
  ASSERT_EQ(bearer.get("/api/v1/me").status, 200);

  auto r = admin.patch("/api/v1/users/" + id, {{"disabled", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["disabled"], true);
  expect_problem(u.get("/api/v1/me"), 401);
  expect_problem(bearer.get("/api/v1/me"), 401);
  // The right password does not help, and the answer does not reveal that the account exists.
  auto again = Http(herald()).login(email, kUserPassword);
  expect_problem(again, 401);
  EXPECT_EQ(again.json["detail"], Http(herald()).login(email, "Wrong-Password-123").json["detail"]);

  // An admin cannot lock themselves out.
  auto admin_id = admin.get("/api/v1/me").json["user"]["id"].get<std::string>();
  expect_problem(admin.patch("/api/v1/users/" + admin_id, {{"disabled", true}}), 422, "disabled");

  // Enabled again: a fresh login works (the old session stays ended).
  ASSERT_EQ(admin.patch("/api/v1/users/" + id, {{"disabled", false}}).status, 200);
  expect_problem(u.get("/api/v1/me"), 401);
  EXPECT_EQ(Http(herald()).login(email, kUserPassword).status, 200);
}

TEST_F(Iam, BrandUpdatesUseETagAndIfMatch) {
  Http admin = admin_client(herald());
  auto slug = unique_slug("etag");
  auto brand = create_brand(admin, slug);
  auto path = "/api/v1/brands/" + json_id(brand);

  auto got = admin.get(path);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.header("ETag"), "\"v1\"");

  auto r = admin.patch(path, {{"name", "Renamed once"}}, {{"If-Match", "\"v1\""}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("ETag"), "\"v2\"");
  EXPECT_EQ(r.json["name"], "Renamed once");

  auto before = audit_head(admin);
  auto stale = admin.patch(path, {{"name", "Lost update"}}, {{"If-Match", "\"v1\""}});
  expect_problem(stale, 412);
  EXPECT_EQ(audit_head(admin), before) << "a refused update must not be audited";
  got = admin.get(path);
  EXPECT_EQ(got.json["name"], "Renamed once");
  EXPECT_EQ(got.header("ETag"), "\"v2\"");

  expect_problem(admin.patch(path, {{"name", "x"}}, {{"If-Match", "yesterday"}}), 400, "If-Match");

  r = admin.patch(path, {{"timezone", "Asia/Shanghai"}}, {{"If-Match", "\"v2\""}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["timezone"], "Asia/Shanghai");
  EXPECT_EQ(r.header("ETag"), "\"v3\"");
}

}  // namespace
}  // namespace herald::testing
