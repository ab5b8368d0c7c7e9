// The public OpenAPI document (services/gateway/openapi.yaml, read from the source tree) must
// describe exactly the routes the campaigns module registers, in the paths it gives to
// `x-herald-module: campaigns`. The routes are registered the way CampaignsModule does it, with
// real objects that are never called (the pool connects lazily, to nowhere; Identity, the account
// directory and the freeze control are stubs).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "services/campaigns/api/routes.hpp"
#include "services/core/crypto/keyring.hpp"
#include "tests/support/route_spec.hpp"

#ifndef HERALD_OPENAPI_PATH
#error "HERALD_OPENAPI_PATH (the source tree's openapi.yaml) comes from services/campaigns/CMakeLists.txt"
#endif

namespace herald::campaigns {
namespace {

constexpr const char* kModule = "campaigns";

class UnusedFreezes final : public contracts::FreezeControl {
 public:
  contracts::FreezeState freeze_campaign(const iam::Principal&, const std::string&, const std::string&,
                                         const std::string&) override {
    throw std::logic_error("not called");
  }
  contracts::FreezeState request_or_lift(const iam::Principal&, const std::string&, const std::string&) override {
    throw std::logic_error("not called");
  }
  std::optional<contracts::FreezeState> state(const iam::Principal&, const std::string&) override {
    throw std::logic_error("not called");
  }
};

class CampaignsRoutes : public ::testing::Test {
 protected:
  core::pg::Pool pool_{testing::unused_database()};
  testing::UnusedIdentity identity_;
  testing::UnusedDirectory directory_;
  UnusedFreezes freezes_;
  Campaigns campaigns_{pool_, identity_, directory_, freezes_};
  Links links_{pool_, identity_};
  core::crypto::KeyRing keyring_{{{1, std::string(32, 'k')}}, 1};
  core::BlockingPool blocking_{1};
  core::Idempotency idempotency_{pool_, blocking_, keyring_};
  core::SystemClock clock_;
  CampaignsContext ctx_{campaigns_, links_, blocking_, identity_, idempotency_, clock_};
  core::http::Router router_;

  void SetUp() override {
    register_campaign_routes(router_, ctx_);
    register_link_routes(router_, ctx_);
  }
};

TEST_F(CampaignsRoutes, RegisteredRoutesAndTheDocumentAgree) {
  testing::expect_routes_match_spec(router_, testing::read_text_file(HERALD_OPENAPI_PATH), kModule, 15);
}

// Only the redirect is public: a visitor has no session. Everything under /api/v1 needs a caller.
TEST(CampaignsOpenApi, OnlyTheRedirectIsPublic) {
  EXPECT_EQ(testing::public_paths_of(testing::read_text_file(HERALD_OPENAPI_PATH), kModule),
            std::set<std::string>{"/l/{code}"});
}

}  // namespace
}  // namespace herald::campaigns
