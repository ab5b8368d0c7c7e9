// Campaigns and links against real PostgreSQL: a campaign is created with its plan checked as a
// whole (budget currency, allocation within the budget, dates in order) and nothing stored on bad
// input; status changes follow the life cycle; an update takes the version; pausing asks the freeze
// (here a recording stand-in for the crisis service) and resuming takes two calls, as the freeze's
// lift does; only the brand's people see and change it. Links: UTM parameters built in, loops and
// non-http(s) targets refused, the redirect's lookup and cache, clicks written in batches with
// their bot verdict and counted per link and per campaign.
#include "services/campaigns/campaigns.hpp"

#include <gtest/gtest.h>

#include "services/campaigns/campaigns_module.hpp"
#include "services/campaigns/links.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/service_db.hpp"

namespace herald::campaigns {
namespace {

using herald::testing::kBrand;
using herald::testing::kForeign;
using herald::testing::kMastodon;
using herald::testing::kOrg;
using herald::testing::kOtherBrand;
using herald::testing::principal;
using herald::testing::status_of;
using nlohmann::json;

// Records what the campaigns service asks of the freeze; the first resume asks, the second lifts.
class RecordingFreezes final : public contracts::FreezeControl {
 public:
  contracts::FreezeState freeze_campaign(const iam::Principal& p, const std::string& campaign_id,
                                         const std::string& brand_id, const std::string& reason) override {
    calls.push_back("freeze " + campaign_id + " " + brand_id + " " + reason);
    state_ = {"00000000-0000-4000-8000-00000000f001", true, true, 4.5, "", 2};
    setter_ = p.user_id;
    return state_;
  }
  contracts::FreezeState request_or_lift(const iam::Principal& p, const std::string& freeze_id,
                                         const std::string&) override {
    calls.push_back("lift " + freeze_id + " by " + p.user_id);
    if (state_.lift_requested_by.empty()) {
      state_.lift_requested_by = p.user_id;
    } else {
      if (p.user_id == state_.lift_requested_by || p.user_id == setter_) {
        throw core::http::HttpError(403, "Forbidden", "a second person lifts it");
      }
      state_.active = false;
    }
    return state_;
  }
  std::optional<contracts::FreezeState> state(const iam::Principal&, const std::string& id) override {
    if (id != state_.id) return std::nullopt;
    return state_;
  }
  std::vector<std::string> calls;

 private:
  contracts::FreezeState state_;
  std::string setter_;
};

class CampaignsPg : public ::testing::Test {
 protected:
  CampaignsPg() : db_(CampaignsModule::schema()) {}

  json plan() {
    return {{"brand_id", kBrand},
            {"name", "双十一 Singles' Day"},
            {"type", "promotion"},
            {"goal", "Sell the new kettle"},
            {"kpis", {{{"metric", "conversions"}, {"target", 500}}, {{"metric", "engagement_rate"}, {"target", 0.04}}}},
            {"platforms", {"weibo", "douyin"}},
            {"account_ids", {kMastodon}},
            {"rules", {{"eligibility", "Followers in mainland China"}, {"flow", "Repost + comment"}}},
            {"rewards", {{{"name", "Kettle"}, {"quantity", 10}, {"value_minor", 29900}}}},
            {"budget", {{"amount_minor", 5'000'000}, {"currency", "CNY"}}},
            {"allocation", {{{"target", "weibo"}, {"amount_minor", 3'000'000}}, {{"target", "KOL"}, {"amount_minor", 2'000'000}}}},
            {"starts_on", "2026-11-01"},
            {"ends_on", "2026-11-11"}};
  }

  int rows(const std::string& table) {
    return db_.pool().transact([&](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM " + table)[0].as<int>(); });
  }

  herald::testing::ServiceDb db_;
  herald::testing::FakeIdentity identity_;
  herald::testing::FakeDirectory directory_;
  RecordingFreezes freezes_;
  Campaigns campaigns_{db_.pool(), identity_, directory_, freezes_};
  Links links_{db_.pool(), identity_, LinksOptions{[] { return std::string("http://herald.example:8080"); }}};
  iam::Principal manager_ = principal("1", "social_media_manager");
  iam::Principal planner_ = principal("2", "content_planner");
  iam::Principal viewer_ = principal("3", "viewer");
  iam::Principal agent_ = principal("4", "community_manager");  // no campaign permission at all
};

TEST_F(CampaignsPg, ACampaignIsCreatedWithItsWholePlanAndReadBack) {
  auto c = campaigns_.create(manager_, plan());
  EXPECT_EQ(c["status"], "draft");
  EXPECT_EQ(c["budget"]["amount_minor"], 5'000'000);
  EXPECT_EQ(c["budget"]["currency"], "CNY");
  EXPECT_EQ(c["allocation"].size(), 2u);
  EXPECT_EQ(c["kpis"][1]["metric"], "engagement_rate");
  EXPECT_EQ(c["rules"]["flow"], "Repost + comment");
  EXPECT_EQ(c["platforms"], json({"weibo", "douyin"}));
  EXPECT_EQ(c["posts_url"], "/api/v1/posts?campaign_id=" + c["id"].get<std::string>());
  auto again = campaigns_.get(viewer_, c["id"]);
  EXPECT_EQ(again["name"], "双十一 Singles' Day");
  EXPECT_EQ(again["version"], 1);
  EXPECT_EQ(identity_.audit().size(), 1u);
}

TEST_F(CampaignsPg, BadPlansAreRefusedNamingTheFieldAndNothingIsStored) {
  struct Case {
    json change;
    std::string field;
  };
  std::vector<Case> cases = {
      {{{"budget", {{"amount_minor", -1}, {"currency", "CNY"}}}}, "budget.amount_minor"},
      {{{"budget", {{"amount_minor", 100}, {"currency", "XYZ"}}}}, "budget.currency"},
      {{{"budget", {{"amount_minor", 100}, {"currency", "cny"}}}}, "budget.currency"},
      {{{"allocation", {{{"target", "weibo"}, {"amount_minor", 6'000'000}}}}}, "allocation"},
      {{{"allocation", {{{"target", "weibo"}, {"amount_minor", 10}, {"currency", "USD"}}}}}, "allocation[0].currency"},
      {{{"starts_on", "2026-11-12"}}, "ends_on"},
      {{{"ends_on", "2026-02-30"}}, "ends_on"},
      {{{"type", "flash_mob"}}, "type"},
      {{{"platforms", {"myspace"}}}, "platforms"},
      {{{"account_ids", {kForeign}}}, "account_ids"},
      {{{"kpis", {{{"metric", "engagement_rate"}, {"target", 4}}}}}, "kpis[0].target"},
      {{{"colour", "red"}}, "colour"},
  };
  for (const auto& c : cases) {
    auto body = plan();
    body.update(c.change);
    json extra;
    EXPECT_EQ(status_of([&] { campaigns_.create(manager_, body); }, &extra), 422) << c.change.dump();
    EXPECT_EQ(extra.value("field", ""), c.field) << c.change.dump();
  }
  EXPECT_EQ(rows("campaigns"), 0);
  EXPECT_TRUE(identity_.audit().empty());
}

TEST_F(CampaignsPg, OnlyTheBrandsCampaignManagersChangeItAndOnlyItsReadersSeeIt) {
  EXPECT_EQ(status_of([&] { campaigns_.create(viewer_, plan()); }), 403);
  EXPECT_EQ(status_of([&] { campaigns_.create(agent_, plan()); }), 403);
  auto body = plan();
  body["brand_id"] = kOtherBrand;
  body.erase("account_ids");
  EXPECT_EQ(status_of([&] { campaigns_.create(manager_, body); }), 403);
  auto c = campaigns_.create(planner_, plan());
  EXPECT_EQ(status_of([&] { campaigns_.get(agent_, c["id"]); }), 404);
  EXPECT_EQ(status_of([&] { campaigns_.update(viewer_, c["id"], {{"theme", "x"}}, std::nullopt); }), 403);
  EXPECT_EQ(campaigns_.list(agent_, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 50)["items"].size(), 0u);
  EXPECT_EQ(campaigns_.list(viewer_, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 50)["items"].size(), 1u);
}

TEST_F(CampaignsPg, AnUpdateTakesTheVersionAndTheLifeCycleIsKept) {
  auto c = campaigns_.create(manager_, plan());
  std::string id = c["id"];
  auto u = campaigns_.update(manager_, id, {{"theme", "暖冬"}, {"budget", {{"amount_minor", 6'000'000}, {"currency", "CNY"}}}}, 1);
  EXPECT_EQ(u["theme"], "暖冬");
  EXPECT_EQ(u["version"], 2);
  EXPECT_EQ(u["allocation"].size(), 2u);  // untouched fields stay
  EXPECT_EQ(status_of([&] { campaigns_.update(manager_, id, {{"theme", "late"}}, 1); }), 412);
  // Shrinking the budget below what is allocated is refused.
  EXPECT_EQ(status_of([&] { campaigns_.update(manager_, id, {{"budget", {{"amount_minor", 10}, {"currency", "CNY"}}}}, std::nullopt); }), 422);

  EXPECT_EQ(status_of([&] { campaigns_.set_status(manager_, id, "completed", std::nullopt); }), 409);
  EXPECT_EQ(campaigns_.set_status(manager_, id, "planned", std::nullopt)["status"], "planned");
  EXPECT_EQ(campaigns_.set_status(manager_, id, "active", std::nullopt)["status"], "active");
  EXPECT_EQ(status_of([&] { campaigns_.set_status(manager_, id, "paused", std::nullopt); }), 409);
  EXPECT_EQ(campaigns_.set_status(manager_, id, "completed", std::nullopt)["status"], "completed");
  EXPECT_EQ(status_of([&] { campaigns_.update(manager_, id, {{"theme", "after"}}, std::nullopt); }), 409);
  // Active needs both dates.
  auto undated = plan();
  undated.erase("ends_on");
  auto d = campaigns_.create(manager_, undated);
  json extra;
  EXPECT_EQ(status_of([&] { campaigns_.set_status(manager_, d["id"], "active", std::nullopt); }, &extra), 422);
  EXPECT_EQ(extra["field"], "ends_on");
}

TEST_F(CampaignsPg, PausingIsAFreezeOfTheCampaignAndResumingTakesTwoPeople) {
  auto c = campaigns_.create(manager_, plan());
  std::string id = c["id"];
  EXPECT_EQ(status_of([&] { campaigns_.pause(manager_, id, "bad press"); }), 409);  // a draft does not run
  campaigns_.set_status(manager_, id, "active", std::nullopt);
  EXPECT_EQ(status_of([&] { campaigns_.pause(viewer_, id, "bad press"); }), 403);
  EXPECT_TRUE(freezes_.calls.empty());

  auto paused = campaigns_.pause(manager_, id, "bad press");
  EXPECT_EQ(paused["status"], "paused");
  EXPECT_EQ(paused["freeze"]["acknowledged"], true);
  ASSERT_EQ(freezes_.calls.size(), 1u);
  EXPECT_EQ(freezes_.calls[0], "freeze " + id + " " + kBrand + " bad press");
  EXPECT_EQ(status_of([&] { campaigns_.pause(manager_, id, "again"); }), 409);
  EXPECT_EQ(campaigns_.get(viewer_, id)["freeze"]["active"], true);

  auto asked = campaigns_.resume(manager_, id, "press handled");
  EXPECT_EQ(asked["status"], "paused");
  EXPECT_EQ(asked["freeze"]["lift_requested"], true);
  EXPECT_EQ(status_of([&] { campaigns_.resume(manager_, id, ""); }), 403);  // not the same person twice
  auto resumed = campaigns_.resume(planner_, id, "");
  EXPECT_EQ(resumed["status"], "active");
  EXPECT_TRUE(resumed["freeze_id"].is_null());
}

TEST_F(CampaignsPg, EventsBelongToTheirCampaign) {
  auto c = campaigns_.create(manager_, plan());
  auto e = campaigns_.add_event(manager_, c["id"], {"offline", "Shanghai pop-up", "静安寺", "", "", 1'793'000'000'000, 1'793'020'000'000});
  EXPECT_EQ(e["kind"], "offline");
  auto read = campaigns_.get(viewer_, c["id"]);
  ASSERT_EQ(read["events"].size(), 1u);
  EXPECT_EQ(read["events"][0]["location"], "静安寺");
  EXPECT_EQ(status_of([&] { campaigns_.add_event(manager_, c["id"], {"party", "x", "", "", "", 1, std::nullopt}); }), 422);
  EXPECT_EQ(status_of([&] { campaigns_.add_event(manager_, c["id"], {"online", "x", "", "", "", 10, 5}); }), 422);
  auto after = campaigns_.delete_event(manager_, c["id"], e["id"]);
  EXPECT_EQ(after["events"].size(), 0u);
  EXPECT_EQ(status_of([&] { campaigns_.delete_event(manager_, c["id"], e["id"]); }), 404);
}

TEST_F(CampaignsPg, ALinkCarriesItsUtmParametersAndRefusesLoopsAndOtherSchemes) {
  auto c = campaigns_.create(manager_, plan());
  LinkInput in{kBrand, "https://shop.example.com/kettle?color=red#buy", "Weibo bio", {"weibo", "social", "双十一", "", ""},
               c["id"].get<std::string>(), std::nullopt, kMastodon};
  auto link = links_.create(manager_, in);
  EXPECT_EQ(link["target"],
            "https://shop.example.com/kettle?color=red&utm_source=weibo&utm_medium=social&utm_campaign=%E5%8F%8C%E5%8D%81%E4%B8%80#buy");
  std::string code = link["code"];
  EXPECT_EQ(link["short_url"], "http://herald.example:8080/l/" + code);
  EXPECT_TRUE(Links::plausible_code(code));

  json extra;
  auto bad = in;
  bad.target = "javascript:alert(1)";
  EXPECT_EQ(status_of([&] { links_.create(manager_, bad); }, &extra), 422);
  EXPECT_EQ(extra["field"], "target");
  bad.target = "http://herald.example:8080/l/" + code;
  EXPECT_EQ(status_of([&] { links_.create(manager_, bad); }, &extra), 422);
  EXPECT_EQ(extra["field"], "target");
  bad = in;
  bad.campaign_id = "00000000-0000-4000-8000-0000000000ff";
  EXPECT_EQ(status_of([&] { links_.create(manager_, bad); }, &extra), 422);
  EXPECT_EQ(extra["field"], "campaign_id");
  EXPECT_EQ(status_of([&] { links_.create(viewer_, in); }), 403);
  EXPECT_EQ(rows("links"), 1);
}

TEST_F(CampaignsPg, ClicksAreWrittenInBatchesWithTheirBotVerdictAndCounted) {
  auto c = campaigns_.create(manager_, plan());
  auto link = links_.create(manager_, {kBrand, "https://shop.example.com/", "", {}, c["id"].get<std::string>(), std::nullopt, std::nullopt});
  std::string code = link["code"];

  Links cold{db_.pool(), identity_};  // another replica: nothing cached
  EXPECT_FALSE(cold.cached_target(code));
  EXPECT_EQ(cold.load_target(code), "https://shop.example.com/");
  EXPECT_EQ(cold.cached_target(code), "https://shop.example.com/");
  EXPECT_FALSE(cold.load_target("nosuchcode"));

  const std::string chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
  const std::int64_t t0 = 1'796'000'000'000;
  for (int i = 0; i < 7; ++i) cold.record_click(code, t0 + i, chrome, "https://weibo.com/", "10.0.0." + std::to_string(i % 3));
  cold.record_click(code, t0, "facebookexternalhit/1.1", "", "10.0.0.9");
  cold.record_click(code, t0, "", "", "10.0.0.9");
  EXPECT_EQ(cold.flush(), 9u);
  EXPECT_EQ(cold.flush(), 0u);

  auto stats = links_.get(viewer_, code, t0 - 86'400'000, t0 + 86'400'000);
  EXPECT_EQ(stats["clicks"], 7);
  EXPECT_EQ(stats["bot_clicks"], 2);
  ASSERT_EQ(stats["daily"].size(), 1u);
  EXPECT_EQ(stats["daily"][0]["unique_visitors"], 3);
  EXPECT_EQ(stats["top_referers"][0]["referer"], "https://weibo.com/");
  EXPECT_EQ(campaigns_.get(viewer_, c["id"])["links"]["clicks"], 7);
  EXPECT_EQ(status_of([&] { links_.get(agent_, code, t0, t0 + 1); }), 404);
  EXPECT_EQ(status_of([&] { links_.get(viewer_, code, t0, t0 - 1); }), 422);

  auto svg = links_.qr_svg(viewer_, code);
  EXPECT_EQ(svg.rfind("<svg", 0) == 0 || svg.rfind("<?xml", 0) == 0, true) << svg.substr(0, 80);
  auto page = links_.list(viewer_, kBrand, std::nullopt, std::nullopt, 1);
  EXPECT_EQ(page["items"].size(), 1u);
}

}  // namespace
}  // namespace herald::campaigns
