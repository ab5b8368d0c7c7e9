#pragma once
// The scheduler's PostgreSQL record (migrations/001_scheduler.sql, queries in store/jobs.sql).
// Blocking: call from the scheduler's own threads or the blocking pool.
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "services/contracts/publishing/messages.hpp"
#include "services/core/pg/pool.hpp"

namespace herald::scheduler {

struct StoredJob {
  std::string target_id;
  std::int64_t content_version = 0;
  std::int64_t attempt = 0;
  std::string org_id;
  std::string platform;
  std::int64_t due_ms = 0;
  std::string payload;  // DispatchJob json
  std::string state;    // pending | dispatched | held | cancelled (find() only)
  std::string held_scope;
  bool missed = false;
};

// A job that left the due set (dispatched, or held by a freeze).
struct Settled {
  std::string target_id;
  std::int64_t content_version = 0;
  std::int64_t attempt = 0;
  bool held = false;
  std::string scope;  // held: the matching freeze scope
  std::int64_t at_ms = 0;
};

struct Versions {
  std::int64_t content_version = 0;
  std::int64_t attempt = 0;
};

class JobStore {
 public:
  explicit JobStore(core::pg::Pool& pg) : pg_(pg) {}

  // In the caller's transaction (the command consumer applies a batch in one):
  // true the first time an envelope id is seen.
  static bool mark_seen(pqxx::work& tx, const std::string& envelope_id);
  // Versions stored when the job replaced the stored one (or was new); nullopt when ignored.
  static std::optional<Versions> upsert(pqxx::work& tx, const contracts::DispatchJob& job,
                                        const std::string& payload);
  // The cancelled versions, or nullopt when nothing pending matched.
  static std::optional<Versions> cancel(pqxx::work& tx, const std::string& target_id, std::int64_t content_version);
  static std::optional<StoredJob> find(pqxx::work& tx, const std::string& target_id);
  // Batched forms for a batch of commands: the ids (distinct) not seen before, and the targets
  // (each at most once in `jobs`) whose job was applied.
  static std::set<std::string> mark_seen_many(pqxx::work& tx, const std::vector<std::string>& envelope_ids);
  static std::set<std::string> upsert_many(pqxx::work& tx,
                                           const std::vector<std::pair<const contracts::DispatchJob*,
                                                                       const std::string*>>& jobs);

  std::optional<StoredJob> find(const std::string& target_id);
  // Moves still-pending rows of exactly these versions to dispatched / held (one statement per
  // chunk). Returns how many rows moved.
  std::size_t mark_settled(const std::vector<Settled>& settled, std::int64_t now_ms);
  // Pending jobs after `after_target` in target order, at most `limit`.
  std::vector<StoredJob> pending_page(const std::string& after_target, int limit);
  // Pending jobs due before `before_ms` not reported as missed yet; marks them reported.
  std::vector<StoredJob> claim_missed(std::int64_t before_ms, int limit);
  // Forgets command ids seen before `before_ms`.
  std::size_t trim_seen(std::int64_t before_ms);

 private:
  core::pg::Pool& pg_;
};

}  // namespace herald::scheduler
