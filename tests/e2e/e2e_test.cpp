// The web app in a real browser: each TEST runs one Playwright spec (tests/e2e/<name>.spec.mjs,
// driven by run.mjs in Node) against its own herald, which serves the built app (web/dist) on a
// fresh database, and its own herald-sandbox. The spec does what a person does in the browser and
// checks the result where it lands (the API, the sandbox's request log); this side starts the
// servers, hands their addresses to the spec and reports its output.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/herald_process.hpp"
#include "tests/support/sandbox_process.hpp"

namespace herald::testing {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

class WebApp : public ::testing::Test {
 protected:
  void SetUp() override {
    namespace fs = std::filesystem;
    ASSERT_TRUE(fs::exists(fs::path(HERALD_WEB_DIST) / "index.html"))
        << "the web app is not built: run `npm ci --prefix web && npm --prefix web run build` (scripts/test does)";
    ASSERT_TRUE(fs::exists(fs::path(HERALD_E2E_DIR) / "node_modules" / "playwright-core"))
        << "tests/e2e/node_modules is missing: run `npm ci --ignore-scripts --prefix tests/e2e` (scripts/test does)";
    const char* chromium = std::getenv("HERALD_CHROMIUM");
    chromium_ = chromium != nullptr ? chromium : "/usr/bin/chromium";
    ASSERT_TRUE(fs::exists(chromium_)) << chromium_
                                       << " is missing: install Debian's chromium (scripts/lib/deps.sh --with-browser; "
                                          "scripts/test does)";
    ASSERT_FALSE(std::string(HERALD_NODE_BIN).empty()) << "node was not found when CMake ran";
    sandbox_ = std::make_unique<SandboxProcess>(SandboxOptions{7, 30 * 86400});
    HeraldOptions o;
    o.env["HERALD_PLATFORMS_SANDBOX_FILE"] = sandbox_->port_file();
    o.env["HERALD_WEB_ROOT"] = HERALD_WEB_DIST;
    // Slots seconds away (a spec cannot wait the default 30 minutes between approval and slot).
    o.env["HERALD_PUBLISHING_APPROVAL_DEADLINE_S"] = "0";
    // Overdue SLA clocks are looked for 4 times a second (a spec moves a clock into the past).
    o.env["HERALD_INBOX_SLA_SWEEP_MS"] = "250";
    herald_ = std::make_unique<HeraldProcess>(o);
  }

  void TearDown() override {
    if (herald_) {
      EXPECT_TRUE(herald_->running()) << "herald died:\n" << herald_->output_text();
    }
    herald_.reset();
    sandbox_.reset();
  }

  // Runs `node run.mjs <spec>`; the test fails with the spec's output unless it exits 0.
  void run_spec(const std::string& spec) {
    std::string cmd = "cd " + shell_quote(HERALD_E2E_DIR) + " && env" +
                      " HERALD_URL=" + shell_quote(herald_->base_url()) +
                      " SANDBOX_CONTROL_URL=" + shell_quote("http://127.0.0.1:" + std::to_string(sandbox_->control_port())) +
                      " HERALD_ADMIN_EMAIL=" + shell_quote(herald_->admin_email()) +
                      " HERALD_ADMIN_PASSWORD=" + shell_quote(herald_->admin_password()) +
                      " HERALD_E2E_DATABASE_URL=" + shell_quote(herald_->database_url()) +
                      " E2E_ARTIFACTS=" + shell_quote(HERALD_E2E_ARTIFACTS) + " HERALD_CHROMIUM=" + shell_quote(chromium_) +
                      " " + shell_quote(HERALD_NODE_BIN) + " run.mjs " + shell_quote(spec) + " 2>&1";
    std::string output;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr) << "could not start node";
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) output += buf.data();
    int status = ::pclose(pipe);
    std::cout << output;
    EXPECT_EQ(status, 0) << spec << " failed (screenshots in " << HERALD_E2E_ARTIFACTS << "):\n"
                         << output << "\nherald's output:\n"
                         << herald_->output_text();
  }

  std::string chromium_;
  std::unique_ptr<SandboxProcess> sandbox_;
  std::unique_ptr<HeraldProcess> herald_;
};

TEST_F(WebApp, SignInSwitchLanguageAndSeeEveryScreen) { run_spec("shell.spec.mjs"); }
TEST_F(WebApp, ScheduleAPostByDragAndDropAndSeeItPublishedInTheSandbox) { run_spec("calendar.spec.mjs"); }
TEST_F(WebApp, ComposeWithLiveCountersThenReviewAndApprove) { run_spec("compose.spec.mjs"); }
TEST_F(WebApp, ReplyToASandboxCommentFromTheInboxAndSeeItArrive) { run_spec("inbox.spec.mjs"); }
TEST_F(WebApp, SaveAReplyInsertItFilledPromoteToTheFaqAndGetItSuggested) { run_spec("saved_replies.spec.mjs"); }
TEST_F(WebApp, SetAnSlaPolicyAndSeeABreachAlertArrive) { run_spec("sla.spec.mjs"); }
TEST_F(WebApp, RouteNewThreadsByRuleAndToWhoeverIsOnDuty) { run_spec("team.spec.mjs"); }
TEST_F(WebApp, LockdownBannerReachesASecondBrowserWhileADuePostStaysHeld) { run_spec("crisis.spec.mjs"); }
TEST_F(WebApp, ConnectAnAccountThroughTheSandboxConsentScreen) { run_spec("accounts.spec.mjs"); }
TEST_F(WebApp, CreateACampaignWithAShortLinkAndSeeTheSandboxAdsDashboard) { run_spec("campaigns.spec.mjs"); }

}  // namespace
}  // namespace herald::testing
