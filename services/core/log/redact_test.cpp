#include "services/core/log/redact.hpp"

#include <gtest/gtest.h>

#include <string>

namespace herald::core::log {
namespace {

constexpr std::string_view kSecret = "S3cr3tValue";

void expect_cut(const std::string& input, const std::string& expected) {
  const std::string out = redact_text(input);
  EXPECT_EQ(out, expected) << "input: " << input;
  EXPECT_EQ(out.find(kSecret), std::string::npos) << out;
}

TEST(Redact, SensitiveKeys) {
  for (const char* key : {"password", "db_password", "Password", "PASSWORD_HASH", "client_secret",
                          "secretKey", "access_token", "refreshToken", "Authorization", "cookie",
                          "Set-Cookie", "api_key", "X-Api-Key", "apiKey", "aws_access_key_id",
                          "private_key", "master_key", "refresh", "passwd", "session_token"}) {
    EXPECT_TRUE(is_sensitive_key(key)) << key;
  }
  for (const char* key : {"post_id", "account_id", "trace_id", "platform", "status", "key", "email",
                          "user", "pass", "msg"}) {
    EXPECT_FALSE(is_sensitive_key(key)) << key;
  }
}

TEST(Redact, UrlCredentials) {
  expect_cut("connecting to postgresql://herald:S3cr3tValue@db:5432/herald",
             "connecting to postgresql://herald:[REDACTED]@db:5432/herald");
  expect_cut("redis://:S3cr3tValue@127.0.0.1:6379/0", "redis://:[REDACTED]@127.0.0.1:6379/0");
  // An unencoded '@' or '#' in the password is still cut whole.
  expect_cut("postgres://u:S3cr3tValue@x#y@host/db", "postgres://u:[REDACTED]@host/db");
  // Two URLs in one text.
  expect_cut("a=https://u:S3cr3tValue@h1/ b=amqp://v:S3cr3tValue@h2",
             "a=https://u:[REDACTED]@h1/ b=amqp://v:[REDACTED]@h2");
  // Nothing to cut: no credentials, or a port, or a user without password.
  EXPECT_EQ(redact_text("https://example.com:8443/path?x=1"), "https://example.com:8443/path?x=1");
  EXPECT_EQ(redact_text("https://bob@example.com/"), "https://bob@example.com/");
  EXPECT_EQ(redact_text("mailto:someone@example.com"), "mailto:someone@example.com");
}

TEST(Redact, LibpqKeywordDsn) {
  expect_cut("host=db port=5432 password=S3cr3tValue dbname=herald",
             "host=db port=5432 password=[REDACTED] dbname=herald");
  expect_cut("host=db password = 'S3cr3tValue with \\' quote' user=x",
             "host=db password = '[REDACTED]' user=x");
  expect_cut("PASSWORD=S3cr3tValue", "PASSWORD=[REDACTED]");
}

TEST(Redact, QueryParameters) {
  expect_cut("GET /cb?code=abc&access_token=S3cr3tValue&state=xyz",
             "GET /cb?code=abc&access_token=[REDACTED]&state=xyz");
  expect_cut("POST /token refresh_token=S3cr3tValue&client_secret=S3cr3tValue&grant_type=r",
             "POST /token refresh_token=[REDACTED]&client_secret=[REDACTED]&grant_type=r");
  expect_cut("https://graph.example/v1/me#access_token=S3cr3tValue",
             "https://graph.example/v1/me#access_token=[REDACTED]");
  // Ordinary parameters stay.
  EXPECT_EQ(redact_text("GET /posts?page=2&limit=50"), "GET /posts?page=2&limit=50");
}

TEST(Redact, BearerAndHeaders) {
  expect_cut("calling with Bearer S3cr3tValue.abc-def_ghi failed",
             "calling with Bearer [REDACTED] failed");
  expect_cut("Authorization: Basic S3cr3tValue\nAccept: */*", "Authorization: [REDACTED]\nAccept: */*");
  expect_cut("Cookie: session=S3cr3tValue; theme=dark", "Cookie: [REDACTED]");
  expect_cut("set-cookie:sid=S3cr3tValue", "set-cookie:[REDACTED]");
}

TEST(Redact, QuotedKeysInEmbeddedJson) {
  expect_cut(R"(platform said: {"access_token":"S3cr3tValue","expires_in":3600})",
             R"(platform said: {"access_token":"[REDACTED]","expires_in":3600})");
  expect_cut(R"({'client_secret': 'S3cr3tValue', 'id': 1})", R"({'client_secret': '[REDACTED]', 'id': 1})");
  expect_cut(R"({"credentials": {"x": 1}, "token": {"a": "S3cr3tValue", "b": [1, "}"]}, "n": 2})",
             R"({"credentials": {"x": 1}, "token": [REDACTED], "n": 2})");
  // Double-encoded JSON (a body logged as a string inside JSON).
  expect_cut(R"({\"refresh_token\":\"S3cr3tValue\",\"n\":1})", R"({\"refresh_token\":[REDACTED],\"n\":1})");
}

TEST(Redact, ColonKeyValueOnlyForExactKeys) {
  expect_cut("config password: S3cr3tValue", "config password: [REDACTED]");
  // Prose that merely mentions a token keeps its meaning.
  EXPECT_EQ(redact_text("failed to refresh token: connection reset"),
            "failed to refresh token: connection reset");
}

TEST(Redact, HeraldApiTokens) {
  expect_cut("token hrld_S3cr3tValue-x_y used", "token hrld_[REDACTED] used");
  expect_cut("hrld_S3cr3tValue", "hrld_[REDACTED]");
}

TEST(Redact, LeavesOrdinaryTextAlone) {
  for (const char* text : {"", "published post 42 to account 7", "took 12:30:45 ms", "a == b",
                           "key=value other=1", "https://example.com/a/b"}) {
    EXPECT_EQ(redact_text(text), text);
  }
}

TEST(Redact, JsonKeysAtAnyDepthAndStringsEverywhere) {
  const nlohmann::json in = {
      {"post_id", 42},
      {"password", "S3cr3tValue"},
      {"nested", {{"deeper", {{"Client_Secret", {{"even", "objects"}}}, {"ok", "fine"}}}}},
      {"list", {{{"api_key", 123}}, "postgresql://u:S3cr3tValue@h/db", 7}},
      {"note", "Bearer S3cr3tValue"},
  };
  const nlohmann::json out = redact(in);
  EXPECT_EQ(out["post_id"], 42);
  EXPECT_EQ(out["password"], "[REDACTED]");
  EXPECT_EQ(out["nested"]["deeper"]["Client_Secret"], "[REDACTED]");
  EXPECT_EQ(out["nested"]["deeper"]["ok"], "fine");
  EXPECT_EQ(out["list"][0]["api_key"], "[REDACTED]");
  EXPECT_EQ(out["list"][1], "postgresql://u:[REDACTED]@h/db");
  EXPECT_EQ(out["list"][2], 7);
  EXPECT_EQ(out["note"], "Bearer [REDACTED]");
  EXPECT_EQ(out.dump().find(kSecret), std::string::npos);
  // The input is untouched (redact works on a copy).
  EXPECT_EQ(in["password"], "S3cr3tValue");
}

}  // namespace
}  // namespace herald::core::log
