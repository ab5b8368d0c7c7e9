#include "services/gateway/domain/audit_chain.hpp"

#include <gtest/gtest.h>

namespace herald::gateway {
namespace {

std::vector<AuditEntry> chain(int n) {
  std::vector<AuditEntry> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.seq = i;
    e.at_us = 1'700'000'000'000'000 + i;
    e.actor_id = "u1";
    e.actor_label = "admin@herald.local";
    e.action = "brand.create";
    e.target_type = "brand";
    e.target_id = "b" + std::to_string(i);
    e.details = {{"name", "Brand " + std::to_string(i)}};
    e.prev_hash = prev;
    e.hash = audit_hash(prev, e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

TEST(AuditChain, IntactChainVerifies) {
  auto c = chain(5);
  auto r = verify_chain(c);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.checked, 5);
}

TEST(AuditChain, EditedDetailsAreDetected) {
  auto c = chain(5);
  c[2].details["name"] = "Forged";
  auto r = verify_chain(c);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
}

TEST(AuditChain, DeletedOrReorderedEntriesAreDetected) {
  auto c = chain(5);
  c.erase(c.begin() + 1);
  EXPECT_EQ(verify_chain(c).first_bad_seq, 3);
  auto d = chain(5);
  std::swap(d[1], d[2]);
  EXPECT_FALSE(verify_chain(d).ok);
}

TEST(AuditChain, RehashedEntryStillBreaksTheNextLink) {
  auto c = chain(5);
  c[1].actor_label = "someone else";
  c[1].hash = audit_hash(c[1].prev_hash, c[1]);  // forger recomputes this entry's hash
  auto r = verify_chain(c);
  EXPECT_EQ(r.first_bad_seq, 3);
}

TEST(AuditChain, CanonicalFormIsKeyOrderIndependent) {
  AuditEntry a = chain(1)[0];
  AuditEntry b = a;
  b.details = nlohmann::json::parse(R"({"z": 1, "a": {"y": 2, "b": 3}})");
  a.details = nlohmann::json::parse(R"({"a": {"b": 3, "y": 2}, "z": 1})");
  EXPECT_EQ(audit_canonical(a), audit_canonical(b));
}

}  // namespace
}  // namespace herald::gateway
