#pragma once
// The gateway module: IAM (users, brands, roles, sessions, API tokens, audit), the OpenAPI
// document, the live-update WebSocket and the browser app's static files.
#include <memory>
#include <string>

#include "services/core/app/process.hpp"
#include "services/gateway/api/authenticator.hpp"
#include "services/gateway/api/context.hpp"
#include "services/gateway/api/identity.hpp"
#include "services/gateway/store/iam_store.hpp"

namespace herald::gateway {

class GatewayModule {
 public:
  // The gateway's migrations and queries, for the Process to apply/prepare.
  static core::DatabaseSchema schema();

  explicit GatewayModule(core::Process& process);

  // On a database without users: creates the organization and first admin, writes the
  // credentials to bootstrap.credentials_file (mode 600) and prints them once on stdout.
  void bootstrap_first_admin();

  [[nodiscard]] IamStore& store() { return *store_; }
  [[nodiscard]] Authenticator& authenticator() { return *auth_; }
  // For the other modules: authentication, brands and the audit log (contracts/iam).
  [[nodiscard]] iam::Identity& identity() { return *identity_; }

 private:
  void add_openapi_route();
  void add_static_routes();

  core::Process& process_;
  std::unique_ptr<IamStore> store_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<GatewayIdentity> identity_;
  std::unique_ptr<GatewayContext> ctx_;
};

}  // namespace herald::gateway
