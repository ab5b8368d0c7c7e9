#include "services/crisis/evidence.hpp"

#include <chrono>
#include <stdexcept>

#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/instant.hpp"

namespace herald::crisis {

namespace http = core::http;
namespace perm = iam::perm;

namespace {

constexpr const char* kFormat = "herald-evidence/1";
constexpr std::size_t kMaxContentBytes = 256 * 1024;
constexpr const char* kPersonKinds[] = {"statement", "reply", "deleted_post", "platform_report", "metric_snapshot",
                                        "note"};

std::optional<std::string> nonempty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

EvidenceItem evidence_from(const pqxx::row& r) {
  EvidenceItem e;
  e.seq = r[0].as<std::int64_t>();
  e.org_id = r[1].as<std::string>();
  e.kind = r[2].as<std::string>();
  e.subject_id = r[3].as<std::string>();
  e.brand_id = r[4].as<std::string>();
  e.recorded_by = r[5].as<std::string>();
  e.recorded_by_label = r[6].as<std::string>();
  e.recorded_at_ms = r[7].as<std::int64_t>();
  e.content = r[8].as<std::string>();
  e.prev_hash = r[9].as<std::string>();
  e.hash = r[10].as<std::string>();
  return e;
}

}  // namespace

void require_crisis_permission(iam::Identity& identity, const iam::Principal& p, std::string_view permission,
                               const std::string& brand_id) {
  if (!brand_id.empty()) {
    iam::require_permission(p, permission, brand_id);
    return;
  }
  if (p.is_admin) return;
  // An organization-wide subject reaches every brand: it takes the permission on every one.
  auto brands = identity.brands(p.org_id);
  if (brands.empty()) http::forbidden("this needs " + std::string(permission) + " on every brand");
  for (const auto& b : brands) {
    if (!p.can(permission, b.id)) {
      http::forbidden("an organization-wide action needs " + std::string(permission) +
                      " on every brand; you do not have it on \"" + b.name + "\"");
    }
  }
}

std::int64_t EvidenceVault::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
}

EvidenceItem EvidenceVault::append(pqxx::work& tx, const std::string& org_id, const iam::Actor& by,
                                   const std::string& kind, const std::string& subject_id,
                                   const std::string& brand_id, const nlohmann::json& content, std::int64_t now_ms) {
  tx.exec_prepared0("crisis_evidence_head_ensure", org_id);
  auto head = tx.exec_prepared1("crisis_evidence_head_lock", org_id);
  EvidenceItem e;
  e.seq = head[0].as<std::int64_t>() + 1;
  e.prev_hash = head[1].as<std::string>();
  e.org_id = org_id;
  e.kind = kind;
  e.subject_id = subject_id;
  e.brand_id = brand_id;
  e.recorded_by = by.user_id;
  e.recorded_by_label = by.label;
  e.recorded_at_ms = now_ms;
  e.content = content.dump();  // sorted keys, compact: the text that is hashed and kept
  e.hash = evidence_hash(e.prev_hash, e);
  tx.exec_prepared0("crisis_evidence_insert", e.org_id, e.seq, e.kind, e.subject_id, nonempty(e.brand_id),
                    nonempty(e.recorded_by), e.recorded_by_label, e.recorded_at_ms, e.content, e.prev_hash, e.hash);
  tx.exec_prepared0("crisis_evidence_head_set", org_id, e.seq, e.hash);
  return e;
}

EvidenceItem EvidenceVault::record(const iam::Principal& p, const EvidenceInput& in) {
  bool known = false;
  for (const char* k : kPersonKinds) known = known || in.kind == k;
  if (!known) {
    http::invalid_field("kind", "must be one of statement, reply, deleted_post, platform_report, metric_snapshot, note "
                                "(freezes and lifts are recorded by Herald itself)");
  }
  if (!in.brand_id.empty() && !identity_.brand(p.org_id, in.brand_id)) {
    http::invalid_field("brand_id", "names no brand of your organization");
  }
  if (in.content.is_null()) http::invalid_field("content", "required: the evidence itself, as JSON");
  if (in.content.dump().size() > kMaxContentBytes) http::invalid_field("content", "at most 256 KiB");
  require_crisis_permission(identity_, p, perm::kCrisisManage, in.brand_id);
  const auto now = now_ms();
  return pg_.transact([&](pqxx::work& tx) {
    auto e = append(tx, p.org_id, iam::Actor::of(p), in.kind, in.subject_id, in.brand_id, in.content, now);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"crisis.evidence.record", "evidence", std::to_string(e.seq), in.brand_id,
                            {{"kind", in.kind}, {"subject_id", in.subject_id}, {"hash", e.hash}}});
    return e;
  });
}

std::vector<EvidenceItem> EvidenceVault::list(const iam::Principal& p, std::int64_t after_seq, int limit,
                                              const std::string& subject_id) {
  std::vector<EvidenceItem> out;
  // Reads pages until `limit` visible items (brand items need crisis.read on the brand).
  std::int64_t after = after_seq;
  while (static_cast<int>(out.size()) < limit) {
    auto page = pg_.transact([&](pqxx::work& tx) {
      std::vector<EvidenceItem> items;
      for (const auto& r : tx.exec_prepared("crisis_evidence_page", p.org_id, after, 500, subject_id)) {
        items.push_back(evidence_from(r));
      }
      return items;
    });
    if (page.empty()) break;
    for (auto& e : page) {
      after = e.seq;
      bool visible = e.brand_id.empty() ? (p.is_admin || !p.memberships.empty()) : p.can(perm::kCrisisRead, e.brand_id);
      if (visible && static_cast<int>(out.size()) < limit) out.push_back(std::move(e));
    }
    if (page.size() < 500) break;
  }
  return out;
}

nlohmann::json EvidenceVault::export_bundle(const iam::Principal& p) {
  require_crisis_permission(identity_, p, perm::kCrisisRead, "");
  return pg_.transact([&](pqxx::work& tx) {
    nlohmann::json items = nlohmann::json::array();
    std::int64_t after = 0;
    std::string head = kEvidenceGenesis;
    for (;;) {
      auto rows = tx.exec_prepared("crisis_evidence_page", p.org_id, after, 5000, std::string());
      for (const auto& r : rows) {
        auto e = evidence_from(r);
        after = e.seq;
        head = e.hash;
        items.push_back(to_json(e));
      }
      if (rows.size() < 5000) break;
    }
    nlohmann::json manifest = {{"format", kFormat},
                               {"org_id", p.org_id},
                               {"exported_at", core::format_instant_ms(now_ms())},
                               {"exported_by", p.email},
                               {"count", items.size()},
                               {"first_seq", items.empty() ? 0 : 1},
                               {"last_seq", after},
                               {"head_hash", head},
                               {"hash", "sha256(prev_hash + \"\\n\" + canonical(item)); canonical(item) is the JSON "
                                        "object of seq, org_id, kind, subject_id, brand_id, recorded_by, "
                                        "recorded_by_label, recorded_at_ms and content, compact, keys sorted; the "
                                        "first prev_hash is 64 zeros"}};
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"crisis.evidence.export", "evidence", p.org_id, "", {{"count", items.size()}, {"head_hash", head}}});
    return nlohmann::json{{"manifest", manifest}, {"items", items}};
  });
}

EvidenceCheckResult EvidenceVault::verify_bundle(const nlohmann::json& bundle) {
  if (!bundle.is_object() || !bundle.contains("manifest") || !bundle["manifest"].is_object() ||
      !bundle.contains("items") || !bundle["items"].is_array()) {
    throw std::invalid_argument("a bundle is {\"manifest\": {...}, \"items\": [...]}");
  }
  const auto& m = bundle["manifest"];
  if (m.value("format", "") != kFormat) throw std::invalid_argument("manifest.format: expected " + std::string(kFormat));
  std::vector<EvidenceItem> items;
  for (std::size_t i = 0; i < bundle["items"].size(); ++i) {
    try {
      items.push_back(evidence_from_json(bundle["items"][i]));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("items[" + std::to_string(i) + "]." + e.what());
    }
  }
  EvidenceCheckResult r;
  r.chain = verify_evidence(items);
  const std::string head = items.empty() ? kEvidenceGenesis : items.back().hash;
  const std::int64_t last = items.empty() ? 0 : items.back().seq;
  if (!m.contains("count") || !m["count"].is_number_integer() || m["count"].get<std::int64_t>() != static_cast<std::int64_t>(items.size())) {
    r.manifest_reason = "manifest.count does not match the items";
  } else if (m.value("last_seq", std::int64_t{-1}) != last) {
    r.manifest_reason = "manifest.last_seq does not match the last item";
  } else if (m.value("head_hash", "") != head) {
    r.manifest_reason = "manifest.head_hash does not match the last item's hash";
  } else {
    std::string org = m.value("org_id", "");
    for (const auto& e : items) {
      if (e.org_id != org) {
        r.manifest_reason = "item " + std::to_string(e.seq) + " belongs to another organization";
        break;
      }
    }
  }
  r.manifest_matches = r.manifest_reason.empty();
  return r;
}

}  // namespace herald::crisis
