// The whole sandbox in-process on port 0, driven over real sockets with cpp-httplib: what only a
// socket can show (faults that hang or drop the connection, signed webhook deliveries, the X CRC and
// Meta verification handshakes, the port file) plus the OAuth and idempotency contract end to end.
#include "adapters/sandbox/sandbox_app.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "adapters/sandbox/oauth.hpp"
#include "adapters/sandbox/webhooks.hpp"
#include "tests/support/manual_clock.hpp"

namespace herald::sandbox {
namespace {

constexpr char kVerifier[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr char kChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

class SandboxHttp : public ::testing::Test {
 protected:
  void SetUp() override { start(1234); }
  void TearDown() override { stop(); }

  void start(std::uint64_t seed) {
    SandboxOptions o;
    o.config.seed = seed;
    o.port_file =
        (std::filesystem::temp_directory_path() / ("sandbox-test-" + std::to_string(::getpid()) + ".json")).string();
    port_file = o.port_file;
    app = std::make_unique<SandboxApp>(o, clock, core::log::Logger("sandbox-test", [](std::string_view) {}));
    app->start();
    runner = std::thread([this] { app->run(); });
    ports = app->ports_json();
  }
  void stop() {
    app->shutdown();
    runner.join();
    app.reset();
    std::filesystem::remove(port_file);
  }

  int port_of(const std::string& platform) {
    std::string url =
        platform == "control" ? ports["control"].get<std::string>() : ports["platforms"][platform].get<std::string>();
    return std::stoi(url.substr(url.rfind(':') + 1));
  }
  httplib::Client client(const std::string& platform) {
    httplib::Client c("127.0.0.1", port_of(platform));
    c.set_read_timeout(std::chrono::seconds(5));
    return c;
  }
  httplib::Result control_post(const std::string& path, const nlohmann::json& body) {
    return client("control").Post(path, body.dump(), "application/json");
  }
  // Approves the authorize form and returns the code from the redirect.
  std::string approve(const std::string& platform, const std::string& path, const std::string& handle,
                      const std::string& client_id, const std::string& extra = "") {
    auto res = client(platform).Post(path + "?response_type=code&client_id=" + client_id +
                                         "&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=st&code_challenge=" + kChallenge +
                                         "&code_challenge_method=S256" + extra,
                                     "handle=" + handle + "&decision=approve", "application/x-www-form-urlencoded");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 302);
    auto location = res->get_header_value("Location");
    auto start_pos = location.find("code=") + 5;
    return location.substr(start_pos, location.find('&', start_pos) - start_pos);
  }
  std::string mastodon_token(const std::string& handle = "demo_mastodon") {
    auto code = approve("mastodon", "/oauth/authorize", handle, "herald-mastodon");
    auto res = client("mastodon")
                   .Post("/oauth/token",
                         "grant_type=authorization_code&client_id=herald-mastodon&client_secret=sandbox-secret"
                         "&redirect_uri=http%3A%2F%2Fapp%2Fcb&code_verifier=" +
                             std::string(kVerifier) + "&code=" + code,
                         "application/x-www-form-urlencoded");
    EXPECT_EQ(res->status, 200);
    return nlohmann::json::parse(res->body)["access_token"];
  }
  nlohmann::json log(const std::string& platform) {
    return nlohmann::json::parse(client("control").Get("/_sandbox/requests?platform=" + platform)->body);
  }

  testing::ManualClock clock;
  std::string port_file;
  std::unique_ptr<SandboxApp> app;
  std::thread runner;
  nlohmann::json ports;
};

TEST_F(SandboxHttp, PortFileHoldsThePortMap) {
  std::ifstream in(port_file);
  auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j, ports);
  EXPECT_TRUE(j["control"].get<std::string>().rfind("http://127.0.0.1:", 0) == 0);
  for (const char* p : {"mastodon", "x", "bluesky", "facebook", "instagram", "linkedin", "weibo", "wechat", "douyin"}) {
    EXPECT_TRUE(j["platforms"].contains(p)) << p;
  }
  EXPECT_EQ(j["platforms"].size(), kPlatformOrder.size());
  // Sample media for posts with media.
  auto jpg = client("control").Get("/_sandbox/media/sample.jpg");
  ASSERT_EQ(jpg->status, 200);
  EXPECT_EQ(jpg->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(jpg->body.substr(0, 2), "\xff\xd8");
  EXPECT_EQ(client("control").Get("/_sandbox/media/nothing.jpg")->status, 404);
  EXPECT_EQ(client("control").Get("/_sandbox/healthz")->status, 200);
}

TEST_F(SandboxHttp, MastodonIdempotencyKeyGivesOneStatusAndTheLogShowsBothCalls) {
  auto token = mastodon_token();
  httplib::Headers h{{"Authorization", "Bearer " + token}, {"Idempotency-Key", "abc-1"}};
  auto c = client("mastodon");
  auto first = c.Post("/api/v1/statuses", h, R"({"status":"launch day"})", "application/json");
  auto second = c.Post("/api/v1/statuses", h, R"({"status":"launch day"})", "application/json");
  ASSERT_EQ(first->status, 200);
  EXPECT_EQ(nlohmann::json::parse(first->body)["id"], nlohmann::json::parse(second->body)["id"]);
  auto state =
      nlohmann::json::parse(client("control").Get("/_sandbox/state?platform=mastodon&handle=demo_mastodon")->body);
  EXPECT_EQ(state["posts"].size(), 1u);
  auto entries = log("mastodon");
  int with_key = 0;
  for (const auto& e : entries) with_key += e["idempotency_key"] == "abc-1";
  EXPECT_EQ(with_key, 2);
  EXPECT_EQ(entries.back()["status"], 200);
  EXPECT_EQ(entries.back()["body_sha256"].get<std::string>().size(), 64u);
  for (const auto& e : log("")) EXPECT_NE(e["platform"], "control");
}

TEST_F(SandboxHttp, DropAfterAcceptCreatesThePostAndAnswersNothing) {
  auto token = mastodon_token();
  ASSERT_EQ(control_post("/_sandbox/faults", {{"platform", "mastodon"},
                                              {"kind", "drop_after_accept"},
                                              {"method", "POST"},
                                              {"path_prefix", "/api/v1/statuses"}})
                ->status,
            201);
  auto res = client("mastodon")
                 .Post("/api/v1/statuses", {{"Authorization", "Bearer " + token}}, "status=lost+answer",
                       "application/x-www-form-urlencoded");
  EXPECT_FALSE(res);  // the connection closed without a response
  auto state =
      nlohmann::json::parse(client("control").Get("/_sandbox/state?platform=mastodon&handle=demo_mastodon")->body);
  ASSERT_EQ(state["posts"].size(), 1u);
  EXPECT_EQ(state["posts"][0]["text"], "lost answer");
  auto last = log("mastodon").back();
  EXPECT_EQ(last["fault"], "drop_after_accept");
  EXPECT_TRUE(last["status"].is_null());
  // The rule was used up: the next call answers.
  EXPECT_EQ(
      client("mastodon").Get("/api/v1/accounts/verify_credentials", {{"Authorization", "Bearer " + token}})->status,
      200);
}

TEST_F(SandboxHttp, HangHoldsTheRequestUntilTheClientGivesUp) {
  ASSERT_EQ(control_post("/_sandbox/faults", {{"platform", "x"}, {"kind", "hang"}})->status, 201);
  auto c = client("x");
  c.set_read_timeout(std::chrono::milliseconds(300));
  auto started = std::chrono::steady_clock::now();
  auto res = c.Get("/2/users/me");
  EXPECT_FALSE(res);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(290));
  EXPECT_EQ(log("x").back()["fault"], "hang");
}

TEST_F(SandboxHttp, LatencyThenStatusFaultsUseThePlatformsErrorShape) {
  control_post("/_sandbox/faults", {{"platform", "x"}, {"kind", "latency"}, {"latency_ms", 200}});
  control_post("/_sandbox/faults", {{"platform", "x"}, {"kind", "status"}, {"status", 503}});
  auto started = std::chrono::steady_clock::now();
  auto slow = client("x").Get("/2/users/me");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(200));
  EXPECT_EQ(slow->status, 401);  // delayed, then handled normally (no token)
  auto failed = client("x").Get("/2/users/me");
  ASSERT_EQ(failed->status, 503);
  auto body = nlohmann::json::parse(failed->body);
  EXPECT_EQ(body["title"], "Service Unavailable");
  EXPECT_EQ(body["status"], 503);
  EXPECT_TRUE(failed->has_header("x-rate-limit-limit"));
}

TEST_F(SandboxHttp, XRateLimitHeadersAndThe429Fault) {
  auto ok = client("x").Get("/2/users/me");
  ASSERT_TRUE(ok->has_header("x-rate-limit-remaining"));
  EXPECT_EQ(ok->get_header_value("x-rate-limit-limit"), "75");
  EXPECT_EQ(ok->get_header_value("x-rate-limit-remaining"), "74");
  control_post("/_sandbox/faults", {{"platform", "x"}, {"kind", "rate_limit"}, {"path_prefix", "/2/tweets"}});
  auto limited = client("x").Post("/2/tweets", R"({"text":"hi"})", "application/json");
  ASSERT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("x-rate-limit-remaining"), "0");
  EXPECT_EQ(
      std::stoll(limited->get_header_value("x-rate-limit-reset")),
      std::chrono::duration_cast<std::chrono::seconds>((clock.now() + std::chrono::minutes(15)).time_since_epoch())
          .count());
  EXPECT_EQ(nlohmann::json::parse(limited->body)["title"], "Too Many Requests");
}

TEST_F(SandboxHttp, XTokenEndpointChecksBasicAuthVerifierAndCodeAge) {
  auto token = [&](const std::string& code, const std::string& verifier, const std::string& basic) {
    httplib::Headers h;
    if (!basic.empty()) h.emplace("Authorization", "Basic " + basic);
    return client("x").Post(
        "/2/oauth2/token", h,
        "grant_type=authorization_code&client_id=herald-x&redirect_uri=http%3A%2F%2Fapp%2Fcb&code=" + code +
            "&code_verifier=" + verifier,
        "application/x-www-form-urlencoded");
  };
  const std::string good_basic = "aGVyYWxkLXg6c2FuZGJveC1zZWNyZXQ=";  // herald-x:sandbox-secret
  const std::string bad_basic = "aGVyYWxkLXg6d3Jvbmc=";               // herald-x:wrong
  auto code = approve("x", "/i/oauth2/authorize", "demo_x", "herald-x", "&scope=tweet.read%20offline.access");
  EXPECT_EQ(token(code, kVerifier, bad_basic)->status, 401);
  auto wrong = token(code, std::string(43, 'q'), good_basic);
  ASSERT_EQ(wrong->status, 400);
  EXPECT_EQ(nlohmann::json::parse(wrong->body)["error"], "invalid_request");
  auto ok = token(code, kVerifier, good_basic);
  ASSERT_EQ(ok->status, 200);
  auto body = nlohmann::json::parse(ok->body);
  EXPECT_EQ(body["token_type"], "bearer");
  EXPECT_EQ(body["expires_in"], 3600);
  EXPECT_TRUE(body.contains("refresh_token"));
  EXPECT_EQ(token(code, kVerifier, good_basic)->status, 400);  // single use
  auto late = approve("x", "/i/oauth2/authorize", "demo_x", "herald-x");
  clock.advance(std::chrono::seconds(61));
  EXPECT_EQ(token(late, kVerifier, good_basic)->status, 400);  // expired
}

TEST_F(SandboxHttp, AuthorizePageDenyAndBadClient) {
  auto page = client("x").Get(
      "/i/oauth2/authorize?response_type=code&client_id=herald-x&redirect_uri=http%3A%2F%2Fapp%2Fcb"
      "&state=s1&code_challenge=abc&code_challenge_method=S256");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Herald sandbox: simulated X, not the real service"), std::string::npos);
  EXPECT_NE(page->body.find("value=\"demo_x\""), std::string::npos);
  auto deny = client("x").Post(
      "/i/oauth2/authorize?response_type=code&client_id=herald-x&redirect_uri=http%3A%2F%2Fapp%2Fcb"
      "&state=s1&code_challenge=abc&code_challenge_method=S256",
      "handle=demo_x&decision=deny", "application/x-www-form-urlencoded");
  ASSERT_EQ(deny->status, 302);
  EXPECT_EQ(deny->get_header_value("Location"), "http://app/cb?error=access_denied&state=s1");
  auto bad =
      client("mastodon").Get("/oauth/authorize?response_type=code&client_id=evil&redirect_uri=http%3A%2F%2Fapp%2Fcb");
  EXPECT_EQ(bad->status, 400);
  auto no_pkce = client("x").Get(
      "/i/oauth2/authorize?response_type=code&client_id=herald-x&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=z");
  ASSERT_EQ(no_pkce->status, 302);  // X requires PKCE
  EXPECT_NE(no_pkce->get_header_value("Location").find("error=invalid_request"), std::string::npos);
}

TEST_F(SandboxHttp, RevokedAccountGetsThePlatforms401) {
  auto token = mastodon_token();
  control_post("/_sandbox/accounts/revoke", {{"platform", "mastodon"}, {"handle", "demo_mastodon"}});
  auto res = client("mastodon").Get("/api/v1/accounts/verify_credentials", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(res->status, 401);
  EXPECT_EQ(nlohmann::json::parse(res->body)["error"], "The access token was revoked");
  EXPECT_NE(res->get_header_value("WWW-Authenticate").find("invalid_token"), std::string::npos);
}

TEST_F(SandboxHttp, WebhooksAreSignedAsEachPlatformSignsThem) {
  httplib::Server receiver;
  std::mutex mutex;
  std::vector<std::pair<std::string, httplib::Headers>> got;
  std::string crc_answer;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    got.emplace_back(req.body, req.headers);
    res.status = 200;
  });
  receiver.Get("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.has_param("crc_token")) {
      res.set_content(
          nlohmann::json({{"response_token", x_crc_response_token("sandbox-secret", req.get_param_value("crc_token"))}})
              .dump(),
          "application/json");
    } else {
      res.set_content(req.get_param_value("hub.challenge"), "text/plain");
    }
  });
  int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { receiver.listen_after_bind(); });
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  for (const char* p : {"mastodon", "x", "facebook"}) {
    ASSERT_EQ(control_post("/_sandbox/webhooks", {{"platform", p}, {"url", url}})->status, 200);
  }
  auto gen = [&](const char* p, const char* kind) {
    return control_post(
        "/_sandbox/generate",
        {{"platform", p}, {"handle", std::string("demo_") + p}, {"kind", kind}, {"count", 1}, {"delivery", "webhook"}});
  };
  ASSERT_EQ(gen("mastodon", "mention")->status, 200);
  ASSERT_EQ(gen("x", "dm")->status, 200);
  ASSERT_EQ(gen("facebook", "comment")->status, 200);
  ASSERT_TRUE(app->webhooks().wait_idle(std::chrono::seconds(10)));
  receiver.stop();
  serving.join();
  ASSERT_EQ(got.size(), 3u);
  auto header = [](const httplib::Headers& h, const std::string& name) {
    auto it = h.find(name);
    return it == h.end() ? std::string() : it->second;
  };
  EXPECT_EQ(header(got[0].second, "X-Hub-Signature"), mastodon_signature("sandbox-secret", got[0].first));
  EXPECT_EQ(nlohmann::json::parse(got[0].first)["event"], "status.created");
  EXPECT_EQ(header(got[1].second, "x-twitter-webhooks-signature"), x_signature("sandbox-secret", got[1].first));
  EXPECT_TRUE(nlohmann::json::parse(got[1].first).contains("direct_message_events"));
  EXPECT_EQ(header(got[2].second, "X-Hub-Signature-256"), meta_signature("sandbox-secret", got[2].first));
  EXPECT_EQ(nlohmann::json::parse(got[2].first)["entry"][0]["changes"][0]["value"]["item"], "comment");
  // The X CRC and the Meta verification passed (no error recorded for any delivery).
  auto deliveries = nlohmann::json::parse(client("control").Get("/_sandbox/webhooks")->body)["deliveries"];
  ASSERT_EQ(deliveries.size(), 5u);
  for (const auto& d : deliveries) EXPECT_TRUE(d["error"].is_null()) << d.dump();
}

TEST_F(SandboxHttp, SameSeedSameGeneratedSequence) {
  auto run = [&] {
    auto r = nlohmann::json::parse(
        control_post("/_sandbox/generate", {{"platform", "x"}, {"handle", "demo_x"}, {"kind", "comment"}, {"count", 5}})
            ->body);
    auto state = nlohmann::json::parse(client("control").Get("/_sandbox/state?platform=x&handle=demo_x")->body);
    nlohmann::json seen = nlohmann::json::array();
    for (const auto& c : state["comments"]) seen.push_back({c["id"], c["author_handle"], c["text"]});
    return std::make_pair(r, seen);
  };
  auto first = run();
  stop();
  start(1234);
  auto second = run();
  EXPECT_EQ(first.first, second.first);
  EXPECT_EQ(first.second, second.second);
  EXPECT_EQ(first.second.size(), 5u);
  stop();
  start(99);
  EXPECT_NE(run().second, first.second);
}

TEST_F(SandboxHttp, FacebookPageFlowWithFieldExpansion) {
  auto code = approve("facebook", "/v19.0/dialog/oauth", "demo_facebook", "herald-facebook");
  auto token = client("facebook")
                   .Get(
                       "/v19.0/oauth/access_token?client_id=herald-facebook&client_secret=sandbox-secret"
                       "&redirect_uri=http%3A%2F%2Fapp%2Fcb&code_verifier=" +
                       std::string(kVerifier) + "&code=" + code);
  ASSERT_EQ(token->status, 200);
  std::string user_token = nlohmann::json::parse(token->body)["access_token"];
  auto pages = nlohmann::json::parse(client("facebook").Get("/v19.0/me/accounts?access_token=" + user_token)->body);
  std::string page_id = pages["data"][0]["id"], page_token = pages["data"][0]["access_token"];
  auto post = client("facebook")
                  .Post("/v19.0/" + page_id + "/feed", "message=Launch&access_token=" + page_token,
                        "application/x-www-form-urlencoded");
  ASSERT_EQ(post->status, 200);
  std::string post_id = nlohmann::json::parse(post->body)["id"];
  EXPECT_EQ(post_id.rfind(page_id + "_", 0), 0u);
  control_post("/_sandbox/generate",
               {{"platform", "facebook"}, {"handle", "demo_facebook"}, {"kind", "comment"}, {"count", 2}});
  auto feed =
      client("facebook")
          .Get("/v19.0/" + page_id + "/feed?access_token=" + page_token +
               "&fields=id%2Ccomments.limit(1).order(reverse_chronological)%7Bid%2Cmessage%2Cfrom%7Bid%2Cname%7D%7D");
  ASSERT_EQ(feed->status, 200);
  auto comments = nlohmann::json::parse(feed->body)["data"][0]["comments"]["data"];
  ASSERT_EQ(comments.size(), 1u);  // limit(1), newest first
  auto state =
      nlohmann::json::parse(client("control").Get("/_sandbox/state?platform=facebook&handle=demo_facebook")->body);
  EXPECT_EQ(comments[0]["id"], state["comments"][1]["id"]);
  EXPECT_TRUE(comments[0]["from"].contains("name"));
  // A user token cannot publish as the page; a revoked one is Graph's code 190.
  auto as_user = client("facebook")
                     .Post("/v19.0/" + page_id + "/feed", "message=x&access_token=" + user_token,
                           "application/x-www-form-urlencoded");
  EXPECT_EQ(nlohmann::json::parse(as_user->body)["error"]["code"], 200);
}

TEST_F(SandboxHttp, XMediaUploadThenTweetWithIt) {
  auto code = approve("x", "/i/oauth2/authorize", "demo_x", "herald-x", "&scope=tweet.write");
  auto tok = client("x").Post("/2/oauth2/token",
                              "grant_type=authorization_code&client_id=herald-x&redirect_uri=http%3A%2F%2Fapp%2Fcb"
                              "&code_verifier=" +
                                  std::string(kVerifier) + "&code=" + code,
                              "application/x-www-form-urlencoded");
  ASSERT_EQ(tok->status, 200);  // a public client: client_id in the body, no Basic
  httplib::Headers h{
      {"Authorization", "Bearer " + nlohmann::json::parse(tok->body)["access_token"].get<std::string>()}};
  auto up = client("x").Post("/2/media/upload", h, R"({"media":"aGVsbG8=","media_category":"tweet_image"})",
                             "application/json");
  ASSERT_EQ(up->status, 200);
  std::string media_id = nlohmann::json::parse(up->body)["data"]["id"];
  auto bad = client("x").Post("/2/tweets", h, R"({"text":"pic","media":{"media_ids":["999"]}})", "application/json");
  EXPECT_EQ(bad->status, 400);
  auto ok =
      client("x").Post("/2/tweets", h, nlohmann::json({{"text", "pic"}, {"media", {{"media_ids", {media_id}}}}}).dump(),
                       "application/json");
  ASSERT_EQ(ok->status, 201);
  EXPECT_EQ(ok->get_header_value("x-user-limit-24hour-limit"), "100");
  auto id = nlohmann::json::parse(ok->body)["data"]["id"].get<std::string>();
  auto read = nlohmann::json::parse(client("x").Get("/2/tweets/" + id + "?tweet.fields=attachments", h)->body);
  EXPECT_EQ(read["data"]["attachments"]["media_keys"][0], "3_" + media_id);
}

TEST_F(SandboxHttp, ControlInputIsValidated) {
  EXPECT_EQ(control_post("/_sandbox/faults", {{"platform", "myspace"}, {"kind", "status"}, {"status", 500}})->status,
            422);
  EXPECT_EQ(control_post("/_sandbox/faults", {{"platform", "x"}, {"kind", "explode"}})->status, 422);
  EXPECT_EQ(control_post("/_sandbox/faults", {{"platform", "x"}, {"kind", "status"}})->status, 422);
  EXPECT_EQ(control_post(
                "/_sandbox/generate",
                {{"platform", "x"}, {"handle", "demo_x"}, {"kind", "comment"}, {"count", 1}, {"delivery", "webhook"}})
                ->status,
            422);  // no URL set
  EXPECT_EQ(client("control").Get("/_sandbox/state?platform=x&handle=nobody")->status, 404);
  EXPECT_EQ(client("control").Delete("/_sandbox/faults")->status, 204);
}

}  // namespace
}  // namespace herald::sandbox
