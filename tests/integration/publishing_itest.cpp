// The marketing team's journey over HTTP, end to end through every module of the herald binary
// and herald-sandbox: a planner writes a post for a connected Mastodon account with a slot, a
// social media manager and a legal reviewer approve it, the scheduler dispatches it at its time,
// an adapter worker sends it through the send gate, and the post (with its first comment) is on
// the platform once, not before its slot. And the other side: an unapproved post never reaches the
// platform, and a freeze in force holds a due post instead of sending it.
#include <pqxx/pqxx>
#include <thread>

#include "tests/integration/accounts_helpers.hpp"

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

TEST_F(Publishing, AFreezeInForceHoldsADuePostInsteadOfSendingIt) {
  auto t = make_team();
  ASSERT_FALSE(t.account_id.empty());
  // Until the lockdown switch's API lands (issue F4) the test freezes the brand the way that API
  // will: a freezes row and a new fence epoch in PostgreSQL, picked up by the fence keeper.
  {
    pqxx::connection db(herald_->database_url());
    pqxx::work tx(db);
    auto org = tx.exec1("SELECT org_id FROM accounts WHERE id = " + tx.quote(t.account_id))[0].as<std::string>();
    auto epoch = tx.exec1("UPDATE crisis_fence SET epoch = epoch + 1 RETURNING epoch")[0].as<long>();
    tx.exec("INSERT INTO freezes (org_id, scope_kind, scope_value, reason, epoch) VALUES (" + tx.quote(org) +
            ", 'brand', " + tx.quote(t.brand_id) + ", 'integration test', " + std::to_string(epoch) + ")");
    tx.commit();
  }
  std::this_thread::sleep_for(1500ms);  // the keeper syncs every second
  Http planner = login_as(*herald_, t.planner);
  Http manager = login_as(*herald_, t.manager);
  Http legal = login_as(*herald_, t.legal);
  auto seq = last_seq();
  auto created = planner.post("/api/v1/posts",
                              post_body(t, "frozen " + unique_slug("f"), iso_utc(std::chrono::system_clock::now() + 3s)));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json["id"];
  ASSERT_EQ(planner.post("/api/v1/posts/" + id + "/submit").status, 200);
  ASSERT_EQ(manager.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}}).status, 200);
  ASSERT_EQ(legal.post("/api/v1/posts/" + id + "/decisions", {{"verdict", "approve"}}).status, 200);
  wait_for_target(planner, id, "HELD");
  EXPECT_TRUE(requests_since(seq, "POST", "/api/v1/statuses").empty());
}

}  // namespace
}  // namespace herald::testing
