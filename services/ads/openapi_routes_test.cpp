// The public OpenAPI document (services/gateway/openapi.yaml, read from the source tree) must
// describe exactly the routes the ads module registers, in the paths it gives to
// `x-herald-module: ads`, and none of them is public. The routes are registered the way AdsModule
// does it, with real objects that are never called.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "services/ads/api/routes.hpp"
#include "services/core/crypto/keyring.hpp"
#include "tests/support/fake_transport.hpp"
#include "tests/support/route_spec.hpp"

#ifndef HERALD_OPENAPI_PATH
#error "HERALD_OPENAPI_PATH (the source tree's openapi.yaml) comes from services/ads/CMakeLists.txt"
#endif

namespace herald::ads {
namespace {

constexpr const char* kModule = "ads";

class AdsRoutes : public ::testing::Test {
 protected:
  core::pg::Pool pool_{testing::unused_database()};
  testing::UnusedIdentity identity_;
  testing::UnusedDirectory directory_;
  testing::FakeTransport transport_;
  core::SystemClock clock_;
  Ads ads_{pool_, identity_, directory_, [](const std::string&) { return nullptr; }, transport_, clock_};
  core::crypto::KeyRing keyring_{{{1, std::string(32, 'k')}}, 1};
  core::BlockingPool blocking_{1};
  core::Idempotency idempotency_{pool_, blocking_, keyring_};
  AdsContext ctx_{ads_, blocking_, identity_, idempotency_, [](const std::string&) {}};
  core::http::Router router_;

  void SetUp() override { register_ads_routes(router_, ctx_); }
};

TEST_F(AdsRoutes, RegisteredRoutesAndTheDocumentAgree) {
  testing::expect_routes_match_spec(router_, testing::read_text_file(HERALD_OPENAPI_PATH), kModule, 11);
}

TEST(AdsOpenApi, NothingIsPublic) {
  EXPECT_TRUE(testing::public_paths_of(testing::read_text_file(HERALD_OPENAPI_PATH), kModule).empty());
}

}  // namespace
}  // namespace herald::ads
