#pragma once
// The crisis evidence vault (issue F4, item 6): what was said and done during a crisis, kept so
// that it can be shown later and proven unchanged. Items are appended, never changed (a trigger
// refuses UPDATE and DELETE), on one hash chain per organization (domain/evidence_chain.hpp).
// Freezes, lift requests and lifts are appended by the system in the transaction that makes
// them; people add statements, replies, snapshots of deleted posts, platform reports, metric
// snapshots and notes. An export is a bundle (manifest + every item) that verify() checks without
// the database.
//
// Blocking. Refusals are core::http::HttpError: 403, 422 (an unknown kind, content too large).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"
#include "services/core/util/clock.hpp"
#include "services/crisis/domain/evidence_chain.hpp"

namespace herald::crisis {

// 403 unless the caller holds `permission` on the brand or, for an organization-wide subject
// (brand_id ""), on every brand of the organization (an organization admin always does).
void require_crisis_permission(iam::Identity& identity, const iam::Principal& p, std::string_view permission,
                               const std::string& brand_id);

struct EvidenceInput {
  std::string kind;        // statement | reply | deleted_post | platform_report | metric_snapshot | note
  std::string subject_id;  // what it is about (a freeze, post or incident id), may be ""
  std::string brand_id;    // "" for the organization
  nlohmann::json content;  // any JSON document
};

struct EvidenceCheckResult {
  EvidenceCheck chain;
  bool manifest_matches = false;  // count, first/last seq and head hash agree with the items
  std::string manifest_reason;
};

class EvidenceVault {
 public:
  EvidenceVault(core::pg::Pool& pg, iam::Identity& identity, const core::Clock& clock)
      : pg_(pg), identity_(identity), clock_(clock) {}

  // Appends one item inside the caller's transaction (the freeze workflow's own records).
  static EvidenceItem append(pqxx::work& tx, const std::string& org_id, const iam::Actor& by, const std::string& kind,
                             const std::string& subject_id, const std::string& brand_id, const nlohmann::json& content,
                             std::int64_t now_ms);

  EvidenceItem record(const iam::Principal& p, const EvidenceInput& in);
  // Items after `after_seq` the caller may read (crisis.read on their brand), oldest first.
  std::vector<EvidenceItem> list(const iam::Principal& p, std::int64_t after_seq, int limit,
                                 const std::string& subject_id);
  // The whole chain of the caller's organization (crisis.read on every brand, or admin).
  nlohmann::json export_bundle(const iam::Principal& p);
  // Checks a bundle as export_bundle() writes it. Throws std::invalid_argument when malformed.
  static EvidenceCheckResult verify_bundle(const nlohmann::json& bundle);

 private:
  [[nodiscard]] std::int64_t now_ms() const;

  core::pg::Pool& pg_;
  iam::Identity& identity_;
  const core::Clock& clock_;
};

}  // namespace herald::crisis
