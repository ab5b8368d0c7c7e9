#include "adapters/worker/credential_cache.hpp"

namespace herald::worker {

std::optional<adapters::Credentials> CredentialCache::credentials(const std::string& account_id) {
  auto now = clock_.steady_now();
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(account_id); it != entries_.end()) {
      if (it->second.until > now) return it->second.credentials;
      entries_.erase(it);
    }
  }
  auto c = inner_.credentials(account_id);  // blocking (PostgreSQL + the vault): outside the lock
  if (c) {
    std::lock_guard lock(mutex_);
    if (entries_.size() > 10'000) entries_.clear();  // bounded: a cache, not a copy of the vault
    entries_[account_id] = Entry{*c, now + ttl_};
  }
  return c;
}

void CredentialCache::forget(const std::string& account_id) {
  std::lock_guard lock(mutex_);
  entries_.erase(account_id);
}

}  // namespace herald::worker
