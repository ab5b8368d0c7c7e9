#pragma once
// Connecting accounts through the platform sandbox the way a person does in a browser: ask
// Herald to start, open the platform's (sandbox) authorize page, approve, follow the redirect
// back to Herald's callback.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/iam_helpers.hpp"
#include "tests/support/sandbox_process.hpp"

namespace herald::testing {

struct Url {
  std::string host;
  int port = 0;
  std::string path_and_query;
};

inline Url split_url(const std::string& url) {
  Url u;
  auto scheme = url.find("://");
  auto start = scheme == std::string::npos ? 0 : scheme + 3;
  auto slash = url.find('/', start);
  std::string authority = url.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
  auto colon = authority.rfind(':');
  u.host = authority.substr(0, colon);
  u.port = colon == std::string::npos ? 80 : std::stoi(authority.substr(colon + 1));
  u.path_and_query = slash == std::string::npos ? "/" : url.substr(slash);
  return u;
}

inline std::string query_of(const std::string& path_and_query) {
  auto q = path_and_query.find('?');
  return q == std::string::npos ? "" : path_and_query.substr(q + 1);
}

inline std::string query_value(const std::string& query, const std::string& key) {
  std::string needle = key + "=";
  std::size_t pos = 0;
  while (pos < query.size()) {
    auto amp = query.find('&', pos);
    auto part = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (part.rfind(needle, 0) == 0) return part.substr(needle.size());
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return "";
}

// What the sandbox's authorize page answers to Approve (or Deny): the redirect to Herald.
struct Approval {
  int status = 0;
  std::string location;  // Herald's callback URL with code and state
  std::string page;      // the authorize page's HTML
};

inline Approval approve_at_sandbox(const std::string& authorize_url, const std::string& handle,
                                   const std::string& decision = "approve") {
  Approval out;
  auto u = split_url(authorize_url);
  Http browser(u.host, u.port);
  auto page = browser.get(u.path_and_query);
  out.page = page.body;
  if (page.status != 200) {
    out.status = page.status;
    return out;
  }
  // The form carries the original parameters; send them in the body and keep them in the URL.
  std::string form = query_of(u.path_and_query) + "&handle=" + handle + "&decision=" + decision;
  auto r = browser.send("POST", u.path_and_query, form, "application/x-www-form-urlencoded");
  out.status = r.status;
  out.location = r.header("Location");
  return out;
}

// Connects an OAuth platform for `brand_id` as `who`; returns the account id ("" on failure,
// with the test failed).
inline std::string connect_oauth(Http& who, const HeraldProcess& herald, const std::string& brand_id,
                                 const std::string& platform, const std::string& handle) {
  auto start = who.post("/api/v1/brands/" + brand_id + "/accounts/connect", {{"platform", platform}});
  EXPECT_EQ(start.status, 200) << platform << ": " << start.body;
  if (start.status != 200 || start.json.value("mode", "") != "oauth") {
    ADD_FAILURE() << platform << " did not start an OAuth flow: " << start.body;
    return "";
  }
  auto approval = approve_at_sandbox(start.json["authorize_url"].get<std::string>(), handle);
  EXPECT_EQ(approval.status, 302) << platform << ": the sandbox did not redirect back: " << approval.page;
  auto back = split_url(approval.location);
  EXPECT_EQ(back.port, herald.port()) << platform << ": redirected to " << approval.location;
  EXPECT_EQ(query_value(query_of(back.path_and_query), "state"), start.json["state"].get<std::string>());
  Http browser(herald.host(), herald.port());
  auto done = browser.get(back.path_and_query, {{"Accept", "application/json"}});
  EXPECT_EQ(done.status, 201) << platform << ": " << done.body;
  return done.json.is_object() ? done.json.value("account_id", "") : "";
}

}  // namespace herald::testing
