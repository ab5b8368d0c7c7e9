#include "services/gateway/gateway_module.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "services/core/crypto/hash.hpp"
#include "services/core/crypto/password.hpp"
#include "services/core/crypto/random.hpp"
#include "services/core/http/problem.hpp"
#include "services/gateway/static_files.hpp"

namespace herald::gateway {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;

core::DatabaseSchema GatewayModule::schema() {
  return core::schema_from_embedded("gateway", embedded::embedded_files());
}

GatewayModule::GatewayModule(core::Process& process) : process_(process) {
  const auto& cfg = process.config();
  store_ = std::make_unique<IamStore>(process.pg(), process.clock());
  // The CSRF key is derived from the master key, so every gateway replica agrees on it.
  std::string csrf_key = core::crypto::hmac_sha256(process.config().master_key_spec(), "herald csrf key v1");
  auth_ = std::make_unique<Authenticator>(*store_, process.blocking(), process.clock(), csrf_key);
  identity_ = std::make_unique<GatewayIdentity>(*auth_, *store_);
  core::crypto::Argon2Params argon2;
  argon2.memory_kib = cfg.security.argon2_memory_kib;
  argon2.iterations = cfg.security.argon2_iterations;
  ctx_ = std::make_unique<GatewayContext>(
      GatewayContext{*store_, process.blocking(), *auth_, process.clock(), cfg.security, argon2, process.logger(),
                     process.idempotency()});

  auto& router = process.router();
  register_auth_routes(router, *ctx_);
  register_brand_routes(router, *ctx_);
  register_user_routes(router, *ctx_);
  register_token_routes(router, *ctx_);
  register_audit_routes(router, *ctx_);
  add_openapi_route();
  add_static_routes();

  // Live updates: any authenticated user; events are filtered by brand permission.
  process.server().enable_websocket(
      "/api/v1/stream", process.hub(), [this](http::Request& req) -> awaitable<http::Subscriber> {
        Principal p = co_await auth_->require(req);
        http::Subscriber sub;
        sub.user_id = p.user_id;
        // A scope is "" (everyone), "org:<id>" (everyone in that organization) or a brand id.
        sub.may_see = [p](const std::string& scope) {
          if (scope.empty()) return true;
          if (scope.rfind("org:", 0) == 0) return scope.compare(4, std::string::npos, p.org_id) == 0;
          return p.can(perm::kBrandRead, scope);
        };
        co_return sub;
      });
}

void GatewayModule::add_openapi_route() {
  process_.router().add(verb::get, "/api/v1/openapi.yaml", [](http::Request& req) -> awaitable<http::Response> {
    const auto& files = embedded::embedded_files();
    auto it = files.find("openapi.yaml");
    if (it == files.end()) http::not_found("the OpenAPI document is not built into this binary");
    http::Response res{boost::beast::http::status::ok, req.raw.version()};
    res.set(boost::beast::http::field::content_type, "application/yaml");
    res.keep_alive(req.raw.keep_alive());
    res.body() = std::string(it->second);
    res.prepare_payload();
    co_return res;
  });
}

void GatewayModule::add_static_routes() {
  // Avatars come from the platforms' hosts (https); with the sandbox, from its loopback ports.
  std::string images = "https:";
  if (!process_.config().platforms.sandbox_file.empty()) images += " http://127.0.0.1:*";
  auto files = std::make_shared<StaticFiles>(process_.config().web.root, images);
  auto handler = [files](http::Request& req) -> awaitable<http::Response> { co_return files->serve(req); };
  process_.router().add(verb::get, "/", handler);
  process_.router().add(verb::get, "/*", handler);
  if (!files->empty()) {
    process_.logger().info("serving the web app", {{"root", process_.config().web.root}, {"files", files->size()}});
  }
}

void GatewayModule::bootstrap_first_admin() {
  const auto& cfg = process_.config();
  if (store_->has_users()) return;
  std::string password = core::crypto::random_token(18);
  core::crypto::Argon2Params argon2;
  argon2.memory_kib = cfg.security.argon2_memory_kib;
  argon2.iterations = cfg.security.argon2_iterations;
  if (!store_->bootstrap("Herald", cfg.bootstrap.admin_email, core::crypto::hash_password(password, argon2))) {
    return;  // another replica won the race
  }
  if (!cfg.bootstrap.credentials_file.empty()) {
    std::filesystem::path path(cfg.bootstrap.credentials_file);
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    {
      std::ofstream out(path, std::ios::trunc);
      out << "email=" << cfg.bootstrap.admin_email << "\npassword=" << password << "\n";
    }
    ::chmod(path.c_str(), 0600);
  }
  // Printed once, on this first start only, and never logged.
  std::cout << "\nHerald first run: created the first admin\n  email:    " << cfg.bootstrap.admin_email
            << "\n  password: " << password << "\n(change it after signing in)\n"
            << std::endl;
  process_.logger().info("first admin created", {{"email", cfg.bootstrap.admin_email}});
}

}  // namespace herald::gateway
