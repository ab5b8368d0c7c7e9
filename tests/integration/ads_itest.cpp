// Ads over HTTP against the platform sandbox's Marketing API emulation, through the real Facebook
// adapter: a connected Facebook account's ad account is added, synced in the background (progress
// on the account), and reported by campaign with KPIs from sums and as CSV; bad reports are refused.
#include <chrono>
#include <thread>

#include "tests/integration/accounts_helpers.hpp"
#include "tests/support/sandbox_process.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

std::string day_text(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&tt));
  return buf;
}

TEST(Ads, AnAdAccountIsSyncedFromTheSandboxAndReportedByCampaign) {
  SandboxProcess sandbox(SandboxOptions{21, 30 * 86400});
  HeraldOptions o;
  o.env["HERALD_PLATFORMS_SANDBOX_FILE"] = sandbox.port_file();
  HeraldProcess herald(o);
  Http admin = admin_client(herald);
  auto brand = json_id(create_brand(admin, unique_slug("ads")));
  const std::string handle = unique_slug("fbads");
  auto account = connect_oauth(admin, herald, brand, "facebook", handle);
  ASSERT_FALSE(account.empty());

  Http control("127.0.0.1", sandbox.control_port());
  auto made = control.post("/_sandbox/facebook/ad-accounts",
                           {{"handle", handle}, {"ads", 40}, {"currency", "EUR"}, {"days", 60}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string external = made.json["id"];

  expect_problem(admin.post("/api/v1/ads/accounts", {{"account_id", account}, {"external_id", "not an id"}}), 422, "external_id");
  auto added = admin.post("/api/v1/ads/accounts", {{"account_id", account}, {"external_id", external}, {"backfill_days", 30}});
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id = added.json["id"];

  nlohmann::json state;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    state = admin.get("/api/v1/ads/accounts/" + id).json;
    if (state.value("status", "") != "syncing") break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(state["status"], "ok") << state.dump();
  EXPECT_EQ(state["currency"], "EUR");
  EXPECT_EQ(state["entities"]["ads"], 40);
  EXPECT_EQ(state["progress"]["rows"], 40 * 30) << state.dump();  // one row per ad per day

  auto now = std::chrono::system_clock::now();
  const std::string from = day_text(now - 29 * 24h), to = day_text(now);
  auto report = admin.get("/api/v1/ads/report?ad_account_id=" + id + "&from=" + from + "&to=" + to + "&group_by=campaign");
  ASSERT_EQ(report.status, 200) << report.body;
  ASSERT_FALSE(report.json["rows"].empty());
  std::int64_t impressions = 0, clicks = 0;
  for (const auto& r : report.json["rows"]) {
    impressions += r["totals"]["impressions"].get<std::int64_t>();
    clicks += r["totals"]["clicks"].get<std::int64_t>();
    EXPECT_FALSE(r.value("name", "").empty()) << r.dump();
  }
  EXPECT_EQ(report.json["total"]["totals"]["impressions"], impressions);
  ASSERT_GT(impressions, 0);
  EXPECT_DOUBLE_EQ(report.json["total"]["kpis"]["ctr"].get<double>(), static_cast<double>(clicks) / static_cast<double>(impressions));

  auto csv = admin.get("/api/v1/ads/report?ad_account_id=" + id + "&from=" + from + "&to=" + to + "&group_by=day&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 1 + 30 + 1);  // header, 30 days, total

  expect_problem(admin.get("/api/v1/ads/report?ad_account_id=" + id + "&from=" + to + "&to=" + from), 422, "to");
  expect_problem(admin.get("/api/v1/ads/report?ad_account_id=" + id + "&from=" + from), 422, "to");
  expect_problem(admin.get("/api/v1/ads/report?ad_account_id=" + id + "&from=" + from + "&to=" + to + "&group_by=zodiac"), 422, "group_by");
}

}  // namespace
}  // namespace herald::testing
