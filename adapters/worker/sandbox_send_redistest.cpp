// End to end against the real herald-sandbox (adapters/sandbox): the consumer takes dispatch
// entries from real Redis, sends through the gate with the real Mastodon adapter over HTTP, and
// the sandbox's request log proves how many statuses were created. Needs Redis and the
// herald-sandbox binary (built with this test; found through HERALD_BIN_DIR or beside it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <pqxx/pqxx>
#include <thread>

#include "adapters/transport/httplib_transport.hpp"
#include "adapters/worker/queue/consumer.hpp"
#include "adapters/worker/worker_module.hpp"
#include "adapters/worker/worker_test_support.hpp"
#include "herald/adapters/platforms.hpp"
#include "services/core/util/clock.hpp"
#include "tests/support/sandbox_process.hpp"

namespace herald::worker {
namespace {

using nlohmann::json;

std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  auto q = url.find('?');
  if (q == std::string::npos) return out;
  std::string rest = url.substr(q + 1);
  std::size_t p = 0;
  while (p <= rest.size()) {
    auto amp = rest.find('&', p);
    if (amp == std::string::npos) amp = rest.size();
    auto kv = rest.substr(p, amp - p);
    auto eq = kv.find('=');
    if (eq != std::string::npos) {
      std::string v;
      for (std::size_t i = eq + 1; i < kv.size(); ++i) {
        if (kv[i] == '%' && i + 2 < kv.size()) {
          v += static_cast<char>(std::stoi(kv.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          v += kv[i] == '+' ? ' ' : kv[i];
        }
      }
      out[kv.substr(0, eq)] = v;
    }
    p = amp + 1;
  }
  return out;
}

class SandboxSend : public testing::WorkerRedis {
 protected:
  SandboxSend() : platforms_(adapters::PlatformsOptions{sandbox_.port_file(), "sandbox-secret"}) {}

  // Connects demo_mastodon the way a person would: approve on the authorize page, exchange the code.
  adapters::Credentials connect_mastodon() {
    auto adapter = platforms_.adapter("mastodon");
    EXPECT_NE(adapter, nullptr);
    const std::string redirect = "http://127.0.0.1:9/callback";
    auto url = adapter->authorize_url({redirect, "st4te", "", {}});
    auto q = query_of(url);
    std::vector<std::pair<std::string, std::string>> form(q.begin(), q.end());
    form.emplace_back("handle", "demo_mastodon");
    form.emplace_back("decision", "approve");
    auto path_end = url.find('?');
    auto res = http_.send({"POST", url.substr(0, path_end), {{"Content-Type", "application/x-www-form-urlencoded"}},
                           adapters::form_encode(form)});
    EXPECT_EQ(res.status, 302) << res.body;
    auto code = query_of(res.header("location").value_or(""))["code"];
    EXPECT_FALSE(code.empty());
    auto tokens = adapter->exchange_code(http_, code, "", redirect);
    EXPECT_TRUE(tokens.ok());
    return adapters::Credentials{tokens->access_token, tokens->platform_account_id, {}};
  }

  json control(const std::string& method, const std::string& path, const json& body = nullptr) {
    adapters::HttpRequest r{method, "http://127.0.0.1:" + std::to_string(sandbox_.control_port()) + path, {}, ""};
    if (!body.is_null()) {
      r.headers.emplace_back("Content-Type", "application/json");
      r.body = body.dump();
    }
    auto res = http_.send(r);
    EXPECT_LT(res.status, 300) << res.body;
    return res.body.empty() ? json() : json::parse(res.body);
  }

  int status_posts() {
    int n = 0;
    for (const auto& e : control("GET", "/_sandbox/requests?platform=mastodon")) {
      if (e["method"] == "POST" && e["path"] == "/api/v1/statuses") ++n;
    }
    return n;
  }

  std::string dispatch(const contracts::DispatchJob& job, const std::string& id) {
    contracts::Envelope e;
    e.type = "dispatch";
    e.id = id;
    e.data = contracts::to_json(job);
    return core::redis::xadd(redis_, streams_.dispatch(job.platform), contracts::to_fields(e));
  }

  std::vector<std::string> streams() {
    std::vector<std::string> s;
    for (const auto& p : adapters::platforms()) s.push_back(streams_.dispatch(p));
    return s;
  }

  herald::testing::SandboxProcess sandbox_;
  adapters::Platforms platforms_;
  static adapters::TransportOptions quick() {
    adapters::TransportOptions o;
    o.connect_timeout = std::chrono::milliseconds{2000};
    o.read_timeout = std::chrono::milliseconds{3000};
    o.write_timeout = std::chrono::milliseconds{3000};
    return o;
  }
  adapters::HttplibTransport http_{quick()};
  core::SystemClock system_clock_;
};

TEST_F(SandboxSend, ADispatchedJobDeliveredTwiceIsExactlyOnePost) {
  directory_.accounts["a1"] = connect_mastodon();
  Sender sender(Sender::Deps{redis_, http_, system_clock_, gate_, directory_,
                             [this](const std::string& p) { return platforms_.adapter(p); }, ledger_, logger_,
                             streams_, {}},
                "w1");
  ConsumerOptions o;
  o.block = std::chrono::milliseconds{0};
  Consumer consumer(redis_, sender, streams(), "w1", system_clock_, logger_, o);
  consumer.ensure_groups();
  auto job = testing::sample_job("sb1");
  job.content.first_comment = "more in the comments";
  dispatch(job, "d1");
  dispatch(job, "d1-duplicate");
  EXPECT_EQ(consumer.poll_once(), 2U);

  // POST /api/v1/statuses twice would be a duplicate; the first comment is its own status.
  int posts = 0;
  for (const auto& e : control("GET", "/_sandbox/requests?platform=mastodon")) {
    if (e["method"] == "POST" && e["path"] == "/api/v1/statuses") {
      ++posts;
      const char* expected = posts == 1 ? "sb1:3" : "sb1:3:first_comment";
      EXPECT_EQ(e["idempotency_key"], expected);
    }
  }
  EXPECT_EQ(posts, 2);
  auto ev = events();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[1].event.outcome, contracts::Outcome::kPublished);
  EXPECT_FALSE(ev[1].event.platform_post_id.empty());
  EXPECT_FALSE(ev[1].event.first_comment_id.empty());
  ASSERT_EQ(ledger_.rows.size(), 1U);
  EXPECT_EQ(ledger_.rows[0].request_summary, "POST /api/v1/statuses -> 200; POST /api/v1/statuses -> 200");
}

TEST_F(SandboxSend, ExactlyOnePostForOneJob) {
  directory_.accounts["a1"] = connect_mastodon();
  Sender sender(Sender::Deps{redis_, http_, system_clock_, gate_, directory_,
                             [this](const std::string& p) { return platforms_.adapter(p); }, ledger_, logger_,
                             streams_, {}},
                "w1");
  EXPECT_EQ(sender.handle(testing::sample_job("sb2")).outcome, contracts::Outcome::kPublished);
  EXPECT_EQ(status_posts(), 1);
}

TEST_F(SandboxSend, AcceptThenDropIsReadBackAndNotSentAgain) {
  directory_.accounts["a1"] = connect_mastodon();
  control("POST", "/_sandbox/faults",
          {{"platform", "mastodon"}, {"method", "POST"}, {"path_prefix", "/api/v1/statuses"},
           {"kind", "drop_after_accept"}});
  Sender sender(Sender::Deps{redis_, http_, system_clock_, gate_, directory_,
                             [this](const std::string& p) { return platforms_.adapter(p); }, ledger_, logger_,
                             streams_, {}},
                "w1");
  auto h = sender.handle(testing::sample_job("sb3"));
  EXPECT_EQ(h.outcome, contracts::Outcome::kPublished);
  EXPECT_EQ(h.note, "read_back_found");
  EXPECT_EQ(status_posts(), 1);
  ASSERT_EQ(ledger_.rows.size(), 2U);
  EXPECT_EQ(ledger_.rows[0].outcome, "unknown");
  EXPECT_EQ(ledger_.rows[1].outcome, "published");
  EXPECT_TRUE(gate_.done(redis_, "sb3:3"));
}

// The module as the composition root wires it: a Process (PostgreSQL migrated, Redis), two worker
// threads with their own clients, the real transport and the sandbox. Also needs PostgreSQL.
TEST_F(SandboxSend, TheModuleSendsEveryDispatchedJobOnceAndLedgersIt) {
  const char* pg = std::getenv("HERALD_TEST_PG_URL");
  if (pg == nullptr || *pg == '\0') GTEST_SKIP() << "HERALD_TEST_PG_URL is not set";
  directory_.accounts["a1"] = connect_mastodon();
  const std::string db = herald::testing::unique_name("worker_it");
  {
    pqxx::connection c(herald::testing::pg_url());
    pqxx::nontransaction tx(c);
    tx.exec("CREATE DATABASE " + tx.quote_name(db));
  }
  std::string url = herald::testing::pg_url();
  auto authority_end = url.find('/', url.find("://") + 3);
  auto query = url.find('?', authority_end);
  url = url.substr(0, authority_end) + "/" + db + (query == std::string::npos ? "" : url.substr(query));
  {
    core::config::Config cfg;
    cfg.pg.url = url;
    cfg.pg.pool_size = 2;
    cfg.redis.url = herald::testing::redis_url();
    cfg.redis.key_prefix = prefix_;
    cfg.http.port = 0;
    cfg.security.master_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    cfg.security.blocking_threads = 2;
    cfg.log.level = "error";
    cfg.platforms.sandbox_file = sandbox_.port_file();
    core::Process process("worker-test", cfg, {WorkerModule::schema()});
    WorkerOptions o;
    o.threads = 2;
    o.consumer.block = std::chrono::milliseconds{100};
    WorkerModule module(process, directory_, platforms_, system_clock_, o);
    module.start_background();
    for (const char* t : {"m1", "m2", "m3"}) dispatch(testing::sample_job(t), std::string("d-") + t);
    dispatch(testing::sample_job("m2"), "d-m2-again");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{20};
    std::size_t published = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      published = 0;
      for (const auto& e : events()) published += e.event.outcome == contracts::Outcome::kPublished ? 1 : 0;
      if (published >= 3) break;
      std::this_thread::sleep_for(std::chrono::milliseconds{20});  // waiting for work, not for a schedule
    }
    module.stop();
    EXPECT_EQ(published, 3U);
    EXPECT_EQ(status_posts(), 3);
    PgAttemptLedger ledger(process.pg());
    for (const char* t : {"m1", "m2", "m3"}) {
      auto rows = ledger.of_target(t);
      ASSERT_EQ(rows.size(), 1U) << t;
      EXPECT_EQ(rows[0].outcome, "published");
      EXPECT_NE(rows[0].worker.find(":" + std::to_string(getpid()) + ":"), std::string::npos);
    }
  }
  pqxx::connection c(herald::testing::pg_url());
  pqxx::nontransaction tx(c);
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(db) + " WITH (FORCE)");
}

}  // namespace
}  // namespace herald::worker
