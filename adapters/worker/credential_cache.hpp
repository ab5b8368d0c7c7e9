#pragma once
// The accounts service's credentials, kept for a few seconds per account so that a burst of sends
// for one account opens its vault entry once. Misses (a disconnected account) are not cached:
// reconnecting takes effect on the next send. Thread-safe; the cached tokens stay in memory only.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "services/contracts/accounts/directory.hpp"
#include "services/core/util/clock.hpp"

namespace herald::worker {

class CredentialCache final : public contracts::AccountDirectory {
 public:
  CredentialCache(contracts::AccountDirectory& inner, const core::Clock& clock,
                  std::chrono::milliseconds ttl = std::chrono::milliseconds{5000})
      : inner_(inner), clock_(clock), ttl_(ttl) {}

  std::optional<contracts::AccountRef> account(const std::string& org_id, const std::string& account_id) override {
    return inner_.account(org_id, account_id);
  }
  std::optional<adapters::Credentials> credentials(const std::string& account_id) override;
  // Forgets one account (e.g. after the platform said its token expired).
  void forget(const std::string& account_id);

 private:
  struct Entry {
    adapters::Credentials credentials;
    std::chrono::steady_clock::time_point until;
  };
  contracts::AccountDirectory& inner_;
  const core::Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace herald::worker
