#include "services/publishing/queue/outbox_relay.hpp"

#include "services/contracts/publishing/messages.hpp"
#include "services/core/redis/streams.hpp"

namespace herald::publishing {

int OutboxRelay::relay_once() {
  return store_.transact([&](pqxx::work& tx) {
    auto rows = PostStore::outbox_batch(tx, options_.batch);
    if (rows.empty()) return 0;
    auto lease = redis_.lease();
    for (const auto& row : rows) {
      core::redis::xadd(*lease, row.stream, {{std::string(contracts::kPayloadField), row.payload}});
      PostStore::delete_outbox(tx, row.id);
    }
    return static_cast<int>(rows.size());
  });
}

int OutboxRelay::drain() {
  int total = 0;
  for (;;) {
    int n = 0;
    try {
      n = relay_once();
    } catch (const std::exception& e) {
      log_.warn("outbox relay pass failed", {{"error", std::string(e.what())}});
      return total;
    }
    total += n;
    if (n < options_.batch) return total;
  }
}

}  // namespace herald::publishing
