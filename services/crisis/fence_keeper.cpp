#include "services/crisis/fence_keeper.hpp"

#include <algorithm>

namespace herald::crisis {
namespace {

std::int64_t now_ms(const core::Clock& clock) {
  return clock.now_ms();
}

}  // namespace

FenceSync FenceKeeper::sync() {
  FenceSync out = pg_.transact([&](pqxx::work& tx) {
    FenceSync s;
    s.epoch = tx.exec_prepared1("crisis_fence_epoch")[0].as<std::int64_t>();
    for (const auto& r : tx.exec_prepared("crisis_active_scopes")) s.scopes.push_back(r[0].as<std::string>());
    std::sort(s.scopes.begin(), s.scopes.end());  // byte order, not the database's collation
    // An expiry changes the scopes in force without a write (a write bumps the epoch itself):
    // give that change its own epoch.
    if (have_last_ && s.epoch == last_epoch_ && s.scopes != last_scopes_) {
      s.epoch = tx.exec_prepared1("crisis_fence_bump")[0].as<std::int64_t>();
      // The bump waited for any freeze or lift committing meanwhile: read the scopes again, so
      // the new epoch never goes out with scopes older than a committed freeze's.
      s.scopes.clear();
      for (const auto& r : tx.exec_prepared("crisis_active_scopes")) s.scopes.push_back(r[0].as<std::string>());
      std::sort(s.scopes.begin(), s.scopes.end());
    }
    return s;
  });
  last_scopes_ = out.scopes;
  last_epoch_ = out.epoch;
  have_last_ = true;

  auto lease = redis_.lease();
  auto stored = fence_.epoch(*lease);
  bool same = false;
  if (stored && *stored == out.epoch) {
    auto scopes = fence_.scopes(*lease);
    std::sort(scopes.begin(), scopes.end());
    same = scopes == out.scopes;
  }
  if (!stored || *stored < out.epoch || !same) {
    auto applied = fence_.publish(*lease, out.epoch, out.scopes, now_ms(clock_));
    out.published = applied.applied;
  }
  return out;
}

bool FenceKeeper::loaded() noexcept {
  try {
    auto pg_epoch = pg_.transact([](pqxx::work& tx) { return tx.exec_prepared1("crisis_fence_epoch")[0].as<std::int64_t>(); });
    auto lease = redis_.lease();
    auto stored = fence_.epoch(*lease);
    return stored && *stored >= pg_epoch;
  } catch (...) {
    return false;
  }
}

}  // namespace herald::crisis
