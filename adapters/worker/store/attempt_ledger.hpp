#pragma once
// The attempt ledger (DESIGN.md section 4: every attempt writes a row: when, which worker, request
// summary, response status, platform post id, latency, error class). AttemptLedger is the port;
// PgAttemptLedger writes the worker's own table (migrations/001_worker.sql) with the named
// queries of store/attempts.sql. Blocking: call it from a worker thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/core/pg/pool.hpp"

namespace herald::worker {

struct AttemptRow {
  std::int64_t id = 0;  // set by the store
  std::string target_id;
  std::int64_t content_version = 1;
  std::int64_t attempt = 1;
  std::string account_id;
  std::string platform;
  std::string worker;
  std::string kind = "publish";  // "publish" | "read_back"
  std::int64_t started_ms = 0;
  std::int64_t finished_ms = 0;
  std::int64_t latency_ms = 0;
  std::string request_summary;  // methods, paths and statuses only: never content, never a token
  std::optional<int> response_status;
  std::string outcome;  // published | retry | failed | unknown | absent | held
  std::string platform_post_id;
  std::string error_class;
  std::string error_code;
  std::string error_message;
};

class AttemptLedger {
 public:
  virtual ~AttemptLedger() = default;
  // Throws when the row cannot be stored (the caller logs it; the send already happened).
  virtual void record(const AttemptRow& row) = 0;
  // Publish calls already made for this target and content version (rows of kind "publish"):
  // what the retry limit counts, so that waiting for a rate-limit token costs no attempt.
  virtual std::int64_t publish_calls(const std::string& target_id, std::int64_t content_version) = 0;
};

class PgAttemptLedger final : public AttemptLedger {
 public:
  explicit PgAttemptLedger(core::pg::Pool& pool) : pool_(pool) {}
  void record(const AttemptRow& row) override;
  std::int64_t publish_calls(const std::string& target_id, std::int64_t content_version) override;
  // Every row of a target, oldest first (tests, support tooling).
  std::vector<AttemptRow> of_target(const std::string& target_id);

 private:
  core::pg::Pool& pool_;
};

}  // namespace herald::worker
