// The Facebook emulator's Marketing API (facebook_ads.cpp) over HTTP: the automatic ad account and its hierarchy,
// accounts made by POST /_sandbox/facebook/ad-accounts, cursor paging, insights (one row per ad per active day,
// ordered by date then ad, the same numbers every time, aggregation by level and time_increment), Graph's errors,
// fault injection and the request log on these routes. The clock is a ManualClock at 2027-01-15.
#include <gtest/gtest.h>

#include <cctype>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "adapters/sandbox/platforms/platforms_test_fixture.hpp"

namespace herald::sandbox {
namespace {

using nlohmann::json;

std::string enc(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string range(const std::string& since, const std::string& until) {
  return enc(json({{"since", since}, {"until", until}}).dump());
}

// YYYY-MM-DD of the fixture's today (ManualClock: 1,800,000,000 s = 2027-01-15) + `offset` days, in UTC.
std::string day(int offset) {
  std::time_t t = 1800000000 + static_cast<std::time_t>(offset) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

class FacebookAds : public ::testing::Test, public testing::SandboxFixture {
 protected:
  struct Answer {
    int status = 0;
    json body;
    httplib::Headers headers;
  };
  Answer get(const std::string& path, const std::string& token) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    auto r = client("facebook").Get(path, h);
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    return {r->status, json::parse(r->body, nullptr, false), r->headers};
  }
  // OAuth for `handle`: {user token, page token, page id}.
  struct Tokens {
    std::string user, page, page_id;
  };
  Tokens connect(const std::string& handle) {
    auto code = approve(
        "facebook", "/v19.0/dialog/oauth?client_id=herald-facebook&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=s", handle);
    auto t = json::parse(client("facebook")
                             .Get("/v19.0/oauth/access_token?client_id=herald-facebook&client_secret=sandbox-secret"
                                  "&redirect_uri=http%3A%2F%2Fapp%2Fcb&code=" +
                                  code)
                             ->body);
    Tokens out;
    out.user = t.value("access_token", "");
    auto pages = get("/v19.0/me/accounts", out.user).body;
    out.page = pages["data"][0]["access_token"];
    out.page_id = pages["data"][0]["id"];
    return out;
  }
  json create(const json& body) {
    auto r = control_post("/_sandbox/facebook/ad-accounts", body);
    EXPECT_EQ(r->status, 201) << r->body;
    return json::parse(r->body);
  }
  // Every row of a paged edge, following paging.next; checks the paging block of each page on the way.
  std::vector<json> all_pages(std::string path, const std::string& token, int* pages = nullptr) {
    std::vector<json> rows;
    int n = 0;
    while (!path.empty() && n < 1000) {
      auto a = get(path, token);
      EXPECT_EQ(a.status, 200) << a.body.dump();
      if (a.status != 200) break;
      ++n;
      for (const auto& d : a.body["data"]) rows.push_back(d);
      if (!a.body["data"].empty()) {
        EXPECT_TRUE(a.body["paging"]["cursors"].contains("before"));
        EXPECT_TRUE(a.body["paging"]["cursors"].contains("after"));
      }
      std::string next = a.body.contains("paging") ? a.body["paging"].value("next", "") : "";
      path = next.empty() ? "" : next.substr(next.find('/', next.find("://") + 3));
    }
    if (pages) *pages = n;
    return rows;
  }
  std::string insights(const std::string& account, const std::string& query) {
    return "/v19.0/" + account + "/insights?" + query;
  }
};

TEST_F(FacebookAds, EveryUserOwnsASmallAccountWithAHierarchy) {
  auto t = connect("demo_facebook");
  auto mine = get("/v19.0/me/adaccounts?fields=id,name,account_id,currency,account_status", t.user);
  ASSERT_EQ(mine.status, 200) << mine.body.dump();
  ASSERT_EQ(mine.body["data"].size(), 1u);
  auto acc = mine.body["data"][0];
  std::string id = acc["id"];
  EXPECT_EQ(id, "act_" + acc["account_id"].get<std::string>());
  EXPECT_EQ(acc["currency"], "USD");
  EXPECT_EQ(acc["account_status"], 1);
  EXPECT_FALSE(acc["name"].get<std::string>().empty());
  EXPECT_FALSE(mine.body["paging"].contains("next"));  // one page
  // The control API shows the same account; a page token has no adaccounts edge (a Page node).
  auto listed = json::parse(client("control").Get("/_sandbox/facebook/ad-accounts?handle=demo_facebook")->body);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], id);
  EXPECT_EQ(listed[0]["automatic"], true);
  EXPECT_EQ(get("/v19.0/me/adaccounts", t.page).body["error"]["code"], 100);

  // The adapter reads with the page token (fetch_ad_entities): account, then each level with its parent.
  auto node = get("/v19.0/" + id + "?fields=id,name,currency,account_status", t.page);
  ASSERT_EQ(node.status, 200);
  EXPECT_EQ(node.body["id"], id);
  auto campaigns = all_pages("/v19.0/" + id + "/campaigns?fields=id,name,status,objective,daily_budget", t.page);
  auto adsets = all_pages("/v19.0/" + id + "/adsets?fields=id,name,status,campaign_id,daily_budget", t.page);
  auto ads = all_pages("/v19.0/" + id + "/ads?fields=id,name,status,adset_id,creative%7Bobject_type%7D", t.page);
  EXPECT_EQ(campaigns.size(), 2u);
  EXPECT_EQ(adsets.size(), 4u);
  EXPECT_EQ(ads.size(), 12u);
  std::map<std::string, bool> campaign_budget;  // campaign id -> has its own daily_budget
  for (const auto& c : campaigns) {
    EXPECT_EQ(c["objective"].get<std::string>().rfind("OUTCOME_", 0), 0u) << c;
    EXPECT_TRUE(c["status"] == "ACTIVE" || c["status"] == "PAUSED") << c;
    campaign_budget[c["id"].get<std::string>()] = c.contains("daily_budget");
  }
  std::map<std::string, int> ads_per_adset;
  for (const auto& s : adsets) {
    auto campaign = s["campaign_id"].get<std::string>();
    ASSERT_TRUE(campaign_budget.count(campaign)) << s;
    // A budget lives on the campaign (CBO) or on its ad sets, never on both and never on neither.
    EXPECT_NE(campaign_budget[campaign], s.contains("daily_budget")) << s;
    ads_per_adset[s["id"].get<std::string>()] = 0;
  }
  for (const auto& c : campaigns) {
    if (c.contains("daily_budget")) {
      EXPECT_GT(std::stoll(c["daily_budget"].get<std::string>()), 0);
    }
  }
  std::set<std::string> types;
  for (const auto& a : ads) {
    auto adset = a["adset_id"].get<std::string>();
    ASSERT_TRUE(ads_per_adset.count(adset)) << a;
    ++ads_per_adset[adset];
    types.insert(a["creative"]["object_type"].get<std::string>());
    EXPECT_TRUE(a["creative"].contains("id"));
  }
  for (const auto& [adset, n] : ads_per_adset) EXPECT_EQ(n, 3) << adset;
  for (const auto& type : types) {
    EXPECT_TRUE(type == "VIDEO" || type == "SHARE" || type == "PHOTO" || type == "STATUS") << type;
  }
  // Fields Graph does not have on the node are its "nonexisting field" error.
  auto bad = get("/v19.0/" + id + "/campaigns?fields=id,colour", t.page);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["code"], 100);
  EXPECT_NE(bad.body["error"]["message"].get<std::string>().find("colour"), std::string::npos);
}

TEST_F(FacebookAds, CursorPagingWalksEveryObjectOnceInBothDirections) {
  auto t = connect("pager");
  auto acc = create({{"handle", "pager"}, {"ads", 25}, {"ads_per_adset", 5}, {"adsets_per_campaign", 2}});
  EXPECT_EQ(acc["ad_sets"], 5);
  EXPECT_EQ(acc["campaigns"], 3);
  std::string id = acc["id"];
  int pages = 0;
  auto ads = all_pages("/v19.0/" + id + "/ads?fields=id,adset_id&limit=10", t.page, &pages);
  EXPECT_EQ(pages, 3);  // 10 + 10 + 5, the last one without paging.next
  std::set<std::string> ids;
  for (const auto& a : ads) ids.insert(a["id"].get<std::string>());
  EXPECT_EQ(ids.size(), 25u);
  auto first = get("/v19.0/" + id + "/ads?limit=10", t.page).body;
  auto second =
      get("/v19.0/" + id + "/ads?limit=10&after=" + first["paging"]["cursors"]["after"].get<std::string>(), t.page)
          .body;
  EXPECT_EQ(second["data"][0]["id"], ads[10]["id"]);
  ASSERT_TRUE(second["paging"].contains("previous"));
  auto back =
      get("/v19.0/" + id + "/ads?limit=10&before=" + second["paging"]["cursors"]["before"].get<std::string>(), t.page)
          .body;
  EXPECT_EQ(back["data"], first["data"]);
  EXPECT_EQ(get("/v19.0/" + id + "/ads?after=not-a-cursor", t.page).body["error"]["code"], 100);
  // The account is the handle's: listed with the automatic one.
  auto mine = get("/v19.0/me/adaccounts?fields=id,currency", t.user).body["data"];
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[1]["id"], id);
}

TEST_F(FacebookAds, DailyAdInsightsHaveOneRowPerAdPerActiveDay) {
  auto t = connect("reporter");
  auto acc = create({{"handle", "reporter"}, {"ads", 7}, {"days", 10}, {"ads_per_adset", 3}, {"currency", "EUR"}});
  std::string id = acc["id"];
  EXPECT_EQ(acc["first_day"], day(-9));
  // The range starts before the account and ends after today: only the 10 active days have rows.
  std::string q = "level=ad&time_increment=1&time_range=" + range(day(-20), day(5)) +
                  "&fields=ad_id,impressions,clicks,spend,actions,action_values,date_start&limit=500";
  auto once = get(insights(id, q), t.page);
  ASSERT_EQ(once.status, 200) << once.body.dump();
  auto rows = once.body["data"];
  ASSERT_EQ(rows.size(), 70u);
  EXPECT_FALSE(once.body["paging"].contains("next"));
  std::set<std::string> ad_ids;
  std::int64_t impressions = 0, clicks = 0, purchases = 0, likes = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    EXPECT_EQ(r["date_start"], day(-9 + static_cast<int>(i / 7))) << i;  // by date, then by ad
    EXPECT_EQ(r["date_stop"], r["date_start"]);
    if (i % 7 != 0) {
      const auto& prev = rows[i - 1]["ad_id"].get<std::string>();
      const auto& cur = r["ad_id"].get<std::string>();
      EXPECT_TRUE(prev.size() < cur.size() || (prev.size() == cur.size() && prev < cur)) << prev << " " << cur;
    }
    ad_ids.insert(r["ad_id"].get<std::string>());
    ASSERT_TRUE(r["impressions"].is_string() && r["clicks"].is_string() && r["spend"].is_string()) << r;
    auto imp = std::stoll(r["impressions"].get<std::string>());
    auto clk = std::stoll(r["clicks"].get<std::string>());
    EXPECT_GE(imp, 200);
    EXPECT_LE(imp, 20000);
    EXPECT_GE(clk, imp * 3 / 1000 - 1);
    EXPECT_LE(clk, imp * 4 / 100 + 1);
    auto spend = r["spend"].get<std::string>();
    auto dot = spend.find('.');
    EXPECT_TRUE(dot == std::string::npos || spend.size() - dot - 1 <= 2) << spend;
    double cpm = std::stod(spend) * 1000 / static_cast<double>(imp);
    EXPECT_GE(cpm, 2 * 0.9 * 0.99) << spend;  // EUR is about 0.92 dollars; CPM 2-15 dollars' worth
    EXPECT_LE(cpm, 15 * 1.01) << spend;
    impressions += imp;
    clicks += clk;
    std::int64_t pixel = 0, omni = 0;
    for (const auto& a : r.value("actions", json::array())) {
      if (a["action_type"] == "offsite_conversion.fb_pixel_purchase") pixel = std::stoll(a["value"].get<std::string>());
      if (a["action_type"] == "omni_purchase") omni = std::stoll(a["value"].get<std::string>());
      if (a["action_type"] == "like") likes += std::stoll(a["value"].get<std::string>());
      EXPECT_TRUE(a["value"].is_string());
    }
    EXPECT_EQ(pixel, omni);  // the same purchases under each name, as Meta reports them
    purchases += omni;
    if (omni > 0) {
      ASSERT_TRUE(r.contains("action_values")) << r;
      double revenue = std::stod(r["action_values"][0]["value"].get<std::string>());
      EXPECT_GE(revenue, static_cast<double>(omni) * 20 * 0.9);
      EXPECT_LE(revenue, static_cast<double>(omni) * 80 * 0.93);
    }
  }
  EXPECT_EQ(ad_ids.size(), 7u);
  EXPECT_GE(purchases, clicks / 100 - 70);  // 1-10 % of clicks, each row rounded at random
  EXPECT_LE(purchases, clicks / 10 + 70);
  EXPECT_GT(likes, 0);
  EXPECT_LT(likes, 70 * 5);

  // The same question, the same numbers; small pages add up to the same rows.
  EXPECT_EQ(get(insights(id, q), t.page).body["data"], rows);
  auto small = q.substr(0, q.rfind("&limit=")) + "&limit=4";
  int pages = 0;
  auto paged = all_pages(insights(id, small), t.page, &pages);
  EXPECT_EQ(pages, 18);  // ceil(70 / 4)
  EXPECT_EQ(json(paged), rows);

  // The day after, the account has delivered one more day: 7 more rows, the old ones unchanged.
  clock.advance(std::chrono::hours(24));
  t = connect("reporter");  // the tokens of yesterday have expired
  auto later = get(insights(id, q), t.page).body["data"];
  ASSERT_EQ(later.size(), 77u);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(later[i], rows[i]) << i;
  EXPECT_EQ(later[76]["date_start"], day(1));

  // Coarser levels and increments are sums of the ad rows.
  auto by_adset = get(insights(id, "level=adset&time_range=" + range(day(-9), day(0)) +
                                       "&fields=adset_id,impressions,clicks&time_increment=all_days"),
                      t.page)
                      .body["data"];
  ASSERT_EQ(by_adset.size(), 3u);  // 3 + 3 + 1 ads
  std::int64_t adset_impressions = 0;
  for (const auto& r : by_adset) {
    EXPECT_EQ(r["date_start"], day(-9));
    EXPECT_EQ(r["date_stop"], day(0));
    adset_impressions += std::stoll(r["impressions"].get<std::string>());
  }
  EXPECT_EQ(adset_impressions, impressions);
  auto account = get(insights(id, "time_range=" + range(day(-9), day(0)) + "&fields=clicks"), t.page).body["data"];
  ASSERT_EQ(account.size(), 1u);
  EXPECT_EQ(std::stoll(account[0]["clicks"].get<std::string>()), clicks);
  auto weekly = get(insights(id, "level=ad&time_increment=7&time_range=" + range(day(-9), day(0))), t.page).body;
  EXPECT_EQ(weekly["data"].size(), 14u);  // two buckets (7 days, then 3) x 7 ads
  // A range entirely before the account has no rows.
  EXPECT_TRUE(get(insights(id, "level=ad&time_range=" + range(day(-40), day(-30))), t.page).body["data"].empty());
}

TEST_F(FacebookAds, TenThousandAdsPageWithoutStoringAnything) {
  auto t = connect("big");
  auto acc = create({{"handle", "big"}, {"ads", 10000}, {"days", 365}});
  EXPECT_EQ(acc["ad_sets"], 1000);
  EXPECT_EQ(acc["campaigns"], 100);
  std::string id = acc["id"];
  int pages = 0;
  auto ads = all_pages("/v19.0/" + id + "/ads?fields=id&limit=5000", t.page, &pages);
  EXPECT_EQ(pages, 2);
  // One day deep inside the year: one row for each of the 10,000 ads, in the order of the ads edge.
  auto rows = all_pages(insights(id, "level=ad&time_increment=1&fields=ad_id,impressions&limit=5000&time_range=" +
                                         range(day(-200), day(-200))),
                        t.page);
  ASSERT_EQ(rows.size(), ads.size());
  for (std::size_t i = 0; i < rows.size(); i += 997) {
    EXPECT_EQ(rows[i]["ad_id"], ads[i]["id"]) << i;
    EXPECT_EQ(rows[i]["date_start"], day(-200));
  }
  // The whole year (date_preset=maximum: 3.65M rows) starts on the account's first day; nothing comes before it.
  auto first = get(insights(id, "level=ad&time_increment=1&fields=ad_id&limit=5000&date_preset=maximum"), t.page);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body["data"].size(), 5000u);
  EXPECT_EQ(first.body["data"][0]["date_start"], day(-364));
  auto before_end = get(insights(id, "level=ad&time_increment=1&fields=ad_id&limit=3&date_preset=maximum&before=" +
                                         first.body["paging"]["cursors"]["before"].get<std::string>()),
                        t.page);
  EXPECT_TRUE(before_end.body["data"].empty());  // nothing before the first row
}

TEST_F(FacebookAds, AmountsFollowTheAccountCurrency) {
  auto t = connect("yen");
  auto acc = create({{"handle", "yen"}, {"ads", 20}, {"days", 3}, {"currency", "JPY"}});
  std::string id = acc["id"];
  EXPECT_EQ(get("/v19.0/" + id + "?fields=currency", t.page).body["currency"], "JPY");
  for (const auto& r :
       get(insights(id, "level=ad&time_increment=1&date_preset=maximum&fields=spend&limit=100"), t.page).body["data"]) {
    auto spend = r["spend"].get<std::string>();
    EXPECT_EQ(spend.find('.'), std::string::npos) << spend;  // yen have no minor unit
    EXPECT_GT(std::stoll(spend), 50) << spend;               // yen-sized, not dollar-sized
  }
  bool any_budget = false;
  for (const char* edge : {"campaigns", "adsets"}) {
    for (const auto& e : all_pages("/v19.0/" + id + "/" + edge + "?fields=daily_budget", t.page)) {
      if (!e.contains("daily_budget")) continue;
      any_budget = true;
      EXPECT_GE(std::stoll(e["daily_budget"].get<std::string>()), 500);  // whole yen (Meta's offset-1 currency)
    }
  }
  EXPECT_TRUE(any_budget);
}

TEST_F(FacebookAds, ErrorsAreGraphs) {
  auto t = connect("owner");
  auto other = connect("stranger");
  std::string id = get("/v19.0/me/adaccounts", t.user).body["data"][0]["id"];
  auto err = [&](const std::string& path, const std::string& token) { return get(path, token).body["error"]; };
  auto ins = [&](const std::string& q) { return err(insights(id, q), t.page); };
  EXPECT_EQ(err("/v19.0/" + id + "/ads", "").value("code", 0), 104);
  EXPECT_EQ(err("/v19.0/" + id + "/ads", "not-a-token").value("code", 0), 190);
  auto foreign = get("/v19.0/" + id + "/insights?level=ad", other.page);
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.body["error"]["code"], 200);
  auto missing = err("/v19.0/act_42/campaigns", t.page);
  EXPECT_EQ(missing["code"], 100);
  EXPECT_EQ(missing["error_subcode"], 33);
  EXPECT_EQ(missing["type"], "GraphMethodException");
  EXPECT_EQ(ins("time_range=" + enc("{\"since\":\"2027-01-01\"}"))["code"], 100);
  EXPECT_EQ(ins("time_range=not-json")["code"], 100);
  EXPECT_EQ(ins("time_range=" + range("2027-02-30", "2027-03-01"))["code"], 100);
  auto backwards = ins("time_range=" + range(day(-1), day(-3)));
  EXPECT_EQ(backwards["code"], 100);
  EXPECT_EQ(backwards["type"], "OAuthException");
  EXPECT_EQ(ins("level=creative")["code"], 100);
  EXPECT_EQ(ins("time_increment=400")["code"], 100);
  EXPECT_EQ(ins("date_preset=last_century")["code"], 100);
  EXPECT_EQ(ins("fields=ad_id,happiness")["code"], 100);
  EXPECT_EQ(ins("time_range=" + range("2023-01-01", "2023-01-02"))["code"], 3018);  // beyond 37 months
  EXPECT_EQ(ins("limit=0")["code"], 100);
}

TEST_F(FacebookAds, FaultsAndTheRequestLogApply) {
  auto t = connect("faulty");
  std::string id = get("/v19.0/me/adaccounts", t.user).body["data"][0]["id"];
  client("control").Delete("/_sandbox/requests");
  ASSERT_EQ(control_post("/_sandbox/faults",
                         {{"platform", "facebook"}, {"kind", "rate_limit"}, {"path_prefix", "/v19.0/" + id}})
                ->status,
            201);
  auto limited = get(insights(id, "level=ad"), t.page);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body["error"]["code"], 613);  // the Marketing API's ad-account limit
  auto usage = json::parse(limited.headers.find("X-Ad-Account-Usage")->second);
  EXPECT_GT(usage["reset_time_duration"].get<int>(), 0);
  auto ok = get(insights(id, "level=ad"), t.page);  // times: 1
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.headers.find("X-Ad-Account-Usage"), ok.headers.end());
  ASSERT_EQ(control_post("/_sandbox/faults", {{"platform", "facebook"}, {"kind", "status"}, {"status", 503}})->status,
            201);
  EXPECT_EQ(get("/v19.0/" + id + "/ads", t.page).body["error"]["code"], 2);  // transient
  auto log = json::parse(client("control").Get("/_sandbox/requests?platform=facebook")->body);
  std::vector<std::string> faults;
  for (const auto& e : log) {
    if (e["path"].get<std::string>().find(id) != std::string::npos) faults.push_back(e["fault"].dump());
  }
  EXPECT_EQ(faults, (std::vector<std::string>{"\"rate_limit\"", "null", "\"status\""}));
}

TEST_F(FacebookAds, ControlInputIsValidated) {
  auto post = [&](const json& body) { return control_post("/_sandbox/facebook/ad-accounts", body)->status; };
  EXPECT_EQ(post({{"handle", "x"}, {"currency", "eur"}}), 422);
  EXPECT_EQ(post({{"handle", "x"}, {"ads", 0}}), 422);
  EXPECT_EQ(post({{"handle", "x"}, {"days", 5000}}), 422);
  EXPECT_EQ(post({{"handle", "x"}, {"ads_per_adset", 51}}), 422);
  EXPECT_EQ(post({{"handle", "x"}, {"colour", "red"}}), 400);  // JsonBody: an unknown field is a bad request
  EXPECT_EQ(post({{"ads", 10}}), 422);
  EXPECT_EQ(client("control").Get("/_sandbox/facebook/ad-accounts?handle=nobody")->status, 404);
  // A new handle gets its account with the ad account: OAuth for it later finds both.
  auto made = create({{"handle", "early_bird"}, {"ads", 3}});
  auto t = connect("early_bird");
  EXPECT_EQ(made["owner_id"], t.page_id);
  EXPECT_EQ(get("/v19.0/" + made["id"].get<std::string>() + "/ads", t.page).body["data"].size(), 3u);
}

}  // namespace
}  // namespace herald::sandbox
