// The inbox's second path in, through the herald binary and herald-sandbox: comments written
// before an account was connected are backfilled when it is; what arrives later is read on the
// account's cursor; a platform that delivers the same items by webhook and by list stores them
// once; the polling state is visible per account and kind.
#include <thread>

#include "tests/integration/accounts_helpers.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

class Polling : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sandbox_ = std::make_unique<SandboxProcess>(SandboxOptions{23, 30 * 86400});
    HeraldOptions o;
    o.env["HERALD_PLATFORMS_SANDBOX_FILE"] = sandbox_->port_file();
    o.env["HERALD_INBOX_POLL_INTERVAL_MS"] = "200";  // every account is read five times a second
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

  static HttpResponse control_post(const std::string& path, const nlohmann::json& body) {
    Http control("127.0.0.1", sandbox_->control_port());
    return control.post(path, body);
  }
  static nlohmann::json threads(Http& who, const std::string& brand) {
    auto r = who.get("/api/v1/inbox/threads?limit=200&brand_id=" + brand);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.is_object() ? r.json["items"] : nlohmann::json::array();
  }
  static int items_of(Http& who, const std::string& brand, const std::string& kind = "") {
    int n = 0;
    for (const auto& t : threads(who, brand)) {
      if (kind.empty() || t["kind"] == kind) n += t["item_count"].get<int>();
    }
    return n;
  }
  // Waits up to `limit` for `done`.
  template <class F>
  static bool eventually(F done, std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(100ms);
    }
    return done();
  }
  static nlohmann::json poll_state(Http& who, const std::string& brand, const std::string& kind) {
    auto r = who.get("/api/v1/inbox/poll-state?brand_id=" + brand);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& s : r.json["items"]) {
      if (s["kind"] == kind) return s;
    }
    return nullptr;
  }

  static inline std::unique_ptr<SandboxProcess> sandbox_;
  static inline std::unique_ptr<HeraldProcess> herald_;
  static inline std::string start_error_;
};

TEST_F(Polling, CommentsFromBeforeTheConnectionAreBackfilledAndLaterOnesReadOnTheCursor) {
  Http admin = admin_client(*herald_);
  auto brand = json_id(create_brand(admin, unique_slug("poll")));
  auto handle = unique_slug("pollm");
  // Written before Herald knew the account (Mastodon, read by list only here).
  auto before = control_post("/_sandbox/generate", {{"platform", "mastodon"}, {"handle", handle}, {"kind", "comment"},
                                                    {"count", 3}, {"delivery", "poll"}});
  ASSERT_EQ(before.status, 200) << before.body;
  ASSERT_FALSE(connect_oauth(admin, *herald_, brand, "mastodon", handle).empty());
  EXPECT_TRUE(eventually([&] { return items_of(admin, brand) == 3; })) << threads(admin, brand).dump();
  auto state = poll_state(admin, brand, "comment");
  ASSERT_TRUE(state.is_object());
  EXPECT_EQ(state["platform"], "mastodon");
  EXPECT_EQ(state["has_cursor"], true);
  EXPECT_EQ(state["items_stored"], 3);
  EXPECT_TRUE(state["last_error"].is_null());

  // Later ones come on the cursor; reading again and again stores nothing twice.
  ASSERT_EQ(control_post("/_sandbox/generate", {{"platform", "mastodon"}, {"handle", handle}, {"kind", "mention"},
                                                {"count", 2}, {"delivery", "poll"}})
                .status,
            200);
  EXPECT_TRUE(eventually([&] { return items_of(admin, brand, "mention") == 2; })) << threads(admin, brand).dump();
  auto polls = poll_state(admin, brand, "comment")["polls"].get<int>();
  EXPECT_TRUE(eventually([&] {
    auto st = poll_state(admin, brand, "comment");
    return st.is_object() && st["polls"].get<int>() >= polls + 3;
  }));
  EXPECT_EQ(items_of(admin, brand), 5);
  EXPECT_EQ(poll_state(admin, brand, "comment")["items_stored"], 3);

  // Someone without the brand sees none of its polling.
  auto outsider = unique_email("outsider");
  create_user(admin, outsider);
  Http other = login_as(*herald_, outsider);
  EXPECT_EQ(other.get("/api/v1/inbox/poll-state?brand_id=" + brand).status, 404);
  EXPECT_TRUE(other.get("/api/v1/inbox/poll-state").json["items"].empty());
}

TEST_F(Polling, ItemsDeliveredByWebhookAndReadByListAreStoredOnce) {
  Http admin = admin_client(*herald_);
  auto brand = json_id(create_brand(admin, unique_slug("both")));
  auto handle = unique_slug("bothx");
  ASSERT_FALSE(connect_oauth(admin, *herald_, brand, "x", handle).empty());
  auto hook_url = "http://127.0.0.1:" + std::to_string(herald_->port()) + "/api/v1/webhooks/x";
  ASSERT_EQ(control_post("/_sandbox/webhooks", {{"platform", "x"}, {"url", hook_url}}).status, 200);
  ASSERT_EQ(control_post("/_sandbox/generate", {{"platform", "x"}, {"handle", handle}, {"kind", "mention"}, {"count", 4},
                                                {"delivery", "webhook"}})
                .status,
            200);
  EXPECT_TRUE(eventually([&] { return items_of(admin, brand) == 4; }));
  // The poller reads the same four from the list too, and stores none of them again.
  EXPECT_TRUE(eventually([&] {
    auto st = poll_state(admin, brand, "mention");
    return st.is_object() && st["items_seen"].get<int>() >= 4;
  }))
      << poll_state(admin, brand, "mention").dump();
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(items_of(admin, brand), 4);
  EXPECT_EQ(threads(admin, brand).size(), 4u);
}

}  // namespace
}  // namespace herald::testing
