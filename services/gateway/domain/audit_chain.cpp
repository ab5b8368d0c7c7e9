#include "services/gateway/domain/audit_chain.hpp"

#include "services/core/crypto/hash.hpp"

namespace herald::gateway {

std::string audit_canonical(const AuditEntry& e) {
  nlohmann::json doc{{"seq", e.seq},          {"at_us", e.at_us},
                     {"org_id", e.org_id},    {"actor_id", e.actor_id},
                     {"actor_label", e.actor_label}, {"action", e.action},
                     {"target_type", e.target_type}, {"target_id", e.target_id},
                     {"brand_id", e.brand_id}, {"details", e.details}};
  return doc.dump();  // nlohmann objects keep keys sorted: canonical by construction
}

std::string audit_hash(const std::string& prev_hash, const AuditEntry& e) {
  return core::crypto::sha256_hex(prev_hash + "\n" + audit_canonical(e));
}

ChainCheck verify_chain(const std::vector<AuditEntry>& entries, std::string expected_prev) {
  ChainCheck check;
  std::int64_t expected_seq = entries.empty() ? 0 : entries.front().seq;
  for (const auto& e : entries) {
    ++check.checked;
    std::string why;
    if (e.seq != expected_seq) {
      why = "sequence gap: expected " + std::to_string(expected_seq);
    } else if (e.prev_hash != expected_prev) {
      why = "prev_hash does not match the previous entry";
    } else if (audit_hash(e.prev_hash, e) != e.hash) {
      why = "content does not match its hash";
    }
    if (!why.empty()) {
      check.ok = false;
      check.first_bad_seq = e.seq;
      check.reason = why;
      return check;
    }
    expected_prev = e.hash;
    ++expected_seq;
  }
  return check;
}

}  // namespace herald::gateway
