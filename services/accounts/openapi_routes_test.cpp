// The public OpenAPI document (services/gateway/openapi.yaml, read from the source tree) must
// describe exactly the routes the accounts module registers, in the paths it gives to
// `x-herald-module: accounts`. The routes are registered into a Router the way AccountsModule
// does it, with an AccountsContext made of real objects that are never called (the PostgreSQL
// pool connects lazily, to nowhere; Identity is a stub; no platform is configured).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "herald/adapters/adapter.hpp"
#include "services/accounts/api/context.hpp"
#include "services/accounts/connector.hpp"
#include "services/accounts/domain/vault.hpp"
#include "herald/adapters/platforms.hpp"
#include "services/accounts/store/account_store.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/crypto/keyring.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/util/clock.hpp"
#include "tests/support/fake_transport.hpp"
#include "tests/support/openapi_reader.hpp"

#ifndef HERALD_OPENAPI_PATH
#error "HERALD_OPENAPI_PATH (the source tree's openapi.yaml) comes from services/accounts/CMakeLists.txt"
#endif

namespace herald::accounts {
namespace {

using testing::describe;
using testing::Operation;

constexpr const char* kModule = "accounts";

std::string spec_text() {
  std::ifstream in(HERALD_OPENAPI_PATH, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The gateway's side of contracts/iam, never reached: no request is dispatched here.
class UnusedIdentity final : public iam::Identity {
 public:
  boost::asio::awaitable<iam::Principal> require(core::http::Request&) override {
    throw std::logic_error("UnusedIdentity::require called");
    co_return iam::Principal{};
  }
  std::optional<iam::BrandInfo> brand(const std::string&, const std::string&) override {
    throw std::logic_error("UnusedIdentity::brand called");
  }
  void append_audit(pqxx::work&, const iam::Actor&, const iam::AuditRecord&) override {
    throw std::logic_error("UnusedIdentity::append_audit called");
  }
};

// The accounts module's API routes, registered exactly as AccountsModule registers them.
class AccountsRoutes : public ::testing::Test {
 protected:
  static core::pg::PoolOptions unused_database() {
    core::pg::PoolOptions options;
    options.url = "postgresql://unused@127.0.0.1:1/x";
    return options;
  }

  core::SystemClock clock_;
  core::pg::Pool pool_{unused_database()};
  UnusedIdentity identity_;
  AccountStore store_{pool_, identity_};
  core::crypto::KeyRing keyring_{{{1, std::string(32, 'k')}}, 1};
  Vault vault_{keyring_};
  adapters::Platforms platforms_{adapters::PlatformsOptions{}};
  herald::testing::FakeTransport transport_;
  core::log::Logger log_{"openapi-routes-test", [](std::string_view) {}};
  Connector connector_{store_,
                       vault_,
                       platforms_,
                       transport_,
                       clock_,
                       log_,
                       [] { return std::string("http://127.0.0.1:1/api/v1/oauth/callback"); }};
  core::BlockingPool blocking_{1};
  core::Idempotency idempotency_{pool_, blocking_, keyring_};
  AccountsContext ctx_{store_, connector_, blocking_, identity_, idempotency_, clock_};
  core::http::Router router_;

  void SetUp() override {
    register_account_routes(router_, ctx_);
    register_connect_routes(router_, ctx_);
  }

  [[nodiscard]] std::set<Operation> registered() const {
    std::set<Operation> ops;
    for (const auto& r : router_.routes()) {
      auto name = boost::beast::http::to_string(r.method);
      ops.emplace(lower(std::string_view(name.data(), name.size())), r.pattern);
    }
    return ops;
  }
};

TEST(AccountsOpenApi, DocumentIsReadableFromTheSourceTree) {
  auto text = spec_text();
  ASSERT_FALSE(text.empty()) << "cannot read " << HERALD_OPENAPI_PATH;
  EXPECT_EQ(text.rfind("openapi: 3.1", 0), 0U);
}

TEST_F(AccountsRoutes, EveryRegisteredRouteIsDocumentedAsTheModules) {
  auto routes = registered();
  ASSERT_GE(routes.size(), 12U) << "suspiciously few routes registered";
  ASSERT_EQ(routes.size(), router_.routes().size()) << "a (method, pattern) is registered twice";
  auto spec = testing::spec_operations_of(spec_text(), kModule);
  std::set<Operation> missing;
  std::set_difference(routes.begin(), routes.end(), spec.begin(), spec.end(), std::inserter(missing, missing.end()));
  EXPECT_TRUE(missing.empty()) << "routes registered by the accounts module but missing from openapi.yaml's paths "
                                  "with `x-herald-module: accounts`:"
                               << describe(missing);
}

TEST_F(AccountsRoutes, EveryDocumentedOperationOfTheModuleIsRegistered) {
  auto routes = registered();
  auto spec = testing::spec_operations_of(spec_text(), kModule);
  ASSERT_FALSE(spec.empty()) << "no path of openapi.yaml says `x-herald-module: accounts`";
  std::set<Operation> extra;
  std::set_difference(spec.begin(), spec.end(), routes.begin(), routes.end(), std::inserter(extra, extra.end()));
  EXPECT_TRUE(extra.empty()) << "operations documented as the accounts module's that it does not register:"
                             << describe(extra);
}

// The OAuth callback is the one route without a session; the document must say so, and no
// other accounts operation may (the lint cannot tell which operation should be public).
TEST(AccountsOpenApi, OnlyTheOAuthCallbackIsPublic) {
  auto text = spec_text();
  auto modules = testing::spec_path_modules(text);
  std::set<std::string> public_paths;
  std::string path;
  for (const auto& line : testing::top_level_block(testing::lines_of(text), "paths")) {
    if (line.size() > 3 && line.rfind("  /", 0) == 0 && line.back() == ':') path = line.substr(2, line.size() - 3);
    if (line == "      security: []" && modules[path] == kModule) public_paths.insert(path);
  }
  EXPECT_EQ(public_paths, std::set<std::string>{"/api/v1/oauth/callback"});
}

// The PlatformName enum is the registry's list, in its order.
TEST(AccountsOpenApi, PlatformNameListsEveryPlatform) {
  auto names = testing::schema_enum(spec_text(), "PlatformName");
  EXPECT_EQ(names, adapters::platforms()) << "components.schemas.PlatformName.enum differs from adapters::platforms()";
}

}  // namespace
}  // namespace herald::accounts
