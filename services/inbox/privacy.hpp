#pragma once
// Privacy in the inbox (F5, issue #6): how long a brand keeps what people sent it (a retention
// policy, purged in the background by every process, each pass bounded), and the export of all
// that one person sent and was answered (a data-subject request). Both need brand.manage on the
// brand (an export covers the brands where the caller has it). The masking of personal data for
// roles that do not answer the inbox is in Inbox::get. Blocking.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"

namespace herald::inbox {

class Privacy {
 public:
  Privacy(core::pg::Pool& pg, iam::Identity& identity) : pg_(pg), identity_(identity) {}

  nlohmann::json retention(const iam::Principal& p, const std::string& brand_id);
  // keep_days nullopt: keep until deleted (the policy is removed).
  nlohmann::json set_retention(const iam::Principal& p, const std::string& brand_id, std::optional<int> keep_days);

  struct PurgeResult {
    long long messages = 0, threads = 0;
  };
  // One pass over every brand with a policy, at most `per_brand` messages each.
  PurgeResult purge(int per_brand = 5000);

  nlohmann::json export_person(const iam::Principal& p, const std::string& platform, const std::string& author_id);

 private:
  void check_manage(const iam::Principal& p, const std::string& brand_id);

  core::pg::Pool& pg_;
  iam::Identity& identity_;
};

}  // namespace herald::inbox
