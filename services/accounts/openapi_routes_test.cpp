// The public OpenAPI document (services/gateway/openapi.yaml, read from the source tree) must
// describe exactly the routes the accounts module registers, in the paths it gives to
// `x-herald-module: accounts`. The routes are registered into a Router the way AccountsModule
// does it, with an AccountsContext made of real objects that are never called (the PostgreSQL
// pool connects lazily, to nowhere; Identity is a stub; no platform is configured).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/platforms.hpp"
#include "services/accounts/api/context.hpp"
#include "services/accounts/connector.hpp"
#include "services/accounts/domain/vault.hpp"
#include "services/accounts/store/account_store.hpp"
#include "services/core/crypto/keyring.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/util/clock.hpp"
#include "tests/support/fake_transport.hpp"
#include "tests/support/route_spec.hpp"

#ifndef HERALD_OPENAPI_PATH
#error "HERALD_OPENAPI_PATH (the source tree's openapi.yaml) comes from services/accounts/CMakeLists.txt"
#endif

namespace herald::accounts {
namespace {

constexpr const char* kModule = "accounts";

std::string spec_text() { return testing::read_text_file(HERALD_OPENAPI_PATH); }

// The accounts module's API routes, registered exactly as AccountsModule registers them.
class AccountsRoutes : public ::testing::Test {
 protected:
  core::SystemClock clock_;
  core::pg::Pool pool_{testing::unused_database()};
  testing::UnusedIdentity identity_;
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
};

TEST(AccountsOpenApi, DocumentIsReadableFromTheSourceTree) {
  auto text = spec_text();
  ASSERT_FALSE(text.empty()) << "cannot read " << HERALD_OPENAPI_PATH;
  EXPECT_EQ(text.rfind("openapi: 3.1", 0), 0U);
}

TEST_F(AccountsRoutes, RegisteredRoutesAndTheDocumentAgree) {
  testing::expect_routes_match_spec(router_, spec_text(), kModule, 12);
}

// The OAuth callback is the one route without a session; the document must say so, and no
// other accounts operation may (the lint cannot tell which operation should be public).
TEST(AccountsOpenApi, OnlyTheOAuthCallbackIsPublic) {
  EXPECT_EQ(testing::public_paths_of(spec_text(), kModule), std::set<std::string>{"/api/v1/oauth/callback"});
}

// The PlatformName enum is the registry's list, in its order.
TEST(AccountsOpenApi, PlatformNameListsEveryPlatform) {
  auto names = testing::schema_enum(spec_text(), "PlatformName");
  EXPECT_EQ(names, adapters::platforms()) << "components.schemas.PlatformName.enum differs from adapters::platforms()";
}

}  // namespace
}  // namespace herald::accounts
