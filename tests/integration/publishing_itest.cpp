// The marketing team's journey over HTTP, end to end through every module of the herald binary
// and herald-sandbox: a planner writes a post for a connected Mastodon account with a slot, a
// social media manager and a legal reviewer approve it, the scheduler dispatches it at its time,
// an adapter worker sends it through the send gate, and the post (with its first comment) is on
// the platform once, not before its slot. And the other side: an unapproved post never reaches the
// platform; and a crisis freeze holds due work until it is lifted and the review lane acts.
#include <optional>
#include <thread>

#include "tests/integration/accounts_helpers.hpp"
#include "tests/integration/stream_client.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

class Publishing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sandbox_ = std::make_unique<SandboxProcess>(SandboxOptions{11, 30 * 86400});
    HeraldOptions o;
    o.env["HERALD_PLATFORMS_SANDBOX_FILE"] = sandbox_->port_file();
    o.env["HERALD_PUBLISHING_APPROVAL_DEADLINE_S"] = "0";  // slots seconds away, not the default 30 min
    try {
      herald_ = std::make_unique<HeraldProcess>(o);
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    herald_.reset();
    sandbox_.reset();
  }
  void SetUp() override {
    if (!herald_) {
      GTEST_FAIL() << "herald did not start: " << start_error_;
    }
  }
  void TearDown() override {
    if (herald_) {
      EXPECT_TRUE(herald_->running()) << "herald died:\n" << herald_->output_text();
    }
  }

  // A brand with a connected Mastodon account and three members: planner, manager, legal.
  struct Team {
    std::string brand_id, account_id, handle;
    std::string planner, manager, legal;  // e-mails
  };
  static Team make_team() {
    Http admin = admin_client(*herald_);
    Team t;
    t.brand_id = json_id(create_brand(admin, unique_slug("pub")));
    t.handle = unique_slug("acct");
    for (auto& [who, role] : std::vector<std::pair<std::string*, std::string>>{
             {&t.planner, "content_planner"}, {&t.manager, "social_media_manager"}, {&t.legal, "legal_reviewer"}}) {
      *who = unique_email(role);
      auto user_id = json_id(create_user(admin, *who));
      auto r = admin.put("/api/v1/brands/" + t.brand_id + "/members/" + user_id, {{"role", role}});
      EXPECT_EQ(r.status, 200) << r.body;
    }
    t.account_id = connect_oauth(admin, *herald_, t.brand_id, "mastodon", t.handle);
    return t;
  }

  static std::string iso_utc(std::chrono::system_clock::time_point t) {
    auto s = std::chrono::floor<std::chrono::seconds>(t);
    std::time_t tt = std::chrono::system_clock::to_time_t(s);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&tt));
    return buf;
  }

  // Polls the post until its (only) target is in `state`, or gives up after `limit`.
  static nlohmann::json wait_for_target(Http& who, const std::string& post_id, const std::string& state,
                                        std::chrono::seconds limit = 30s) {
    nlohmann::json post;
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = who.get("/api/v1/posts/" + post_id);
      if (r.status == 200) {
        post = r.json;
        if (post["targets"].size() == 1 && post["targets"][0]["state"] == state) return post;
      }
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "target never reached " << state << ": " << post.dump();
    return post;
  }

  static std::vector<nlohmann::json> status_posts(const std::string& handle) {
    Http control("127.0.0.1", sandbox_->control_port());
    auto state = control.get("/_sandbox/state?platform=mastodon&handle=" + handle);
    EXPECT_EQ(state.status, 200) << state.body;
    std::vector<nlohmann::json> out;
    for (const auto& p : state.json["posts"]) out.push_back(p);
    return out;
  }

  static std::vector<nlohmann::json> requests_since(std::int64_t seq, const std::string& method,
                                                    const std::string& path) {
    Http control("127.0.0.1", sandbox_->control_port());
    auto r = control.get("/_sandbox/requests?platform=mastodon&since_seq=" + std::to_string(seq));
    std::vector<nlohmann::json> out;
    for (const auto& e : r.json) {
      if (e["method"] == method && e["path"].get<std::string>().rfind(path, 0) == 0) out.push_back(e);
    }
    return out;
  }

  static std::int64_t last_seq() {
    Http control("127.0.0.1", sandbox_->control_port());
    auto r = control.get("/_sandbox/requests?platform=mastodon");
    std::int64_t seq = 0;
    for (const auto& e : r.json) seq = std::max(seq, e["seq"].get<std::int64_t>());
    return seq;
  }

  static nlohmann::json post_body(const Team& t, const std::string& text, const std::string& at) {
    return {{"brand_id", t.brand_id},
            {"title", "Launch"},
            {"content_type", "news"},
            {"form", "image_text"},
            {"scheduled_at", at},
            {"zone", "Europe/Berlin"},
            {"variants",
             {{{"account_id", t.account_id}, {"text", text}, {"first_comment", "Details: https://example.com"}}}}};
  }

  static inline std::unique_ptr<SandboxProcess> sandbox_;
  static inline std::unique_ptr<HeraldProcess> herald_;
  static inline std::string start_error_;
};

TEST_F(Publishing, AnApprovedPostIsPublishedOnceAtItsSlotWithItsFirstComment) {
  auto t = make_team();
  ASSERT_FALSE(t.account_id.empty());
  Http planner = login_as(*herald_, t.planner);
  Http manager = login_as(*herald_, t.manager);
  Http legal = login_as(*herald_, t.legal);
  auto seq = last_seq();

  const std::string text = "Spring launch " + unique_slug("txt");
  auto slot = std::chrono::system_clock::now() + 4s;
  auto created = planner.post("/api/v1/posts", post_body(t, text, iso_utc(slot)));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json["id"];
  ASSERT_EQ(planner.post("/api/v1/posts/" + id + "/submit").status, 200);
  // The maker cannot approve their own post, even holding a role that could.
  auto a1 = manager.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}});
  ASSERT_EQ(a1.status, 200) << a1.body;
  auto a2 = legal.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}});
  ASSERT_EQ(a2.status, 200) << a2.body;
  EXPECT_EQ(a2.json["status"], "SCHEDULED") << a2.body;

  auto published = wait_for_target(planner, id, "PUBLISHED");
  const auto& target = published["targets"][0];
  EXPECT_FALSE(target.value("platform_post_id", "").empty()) << target.dump();

  // On the platform exactly once, with its first comment as a reply, and not before the slot.
  std::vector<nlohmann::json> ours;
  for (const auto& p : status_posts(t.handle)) {
    if (p["text"].get<std::string>().find(text) != std::string::npos) ours.push_back(p);
  }
  ASSERT_EQ(ours.size(), 1U);
  EXPECT_EQ(ours[0]["id"], target["platform_post_id"]);
  auto sends = requests_since(seq, "POST", "/api/v1/statuses");
  ASSERT_EQ(sends.size(), 2U) << "the post and its first comment";
  auto slot_iso = iso_utc(slot);
  for (const auto& s : sends) {
    EXPECT_GE(s["received_at"].get<std::string>().substr(0, 19), slot_iso.substr(0, 19)) << "sent early: " << s.dump();
  }
}

TEST_F(Publishing, AnUnapprovedPostNeverReachesThePlatform) {
  auto t = make_team();
  ASSERT_FALSE(t.account_id.empty());
  Http planner = login_as(*herald_, t.planner);
  Http manager = login_as(*herald_, t.manager);
  auto seq = last_seq();
  auto created = planner.post("/api/v1/posts",
                              post_body(t, "not approved " + unique_slug("n"), iso_utc(std::chrono::system_clock::now() + 2s)));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json["id"];
  ASSERT_EQ(planner.post("/api/v1/posts/" + id + "/submit").status, 200);
  // Only the first of two stages approves; scheduling by hand is refused.
  ASSERT_EQ(manager.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}}).status, 200);
  auto forced = manager.post("/api/v1/posts/" + id + "/schedule",
                             {{"scheduled_at", iso_utc(std::chrono::system_clock::now() + 2s)}, {"zone", "UTC"}});
  EXPECT_EQ(forced.status, 409) << forced.body;
  std::this_thread::sleep_for(4s);  // past the slot: the scheduler must have nothing to send
  EXPECT_TRUE(requests_since(seq, "POST", "/api/v1/statuses").empty());
  auto got = planner.get("/api/v1/posts/" + id);
  EXPECT_EQ(got.json["targets"][0]["state"], "IN_REVIEW") << got.body;
}

// The crisis journey: a commander previews and sets a brand freeze; the acknowledgement comes
// with what it holds, and every connected client hears of it within a second; the due post is
// HELD and nothing reaches the platform; bad input and lifting one's own freeze are refused;
// a second commander lifts it; the review lane reschedules the post and it goes out once, after.
TEST_F(Publishing, AFreezeHoldsDueWorkUntilTwoPeopleLiftItThenTheReviewLaneReschedulesIt) {
  auto t = make_team();
  ASSERT_FALSE(t.account_id.empty());
  Http admin = admin_client(*herald_);
  std::string commander_a = unique_email("cmd_a"), commander_b = unique_email("cmd_b");
  for (const auto& who : {commander_a, commander_b}) {
    auto user_id = json_id(create_user(admin, who));
    auto r = admin.put("/api/v1/brands/" + t.brand_id + "/members/" + user_id, {{"role", "crisis_commander"}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  Http planner = login_as(*herald_, t.planner);
  Http manager = login_as(*herald_, t.manager);
  Http legal = login_as(*herald_, t.legal);
  Http cmd_a = login_as(*herald_, commander_a);
  Http cmd_b = login_as(*herald_, commander_b);
  StreamClient stream(herald_->port(), "herald_session=" + planner.cookie("herald_session").value_or(""));
  auto seq = last_seq();

  const std::string text = "frozen " + unique_slug("f");
  auto created = planner.post("/api/v1/posts", post_body(t, text, iso_utc(std::chrono::system_clock::now() + 4s)));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json["id"];
  ASSERT_EQ(planner.post("/api/v1/posts/" + id + "/submit").status, 200);
  ASSERT_EQ(manager.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}}).status, 200);
  ASSERT_EQ(legal.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}}).status, 200);

  const nlohmann::json scope = {{"kind", "brand"}, {"value", t.brand_id}};
  auto preview = cmd_a.post("/api/v1/crisis/freezes/preview", {{"scope", scope}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.json["held"]["total"], 1) << preview.body;
  EXPECT_EQ(preview.json["held"]["items"][0]["post_id"], id);
  expect_problem(cmd_a.post("/api/v1/crisis/freezes", {{"scope", scope}}), 422, "reason");
  expect_problem(planner.post("/api/v1/crisis/freezes", {{"scope", scope}, {"reason", "not mine to freeze"}}), 403);
  expect_problem(cmd_a.post("/api/v1/crisis/freezes", {{"scope", {{"kind", "brand"}, {"value", "00000000-0000-4000-8000-000000000999"}}}, {"reason", "x"}}), 422, "scope.value");

  auto set = cmd_a.post("/api/v1/crisis/freezes", {{"scope", scope}, {"reason", "product recall: hold everything"}});
  const auto acked = std::chrono::steady_clock::now();
  ASSERT_EQ(set.status, 201) << set.body;
  const std::string freeze_id = set.json["freeze"]["id"];
  EXPECT_FALSE(set.json["acknowledgement"]["acknowledged_at"].is_null()) << set.body;
  EXPECT_EQ(set.json["held"]["total"], 1) << set.body;
  EXPECT_LT(set.json["acknowledgement"]["ack_ms"].get<double>(), 1000.0) << set.body;

  // Every connected client of the brand hears of it within a second.
  auto pushed = stream.next_of_type("crisis.freeze", std::chrono::milliseconds(1000));
  ASSERT_TRUE(pushed.has_value()) << "no crisis.freeze on /api/v1/stream within 1 s";
  EXPECT_EQ((*pushed)["freeze"]["id"], freeze_id);
  EXPECT_LE(std::chrono::steady_clock::now() - acked, 1s);

  wait_for_target(planner, id, "HELD");
  EXPECT_TRUE(requests_since(seq, "POST", "/api/v1/statuses").empty());

  // Lifting: a request, then someone else's approval.
  expect_problem(cmd_b.post("/api/v1/crisis/freezes/" + freeze_id + "/lift"), 409, "request");
  ASSERT_EQ(cmd_a.post("/api/v1/crisis/freezes/" + freeze_id + "/lift-request", {{"reason", "recall done"}}).status, 200);
  expect_problem(cmd_a.post("/api/v1/crisis/freezes/" + freeze_id + "/lift"), 403, "another person");
  expect_problem(planner.post("/api/v1/crisis/freezes/" + freeze_id + "/lift"), 403);
  // A session that ended in the middle of the freeze changes nothing.
  Http ended = login_as(*herald_, commander_b);
  ended.logout();
  expect_problem(ended.post("/api/v1/crisis/freezes/" + freeze_id + "/lift"), 401);
  EXPECT_TRUE(cmd_b.get("/api/v1/crisis/freezes/" + freeze_id).json["lifted"].is_null());
  auto lifted = cmd_b.post("/api/v1/crisis/freezes/" + freeze_id + "/lift");
  ASSERT_EQ(lifted.status, 200) << lifted.body;
  EXPECT_FALSE(lifted.json["lifted"].is_null());
  auto pushed_lift = stream.next_of_type("crisis.lift", std::chrono::milliseconds(1000));
  ASSERT_TRUE(pushed_lift.has_value()) << "no crisis.lift on /api/v1/stream within 1 s";
  EXPECT_EQ((*pushed_lift)["freeze"]["id"], freeze_id);
  // Every step is in the evidence vault, and the exported bundle proves itself (and a changed
  // one does not).
  auto evidence = cmd_a.get("/api/v1/crisis/evidence?subject_id=" + freeze_id);
  ASSERT_EQ(evidence.status, 200) << evidence.body;
  ASSERT_EQ(evidence.json["items"].size(), 3U) << evidence.body;
  EXPECT_EQ(evidence.json["items"][0]["kind"], "freeze");
  EXPECT_EQ(evidence.json["items"][2]["kind"], "lift");
  auto bundle = admin.get("/api/v1/crisis/evidence/export");
  ASSERT_EQ(bundle.status, 200) << bundle.body;
  auto verified = admin.post("/api/v1/crisis/evidence/verify", bundle.json);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json["valid"], true) << verified.body;
  auto tampered = bundle.json;
  tampered["items"][0]["content"] = R"({"reason":"nothing happened"})";
  EXPECT_EQ(admin.post("/api/v1/crisis/evidence/verify", tampered).json["valid"], false);

  auto active = cmd_a.get("/api/v1/crisis/freezes?active=true");
  ASSERT_EQ(active.status, 200);
  for (const auto& f : active.json["items"]) EXPECT_NE(f["id"], freeze_id);

  // Nothing held goes out on its own: still HELD after the lift, until the review lane acts.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(planner.get("/api/v1/posts/" + id).json["targets"][0]["state"], "HELD");
  EXPECT_TRUE(requests_since(seq, "POST", "/api/v1/statuses").empty());
  auto lane = manager.post("/api/v1/held/actions", {{"action", "reschedule"},
                                                    {"post_ids", {id}},
                                                    {"scheduled_at", iso_utc(std::chrono::system_clock::now() + 2s)},
                                                    {"zone", "UTC"}});
  ASSERT_EQ(lane.status, 200) << lane.body;
  EXPECT_EQ(lane.json["done"], 1) << lane.body;
  wait_for_target(planner, id, "PUBLISHED");
  EXPECT_EQ(requests_since(seq, "POST", "/api/v1/statuses").size(), 2U) << "the post and its first comment, once";
}

// A campaign's pause is a freeze with campaign scope: the campaign's due post is HELD and never
// reaches the platform; resuming takes two of the brand's campaign managers (the freeze's lift);
// the held post then goes out through the review lane.
TEST_F(Publishing, PausingACampaignHoldsItsPostsUntilTwoPeopleResumeIt) {
  auto t = make_team();
  ASSERT_FALSE(t.account_id.empty());
  Http planner = login_as(*herald_, t.planner);
  Http manager = login_as(*herald_, t.manager);
  Http legal = login_as(*herald_, t.legal);
  auto seq = last_seq();

  auto campaign = manager.post("/api/v1/campaigns", {{"brand_id", t.brand_id},
                                                     {"name", "Winter launch"},
                                                     {"type", "promotion"},
                                                     {"status", "active"},
                                                     {"starts_on", "2026-01-01"},
                                                     {"ends_on", "2028-12-31"},
                                                     {"budget", {{"amount_minor", 100000}, {"currency", "EUR"}}}});
  ASSERT_EQ(campaign.status, 201) << campaign.body;
  const std::string campaign_id = campaign.json["id"];
  expect_problem(manager.post("/api/v1/campaigns", {{"brand_id", t.brand_id}, {"name", "x"}, {"type", "promotion"},
                                                    {"budget", {{"amount_minor", -5}, {"currency", "EUR"}}}}),
                 422, "budget.amount_minor");

  auto body = post_body(t, "campaign " + unique_slug("c"), iso_utc(std::chrono::system_clock::now() + 4s));
  body["campaign_id"] = campaign_id;
  auto created = planner.post("/api/v1/posts", body);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json["id"];
  ASSERT_EQ(planner.post("/api/v1/posts/" + id + "/submit").status, 200);
  ASSERT_EQ(manager.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}}).status, 200);
  ASSERT_EQ(legal.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}}).status, 200);

  // Legal reviewers do not read campaigns: to them it does not exist.
  expect_problem(legal.post("/api/v1/campaigns/" + campaign_id + "/pause", {{"reason", "not mine"}}), 404);
  auto paused = manager.post("/api/v1/campaigns/" + campaign_id + "/pause", {{"reason", "influencer scandal"}});
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(paused.json["status"], "paused");
  EXPECT_EQ(paused.json["freeze"]["acknowledged"], true) << paused.body;
  const std::string freeze_id = paused.json["freeze_id"];
  auto freeze = manager.get("/api/v1/crisis/freezes/" + freeze_id);
  ASSERT_EQ(freeze.status, 200) << freeze.body;
  EXPECT_EQ(freeze.json["scope"]["kind"], "campaign");
  EXPECT_EQ(freeze.json["scope"]["value"], campaign_id);

  wait_for_target(planner, id, "HELD");
  EXPECT_TRUE(requests_since(seq, "POST", "/api/v1/statuses").empty());

  auto asked = manager.post("/api/v1/campaigns/" + campaign_id + "/resume", {{"reason", "statement out"}});
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(asked.json["status"], "paused");
  EXPECT_EQ(asked.json["freeze"]["lift_requested"], true);
  expect_problem(manager.post("/api/v1/campaigns/" + campaign_id + "/resume", nlohmann::json::object()), 403);
  auto resumed = planner.post("/api/v1/campaigns/" + campaign_id + "/resume", nlohmann::json::object());
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json["status"], "active");
  EXPECT_FALSE(manager.get("/api/v1/crisis/freezes/" + freeze_id).json["lifted"].is_null());

  std::this_thread::sleep_for(1s);
  EXPECT_EQ(planner.get("/api/v1/posts/" + id).json["targets"][0]["state"], "HELD");
  auto lane = manager.post("/api/v1/held/actions", {{"action", "reschedule"},
                                                    {"post_ids", {id}},
                                                    {"scheduled_at", iso_utc(std::chrono::system_clock::now() + 2s)},
                                                    {"zone", "UTC"}});
  ASSERT_EQ(lane.status, 200) << lane.body;
  wait_for_target(planner, id, "PUBLISHED");
}

}  // namespace
}  // namespace herald::testing
