#include "services/crisis/domain/evidence_chain.hpp"

#include <gtest/gtest.h>

namespace herald::crisis {
namespace {

std::vector<EvidenceItem> chain(int n) {
  std::vector<EvidenceItem> out;
  std::string prev = kEvidenceGenesis;
  for (int i = 1; i <= n; ++i) {
    EvidenceItem e;
    e.seq = i;
    e.org_id = "org";
    e.kind = "statement";
    e.recorded_by_label = "someone";
    e.recorded_at_ms = 1000 * i;
    e.content = nlohmann::json{{"text", "statement " + std::to_string(i)}}.dump();
    e.prev_hash = prev;
    e.hash = evidence_hash(prev, e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

TEST(EvidenceChain, AnIntactChainVerifies) {
  auto items = chain(5);
  auto r = verify_evidence(items);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.checked, 5);
  EXPECT_TRUE(verify_evidence({}).ok);
}

TEST(EvidenceChain, AnyChangeIsFoundAtItsItem) {
  auto edited = chain(5);
  edited[2].content = R"({"text":"something else"})";
  auto r = verify_evidence(edited);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_EQ(r.reason, "content does not match its hash");

  auto removed = chain(5);
  removed.erase(removed.begin() + 1);
  EXPECT_EQ(verify_evidence(removed).first_bad_seq, 3);  // a gap

  auto rehashed = chain(5);  // an edit with its own hash recomputed breaks the next link
  rehashed[1].recorded_by_label = "someone else";
  rehashed[1].hash = evidence_hash(rehashed[1].prev_hash, rehashed[1]);
  auto r2 = verify_evidence(rehashed);
  EXPECT_EQ(r2.first_bad_seq, 3);
  EXPECT_EQ(r2.reason, "prev_hash does not match the previous item");

  auto relabelled = chain(3);
  relabelled[0].org_id = "other";
  EXPECT_EQ(verify_evidence(relabelled).first_bad_seq, 1);
}

TEST(EvidenceChain, JsonRoundTripKeepsTheHash) {
  for (const auto& e : chain(3)) {
    auto back = evidence_from_json(to_json(e));
    EXPECT_EQ(evidence_hash(back.prev_hash, back), e.hash);
  }
  auto j = to_json(chain(1)[0]);
  j.erase("content");
  EXPECT_THROW(evidence_from_json(j), std::invalid_argument);
}

}  // namespace
}  // namespace herald::crisis
