#include "adapters/worker/store/attempt_ledger.hpp"

namespace herald::worker {
namespace {

std::optional<std::string> nullable(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::string text_or_empty(const pqxx::field& f) { return f.is_null() ? std::string() : f.as<std::string>(); }

}  // namespace

void PgAttemptLedger::record(const AttemptRow& r) {
  pool_.transact([&](pqxx::work& tx) {
    tx.exec_prepared1("worker_attempt_insert", r.target_id, r.content_version, r.attempt, r.account_id, r.platform,
                      r.worker, r.kind, r.started_ms, r.finished_ms, r.latency_ms, r.request_summary,
                      r.response_status, r.outcome, nullable(r.platform_post_id), nullable(r.error_class),
                      nullable(r.error_code), nullable(r.error_message));
  });
}

std::int64_t PgAttemptLedger::publish_calls(const std::string& target_id, std::int64_t content_version) {
  return pool_.transact([&](pqxx::work& tx) {
    return tx.exec_prepared1("worker_publish_calls", target_id, content_version)[0].as<std::int64_t>();
  });
}

std::vector<AttemptRow> PgAttemptLedger::of_target(const std::string& target_id) {
  return pool_.transact([&](pqxx::work& tx) {
    std::vector<AttemptRow> out;
    for (const auto& f : tx.exec_prepared("worker_attempts_of_target", target_id)) {
      AttemptRow r;
      r.id = f[0].as<std::int64_t>();
      r.target_id = f[1].as<std::string>();
      r.content_version = f[2].as<std::int64_t>();
      r.attempt = f[3].as<std::int64_t>();
      r.account_id = f[4].as<std::string>();
      r.platform = f[5].as<std::string>();
      r.worker = f[6].as<std::string>();
      r.kind = f[7].as<std::string>();
      r.started_ms = f[8].as<std::int64_t>();
      r.finished_ms = f[9].as<std::int64_t>();
      r.latency_ms = f[10].as<std::int64_t>();
      r.request_summary = f[11].as<std::string>();
      if (!f[12].is_null()) r.response_status = f[12].as<int>();
      r.outcome = f[13].as<std::string>();
      r.platform_post_id = text_or_empty(f[14]);
      r.error_class = text_or_empty(f[15]);
      r.error_code = text_or_empty(f[16]);
      r.error_message = text_or_empty(f[17]);
      out.push_back(std::move(r));
    }
    return out;
  });
}

}  // namespace herald::worker
