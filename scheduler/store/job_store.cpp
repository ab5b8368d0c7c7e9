#include "scheduler/store/job_store.hpp"

#include <nlohmann/json.hpp>

namespace herald::scheduler {
namespace {

StoredJob row_to_job(const pqxx::row& r) {
  StoredJob j;
  j.target_id = r[0].as<std::string>();
  j.content_version = r[1].as<std::int64_t>();
  j.attempt = r[2].as<std::int64_t>();
  j.org_id = r[3].as<std::string>();
  j.platform = r[4].as<std::string>();
  j.due_ms = r[5].as<std::int64_t>();
  if (r.size() > 6) j.payload = r[6].as<std::string>();
  return j;
}

}  // namespace

bool JobStore::mark_seen(pqxx::work& tx, const std::string& envelope_id) {
  return !tx.exec_prepared("scheduler_mark_seen", envelope_id).empty();
}

std::optional<Versions> JobStore::upsert(pqxx::work& tx, const contracts::DispatchJob& job,
                                         const std::string& payload) {
  if (upsert_many(tx, {{&job, &payload}}).empty()) return std::nullopt;
  return Versions{job.content_version, job.attempt};
}

std::optional<Versions> JobStore::cancel(pqxx::work& tx, const std::string& target_id, std::int64_t content_version) {
  auto r = tx.exec_prepared("scheduler_cancel_job", target_id, content_version);
  if (r.empty()) return std::nullopt;
  return Versions{r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>()};
}

std::optional<StoredJob> JobStore::find(pqxx::work& tx, const std::string& target_id) {
  auto r = tx.exec_prepared("scheduler_find_job", target_id);
  if (r.empty()) return std::nullopt;
  auto j = row_to_job(r[0]);
  j.state = r[0][7].as<std::string>();
  j.held_scope = r[0][8].as<std::string>();
  j.missed = r[0][9].as<bool>();
  return j;
}

std::set<std::string> JobStore::mark_seen_many(pqxx::work& tx, const std::vector<std::string>& envelope_ids) {
  std::set<std::string> fresh;
  if (envelope_ids.empty()) return fresh;
  for (const auto& r : tx.exec_prepared("scheduler_mark_seen_many", nlohmann::json(envelope_ids).dump())) {
    fresh.insert(r[0].as<std::string>());
  }
  return fresh;
}

std::set<std::string> JobStore::upsert_many(
    pqxx::work& tx, const std::vector<std::pair<const contracts::DispatchJob*, const std::string*>>& jobs) {
  std::set<std::string> applied;
  if (jobs.empty()) return applied;
  std::string rows = "[";
  for (const auto& [job, payload] : jobs) {
    if (rows.size() > 1) rows += ',';
    nlohmann::json head{{"t", job->target_id}, {"v", job->content_version}, {"a", job->attempt},
                        {"o", job->org_id},    {"p", job->platform},        {"d", job->due_at_ms}};
    auto h = head.dump();
    h.pop_back();  // splice the payload (already JSON) in as "j" without re-parsing it
    rows += h + ",\"j\":" + *payload + "}";
  }
  rows += "]";
  for (const auto& r : tx.exec_prepared("scheduler_upsert_jobs", rows)) applied.insert(r[0].as<std::string>());
  return applied;
}

std::optional<StoredJob> JobStore::find(const std::string& target_id) {
  return pg_.transact([&](pqxx::work& tx) { return find(tx, target_id); });
}

std::size_t JobStore::mark_settled(const std::vector<Settled>& settled, std::int64_t now_ms) {
  constexpr std::size_t kChunk = 5000;
  std::size_t moved = 0;
  for (std::size_t from = 0; from < settled.size(); from += kChunk) {
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = from; i < std::min(settled.size(), from + kChunk); ++i) {
      const auto& s = settled[i];
      rows.push_back({{"t", s.target_id},
                      {"v", s.content_version},
                      {"a", s.attempt},
                      {"s", s.held ? "held" : "dispatched"},
                      {"h", s.scope}});
    }
    moved += pg_.transact([&](pqxx::work& tx) {
      return tx.exec_prepared("scheduler_mark_settled", rows.dump(), now_ms).affected_rows();
    });
  }
  return moved;
}

std::vector<StoredJob> JobStore::pending_page(const std::string& after_target, int limit) {
  return pg_.transact([&](pqxx::work& tx) {
    std::vector<StoredJob> out;
    for (const auto& r : tx.exec_prepared("scheduler_pending_page", after_target, limit)) out.push_back(row_to_job(r));
    return out;
  });
}

std::vector<StoredJob> JobStore::claim_missed(std::int64_t before_ms, int limit) {
  return pg_.transact([&](pqxx::work& tx) {
    std::vector<StoredJob> out;
    for (const auto& r : tx.exec_prepared("scheduler_claim_missed", before_ms, limit)) out.push_back(row_to_job(r));
    return out;
  });
}

std::size_t JobStore::trim_seen(std::int64_t before_ms) {
  return pg_.transact(
      [&](pqxx::work& tx) { return tx.exec_prepared("scheduler_trim_seen", before_ms).affected_rows(); });
}

}  // namespace herald::scheduler
