// The public OpenAPI document (services/gateway/openapi.yaml, read from the source tree) must
// describe exactly the routes the inbox module registers, in the paths it gives to
// `x-herald-module: inbox`. The routes are registered the way InboxModule does it, with real
// objects that are never called (the pool connects lazily, to nowhere; Identity and the account
// directory are stubs; no platform is configured).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "services/core/crypto/keyring.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/redis/pool.hpp"
#include "services/core/util/clock.hpp"
#include "services/inbox/api/inbox_routes.hpp"
#include "adapters/transport/httplib_transport.hpp"
#include "services/inbox/presence.hpp"
#include "tests/support/route_spec.hpp"

#ifndef HERALD_OPENAPI_PATH
#error "HERALD_OPENAPI_PATH (the source tree's openapi.yaml) comes from services/inbox/CMakeLists.txt"
#endif

namespace herald::inbox {
namespace {

constexpr const char* kModule = "inbox";
constexpr const char* kWebhookPath = "/api/v1/webhooks/{platform}";

std::string spec_text() { return testing::read_text_file(HERALD_OPENAPI_PATH); }

// The (method, path) of every operation of `module` marked `security: []`: public_paths_of
// names paths, and a path may hold a public and a non-public operation.
std::set<testing::Operation> public_operations_of(const std::string& text, const std::string& module) {
  auto modules = testing::spec_path_modules(text);
  std::set<testing::Operation> out;
  std::string path, method;
  for (const auto& line : testing::top_level_block(testing::lines_of(text), "paths")) {
    if (line.size() > 3 && line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      method.clear();
    } else if (line.size() > 5 && line.rfind("    ", 0) == 0 && line[4] != ' ' && line.back() == ':') {
      method = line.substr(4, line.size() - 5);
    }
    if (line == "      security: []" && modules[path] == module) out.emplace(method, path);
  }
  return out;
}

class InboxRoutes : public ::testing::Test {
 protected:
  core::pg::Pool pool_{testing::unused_database()};
  testing::UnusedIdentity identity_;
  testing::UnusedDirectory directory_;
  Inbox inbox_{pool_, identity_};
  adapters::Platforms platforms_{adapters::PlatformsOptions{}};
  core::crypto::KeyRing keyring_{{{1, std::string(32, 'k')}}, 1};
  core::BlockingPool blocking_{1};
  core::Idempotency idempotency_{pool_, blocking_, keyring_};
  core::redis::Pool redis_{core::redis::Options{}, 1};  // never reached: no route here is called
  Presence presence_{redis_, "test"};
  SavedReplies saved_replies_{pool_, identity_, directory_, inbox_};
  SlaPolicies sla_{pool_, identity_};
  Reports reports_{pool_};
  adapters::HttplibTransport transport_;
  Poller poller_{pool_, directory_, [](const std::string&) { return std::unique_ptr<adapters::Adapter>(); }, transport_,
                 inbox_};
  Moderator moderator_{pool_,      redis_, directory_, [](const std::string&) { return std::unique_ptr<adapters::Adapter>(); },
                       transport_, inbox_, contracts::gate::SendGate{}, "test"};
  Privacy privacy_{pool_, identity_};
  core::SystemClock clock_;
  InboxContext ctx_{inbox_,     blocking_, identity_, idempotency_, directory_, platforms_,
                    presence_, saved_replies_, sla_,      reports_, poller_, moderator_, privacy_, clock_};
  core::http::Router router_;

  void SetUp() override {
    register_inbox_routes(router_, ctx_);
    register_saved_reply_routes(router_, ctx_);
    register_sla_routes(router_, ctx_);
    register_routing_routes(router_, ctx_);
    register_privacy_routes(router_, ctx_);
    register_webhook_routes(router_, ctx_);
  }
};

TEST_F(InboxRoutes, RegisteredRoutesAndTheDocumentAgree) {
  testing::expect_routes_match_spec(router_, spec_text(), kModule, 32);
}

// Only the platforms' webhook receiver is public (the platform's signature is its
// authentication), both its operations; every /api/v1/inbox operation needs a caller.
TEST(InboxOpenApi, OnlyTheWebhookReceiverIsPublic) {
  auto text = spec_text();
  EXPECT_EQ(testing::public_paths_of(text, kModule), std::set<std::string>{kWebhookPath});
  EXPECT_EQ(public_operations_of(text, kModule),
            (std::set<testing::Operation>{{"get", kWebhookPath}, {"post", kWebhookPath}}));
}

}  // namespace
}  // namespace herald::inbox
