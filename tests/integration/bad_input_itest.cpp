// Bad input, as a careless client sends it: each request gets a clear application/problem+json
// answer with the right 4xx that names the field or the reason, leaks no internals, and changes
// nothing (the audit log, written in the same transaction as every change, does not grow).
#include <gtest/gtest.h>

#include <cctype>

#include "tests/integration/iam_helpers.hpp"

namespace herald::testing {
namespace {

constexpr int kBodyLimit = 4096;

class BadInput : public HeraldSuite<BadInput> {
 public:
  static HeraldOptions options() {
    HeraldOptions o;
    o.env["HERALD_HTTP_BODY_LIMIT_BYTES"] = std::to_string(kBodyLimit);
    return o;
  }

 protected:
  void SetUp() override {
    HeraldSuite::SetUp();
    if (HasFatalFailure()) return;
    admin_ = admin_client(herald());
    head_ = audit_head(admin_);
  }
  // Every test ends by checking that nothing was written.
  void TearDown() override {
    HeraldSuite::TearDown();
    if (herald_started()) {
      EXPECT_EQ(audit_head(admin_), head_) << "a refused request wrote to the audit log";
    }
  }
  bool herald_started() { return !admin_.csrf_token().empty(); }

  Http admin_{"127.0.0.1", 0};
  std::int64_t head_ = 0;
};

TEST_F(BadInput, MalformedJsonIs400) {
  auto r = admin_.send("POST", "/api/v1/brands", "{\"name\": ");
  expect_problem(r, 400, "malformed JSON");
  r = admin_.send("POST", "/api/v1/brands", "[\"name\"]");
  expect_problem(r, 400, "object");
  r = admin_.send("PATCH", "/api/v1/users/00000000-0000-4000-8000-000000000000", "{disabled: true}");
  expect_problem(r, 400, "malformed JSON");
}

TEST_F(BadInput, UnknownFieldIs400NamingIt) {
  auto r = admin_.post("/api/v1/brands", {{"name", unique_slug("u")}, {"colour", "red"}});
  expect_problem(r, 400, "colour");
  EXPECT_EQ(r.json.value("field", ""), "colour") << r.body;
  r = admin_.post("/api/v1/users", {{"email", unique_email("u")}, {"display_name", "U"}, {"role", "admin"}});
  expect_problem(r, 400, "role");
}

TEST_F(BadInput, WrongTypeIs400NamingTheField) {
  auto r = admin_.post("/api/v1/brands", {{"name", 42}});
  expect_problem(r, 400, "name");
  EXPECT_EQ(r.json.value("field", ""), "name");
  r = admin_.post("/api/v1/users", {{"email", unique_email("t")}, {"display_name", "T"}, {"is_admin", "yes"}});
  expect_problem(r, 400, "is_admin");
  r = admin_.post("/api/v1/api-tokens", {{"name", "t"}, {"expires_in_days", "30"}});
  expect_problem(r, 400, "expires_in_days");
}

TEST_F(BadInput, MissingRequiredFieldIs422NamingIt) {
  auto r = admin_.post("/api/v1/brands", nlohmann::json::object());
  expect_problem(r, 422, "name");
  EXPECT_EQ(r.json.value("field", ""), "name");
  r = admin_.post("/api/v1/users", {{"email", unique_email("m")}});
  expect_problem(r, 422, "display_name");
  r = admin_.post("/api/v1/auth/login", {{"email", "admin@herald.local"}});
  expect_problem(r, 422, "password");
}

TEST_F(BadInput, InvalidValuesAre422NamingTheField) {
  expect_problem(admin_.post("/api/v1/brands", {{"name", "Tz"}, {"slug", unique_slug("tz")}, {"timezone", "Mars/Olympus"}}),
                 422, "timezone");
  expect_problem(admin_.post("/api/v1/brands", {{"name", "Slug"}, {"slug", "no spaces allowed"}}), 422, "slug");
  expect_problem(admin_.post("/api/v1/brands", {{"name", ""}}), 422, "name");
  expect_problem(admin_.post("/api/v1/users", {{"email", "not-an-email"}, {"display_name", "E"}}), 422, "email");
  expect_problem(admin_.post("/api/v1/users", {{"email", unique_email("p")}, {"display_name", "P"}, {"password", "short"}}),
                 422, "password");
  expect_problem(admin_.post("/api/v1/api-tokens", {{"name", "t"}, {"expires_in_days", 0}}), 422, "expires_in_days");

  // Against an existing brand and user: unknown role, bad account ids, bad timezone.
  auto brand = admin_.post("/api/v1/brands", {{"name", "Valid"}, {"slug", unique_slug("valid")}});
  ASSERT_EQ(brand.status, 201);
  auto user = admin_.post("/api/v1/users", {{"email", unique_email("valid")}, {"display_name", "V"}, {"password", kUserPassword}});
  ASSERT_EQ(user.status, 201);
  head_ += 2;
  auto members = "/api/v1/brands/" + json_id(brand.json) + "/members/" + json_id(user.json);
  auto r = admin_.put(members, {{"role", "overlord"}});
  expect_problem(r, 422, "role");
  EXPECT_NE(r.json.value("detail", "").find("overlord"), std::string::npos) << r.body;
  expect_problem(admin_.put(members, {{"role", "viewer"}, {"account_ids", nlohmann::json::array({"ok", "not ok!"})}}), 422, "account_ids");
  expect_problem(admin_.put(members, {{"role", "viewer"}, {"account_ids", "acct-1"}}), 400, "account_ids");
  auto list = admin_.get("/api/v1/brands/" + json_id(brand.json) + "/members");
  EXPECT_TRUE(list.json["items"].empty()) << list.body;
  expect_problem(admin_.patch("/api/v1/brands/" + json_id(brand.json), {{"timezone", "Europe/Nowhere"}}), 422, "timezone");
  EXPECT_EQ(admin_.get("/api/v1/brands/" + json_id(brand.json)).json["timezone"], "UTC");
}

TEST_F(BadInput, DuplicatesAre409) {
  auto slug = unique_slug("dup");
  ASSERT_EQ(admin_.post("/api/v1/brands", {{"name", "First"}, {"slug", slug}}).status, 201);
  auto email = unique_email("dup");
  ASSERT_EQ(admin_.post("/api/v1/users", {{"email", email}, {"display_name", "D"}, {"password", kUserPassword}}).status, 201);
  head_ += 2;
  expect_problem(admin_.post("/api/v1/brands", {{"name", "Second"}, {"slug", slug}}), 409, slug);
  expect_problem(admin_.post("/api/v1/users", {{"email", email}, {"display_name", "D2"}, {"password", kUserPassword}}), 409,
                 email);
  // Emails and slugs are compared case-insensitively.
  std::string upper_email = email, upper_slug = slug;
  for (auto& c : upper_email) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (auto& c : upper_slug) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  expect_problem(admin_.post("/api/v1/users", {{"email", upper_email}, {"display_name", "D3"}, {"password", kUserPassword}}),
                 409);
  expect_problem(admin_.post("/api/v1/brands", {{"name", "Third"}, {"slug", upper_slug}}), 409, slug);
}

// PostgreSQL text and jsonb cannot hold U+0000: valid JSON, but it must be refused up front
// with a 4xx naming the field, not fail in the database as a 500.
TEST_F(BadInput, NulCharacterInAStringIsRefusedNot500) {
  std::string nul("a\0b", 3);
  auto check = [](const HttpResponse& r, const std::string& field) {
    SCOPED_TRACE(field);
    EXPECT_TRUE(r.status == 400 || r.status == 422) << "expected 400 or 422, got " << r.status << ": " << r.body;
    EXPECT_TRUE(r.is_problem());
    EXPECT_TRUE(r.json.value("field", "") == field || r.json.value("detail", "").find(field) != std::string::npos)
        << r.body;
    expect_no_internals(r);
  };
  check(admin_.post("/api/v1/brands", {{"name", nul}}), "name");
  check(admin_.post("/api/v1/users", {{"email", unique_email("nul")}, {"display_name", nul}}), "display_name");
  check(admin_.post("/api/v1/api-tokens", {{"name", nul}}), "name");
}

TEST_F(BadInput, HugeHeadersAre431) {
  auto r = admin_.get("/api/v1/brands", {{"X-Padding", std::string(20 * 1024, 'p')}});
  expect_problem(r, 431);
  EXPECT_EQ(admin_.get("/api/v1/brands").status, 200);
}

TEST_F(BadInput, BodyOverTheLimitIs413) {
  std::string big = "{\"name\": \"" + std::string(kBodyLimit + 2000, 'x') + "\"}";
  auto r = admin_.send("POST", "/api/v1/brands", big);
  ASSERT_NE(r.status, 0) << "the connection broke instead of a 413 answer: " << r.error;
  expect_problem(r, 413, std::to_string(kBodyLimit));
  // The server is still fine afterwards.
  EXPECT_EQ(admin_.get("/api/v1/brands").status, 200);
}

TEST_F(BadInput, WrongContentTypeIs415) {
  auto r = admin_.send("POST", "/api/v1/brands", "name=Acme", "application/x-www-form-urlencoded");
  expect_problem(r, 415, "application/json");
}

TEST_F(BadInput, MalformedUuidInThePathIs400) {
  auto r = admin_.get("/api/v1/brands/not-a-uuid");
  expect_problem(r, 400, "id");
  EXPECT_EQ(r.json.value("field", ""), "id");
  expect_problem(admin_.patch("/api/v1/users/123", {{"disabled", true}}), 400, "id");
  expect_problem(admin_.put("/api/v1/brands/00000000-0000-4000-8000-000000000000/members/x'; DROP TABLE users;--",
                            {{"role", "viewer"}}),
                 400, "user_id");
  expect_problem(admin_.del("/api/v1/api-tokens/%27%20OR%201=1"), 400, "id");
}

TEST_F(BadInput, UnknownThingsAre404And405) {
  expect_problem(admin_.get("/api/v1/brands/00000000-0000-4000-8000-000000000000"), 404);
  expect_problem(admin_.patch("/api/v1/users/00000000-0000-4000-8000-000000000000", {{"display_name", "Ghost"}}), 404);
  expect_problem(admin_.put("/api/v1/brands/00000000-0000-4000-8000-000000000000/members/00000000-0000-4000-8000-000000000001",
                            {{"role", "viewer"}}),
                 404);
  expect_problem(admin_.get("/api/v1/no-such-thing"), 404);
  auto r = admin_.del("/api/v1/brands");
  expect_problem(r, 405);
  EXPECT_FALSE(r.header("Allow").empty());
}

TEST_F(BadInput, BadQueryParametersAre400) {
  expect_problem(admin_.get("/api/v1/audit?limit=0"), 400, "limit");
  expect_problem(admin_.get("/api/v1/audit?limit=abc"), 400, "limit");
  expect_problem(admin_.get("/api/v1/audit?cursor=-5"), 400, "cursor");
}

TEST_F(BadInput, MissingRevokedAndGarbageSessionsAre401) {
  Http anon(herald());
  expect_problem(anon.post("/api/v1/brands", {{"name", "Anon"}}), 401);
  expect_problem(anon.get("/api/v1/users"), 401);

  auto email = unique_email("revoked");
  ASSERT_EQ(admin_.post("/api/v1/users", {{"email", email}, {"display_name", "R"}, {"password", kUserPassword}}).status, 201);
  Http u = login_as(herald(), email);
  auto cookie = u.cookie("herald_session").value_or("");
  auto csrf = u.csrf_token();
  ASSERT_EQ(u.logout().status, 204);
  head_ += 3;  // user.create, auth.login, auth.logout
  Http revoked(herald());
  revoked.set_cookie("herald_session", cookie);
  revoked.set_csrf_token(csrf);
  expect_problem(revoked.get("/api/v1/me"), 401);
  expect_problem(revoked.post("/api/v1/api-tokens", {{"name", "after logout"}}), 401);

  Http garbage(herald());
  garbage.set_cookie("herald_session", "%00%ff garbage");
  expect_problem(garbage.get("/api/v1/brands"), 401);
}

TEST_F(BadInput, ABrandTheUserMayNotSeeIs403) {
  auto brand = admin_.post("/api/v1/brands", {{"name", "Secret"}, {"slug", unique_slug("secret")}});
  ASSERT_EQ(brand.status, 201);
  auto email = unique_email("outsider");
  ASSERT_EQ(admin_.post("/api/v1/users", {{"email", email}, {"display_name", "O"}, {"password", kUserPassword}}).status, 201);
  Http u = login_as(herald(), email);
  head_ += 3;
  auto r = u.get("/api/v1/brands/" + json_id(brand.json));
  expect_problem(r, 403, "brand.read");
  // A brand that does not exist looks the same to an outsider: no probing for ids.
  auto ghost = u.get("/api/v1/brands/00000000-0000-4000-8000-000000000000");
  expect_problem(ghost, 403);
  EXPECT_EQ(ghost.json["detail"], r.json["detail"]);
  EXPECT_EQ(r.body.find("Secret"), std::string::npos);
}

}  // namespace
}  // namespace herald::testing
