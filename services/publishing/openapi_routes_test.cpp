// The public OpenAPI document (services/gateway/openapi.yaml, read from the source tree) must
// describe exactly the routes the publishing module registers, in the paths it gives to
// `x-herald-module: publishing`. The routes are registered into a Router the way
// PublishingModule does it, with a context of real objects that are never called (the
// PostgreSQL pool connects lazily, to nowhere; Identity and the account directory are stubs).
#include <gtest/gtest.h>

#include "services/core/crypto/keyring.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/util/clock.hpp"
#include "services/publishing/api/context.hpp"
#include "tests/support/route_spec.hpp"

#ifndef HERALD_OPENAPI_PATH
#error "HERALD_OPENAPI_PATH (the source tree's openapi.yaml) comes from services/publishing/CMakeLists.txt"
#endif

namespace herald::publishing {
namespace {

constexpr const char* kModule = "publishing";

std::string spec_text() { return testing::read_text_file(HERALD_OPENAPI_PATH); }

class PublishingRoutes : public ::testing::Test {
 protected:
  core::SystemClock clock_;
  core::pg::Pool pool_{testing::unused_database()};
  testing::UnusedIdentity identity_;
  testing::UnusedDirectory directory_;
  PostStore store_{pool_};
  Posts posts_{store_, identity_, directory_, clock_};
  core::crypto::KeyRing keyring_{{{1, std::string(32, 'k')}}, 1};
  core::BlockingPool blocking_{1};
  core::Idempotency idempotency_{pool_, blocking_, keyring_};
  PublishingContext ctx_{posts_, blocking_, identity_, idempotency_};
  core::http::Router router_;

  void SetUp() override {
    register_post_routes(router_, ctx_);
    register_held_routes(router_, ctx_);
  }
};

TEST_F(PublishingRoutes, RegisteredRoutesAndTheDocumentAgree) {
  testing::expect_routes_match_spec(router_, spec_text(), kModule, 10);
}

// Nothing of the publishing module is public.
TEST(PublishingOpenApi, NoOperationIsPublic) { EXPECT_TRUE(testing::public_paths_of(spec_text(), kModule).empty()); }

// The TargetState enum is the lifecycle's list of states, in order.
TEST(PublishingOpenApi, TargetStateListsEveryLifecycleState) {
  std::vector<std::string> states;
  for (auto s : kAllStates) states.emplace_back(to_string(s));
  EXPECT_EQ(testing::schema_enum(spec_text(), "TargetState"), states);
}

}  // namespace
}  // namespace herald::publishing
