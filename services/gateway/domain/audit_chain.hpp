#pragma once
// The audit log's hash chain. Each entry's hash is sha256(prev_hash "\n" canonical(entry)), where
// canonical() is the entry's fields as compact JSON with sorted keys. The first entry's prev_hash
// is kGenesisHash. verify() recomputes the chain and reports the first entry that does not fit.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace herald::gateway {

inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditEntry {
  std::int64_t seq = 0;
  std::int64_t at_us = 0;
  std::string org_id;    // "" = none
  std::string actor_id;  // "" = system
  std::string actor_label;
  std::string action;
  std::string target_type;
  std::string target_id;
  std::string brand_id;  // "" = none
  nlohmann::json details = nlohmann::json::object();
  std::string prev_hash;
  std::string hash;
};

std::string audit_canonical(const AuditEntry& e);
std::string audit_hash(const std::string& prev_hash, const AuditEntry& e);

struct ChainCheck {
  bool ok = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string reason;
};

// Entries in seq order, starting from the first entry of the log (or continuing after
// `expected_prev` when checking a page).
ChainCheck verify_chain(const std::vector<AuditEntry>& entries,
                        std::string expected_prev = kGenesisHash);

}  // namespace herald::gateway
