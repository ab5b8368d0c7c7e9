#pragma once
// Account health as an early warning (PRODUCT.md): computed from the stored facts at read time,
// so it never goes stale. Pure; unit-tested in health_test.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace herald::accounts {

struct HealthFacts {
  std::string status;                       // connected, disconnected, assisted
  std::optional<std::int64_t> token_expires_at;  // unix seconds
  bool can_refresh = false;                 // the platform issues refresh tokens and we hold one
  std::vector<std::string> granted_scopes;  // empty: the platform did not say (unknown)
  std::vector<std::string> required_scopes;
  bool restricted = false;
  bool banned = false;
  std::optional<std::string> last_error;
  std::optional<std::string> last_error_class;  // adapters::ErrorClass name
};

struct HealthReason {
  std::string code;     // machine-readable: token_expired, token_expiring, missing_scopes, ...
  std::string message;  // for people
};

struct Health {
  std::string level;  // ok, warning, error
  std::vector<HealthReason> reasons;
  std::vector<std::string> missing_scopes;
};

// `warn_within_s`: a token that expires sooner than this without a way to refresh it is a
// warning (the forecast); one already expired is an error.
Health assess(const HealthFacts& facts, std::int64_t now, std::int64_t warn_within_s = 7 * 86400);

}  // namespace herald::accounts
