// Idempotency-Key on creating POSTs: a retried create returns the first response instead of
// creating twice; a reused key with another request is refused; a failed request frees its key.
#include "tests/integration/iam_helpers.hpp"

namespace herald::testing {
namespace {

class Idempotency : public HeraldSuite<Idempotency> {};

std::size_t count_brands_with_slug(Http& admin, const std::string& slug) {
  auto r = admin.get("/api/v1/brands");
  std::size_t n = 0;
  for (const auto& b : r.json["items"]) n += b["slug"] == slug ? 1 : 0;
  return n;
}

TEST_F(Idempotency, RetriedCreateReturnsTheFirstResponse) {
  auto admin = admin_client(herald());
  auto slug = unique_slug("idem");
  httplib::Headers key{{"Idempotency-Key", "create-" + slug}};
  auto first = admin.post("/api/v1/brands", {{"name", "Idem"}, {"slug", slug}}, key);
  ASSERT_EQ(first.status, 201) << first.body;
  auto head = audit_head(admin);
  auto again = admin.post("/api/v1/brands", {{"name", "Idem"}, {"slug", slug}}, key);
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(again.json["id"], first.json["id"]);
  EXPECT_EQ(again.header("Location"), first.header("Location"));
  EXPECT_EQ(count_brands_with_slug(admin, slug), 1u);
  EXPECT_EQ(audit_head(admin), head) << "a replay must not write";
}

TEST_F(Idempotency, SameKeyWithAnotherRequestIsRefused) {
  auto admin = admin_client(herald());
  httplib::Headers key{{"Idempotency-Key", unique_name("k")}};
  ASSERT_EQ(admin.post("/api/v1/brands", {{"name", "A"}, {"slug", unique_slug("a")}}, key).status, 201);
  auto other = admin.post("/api/v1/brands", {{"name", "B"}, {"slug", unique_slug("b")}}, key);
  expect_problem(other, 422, "Idempotency-Key");
}

TEST_F(Idempotency, KeysArePerCaller) {
  auto admin = admin_client(herald());
  auto email = unique_email("idem-user");
  create_user(admin, email);
  auto user = login_as(herald(), email);
  httplib::Headers key{{"Idempotency-Key", "shared-key-" + unique_name("x")}};
  auto mine = admin.post("/api/v1/api-tokens", {{"name", "admin token"}}, key);
  ASSERT_EQ(mine.status, 201) << mine.body;
  auto theirs = user.post("/api/v1/api-tokens", {{"name", "admin token"}}, key);
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  EXPECT_NE(theirs.json["id"], mine.json["id"]);
  EXPECT_TRUE(theirs.header("Idempotent-Replayed").empty());
}

TEST_F(Idempotency, ReplayedTokenIsTheSameSecretAndStillWorks) {
  auto admin = admin_client(herald());
  httplib::Headers key{{"Idempotency-Key", unique_name("tok")}};
  auto first = admin.post("/api/v1/api-tokens", {{"name", "ci"}}, key);
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = admin.post("/api/v1/api-tokens", {{"name", "ci"}}, key);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(again.json["token"], first.json["token"]);
  Http bearer(herald());
  bearer.use_bearer(again.json["token"].get<std::string>());
  EXPECT_EQ(bearer.get("/api/v1/me").status, 200);
  // The secret is stored sealed, never as plain text.
  EXPECT_EQ(herald().log_text().find(first.json["token"].get<std::string>()), std::string::npos);
}

TEST_F(Idempotency, FailedRequestReleasesItsKey) {
  auto admin = admin_client(herald());
  httplib::Headers key{{"Idempotency-Key", unique_name("fix")}};
  auto slug = unique_slug("fixed");
  auto bad = admin.post("/api/v1/brands", {{"name", "X"}, {"slug", slug}, {"timezone", "Mars/Base"}}, key);
  expect_problem(bad, 422, "timezone");
  // The corrected request is a different request, but the key was released by the failure.
  auto good = admin.post("/api/v1/brands", {{"name", "X"}, {"slug", slug}, {"timezone", "Asia/Shanghai"}}, key);
  EXPECT_EQ(good.status, 201) << good.body;
}

TEST_F(Idempotency, MalformedKeyIsRefused) {
  auto admin = admin_client(herald());
  auto r = admin.post("/api/v1/brands", {{"name", "X"}}, {{"Idempotency-Key", std::string(300, 'k')}});
  expect_problem(r, 400, "Idempotency-Key");
}

}  // namespace
}  // namespace herald::testing
