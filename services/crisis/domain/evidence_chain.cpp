#include "services/crisis/domain/evidence_chain.hpp"

#include <stdexcept>

#include "services/core/crypto/hash.hpp"

namespace herald::crisis {

std::string evidence_canonical(const EvidenceItem& e) {
  nlohmann::json doc{{"seq", e.seq},
                     {"org_id", e.org_id},
                     {"kind", e.kind},
                     {"subject_id", e.subject_id},
                     {"brand_id", e.brand_id},
                     {"recorded_by", e.recorded_by},
                     {"recorded_by_label", e.recorded_by_label},
                     {"recorded_at_ms", e.recorded_at_ms},
                     {"content", e.content}};
  return doc.dump();  // nlohmann objects keep their keys sorted
}

std::string evidence_hash(const std::string& prev_hash, const EvidenceItem& e) {
  return core::crypto::sha256_hex(prev_hash + "\n" + evidence_canonical(e));
}

nlohmann::json to_json(const EvidenceItem& e) {
  nlohmann::json content = nlohmann::json::parse(e.content, nullptr, false);
  return {{"seq", e.seq},
          {"org_id", e.org_id},
          {"kind", e.kind},
          {"subject_id", e.subject_id},
          {"brand_id", e.brand_id},
          {"recorded_by", e.recorded_by},
          {"recorded_by_label", e.recorded_by_label},
          {"recorded_at_ms", e.recorded_at_ms},
          {"content", e.content},
          {"content_json", content.is_discarded() ? nlohmann::json(nullptr) : content},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

EvidenceItem evidence_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("an item is not an object");
  auto str = [&](const char* k) {
    if (!j.contains(k) || !j[k].is_string()) throw std::invalid_argument(std::string(k) + ": expected a string");
    return j[k].get<std::string>();
  };
  auto num = [&](const char* k) {
    if (!j.contains(k) || !j[k].is_number_integer()) throw std::invalid_argument(std::string(k) + ": expected an integer");
    return j[k].get<std::int64_t>();
  };
  EvidenceItem e;
  e.seq = num("seq");
  e.org_id = str("org_id");
  e.kind = str("kind");
  e.subject_id = str("subject_id");
  e.brand_id = str("brand_id");
  e.recorded_by = str("recorded_by");
  e.recorded_by_label = str("recorded_by_label");
  e.recorded_at_ms = num("recorded_at_ms");
  e.content = str("content");
  e.prev_hash = str("prev_hash");
  e.hash = str("hash");
  return e;
}

EvidenceCheck verify_evidence(const std::vector<EvidenceItem>& items) {
  EvidenceCheck check;
  std::string prev = kEvidenceGenesis;
  std::int64_t seq = 1;
  for (const auto& e : items) {
    ++check.checked;
    std::string why;
    if (e.seq != seq) why = "sequence gap: expected " + std::to_string(seq);
    else if (e.prev_hash != prev) why = "prev_hash does not match the previous item";
    else if (evidence_hash(e.prev_hash, e) != e.hash) why = "content does not match its hash";
    if (!why.empty()) {
      check.ok = false;
      check.first_bad_seq = e.seq;
      check.reason = why;
      return check;
    }
    prev = e.hash;
    ++seq;
  }
  return check;
}

}  // namespace herald::crisis
