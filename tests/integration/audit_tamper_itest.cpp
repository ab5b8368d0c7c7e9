// The audit log is append-only and hash-chained: the database refuses ordinary changes, and a
// change made behind the server's back (a superuser with the trigger disabled) is detected by
// GET /api/v1/audit/verify at the exact row. Each suite breaks its own database's chain.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "tests/integration/iam_helpers.hpp"

namespace herald::testing {
namespace {

// Some history: a brand, a user, a membership, an update; returns the brand.create seq.
std::int64_t make_history(Http& admin) {
  auto brand_id = json_id(create_brand(admin, unique_slug("hist")));
  auto user_id = json_id(create_user(admin, unique_email("hist")));
  EXPECT_EQ(admin.put("/api/v1/brands/" + brand_id + "/members/" + user_id, {{"role", "viewer"}}).status, 200);
  EXPECT_EQ(admin.patch("/api/v1/brands/" + brand_id, {{"name", "History"}}).status, 200);
  auto e = find_audit(audit_entries(admin), "brand.create", brand_id);
  EXPECT_TRUE(e.is_object());
  return e.is_object() ? e["seq"].get<std::int64_t>() : 0;
}

nlohmann::json verify(Http& admin) {
  auto r = admin.get("/api/v1/audit/verify");
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json;
}

class AuditTamper : public HeraldSuite<AuditTamper> {};

TEST_F(AuditTamper, ChangedDetailsAreDetectedAtThatRow) {
  Http admin = admin_client(herald());
  auto seq = make_history(admin);
  ASSERT_GT(seq, 1);
  auto head = audit_head(admin);
  ASSERT_GT(head, seq) << "the tampered row should be in the middle of the chain";

  auto ok = verify(admin);
  EXPECT_EQ(ok["ok"], true) << ok.dump();
  EXPECT_EQ(ok["checked"], head) << ok.dump();
  EXPECT_TRUE(ok["first_bad_seq"].is_null());

  pqxx::connection db(herald().database_url());
  // An ordinary session cannot rewrite or remove history.
  for (const std::string& sql : {"UPDATE audit_log SET details = '{\"name\": \"forged\"}'::jsonb WHERE seq = " +
                                    std::to_string(seq),
                                "DELETE FROM audit_log WHERE seq = " + std::to_string(seq)}) {
    pqxx::work tx(db);
    try {
      tx.exec(sql);
      ADD_FAILURE() << "the append-only trigger let this through: " << sql;
    } catch (const pqxx::sql_error& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(verify(admin)["ok"], true);

  // A superuser who switches the trigger off can; verify points at the row.
  {
    pqxx::connection super(herald().superuser_database_url());
    pqxx::work tx(super);
    tx.exec("SET LOCAL session_replication_role = replica");
    auto r = tx.exec("UPDATE audit_log SET details = '{\"name\": \"forged\"}'::jsonb WHERE seq = " + std::to_string(seq));
    ASSERT_EQ(r.affected_rows(), 1u);
    tx.commit();
  }
  auto bad = verify(admin);
  EXPECT_EQ(bad["ok"], false) << bad.dump();
  EXPECT_EQ(bad["first_bad_seq"], seq) << bad.dump();
  EXPECT_FALSE(bad.value("reason", "").empty()) << bad.dump();
  EXPECT_EQ(bad["checked"], seq) << "verification stops at the first bad row: " << bad.dump();

  // The API shows the forged content as it is stored (the verifier, not the reader, catches it).
  auto entries = audit_entries(admin);
  for (const auto& e : entries) {
    if (e["seq"] == seq) {
      EXPECT_EQ(e["details"]["name"], "forged");
    }
  }
}

class AuditRowRemoved : public HeraldSuite<AuditRowRemoved> {};

TEST_F(AuditRowRemoved, ARemovedRowBreaksTheChain) {
  Http admin = admin_client(herald());
  auto seq = make_history(admin);
  ASSERT_GT(seq, 1);
  EXPECT_EQ(verify(admin)["ok"], true);
  {
    pqxx::connection db(herald().superuser_database_url());
    pqxx::work tx(db);
    tx.exec("SET LOCAL session_replication_role = replica");
    ASSERT_EQ(tx.exec("DELETE FROM audit_log WHERE seq = " + std::to_string(seq)).affected_rows(), 1u);
    tx.commit();
  }
  auto bad = verify(admin);
  EXPECT_EQ(bad["ok"], false) << bad.dump();
  ASSERT_TRUE(bad["first_bad_seq"].is_number_integer()) << bad.dump();
  // The gap is reported where it is noticed: at the missing seq or the row after it.
  auto first_bad = bad["first_bad_seq"].get<std::int64_t>();
  EXPECT_TRUE(first_bad == seq || first_bad == seq + 1) << bad.dump();
}

class AuditRowForged : public HeraldSuite<AuditRowForged> {};

TEST_F(AuditRowForged, ARewrittenHashDoesNotHideAChange) {
  // A row whose stored hash was replaced is caught at that row (its content no longer matches).
  Http admin = admin_client(herald());
  auto seq = make_history(admin);
  ASSERT_GT(seq, 1);
  {
    pqxx::connection db(herald().superuser_database_url());
    pqxx::work tx(db);
    tx.exec("SET LOCAL session_replication_role = replica");
    tx.exec("UPDATE audit_log SET hash = repeat('0', 64) WHERE seq = " + std::to_string(seq));
    tx.commit();
  }
  auto bad = verify(admin);
  EXPECT_EQ(bad["ok"], false) << bad.dump();
  EXPECT_EQ(bad["first_bad_seq"], seq) << bad.dump();
}

}  // namespace
}  // namespace herald::testing
