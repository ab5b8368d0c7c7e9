#pragma once
// The evidence vault's hash chain, one per organization. Each item's hash is
// sha256(prev_hash "\n" canonical(item)), canonical() being the item's fields (content included,
// as the JSON text it was recorded with) as compact JSON with sorted keys; the first item's
// prev_hash is 64 zeros. verify() recomputes a bundle's chain and names the first item that does
// not fit, so an exported bundle can be checked by anyone holding it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::crisis {

inline constexpr const char* kEvidenceGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

struct EvidenceItem {
  std::int64_t seq = 0;
  std::string org_id, kind, subject_id, brand_id, recorded_by, recorded_by_label;
  std::int64_t recorded_at_ms = 0;
  std::string content;  // canonical JSON text
  std::string prev_hash, hash;
};

std::string evidence_canonical(const EvidenceItem& e);
std::string evidence_hash(const std::string& prev_hash, const EvidenceItem& e);

nlohmann::json to_json(const EvidenceItem& e);
// Throws std::invalid_argument naming the field that is missing or of the wrong type.
EvidenceItem evidence_from_json(const nlohmann::json& j);

struct EvidenceCheck {
  bool ok = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string reason;
};

// Items in seq order from the organization's first one (seq 1).
EvidenceCheck verify_evidence(const std::vector<EvidenceItem>& items);

}  // namespace herald::crisis
