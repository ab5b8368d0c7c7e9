// The community managers' journey over HTTP, through the herald binary and herald-sandbox: the
// sandbox delivers comments and DMs to a connected X account by signed webhooks; they appear in
// the inbox as threads, enriched and sorted by priority, pushed to an open client at once; a
// forged delivery is refused and a redelivery changes nothing; someone without the brand sees
// nothing; a reply goes out once, even when its request is retried, and bad replies are refused
// before anything is sent.
#include <thread>

#include <pqxx/pqxx>

#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "tests/integration/accounts_helpers.hpp"
#include "tests/integration/stream_client.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

class Inbox : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sandbox_ = std::make_unique<SandboxProcess>(SandboxOptions{17, 30 * 86400});
    HeraldOptions o;
    o.env["HERALD_PLATFORMS_SANDBOX_FILE"] = sandbox_->port_file();
    o.env["HERALD_INBOX_SLA_SWEEP_MS"] = "200";  // breaches are looked for 5 times a second
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

  // Every thread the caller sees (first page of 200).
  static nlohmann::json threads(Http& who, const std::string& query = "") {
    auto r = who.get("/api/v1/inbox/threads?limit=200" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.is_object() ? r.json["items"] : nlohmann::json::array();
  }

  static int item_total(const nlohmann::json& list) {
    int n = 0;
    for (const auto& t : list) n += t["item_count"].get<int>();
    return n;
  }

  static std::vector<nlohmann::json> sandbox_requests(const std::string& method, const std::string& prefix) {
    Http control("127.0.0.1", sandbox_->control_port());
    auto r = control.get("/_sandbox/requests?platform=x");
    std::vector<nlohmann::json> out;
    for (const auto& e : r.json) {
      if (e["method"] == method && e["path"].get<std::string>().rfind(prefix, 0) == 0) out.push_back(e);
    }
    return out;
  }

  static inline std::unique_ptr<SandboxProcess> sandbox_;
  static inline std::unique_ptr<HeraldProcess> herald_;
  static inline std::string start_error_;
};

TEST_F(Inbox, WebhookCommentsAndDmsBecomeThreadsAndAReplyGoesOutOnce) {
  Http admin = admin_client(*herald_);
  auto brand = json_id(create_brand(admin, unique_slug("inbox")));
  auto other_brand = json_id(create_brand(admin, unique_slug("other")));
  auto agent_email = unique_email("agent");
  auto outsider_email = unique_email("outsider");
  auto agent_id = json_id(create_user(admin, agent_email));
  auto outsider_id = json_id(create_user(admin, outsider_email));
  ASSERT_EQ(admin.put("/api/v1/brands/" + brand + "/members/" + agent_id, {{"role", "community_manager"}}).status, 200);
  ASSERT_EQ(admin.put("/api/v1/brands/" + other_brand + "/members/" + outsider_id, {{"role", "community_manager"}})
                .status,
            200);
  auto handle = unique_slug("brandx");
  auto account = connect_oauth(admin, *herald_, brand, "x", handle);
  ASSERT_FALSE(account.empty());

  // The sandbox delivers to Herald's receiver; registering runs X's CRC check against it.
  auto hook_url = "http://127.0.0.1:" + std::to_string(herald_->port()) + "/api/v1/webhooks/x";
  auto reg = control_post("/_sandbox/webhooks", {{"platform", "x"}, {"url", hook_url}});
  ASSERT_EQ(reg.status, 200) << reg.body;

  Http agent = login_as(*herald_, agent_email);
  Http outsider = login_as(*herald_, outsider_email);
  StreamClient stream(herald_->port(), "herald_session=" + agent.cookie("herald_session").value_or(""));

  for (const char* kind : {"comment", "dm"}) {
    auto g = control_post("/_sandbox/generate",
                          {{"platform", "x"}, {"handle", handle}, {"kind", kind}, {"count", 3}, {"delivery", "webhook"}});
    ASSERT_EQ(g.status, 200) << g.body;
  }
  // Pushed to the open client as soon as it is stored.
  auto pushed = stream.next_of_type("inbox.thread", 5000ms);
  ASSERT_TRUE(pushed.has_value()) << "no inbox.thread message on the stream";
  EXPECT_EQ((*pushed)["data"]["brand_id"], brand);

  nlohmann::json list;
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    list = threads(agent);
    if (item_total(list) >= 6) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(item_total(list), 6) << list.dump();
  int dms = 0, comments = 0;
  for (const auto& t : list) {
    EXPECT_EQ(t["account_id"], account);
    EXPECT_EQ(t["status"], "open");
    EXPECT_EQ(t["sla"]["state"], "ok");
    (t["kind"] == "dm" ? dms : comments) += t["item_count"].get<int>();
  }
  EXPECT_EQ(dms, 3);
  EXPECT_EQ(comments, 3);
  // Sorted by priority, highest first.
  for (std::size_t i = 1; i < list.size(); ++i) EXPECT_GE(list[i - 1]["priority"], list[i]["priority"]);
  // Filters narrow the list.
  EXPECT_EQ(item_total(threads(agent, "&kind=dm")), 3);
  EXPECT_EQ(threads(agent, "&assignee=me").size(), 0u);

  // Someone without the brand sees none of it.
  EXPECT_EQ(threads(outsider).size(), 0u);
  auto thread_id = std::to_string(list[0]["id"].get<std::int64_t>());
  EXPECT_EQ(outsider.get("/api/v1/inbox/threads/" + thread_id).status, 404);

  // One thread in full: items with their enrichment.
  auto comment_thread = std::find_if(list.begin(), list.end(), [](const auto& t) { return t["kind"] == "comment"; });
  ASSERT_NE(comment_thread, list.end());
  auto cid = std::to_string((*comment_thread)["id"].get<std::int64_t>());
  auto full = agent.get("/api/v1/inbox/threads/" + cid);
  ASSERT_EQ(full.status, 200) << full.body;
  ASSERT_GE(full.json["items"].size(), 1u);
  auto first = full.json["items"][0];
  EXPECT_FALSE(first["text"].get<std::string>().empty());
  EXPECT_NE(first["language"], "");
  EXPECT_TRUE(first["sentiment"] == "negative" || first["sentiment"] == "neutral" || first["sentiment"] == "positive");

  // A forged delivery is refused and stores nothing; a correctly signed redelivery of a known
  // item changes nothing.
  nlohmann::json again = {{"for_user_id", "unknown"}, {"tweet_create_events", nlohmann::json::array()}};
  auto forged = Http(*herald_).send("POST", "/api/v1/webhooks/x", again.dump(), "application/json",
                                    {{"x-twitter-webhooks-signature", "sha256=AAAA"}});
  EXPECT_EQ(forged.status, 401) << forged.body;
  EXPECT_TRUE(forged.is_problem());
  auto unsigned_ = Http(*herald_).send("POST", "/api/v1/webhooks/x", again.dump());
  EXPECT_EQ(unsigned_.status, 401);
  EXPECT_EQ(item_total(threads(agent)), 6);
  auto acct = admin.get("/api/v1/accounts/" + account);
  ASSERT_EQ(acct.status, 200) << acct.body;
  auto me = acct.json["platform_account_id"].get<std::string>();
  nlohmann::json redelivery = {
      {"for_user_id", me},
      {"tweet_create_events",
       {{{"id_str", first["platform_item_id"]},
         {"text", first["text"]},
         {"in_reply_to_user_id_str", me},
         {"in_reply_to_status_id_str", first["platform_post_id"]},
         {"timestamp_ms", "1700000000000"},
         {"user", {{"id_str", first["author"]["id"]}, {"screen_name", first["author"]["handle"]}}}}}}};
  auto body = redelivery.dump();
  auto signature = "sha256=" + core::crypto::base64_encode(core::crypto::hmac_sha256("sandbox-secret", body));
  auto redelivered = Http(*herald_).send("POST", "/api/v1/webhooks/x", body, "application/json",
                                         {{"x-twitter-webhooks-signature", signature}});
  ASSERT_EQ(redelivered.status, 200) << redelivered.body;
  EXPECT_EQ(redelivered.json["duplicates"], 1) << redelivered.body;
  EXPECT_EQ(redelivered.json["stored"], 0);
  EXPECT_EQ(item_total(threads(agent)), 6);

  // Bad replies are refused before anything is queued.
  auto before = sandbox_requests("POST", "/2/tweets").size();
  EXPECT_EQ(agent.post("/api/v1/inbox/threads/" + cid + "/replies", {{"text", "   "}}).status, 422);
  EXPECT_EQ(agent.post("/api/v1/inbox/threads/" + cid + "/replies", {{"text", ""}}).status, 422);
  auto too_long = agent.post("/api/v1/inbox/threads/" + cid + "/replies", {{"text", std::string(400, 'a')}});
  EXPECT_EQ(too_long.status, 422) << too_long.body;
  EXPECT_EQ(outsider.post("/api/v1/inbox/threads/" + cid + "/replies", {{"text", "hi"}}).status, 404);

  // A reply, its request retried with the same Idempotency-Key: one reply, sent once.
  httplib::Headers key{{"Idempotency-Key", unique_slug("reply")}};
  auto r1 = agent.post("/api/v1/inbox/threads/" + cid + "/replies", {{"text", "Thanks for telling us, we are on it."}}, key);
  ASSERT_EQ(r1.status, 202) << r1.body;
  auto r2 = agent.post("/api/v1/inbox/threads/" + cid + "/replies", {{"text", "Thanks for telling us, we are on it."}}, key);
  ASSERT_EQ(r2.status, 202) << r2.body;
  EXPECT_EQ(r1.json["id"], r2.json["id"]);
  nlohmann::json sent;
  deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto t = agent.get("/api/v1/inbox/threads/" + cid);
    for (const auto& r : t.json["replies"]) {
      if (r["id"] == r1.json["id"] && r["status"] != "queued" && r["status"] != "sending") sent = r;
    }
    if (!sent.is_null()) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(sent.is_null()) << "the reply was never settled";
  EXPECT_EQ(sent["status"], "sent") << sent.dump();
  EXPECT_TRUE(sent["platform_reply_id"].is_string());
  auto calls = sandbox_requests("POST", "/2/tweets");
  EXPECT_EQ(calls.size(), before + 1) << "the reply must reach the platform exactly once";
  auto after = agent.get("/api/v1/inbox/threads/" + cid);
  EXPECT_EQ(after.json["unanswered"], 0);
  EXPECT_EQ(after.json["sla"]["state"], "met");

  // Take it, then resolve it; a stale version is refused.
  auto version = after.header("ETag");
  auto mine = agent.post("/api/v1/inbox/threads/" + cid + "/assign", {{"assignee_id", agent_id}}, {{"If-Match", version}});
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.json["assignee_id"], agent_id);
  EXPECT_EQ(agent.post("/api/v1/inbox/threads/" + cid + "/status", {{"status", "resolved"}}, {{"If-Match", version}})
                .status,
            412);
  auto done = agent.post("/api/v1/inbox/threads/" + cid + "/status", {{"status", "resolved"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(threads(agent, "&assignee=me&status=resolved").size(), 1u);
  EXPECT_EQ(agent.post("/api/v1/inbox/threads/" + cid + "/status", {{"status", "pending"}}).status, 422);
}

}  // namespace
}  // namespace herald::testing

namespace herald::testing {
namespace {

// Two community managers on one thread: the second sees that the first is writing (on the thread
// and over the WebSocket), and a reply written against the thread as it was before the first one
// answered is refused with 412 until its writer has read the thread again.
TEST_F(Inbox, TwoAgentsAnsweringOneThreadAreWarnedAndOnlyTheFirstReplyGoesOut) {
  Http admin = admin_client(*herald_);
  auto brand = json_id(create_brand(admin, unique_slug("collide")));
  std::vector<std::string> emails;
  for (const char* role : {"community_manager", "community_manager", "content_planner"}) {
    auto email = unique_email("agent");
    auto id = json_id(create_user(admin, email));
    ASSERT_EQ(admin.put("/api/v1/brands/" + brand + "/members/" + id, {{"role", role}}).status, 200);
    emails.push_back(email);
  }
  auto handle = unique_slug("collidex");
  ASSERT_FALSE(connect_oauth(admin, *herald_, brand, "x", handle).empty());
  auto hook_url = "http://127.0.0.1:" + std::to_string(herald_->port()) + "/api/v1/webhooks/x";
  ASSERT_EQ(control_post("/_sandbox/webhooks", {{"platform", "x"}, {"url", hook_url}}).status, 200);
  ASSERT_EQ(control_post("/_sandbox/generate",
                         {{"platform", "x"}, {"handle", handle}, {"kind", "comment"}, {"count", 1}, {"delivery", "webhook"}})
                .status,
            200);
  Http anna = login_as(*herald_, emails[0]);
  Http ben = login_as(*herald_, emails[1]);
  Http planner = login_as(*herald_, emails[2]);  // reads the inbox, may not reply
  nlohmann::json list;
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline && (list = threads(anna)).empty()) std::this_thread::sleep_for(100ms);
  ASSERT_EQ(list.size(), 1u) << list.dump();
  const auto path = "/api/v1/inbox/threads/" + std::to_string(list[0]["id"].get<std::int64_t>());

  // Both open the thread; Ben's client listens on the stream.
  auto opened_by_anna = anna.get(path);
  auto opened_by_ben = ben.get(path);
  ASSERT_EQ(opened_by_ben.status, 200);
  EXPECT_EQ(opened_by_ben.json["others_replying"].size(), 0u);
  const auto etag = opened_by_ben.header("ETag");
  ASSERT_FALSE(etag.empty());
  StreamClient stream(herald_->port(), "herald_session=" + ben.cookie("herald_session").value_or(""));

  // Anna starts writing: Ben sees it, Anna does not see herself.
  auto mark = anna.post(path + "/presence", {{"replying", true}});
  ASSERT_EQ(mark.status, 200) << mark.body;
  EXPECT_EQ(mark.json["others_replying"].size(), 0u);
  EXPECT_GT(mark.json["ttl_ms"].get<int>(), 0);
  auto pushed = stream.next_of_type("inbox.presence", 5000ms);
  ASSERT_TRUE(pushed.has_value()) << "no inbox.presence message on the stream";
  EXPECT_EQ((*pushed)["data"]["replying"], true);
  auto seen = ben.get(path);
  ASSERT_EQ(seen.json["others_replying"].size(), 1u) << seen.body;
  EXPECT_EQ(seen.json["others_replying"][0]["name"], anna.get("/api/v1/me").json["user"].value("display_name", ""));
  EXPECT_EQ(anna.get(path).json["others_replying"].size(), 0u);
  // Someone who may not reply may not claim to be replying.
  EXPECT_EQ(planner.post(path + "/presence", {{"replying", true}}).status, 403);
  expect_problem(anna.post(path + "/presence", nlohmann::json::object()), 422, "replying");

  // Anna answers against the thread as both opened it; Ben's reply against the same version is
  // refused, and goes through once he has read the thread again.
  auto first = anna.post(path + "/replies", {{"text", "We are on it!"}}, {{"If-Match", opened_by_anna.header("ETag")}});
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(anna.post(path + "/presence", {{"replying", false}}).status, 200);
  EXPECT_EQ(ben.get(path).json["others_replying"].size(), 0u);
  auto second = ben.post(path + "/replies", {{"text", "Let me check."}}, {{"If-Match", etag}});
  expect_problem(second, 412);
  auto reread = ben.get(path);
  ASSERT_EQ(reread.json["replies"].size(), 1u);
  auto again = ben.post(path + "/replies", {{"text", "Adding to Anna's answer."}}, {{"If-Match", reread.header("ETag")}});
  EXPECT_EQ(again.status, 202) << again.body;
}

// A brand's SLA policy set over the API sets the clocks of the threads that arrive after it; a
// clock that goes past due is reported once on the stream (and in the metrics), not again.
TEST_F(Inbox, AnSlaPolicySetsTheClocksAndABreachIsPushedOnce) {
  Http admin = admin_client(*herald_);
  auto brand = json_id(create_brand(admin, unique_slug("sla")));
  const auto policy_path = "/api/v1/inbox/sla-policies/" + brand;
  auto fallback = admin.get(policy_path);
  ASSERT_EQ(fallback.status, 200) << fallback.body;
  EXPECT_EQ(fallback.json["default"], true);
  auto week = nlohmann::json::parse(R"({"mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]],
    "wed": [["00:00", "24:00"]], "thu": [["00:00", "24:00"]], "fri": [["00:00", "24:00"]],
    "sat": [["00:00", "24:00"]], "sun": [["00:00", "24:00"]]})");
  expect_problem(admin.put(policy_path, nlohmann::json::parse(R"({"first_response_minutes": 30,
    "business_hours": {"weekly": {"mon": [["18:00", "09:00"]]}}})")), 422, "business_hours.weekly.mon[0]");
  expect_problem(admin.put(policy_path, {{"first_response_minutes", 30}, {"resolution_minutes", 5}}), 422,
                 "resolution_minutes");
  auto set = admin.put(policy_path, {{"first_response_minutes", 30}, {"resolution_minutes", 120},
                                     {"business_hours", {{"weekly", week}}}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json["business_hours"]["timezone"], admin.get("/api/v1/brands/" + brand).json["timezone"]);  // the brand's
  EXPECT_EQ(set.header("ETag"), "\"v1\"");

  auto handle = unique_slug("slax");
  ASSERT_FALSE(connect_oauth(admin, *herald_, brand, "x", handle).empty());
  auto hook_url = "http://127.0.0.1:" + std::to_string(herald_->port()) + "/api/v1/webhooks/x";
  ASSERT_EQ(control_post("/_sandbox/webhooks", {{"platform", "x"}, {"url", hook_url}}).status, 200);
  ASSERT_EQ(control_post("/_sandbox/generate",
                         {{"platform", "x"}, {"handle", handle}, {"kind", "comment"}, {"count", 1}, {"delivery", "webhook"}})
                .status,
            200);
  nlohmann::json list;
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline && (list = threads(admin, "&brand_id=" + brand)).empty()) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(list.size(), 1u) << list.dump();
  auto id = list[0]["id"].get<std::int64_t>();
  const auto& sla = list[0]["sla"];
  EXPECT_EQ(sla["state"], "ok");
  EXPECT_EQ(sla["resolution_state"], "ok");
  EXPECT_FALSE(sla["resolution_due"].is_null());

  StreamClient stream(herald_->port(), "herald_session=" + admin.cookie("herald_session").value_or(""));
  {
    // Half an hour later, as far as this thread's clock is concerned.
    pqxx::connection db(herald_->database_url());
    pqxx::work tx(db);
    tx.exec("UPDATE inbox_threads SET first_response_due = now() - interval '1 minute' WHERE id = " + std::to_string(id));
    tx.commit();
  }
  auto breach = stream.next_of_type("inbox.sla_breach", 5000ms);
  ASSERT_TRUE(breach.has_value()) << "no inbox.sla_breach on the stream";
  EXPECT_EQ((*breach)["data"]["thread_id"], id);
  EXPECT_EQ((*breach)["data"]["sla"], "first_response");
  EXPECT_EQ((*breach)["data"]["brand_id"], brand);
  EXPECT_FALSE(stream.next_of_type("inbox.sla_breach", 1000ms).has_value()) << "reported twice";
  auto breached = threads(admin, "&brand_id=" + brand + "&sla=breached");
  ASSERT_EQ(breached.size(), 1u);
  EXPECT_EQ(breached[0]["sla"]["state"], "breached");
  auto metrics = Http(*herald_).get("/metrics");
  EXPECT_NE(metrics.body.find("herald_inbox_sla_breaches_total{sla=\"first_response\"}"), std::string::npos);
}

// A community manager hides a comment on X through Herald: the platform is asked once, the item
// shows it; what X does not allow (deleting a comment) and DMs are refused before anything is
// sent, and someone who may only read the inbox may not moderate.
TEST_F(Inbox, ACommentIsHiddenOnThePlatformAndWhatItDoesNotAllowIsRefused) {
  Http admin = admin_client(*herald_);
  auto brand = json_id(create_brand(admin, unique_slug("mod")));
  auto planner_email = unique_email("planner");
  auto planner_id = json_id(create_user(admin, planner_email));
  ASSERT_EQ(admin.put("/api/v1/brands/" + brand + "/members/" + planner_id, {{"role", "content_planner"}}).status, 200);
  auto handle = unique_slug("modx");
  ASSERT_FALSE(connect_oauth(admin, *herald_, brand, "x", handle).empty());
  auto hook_url = "http://127.0.0.1:" + std::to_string(herald_->port()) + "/api/v1/webhooks/x";
  ASSERT_EQ(control_post("/_sandbox/webhooks", {{"platform", "x"}, {"url", hook_url}}).status, 200);
  for (const char* kind : {"comment", "dm"}) {
    ASSERT_EQ(control_post("/_sandbox/generate",
                           {{"platform", "x"}, {"handle", handle}, {"kind", kind}, {"count", 1}, {"delivery", "webhook"}})
                  .status,
              200);
  }
  nlohmann::json list;
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline && (list = threads(admin, "&brand_id=" + brand)).size() < 2) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(list.size(), 2u) << list.dump();
  auto id_of = [&](const std::string& kind) {
    for (const auto& t : list) {
      if (t["kind"] == kind) return t["id"].get<std::int64_t>();
    }
    return std::int64_t{0};
  };
  auto comment_path = "/api/v1/inbox/threads/" + std::to_string(id_of("comment"));
  auto item = admin.get(comment_path).json["items"][0];
  auto moderate = comment_path + "/items/" + std::to_string(item["id"].get<std::int64_t>()) + "/moderate";

  auto before = sandbox_requests("PUT", "/2/tweets/").size();
  Http planner = login_as(*herald_, planner_email);
  EXPECT_EQ(planner.post(moderate, {{"action", "hide"}}).status, 403);
  expect_problem(admin.post(moderate, {{"action", "delete"}}), 422, "action");  // X hides replies, never deletes them
  expect_problem(admin.post(moderate, {{"action", "ban"}}), 422, "action");
  EXPECT_EQ(sandbox_requests("PUT", "/2/tweets/").size(), before);

  auto hidden = admin.post(moderate, {{"action", "hide"}});
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.json["status"], "done") << hidden.body;
  EXPECT_EQ(hidden.json["moderation"], "hidden");
  auto puts = sandbox_requests("PUT", "/2/tweets/" + item["platform_item_id"].get<std::string>() + "/hidden");
  EXPECT_EQ(puts.size(), 1u);
  EXPECT_EQ(admin.get(comment_path).json["items"][0]["moderation"], "hidden");
  auto shown = admin.post(moderate, {{"action", "unhide"}});
  EXPECT_EQ(shown.json["status"], "done");
  EXPECT_TRUE(shown.json["moderation"].is_null());

  auto dm_path = "/api/v1/inbox/threads/" + std::to_string(id_of("dm"));
  auto dm_item = admin.get(dm_path).json["items"][0]["id"].get<std::int64_t>();
  expect_problem(admin.post(dm_path + "/items/" + std::to_string(dm_item) + "/moderate", {{"action", "hide"}}), 422,
                 "action");
  expect_problem(admin.post(comment_path + "/items/" + std::to_string(dm_item) + "/moderate", {{"action", "hide"}}),
                 422, "item_id");
}

}  // namespace
}  // namespace herald::testing
