// services/gateway/openapi.yaml must describe exactly the routes the gateway registers, in the
// paths it owns (those without `x-herald-module`; other modules' tests check theirs). The
// routes are registered into a Router the way GatewayModule does it, with a GatewayContext made
// of real objects that are never called (the PostgreSQL pool connects lazily, to nowhere).
// The YAML is read line by line (tests/support/openapi_reader), by the layout convention
// written at the top of openapi.yaml.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/core/log/logger.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/util/clock.hpp"
#include "services/gateway/api/authenticator.hpp"
#include "services/gateway/api/context.hpp"
#include "services/gateway/domain/permissions.hpp"
#include "services/gateway/store/iam_store.hpp"
#include "tests/support/route_spec.hpp"

namespace herald::gateway::embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}  // namespace herald::gateway::embedded

namespace herald::gateway {
namespace {

using testing::describe;
using testing::kGatewayModule;
using testing::lines_of;
using testing::Operation;
using testing::spec_operations;
using testing::spec_operations_of;
using testing::spec_path_modules;
using testing::top_level_block;

// Routes GatewayModule registers itself rather than through register_*_routes.
const std::set<std::string> kModulePaths = {"/api/v1/openapi.yaml", "/api/v1/stream"};

std::string spec_text() {
  const auto& files = embedded::embedded_files();
  auto it = files.find("openapi.yaml");
  if (it == files.end()) return "";
  return std::string(it->second);
}

// The gateway's API routes, registered exactly as GatewayModule registers them.
class GatewayRoutes : public ::testing::Test {
 protected:
  core::SystemClock clock_;
  core::pg::Pool pool_{testing::unused_database()};
  IamStore store_{pool_, clock_};
  core::BlockingPool blocking_{1};
  Authenticator auth_{store_, blocking_, clock_, "key"};
  core::log::Logger log_{"openapi-routes-test", [](std::string_view) {}};
  core::crypto::KeyRing keyring_{{{1, std::string(32, 'k')}}, 1};
  core::Idempotency idempotency_{pool_, blocking_, keyring_};
  GatewayContext ctx_{store_, blocking_, auth_, clock_, core::config::SecurityConfig{},
                      core::crypto::Argon2Params{}, log_, idempotency_};
  core::http::Router router_;

  void SetUp() override {
    register_auth_routes(router_, ctx_);
    register_brand_routes(router_, ctx_);
    register_user_routes(router_, ctx_);
    register_token_routes(router_, ctx_);
    register_audit_routes(router_, ctx_);
  }

  [[nodiscard]] std::set<Operation> registered() const { return testing::router_operations(router_); }
};

TEST(OpenApiDocument, IsEmbeddedAndIsOpenApi31) {
  auto text = spec_text();
  ASSERT_FALSE(text.empty()) << "openapi.yaml is not embedded in the gateway library";
  EXPECT_EQ(text.rfind("openapi: 3.1", 0), 0U) << "openapi.yaml must start with `openapi: 3.1`";
}

TEST(OpenApiDocument, DocumentsTheSystemAndModuleRoutes) {
  auto ops = spec_operations(spec_text());
  for (const auto* path : {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.yaml", "/api/v1/stream"}) {
    EXPECT_EQ(ops.count({"get", path}), 1U) << "openapi.yaml does not document GET " << path;
  }
}

TEST_F(GatewayRoutes, EveryRegisteredRouteIsDocumented) {
  auto routes = registered();
  ASSERT_GE(routes.size(), 20U) << "suspiciously few routes registered";
  ASSERT_EQ(routes.size(), router_.routes().size()) << "a (method, pattern) is registered twice";
  auto spec = spec_operations_of(spec_text(), kGatewayModule);
  std::set<Operation> missing;
  std::set_difference(routes.begin(), routes.end(), spec.begin(), spec.end(), std::inserter(missing, missing.end()));
  EXPECT_TRUE(missing.empty()) << "routes registered by the gateway but missing from openapi.yaml's gateway paths "
                                  "(documented, if at all, under another x-herald-module):"
                               << describe(missing);
}

// Paths with an x-herald-module are another module's (its own openapi_routes_test.cpp checks
// them); every other documented /api/v1 operation must be one the gateway registers.
TEST_F(GatewayRoutes, EveryDocumentedApiOperationIsRegistered) {
  auto routes = registered();
  auto text = spec_text();
  auto all = spec_operations(text);
  auto gateway = spec_operations_of(text, kGatewayModule);
  ASSERT_LT(gateway.size(), all.size()) << "no path of openapi.yaml belongs to another module: is x-herald-module "
                                           "read?";
  std::set<Operation> extra;
  for (const auto& op : gateway) {
    if (op.second.rfind("/api/v1/", 0) != 0 || kModulePaths.count(op.second) != 0) continue;
    if (routes.count(op) == 0) extra.insert(op);
  }
  EXPECT_TRUE(extra.empty()) << "operations in openapi.yaml's gateway paths that the gateway does not register:"
                             << describe(extra);
}

// A path that openapi.yaml gives to another module is none that the gateway serves (whatever
// the method), and every module's path is an API path, except the short links' public redirect
// (/l/{code}, the campaigns module's), which people open from a printed QR code or a post.
TEST_F(GatewayRoutes, OtherModulesPathsAreNotTheGateways) {
  auto modules = spec_path_modules(spec_text());
  std::set<std::string> registered_paths;
  for (const auto& op : registered()) registered_paths.insert(op.second);
  for (const auto& [path, module] : modules) {
    if (module == kGatewayModule) continue;
    EXPECT_EQ(registered_paths.count(path), 0U) << path << " is registered by the gateway but documented as "
                                                << module << "'s";
    if (module == "campaigns" && path == "/l/{code}") continue;
    EXPECT_EQ(path.rfind("/api/v1/", 0), 0U) << path << ": a module's path must be under /api/v1/";
  }
}

// The role table in info.description is the one permissions.cpp enforces, row for row.
TEST(OpenApiDocument, RoleTableMatchesPermissions) {
  auto lines = lines_of(spec_text());
  std::set<std::string> rows;
  for (const auto& line : top_level_block(lines, "info")) {
    if (line.rfind("    | `", 0) == 0) rows.insert(line);
  }
  EXPECT_EQ(rows.size(), roles().size()) << "the role table has a row per role, and no other row starts with | `";
  for (const auto& role : roles()) {
    std::string row = "    | `" + std::string(role.name) + "` | " + std::string(role.title) + " | ";
    for (std::size_t i = 0; i < role.permissions.size(); ++i) {
      row += (i == 0 ? "" : ", ") + std::string(role.permissions[i]);
    }
    row += " |";
    EXPECT_EQ(rows.count(row), 1U) << "openapi.yaml's role table lacks the row\n" << row;
  }
}

// Sanity of the reader itself, so a layout change cannot make the comparisons pass vacuously.
TEST(OpenApiReader, FollowsTheLayoutConvention) {
  const std::string text =
      "openapi: 3.1.0\n"
      "info:\n"
      "  title: x\n"
      "paths:\n"
      "  # a comment\n"
      "  /a/{id}:\n"
      "    parameters:\n"
      "      - name: id\n"
      "    get:\n"
      "      x-herald-module: not-here\n"
      "      responses:\n"
      "        '200':\n"
      "          description: get: not a method\n"
      "    patch:\n"
      "      summary: x\n"
      "\n"
      "  /b:\n"
      "    x-herald-module: accounts\n"
      "    delete:\n"
      "  /c/{id}:\n"
      "    parameters:\n"
      "      - name: id\n"
      "    x-herald-module: accounts\n"
      "    put:\n"
      "    post:\n"
      "  /d:\n"
      "    x-herald-module: publishing\n"
      "    get:\n"
      "components:\n"
      "  /c:\n"
      "    x-herald-module: accounts\n"
      "    get:\n"
      "  schemas:\n"
      "    Other:\n"
      "      enum:\n"
      "        - no\n"
      "    Name:\n"
      "      type: string\n"
      "      enum:\n"
      "        - x\n"
      "        - weibo\n"
      "      description: after\n"
      "    Later:\n"
      "      enum:\n"
      "        - no\n";
  std::set<Operation> want = {{"get", "/a/{id}"}, {"patch", "/a/{id}"}, {"delete", "/b"},
                              {"put", "/c/{id}"}, {"post", "/c/{id}"}, {"get", "/d"}};
  EXPECT_EQ(spec_operations(text), want);

  std::map<std::string, std::string> modules = {
      {"/a/{id}", "gateway"}, {"/b", "accounts"}, {"/c/{id}", "accounts"}, {"/d", "publishing"}};
  EXPECT_EQ(spec_path_modules(text), modules);
  EXPECT_EQ(spec_operations_of(text, "gateway"), (std::set<Operation>{{"get", "/a/{id}"}, {"patch", "/a/{id}"}}));
  EXPECT_EQ(spec_operations_of(text, "accounts"),
            (std::set<Operation>{{"delete", "/b"}, {"put", "/c/{id}"}, {"post", "/c/{id}"}}));
  EXPECT_EQ(spec_operations_of(text, "publishing"), (std::set<Operation>{{"get", "/d"}}));
  EXPECT_TRUE(spec_operations_of(text, "not-here").empty());

  EXPECT_EQ(testing::schema_enum(text, "Name"), (std::vector<std::string>{"x", "weibo"}));
  EXPECT_TRUE(testing::schema_enum(text, "Missing").empty());

  // A module name that does not follow the convention is refused, not silently ignored.
  for (const auto* bad : {"'accounts'", "Accounts", "accounts  # x", ""}) {
    std::string doc = std::string("paths:\n  /x:\n    x-herald-module: ") + bad + "\n    get:\n";
    EXPECT_THROW(spec_path_modules(doc), std::runtime_error) << "x-herald-module: " << bad;
  }
  EXPECT_THROW(spec_path_modules("paths:\n  /x:\n    x-herald-module: a\n    x-herald-module: b\n"),
               std::runtime_error);
}

}  // namespace
}  // namespace herald::gateway
