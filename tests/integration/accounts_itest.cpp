// The account matrix over HTTP, against herald-sandbox: connecting on every sandbox platform,
// bad callbacks, permissions, refresh ahead of expiry, a token revoked at the platform, key
// rotation, and no token value in any log or response.
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "services/accounts/domain/vault.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/keyring.hpp"
#include "tests/integration/accounts_helpers.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

// One sandbox for the suite; herald is started per test where the test needs its own settings.
class Accounts : public ::testing::Test {
 protected:
  // Tokens that live 30 days: long enough that no expiry forecast colours the health checks.
  static void SetUpTestSuite() { sandbox_ = std::make_unique<SandboxProcess>(SandboxOptions{7, 30 * 86400}); }
  static void TearDownTestSuite() { sandbox_.reset(); }

  static HeraldOptions options(std::map<std::string, std::string> extra = {}) {
    HeraldOptions o;
    o.env["HERALD_PLATFORMS_SANDBOX_FILE"] = sandbox_->port_file();
    for (auto& [k, v] : extra) o.env[k] = v;
    return o;
  }
  static std::vector<std::string> sandbox_platforms() {
    std::vector<std::string> out;
    for (const auto& [name, url] : sandbox_->addresses()["platforms"].items()) out.push_back(name);
    return out;
  }
  static Http control() { return Http("127.0.0.1", sandbox_->control_port()); }

  static inline std::unique_ptr<SandboxProcess> sandbox_;
};

// Every token the vault holds for this herald, decrypted with its master key (the test plays
// the operator who holds the key), to look for the values where they must never be.
std::vector<std::string> stored_token_values(HeraldProcess& herald) {
  std::ifstream in(herald.dir() / "master.key");
  std::string key;
  std::getline(in, key);
  auto ring = core::crypto::KeyRing::from_base64_keys(key);
  accounts::Vault vault(ring);
  std::vector<std::string> out;
  pqxx::connection db(herald.database_url());
  pqxx::work tx(db);
  for (const auto& r : tx.exec("SELECT t.account_id, a.platform, t.sealed FROM account_tokens t JOIN accounts a ON a.id = t.account_id")) {
    auto tokens = vault.open(r[0].as<std::string>(), r[1].as<std::string>(),
                             core::crypto::base64_decode(r[2].as<std::string>()));
    if (!tokens.access_token.empty()) out.push_back(tokens.access_token);
    if (!tokens.refresh_token.empty()) out.push_back(tokens.refresh_token);
  }
  return out;
}

TEST_F(Accounts, ConnectsOnEverySandboxPlatformAndShowsTheMatrix) {
  HeraldProcess herald(options());
  Http admin = admin_client(herald);
  auto brand = create_brand(admin, unique_slug("matrix"));
  std::string brand_id = json_id(brand);
  std::vector<std::string> bodies;  // every API answer, checked for token values at the end

  auto platforms = sandbox_platforms();
  ASSERT_GE(platforms.size(), 2U) << sandbox_->addresses().dump();
  std::map<std::string, std::string> ids;
  for (const auto& platform : platforms) {
    auto start = admin.post("/api/v1/brands/" + brand_id + "/accounts/connect", {{"platform", platform}});
    ASSERT_EQ(start.status, 200) << platform << ": " << start.body;
    EXPECT_EQ(start.json["sandbox"], true);
    std::string handle = "demo_" + platform;
    if (start.json["mode"] == "oauth") {
      ids[platform] = connect_oauth(admin, herald, brand_id, platform, handle);
    } else {
      // WeChat connects with the app's AppID, which at the sandbox is its client id.
      std::string identifier = platform == "wechat" ? "herald-wechat" : handle;
      auto r = admin.post("/api/v1/brands/" + brand_id + "/accounts/credentials",
                          {{"platform", platform}, {"identifier", identifier}, {"secret", "sandbox-secret"}});
      EXPECT_EQ(r.status, 201) << platform << ": " << r.body;
      ids[platform] = json_id(r.json);
    }
    ASSERT_FALSE(ids[platform].empty()) << platform;
    auto a = admin.get("/api/v1/accounts/" + ids[platform]);
    bodies.push_back(a.body);
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(a.json["platform"], platform);
    EXPECT_EQ(a.json["status"], "connected");
    EXPECT_EQ(a.json["sandbox"], true) << "sandbox accounts must say so";
    EXPECT_EQ(a.json["health"]["level"], "ok") << a.body;
    EXPECT_FALSE(a.json["profile"]["handle"].get<std::string>().empty()) << a.body;
    EXPECT_FALSE(a.json["platform_account_id"].get<std::string>().empty()) << a.body;
    EXPECT_EQ(a.body.find("token\":\""), std::string::npos) << "a token field in the answer: " << a.body;
  }

  // Assisted platforms register a handle and need no sandbox.
  auto assisted = admin.post("/api/v1/brands/" + brand_id + "/accounts/credentials",
                             {{"platform", "xiaohongshu"}, {"identifier", "acme_xhs"}});
  ASSERT_EQ(assisted.status, 201) << assisted.body;
  EXPECT_EQ(assisted.json["status"], "assisted");

  auto matrix = admin.get("/api/v1/matrix?brand_id=" + brand_id);
  bodies.push_back(matrix.body);
  ASSERT_EQ(matrix.status, 200) << matrix.body;
  ASSERT_EQ(matrix.json["brands"].size(), 1U) << matrix.body;
  const auto& row = matrix.json["brands"][0];
  EXPECT_EQ(row["brand_id"], brand_id);
  for (const auto& platform : platforms) {
    ASSERT_TRUE(row["cells"].contains(platform)) << platform << " missing from " << matrix.body;
    EXPECT_EQ(row["cells"][platform]["worst"], "ok");
  }
  auto filtered = admin.get("/api/v1/accounts?brand_id=" + brand_id + "&platform=" + platforms[0]);
  ASSERT_EQ(filtered.status, 200);
  ASSERT_EQ(filtered.json["items"].size(), 1U) << filtered.body;
  EXPECT_EQ(filtered.json["items"][0]["id"], ids[platforms[0]]);

  // Every connection is in the audit log.
  auto audit = audit_entries(admin);
  for (const auto& [platform, id] : ids) {
    EXPECT_FALSE(find_audit(audit, "account.connect", id).is_null()) << platform;
  }

  // No token value reaches the log, the process output or an API answer.
  auto secrets = stored_token_values(herald);
  ASSERT_GE(secrets.size(), platforms.size());
  auto log = herald.log_text() + herald.output_text();
  for (const auto& s : secrets) {
    ASSERT_GE(s.size(), 8U);
    EXPECT_EQ(log.find(s), std::string::npos) << "a token value is in herald's log";
    for (const auto& b : bodies) EXPECT_EQ(b.find(s), std::string::npos) << "a token value is in an API answer";
  }
}

TEST_F(Accounts, BadCallbacksAreRefusedAndStoreNothing) {
  HeraldProcess herald(options());
  Http admin = admin_client(herald);
  std::string brand_id = json_id(create_brand(admin, unique_slug("cb")));
  auto platform = sandbox_platforms().front();
  Http browser(herald.host(), herald.port());

  // An unknown state.
  expect_problem(browser.get("/api/v1/oauth/callback?state=forged&code=whatever"), 400, "state");

  // A real code presented with another flow's state: the verifier does not match at the platform.
  auto first = admin.post("/api/v1/brands/" + brand_id + "/accounts/connect", {{"platform", "mastodon"}});
  auto second = admin.post("/api/v1/brands/" + brand_id + "/accounts/connect", {{"platform", "mastodon"}});
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(second.status, 200) << second.body;
  auto approval = approve_at_sandbox(first.json["authorize_url"].get<std::string>(), "demo_mastodon");
  ASSERT_EQ(approval.status, 302) << approval.page;
  auto code = query_value(query_of(split_url(approval.location).path_and_query), "code");
  ASSERT_FALSE(code.empty()) << approval.location;
  auto swapped = browser.get("/api/v1/oauth/callback?state=" + second.json["state"].get<std::string>() + "&code=" + code,
                             {{"Accept", "application/json"}});
  expect_problem(swapped, 400);
  // The state is single use: the right pair no longer works once its state was spent...
  auto replay = browser.get("/api/v1/oauth/callback?state=" + second.json["state"].get<std::string>() + "&code=" + code);
  expect_problem(replay, 400, "state");
  // ...and a declined authorization stores nothing either.
  auto declined = browser.get("/api/v1/oauth/callback?state=" + first.json["state"].get<std::string>() +
                              "&error=access_denied");
  expect_problem(declined, 400, "access_denied");
  // A browser (Accept: text/html) is sent back to the web app's accounts page with the reason,
  // for a decline as for a forged state; still nothing is stored.
  auto third = admin.post("/api/v1/brands/" + brand_id + "/accounts/connect", {{"platform", "mastodon"}});
  ASSERT_EQ(third.status, 200) << third.body;
  auto declined_html = browser.get("/api/v1/oauth/callback?state=" + third.json["state"].get<std::string>() +
                                       "&error=access_denied",
                                   {{"Accept", "text/html"}});
  EXPECT_EQ(declined_html.status, 302) << declined_html.body;
  // (Debian's cpp-httplib 0.11 hands header values over percent-decoded.)
  const auto where = declined_html.header("Location");
  EXPECT_EQ(where.rfind("/accounts?connect_error=access_denied&detail=", 0), 0U) << where;
  EXPECT_NE(where.find("the account was not connected"), std::string::npos) << where;
  auto forged_html = browser.get("/api/v1/oauth/callback?state=forged&code=x", {{"Accept", "text/html"}});
  EXPECT_EQ(forged_html.status, 302);
  EXPECT_EQ(forged_html.header("Location").rfind("/accounts?connect_error=failed&detail=", 0), 0U)
      << forged_html.header("Location");

  auto list = admin.get("/api/v1/accounts?brand_id=" + brand_id);
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.json["items"].empty()) << list.body;
  (void)platform;
}

TEST_F(Accounts, BadInputAndPermissions) {
  HeraldProcess herald(options());
  Http admin = admin_client(herald);
  std::string brand_id = json_id(create_brand(admin, unique_slug("perm")));
  std::string other_brand = json_id(create_brand(admin, unique_slug("other")));
  auto account_id = connect_oauth(admin, herald, brand_id, "mastodon", "demo_perm");
  ASSERT_FALSE(account_id.empty());

  expect_problem(admin.post("/api/v1/brands/" + brand_id + "/accounts/connect", {{"platform", "myspace"}}), 422,
                 "platform");
  expect_problem(admin.get("/api/v1/accounts/not-a-uuid"), 400, "id");
  expect_problem(admin.get("/api/v1/accounts?platform=myspace"), 400, "platform");
  expect_problem(admin.get("/api/v1/accounts/00000000-0000-0000-0000-000000000000"), 404);
  expect_problem(admin.patch("/api/v1/accounts/" + account_id, {{"tags", "not-an-array"}}), 400, "tags");
  expect_problem(admin.patch("/api/v1/accounts/" + account_id, {{"positioning", {{"kpi_targets", {{"followers", "many"}}}}}}),
                 422);

  // A viewer of the brand reads but cannot change or connect; someone else's brand is closed.
  auto viewer = create_user(admin, unique_email("viewer"));
  ASSERT_EQ(admin.put("/api/v1/brands/" + brand_id + "/members/" + json_id(viewer), {{"role", "viewer"}}).status, 200);
  Http v = login_as(herald, viewer["email"].get<std::string>());
  EXPECT_EQ(v.get("/api/v1/accounts/" + account_id).status, 200);
  expect_problem(v.patch("/api/v1/accounts/" + account_id, {{"tags", {"x"}}}), 403);
  expect_problem(v.del("/api/v1/accounts/" + account_id), 403);
  expect_problem(v.post("/api/v1/brands/" + brand_id + "/accounts/connect", {{"platform", "mastodon"}}), 403);
  expect_problem(v.post("/api/v1/brands/" + other_brand + "/accounts/connect", {{"platform", "mastodon"}}), 403);
  auto visible = v.get("/api/v1/accounts");
  ASSERT_EQ(visible.status, 200);
  EXPECT_EQ(visible.json["items"].size(), 1U) << visible.body;

  // Profile and positioning changes use If-Match and are audited.
  auto before = admin.get("/api/v1/accounts/" + account_id);
  auto etag = before.header("ETag");
  auto changed = admin.patch("/api/v1/accounts/" + account_id,
                             {{"tags", {"flagship"}},
                              {"groups", {"east"}},
                              {"store_id", "tmall-123"},
                              {"positioning", {{"audience", "students"}, {"kpi_targets", {{"followers", 10000}}}}}},
                             {{"If-Match", etag}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json["tags"], nlohmann::json::array({"flagship"}));
  EXPECT_EQ(changed.json["positioning"]["kpi_targets"]["followers"], 10000);
  expect_problem(admin.patch("/api/v1/accounts/" + account_id, {{"bio", "stale"}}, {{"If-Match", etag}}), 412);
  EXPECT_FALSE(find_audit(audit_entries(admin), "account.update", account_id).is_null());
  auto tagged = admin.get("/api/v1/accounts?tag=flagship");
  EXPECT_EQ(tagged.json["items"].size(), 1U) << tagged.body;

  // Disconnecting revokes at the platform and leaves the account marked disconnected.
  auto gone = admin.del("/api/v1/accounts/" + account_id);
  EXPECT_EQ(gone.status, 204) << gone.body;
  auto after = admin.get("/api/v1/accounts/" + account_id);
  EXPECT_EQ(after.json["status"], "disconnected");
  EXPECT_EQ(after.json["health"]["level"], "error");
}

TEST_F(Accounts, TokensAreRefreshedBeforeTheyExpire) {
  // Tokens live 40 s at this sandbox; herald refreshes what expires within 30 s, checking every second.
  SandboxProcess short_lived(SandboxOptions{8, 40});
  HeraldOptions o;
  o.env["HERALD_PLATFORMS_SANDBOX_FILE"] = short_lived.port_file();
  o.env["HERALD_PLATFORMS_REFRESH_AHEAD_S"] = "30";
  o.env["HERALD_PLATFORMS_REFRESH_INTERVAL_S"] = "1";
  HeraldProcess herald(o);
  Http admin = admin_client(herald);
  std::string brand_id = json_id(create_brand(admin, unique_slug("refresh")));
  auto id = connect_oauth(admin, herald, brand_id, "x", "demo_refresh");  // X refreshes (offline.access)
  ASSERT_FALSE(id.empty());
  auto first = admin.get("/api/v1/accounts/" + id);
  auto first_expiry = first.json["health"]["token_expires_at"].get<std::string>();
  auto deadline = std::chrono::steady_clock::now() + 30s;
  nlohmann::json events;
  bool refreshed = false;
  while (std::chrono::steady_clock::now() < deadline && !refreshed) {
    std::this_thread::sleep_for(200ms);
    events = admin.get("/api/v1/accounts/" + id + "/health-events").json;
    for (const auto& e : events["items"]) refreshed = refreshed || e["kind"] == "refreshed";
  }
  ASSERT_TRUE(refreshed) << "no refresh within 30 s: " << events.dump();
  auto now = admin.get("/api/v1/accounts/" + id);
  EXPECT_GT(now.json["health"]["token_expires_at"].get<std::string>(), first_expiry);
  EXPECT_EQ(now.json["health"]["level"], "ok") << now.body;
  // It happened before the old token expired: the old expiry is still in the future.
  EXPECT_LT(std::chrono::steady_clock::now(), deadline);
}

TEST_F(Accounts, ATokenRevokedAtThePlatformMarksTheAccountUnhealthy) {
  HeraldProcess herald(options());
  Http admin = admin_client(herald);
  std::string brand_id = json_id(create_brand(admin, unique_slug("revoked")));
  auto id = connect_oauth(admin, herald, brand_id, "mastodon", "demo_revoked");
  ASSERT_FALSE(id.empty());
  auto ok = admin.post("/api/v1/accounts/" + id + "/check");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json["ok"], true);

  Http sandbox = control();
  auto revoke = sandbox.post("/_sandbox/accounts/revoke", {{"platform", "mastodon"}, {"handle", "demo_revoked"}});
  ASSERT_EQ(revoke.status / 100, 2) << revoke.body;

  auto check = admin.post("/api/v1/accounts/" + id + "/check");
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(check.json["ok"], false);
  const auto& health = check.json["account"]["health"];
  EXPECT_EQ(health["level"], "error") << check.body;
  ASSERT_FALSE(health["reasons"].empty());
  EXPECT_EQ(health["reasons"][0]["code"], "auth_failed") << check.body;
  EXPECT_EQ(health["last_error_class"], "auth_expired");
  auto matrix = admin.get("/api/v1/matrix?health=error");
  ASSERT_EQ(matrix.json["brands"].size(), 1U) << matrix.body;
  EXPECT_EQ(matrix.json["brands"][0]["cells"]["mastodon"]["worst"], "error");
}

TEST_F(Accounts, KeyRotationReencryptsEveryTokenAndTheOldKeyOpensNothing) {
  const std::string k1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";  // 32 bytes
  const std::string k2 = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
  auto key_dir = std::filesystem::temp_directory_path() / unique_name("keys");
  std::filesystem::create_directories(key_dir);
  int files = 0;
  auto with_keys = [&](const std::string& spec, const HeraldProcess* same_db) {
    auto file = key_dir / ("key" + std::to_string(++files));
    std::ofstream(file) << spec << "\n";
    auto o = options({{"HERALD_SECURITY_MASTER_KEY_FILE", file.string()}});
    if (same_db != nullptr) {
      o.database_url = same_db->database_url();
      o.admin_email = same_db->admin_email();
      o.admin_password = same_db->admin_password();
    }
    return o;
  };
  auto first = std::make_unique<HeraldProcess>(with_keys("1:" + k1, nullptr));
  std::string id, brand_id;
  {
    Http admin = admin_client(*first);
    brand_id = json_id(create_brand(admin, unique_slug("rotate")));
    id = connect_oauth(admin, *first, brand_id, "mastodon", "demo_rotate");
    ASSERT_FALSE(id.empty());
  }
  ASSERT_EQ(first->stop(), 0);

  // Rotate: key 2 becomes current, key 1 still opens the old rows.
  auto rotate_options = with_keys("1:" + k1 + ",2:" + k2, first.get());
  rotate_options.args = {"rotate-keys"};
  HeraldProcess rotate(rotate_options);
  EXPECT_EQ(rotate.wait_exit(), 0) << rotate.output_text();
  EXPECT_NE(rotate.output_text().find("1 re-encrypted"), std::string::npos) << rotate.output_text();
  {
    pqxx::connection db(first->database_url());
    pqxx::work tx(db);
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM account_tokens WHERE key_version <> 2")[0].as<int>(), 0);
  }

  // With only the new key the token opens and works at the platform...
  {
    HeraldProcess only_new(with_keys("2:" + k2, first.get()));
    Http admin = admin_client(only_new);
    auto check = admin.post("/api/v1/accounts/" + id + "/check");
    ASSERT_EQ(check.status, 200) << check.body;
    EXPECT_EQ(check.json["ok"], true) << check.body;
  }
  // ...and with only the old key nothing opens.
  {
    HeraldProcess only_old(with_keys("1:" + k1, first.get()));
    Http admin = admin_client(only_old);
    auto check = admin.post("/api/v1/accounts/" + id + "/check");
    expect_problem(check, 409, "decrypted");
  }
  std::filesystem::remove_all(key_dir);
}

}  // namespace
}  // namespace herald::testing
