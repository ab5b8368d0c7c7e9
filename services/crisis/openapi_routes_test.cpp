// The public OpenAPI document (services/gateway/openapi.yaml, read from the source tree) must
// describe exactly the routes the crisis module registers, in the paths it gives to
// `x-herald-module: crisis`. The routes are registered the way CrisisModule does it, with real
// objects that are never called (the pools connect lazily, to nowhere; the rest are stubs).
#include <gtest/gtest.h>

#include "services/core/crypto/keyring.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/util/clock.hpp"
#include "services/crisis/api/freeze_routes.hpp"
#include "tests/support/route_spec.hpp"

#ifndef HERALD_OPENAPI_PATH
#error "HERALD_OPENAPI_PATH (the source tree's openapi.yaml) comes from services/crisis/CMakeLists.txt"
#endif

namespace herald::crisis {
namespace {

constexpr const char* kModule = "crisis";

std::string spec_text() { return testing::read_text_file(HERALD_OPENAPI_PATH); }

class UnusedPreview final : public contracts::FreezePreviewSource {
 public:
  contracts::HeldPreview preview(const contracts::FreezeScopeRef&, std::int64_t, int) override {
    throw std::logic_error("UnusedPreview::preview called");
  }
};

class CrisisRoutes : public ::testing::Test {
 protected:
  core::SystemClock clock_;
  core::pg::Pool pool_{testing::unused_database()};
  core::redis::Pool redis_{core::redis::Options{}, 1};
  testing::UnusedIdentity identity_;
  testing::UnusedDirectory directory_;
  UnusedPreview preview_;
  Freezes freezes_{pool_, redis_, identity_, directory_, preview_, clock_};
  EvidenceVault evidence_{pool_, identity_, clock_};
  listening::Rules rules_{pool_, identity_};
  core::crypto::KeyRing keyring_{{{1, std::string(32, 'k')}}, 1};
  core::BlockingPool blocking_{1};
  core::Idempotency idempotency_{pool_, blocking_, keyring_};
  CrisisContext ctx_{freezes_, evidence_, rules_, blocking_, identity_, idempotency_};
  core::http::Router router_;

  void SetUp() override {
    register_freeze_routes(router_, ctx_);
    register_evidence_routes(router_, ctx_);
    register_listening_routes(router_, ctx_);
  }
};

TEST_F(CrisisRoutes, RegisteredRoutesAndTheDocumentAgree) {
  testing::expect_routes_match_spec(router_, spec_text(), kModule, 16);
}

// Nothing of the crisis module is public.
TEST(CrisisOpenApi, NoOperationIsPublic) { EXPECT_TRUE(testing::public_paths_of(spec_text(), kModule).empty()); }

}  // namespace
}  // namespace herald::crisis
