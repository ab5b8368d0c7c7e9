#pragma once
// Shared steps of the IAM integration tests: create brands and users as the admin, log in as
// them, read the audit log, and check error responses the way a client would see them.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/herald_process.hpp"
#include "tests/support/test_env.hpp"

namespace herald::testing {

// A password that passes the server's policy (12+ characters).
inline const std::string kUserPassword = "correct horse battery staple";

// Pieces of internals that must never reach a client.
inline void expect_no_internals(const HttpResponse& r) {
  for (const char* leak : {"pqxx", "SELECT ", "INSERT ", "UPDATE ", "/work/", ".cpp", ".hpp", "std::",
                           "terminate", "what()", "postgresql://"}) {
    EXPECT_EQ(r.body.find(leak), std::string::npos) << "response body leaks '" << leak << "': " << r.body;
  }
}

// An RFC 7807 answer with this status whose detail (or field) mentions `mention`.
inline void expect_problem(const HttpResponse& r, int status, const std::string& mention = "") {
  EXPECT_EQ(r.status, status) << r.error << " " << r.body;
  EXPECT_TRUE(r.is_problem()) << "Content-Type: " << r.header("Content-Type") << " body: " << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  EXPECT_EQ(r.json.value("status", 0), status) << r.body;
  EXPECT_FALSE(r.json.value("title", std::string()).empty()) << r.body;
  EXPECT_FALSE(r.json.value("detail", std::string()).empty()) << r.body;
  if (!mention.empty()) {
    std::string detail = r.json.value("detail", std::string());
    std::string field = r.json.value("field", std::string());
    EXPECT_TRUE(detail.find(mention) != std::string::npos || field == mention)
        << "expected the problem to name '" << mention << "': " << r.body;
  }
  expect_no_internals(r);
}

// A logged-in admin client (fails the test if login does not work).
inline Http admin_client(const HeraldProcess& herald) {
  Http admin(herald);
  auto r = admin.login(herald.admin_email(), herald.admin_password());
  EXPECT_EQ(r.status, 200) << r.body;
  return admin;
}

inline nlohmann::json create_brand(Http& admin, const std::string& name) {
  auto r = admin.post("/api/v1/brands", {{"name", name}, {"slug", name}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json;
}

inline nlohmann::json create_user(Http& admin, const std::string& email, const std::string& password = kUserPassword) {
  auto r = admin.post("/api/v1/users", {{"email", email}, {"display_name", "User " + email}, {"password", password}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json;
}

inline std::string unique_email(const std::string& who) {
  auto name = unique_name(who);
  for (auto& c : name) {
    if (c == '_') c = '-';
  }
  return name + "@example.test";
}

inline std::string unique_slug(const std::string& who) {
  auto name = unique_name(who);
  for (auto& c : name) {
    if (c == '_') c = '-';
  }
  return name;
}

inline std::string json_id(const nlohmann::json& doc) {
  return doc.is_object() && doc.contains("id") && doc["id"].is_string() ? doc["id"].get<std::string>() : "";
}

// A client logged in as `email`.
inline Http login_as(const HeraldProcess& herald, const std::string& email, const std::string& password = kUserPassword) {
  Http c(herald);
  auto r = c.login(email, password);
  EXPECT_EQ(r.status, 200) << r.body;
  return c;
}

// The newest audit entries (newest first), read through the API as an admin.
inline std::vector<nlohmann::json> audit_entries(Http& admin, int limit = 500) {
  auto r = admin.get("/api/v1/audit?limit=" + std::to_string(limit));
  EXPECT_EQ(r.status, 200) << r.body;
  std::vector<nlohmann::json> out;
  if (r.json.is_object() && r.json["items"].is_array()) {
    for (const auto& e : r.json["items"]) out.push_back(e);
  }
  return out;
}

// The highest audit seq (0 when the log is empty).
inline std::int64_t audit_head(Http& admin) {
  auto items = audit_entries(admin, 1);
  return items.empty() ? 0 : items.front().value("seq", std::int64_t{0});
}

// The newest entry with this action and target id, or null.
inline nlohmann::json find_audit(const std::vector<nlohmann::json>& entries, const std::string& action,
                                 const std::string& target_id) {
  for (const auto& e : entries) {
    if (e.value("action", "") == action && e.value("target_id", "") == target_id) return e;
  }
  return nullptr;
}

}  // namespace herald::testing

namespace herald::testing {

// One herald per test suite (SetUpTestSuite), for speed. A suite that needs other settings
// defines `static HeraldOptions options()`. Under ctest every test runs in its own process, so
// tests must not depend on each other: each creates the data it needs.
template <class Suite>
class HeraldSuite : public ::testing::Test {
 public:
  static HeraldOptions options() { return {}; }

 protected:
  static void SetUpTestSuite() {
    try {
      herald_ = std::make_unique<HeraldProcess>(Suite::options());
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { herald_.reset(); }
  void SetUp() override {
    if (!herald_) FAIL() << "herald did not start: " << start_error_;
  }
  // Whatever a test sent, the server must still be up.
  void TearDown() override {
    if (herald_) {
      EXPECT_TRUE(herald_->running()) << "herald died during the test:\n" << herald_->output_text();
    }
  }
  static HeraldProcess& herald() { return *herald_; }

 private:
  static inline std::unique_ptr<HeraldProcess> herald_;
  static inline std::string start_error_;
};

}  // namespace herald::testing
