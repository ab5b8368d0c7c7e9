// services/gateway/openapi.yaml must describe exactly the routes the gateway registers. The
// routes are registered into a Router the way GatewayModule does it, with a GatewayContext made
// of real objects that are never called (the PostgreSQL pool connects lazily, to nowhere).
// The YAML is read line by line, by the layout convention written at the top of openapi.yaml.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
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

namespace herald::gateway::embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}  // namespace herald::gateway::embedded

namespace herald::gateway {
namespace {

using Operation = std::pair<std::string, std::string>;  // (lower-case method, path pattern)

// Routes GatewayModule registers itself rather than through register_*_routes.
const std::set<std::string> kModulePaths = {"/api/v1/openapi.yaml", "/api/v1/stream"};

std::string spec_text() {
  const auto& files = embedded::embedded_files();
  auto it = files.find("openapi.yaml");
  if (it == files.end()) return "";
  return std::string(it->second);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::size_t indent_of(const std::string& line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

bool ignorable(const std::string& line) {
  auto n = indent_of(line);
  return n == line.size() || line[n] == '#';
}

// The lines of the top-level block `key:` (without the key line itself).
std::vector<std::string> top_level_block(const std::vector<std::string>& lines, const std::string& key) {
  std::vector<std::string> out;
  bool inside = false;
  for (const auto& line : lines) {
    if (!ignorable(line) && indent_of(line) == 0) {
      if (inside) break;
      inside = line == key + ":";
      continue;
    }
    if (inside) out.push_back(line);
  }
  return out;
}

// "  /api/v1/x:" at exactly `indent` spaces -> "/api/v1/x"; "" when the line is not such a key.
std::string key_at(const std::string& line, std::size_t indent) {
  if (indent_of(line) != indent || line.size() < indent + 2 || line.back() != ':') return "";
  return line.substr(indent, line.size() - indent - 1);
}

std::set<Operation> spec_operations(const std::string& text) {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<Operation> ops;
  std::string path;
  for (const auto& line : top_level_block(lines_of(text), "paths")) {
    if (ignorable(line)) continue;
    if (auto p = key_at(line, 2); !p.empty()) {
      path = p;
    } else if (auto m = key_at(line, 4); !path.empty() && kMethods.count(m) != 0) {
      ops.emplace(m, path);
    }
  }
  return ops;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string describe(const std::set<Operation>& ops) {
  std::string out;
  for (const auto& [method, path] : ops) out += "\n  " + method + " " + path;
  return out;
}

// The gateway's API routes, registered exactly as GatewayModule registers them.
class GatewayRoutes : public ::testing::Test {
 protected:
  static core::pg::PoolOptions unused_database() {
    core::pg::PoolOptions options;
    options.url = "postgresql://unused@127.0.0.1:1/x";
    return options;
  }

  core::SystemClock clock_;
  core::pg::Pool pool_{unused_database()};
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

  [[nodiscard]] std::set<Operation> registered() const {
    std::set<Operation> ops;
    for (const auto& r : router_.routes()) {
      auto name = boost::beast::http::to_string(r.method);
      ops.emplace(lower(std::string_view(name.data(), name.size())), r.pattern);
    }
    return ops;
  }
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
  auto spec = spec_operations(spec_text());
  std::set<Operation> missing;
  std::set_difference(routes.begin(), routes.end(), spec.begin(), spec.end(), std::inserter(missing, missing.end()));
  EXPECT_TRUE(missing.empty()) << "routes registered by the gateway but missing from openapi.yaml:"
                               << describe(missing);
}

TEST_F(GatewayRoutes, EveryDocumentedApiOperationIsRegistered) {
  auto routes = registered();
  std::set<Operation> extra;
  for (const auto& op : spec_operations(spec_text())) {
    if (op.second.rfind("/api/v1/", 0) != 0 || kModulePaths.count(op.second) != 0) continue;
    if (routes.count(op) == 0) extra.insert(op);
  }
  EXPECT_TRUE(extra.empty()) << "operations in openapi.yaml that the gateway does not register:" << describe(extra);
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
      "      responses:\n"
      "        '200':\n"
      "          description: get: not a method\n"
      "    patch:\n"
      "      summary: x\n"
      "\n"
      "  /b:\n"
      "    delete:\n"
      "components:\n"
      "  /c:\n"
      "    get:\n";
  std::set<Operation> want = {{"get", "/a/{id}"}, {"patch", "/a/{id}"}, {"delete", "/b"}};
  EXPECT_EQ(spec_operations(text), want);
}

}  // namespace
}  // namespace herald::gateway
