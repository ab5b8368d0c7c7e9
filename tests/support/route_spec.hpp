#pragma once
// What every module's openapi_routes_test.cpp checks, in one place: the routes a module registers
// are exactly the operations services/gateway/openapi.yaml gives to its `x-herald-module`, and
// which of them are public (`security: []`). Header-only: it needs core's Router, which
// herald_test_support does not link. Plus the never-called collaborators those tests build a
// module's routes with.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/http/router.hpp"
#include "services/core/pg/pool.hpp"
#include "tests/support/openapi_reader.hpp"

namespace herald::testing {

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// (lower-case method, pattern) of every route in the router.
inline std::set<Operation> router_operations(const core::http::Router& router) {
  std::set<Operation> ops;
  for (const auto& r : router.routes()) {
    auto name = boost::beast::http::to_string(r.method);
    std::string method(name.data(), name.size());
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ops.emplace(method, r.pattern);
  }
  return ops;
}

// Both directions: every registered route documented as the module's, every documented operation
// of the module registered, no (method, pattern) registered twice.
inline void expect_routes_match_spec(const core::http::Router& router, const std::string& spec_text,
                                     const std::string& module, std::size_t min_routes) {
  auto routes = router_operations(router);
  ASSERT_GE(routes.size(), min_routes) << "suspiciously few routes registered";
  ASSERT_EQ(routes.size(), router.routes().size()) << "a (method, pattern) is registered twice";
  auto spec = spec_operations_of(spec_text, module);
  ASSERT_FALSE(spec.empty()) << "no path of openapi.yaml says `x-herald-module: " << module << "`";
  std::set<Operation> missing, extra;
  std::set_difference(routes.begin(), routes.end(), spec.begin(), spec.end(), std::inserter(missing, missing.end()));
  std::set_difference(spec.begin(), spec.end(), routes.begin(), routes.end(), std::inserter(extra, extra.end()));
  EXPECT_TRUE(missing.empty()) << "routes registered by the " << module
                               << " module but missing from openapi.yaml's paths with `x-herald-module: " << module
                               << "`:" << describe(missing);
  EXPECT_TRUE(extra.empty()) << "operations documented as the " << module
                             << " module's that it does not register:" << describe(extra);
}

// The paths of `module` with an operation marked `security: []` (no session needed).
inline std::set<std::string> public_paths_of(const std::string& spec_text, const std::string& module) {
  auto modules = spec_path_modules(spec_text);
  std::set<std::string> out;
  std::string path;
  for (const auto& line : top_level_block(lines_of(spec_text), "paths")) {
    if (line.size() > 3 && line.rfind("  /", 0) == 0 && line.back() == ':') path = line.substr(2, line.size() - 3);
    if (line == "      security: []" && modules[path] == module) out.insert(path);
  }
  return out;
}

// A PostgreSQL pool that would connect (lazily) to nowhere: routes are registered, never called.
inline core::pg::PoolOptions unused_database() {
  core::pg::PoolOptions options;
  options.url = "postgresql://unused@127.0.0.1:1/x";
  return options;
}

// The gateway's side of contracts/iam, never reached: no request is dispatched in these tests.
class UnusedIdentity final : public iam::Identity {
 public:
  boost::asio::awaitable<iam::Principal> require(core::http::Request&) override {
    throw std::logic_error("UnusedIdentity::require called");
    co_return iam::Principal{};
  }
  std::optional<iam::BrandInfo> brand(const std::string&, const std::string&) override {
    throw std::logic_error("UnusedIdentity::brand called");
  }
  std::vector<iam::BrandInfo> brands(const std::string&) override {
    throw std::logic_error("UnusedIdentity::brands called");
  }
  std::vector<iam::MemberInfo> members(const std::string&, const std::string&) override {
    throw std::logic_error("UnusedIdentity::members called");
  }
  void append_audit(pqxx::work&, const iam::Actor&, const iam::AuditRecord&) override {
    throw std::logic_error("UnusedIdentity::append_audit called");
  }
};

class UnusedDirectory final : public contracts::AccountDirectory {
 public:
  std::optional<contracts::AccountRef> account(const std::string&, const std::string&) override {
    throw std::logic_error("UnusedDirectory::account called");
  }
  std::optional<adapters::Credentials> credentials(const std::string&) override {
    throw std::logic_error("UnusedDirectory::credentials called");
  }
};

}  // namespace herald::testing
