#pragma once
// What the accounts module's handlers share, built once in AccountsModule.
#include <utility>

#include "services/accounts/connector.hpp"
#include "services/accounts/store/account_store.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/router.hpp"
#include "services/core/util/clock.hpp"

namespace herald::accounts {

struct AccountsContext {
  AccountStore& store;
  Connector& connector;
  core::BlockingPool& blocking;
  iam::Identity& identity;
  core::Idempotency& idempotency;
  const core::Clock& clock;
};

// The account as the API shows it: profile, positioning, health (computed now); never a token.
nlohmann::json to_json(const AccountRecord& a, std::int64_t now_unix);
std::int64_t unix_now(const core::Clock& clock);

void register_account_routes(core::http::Router& router, AccountsContext& ctx);
void register_connect_routes(core::http::Router& router, AccountsContext& ctx);

}  // namespace herald::accounts
