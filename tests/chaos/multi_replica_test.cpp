// Herald beyond one process (issue F8 item 5): 3 schedulers (herald-scheduler), 3 adapter workers
// (herald, HERALD_PROCESS_RUN=worker) and 2 gateways (herald serving the API, with the
// accounts, publishing, crisis and inbox background work) as separate processes on one
// PostgreSQL database and one Redis. 20,000 targets are scheduled; in the middle of the run one
// of each kind is killed with SIGKILL; then a freeze of everything is set through the surviving
// gateway and lifted by two other people. What was held is rescheduled the way the held lane
// does it (schedule.set with the next attempt). From the sandbox's own request log and state:
// every target is on the platform exactly once, and no publish request arrived between the
// freeze's acknowledgement and its lift except the sends the acknowledgement listed as in flight.
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "services/contracts/publishing/commands.hpp"
#include "services/core/redis/client.hpp"
#include "services/core/redis/options.hpp"
#include "services/core/util/instant.hpp"
#include "tests/integration/accounts_helpers.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

constexpr int kTargets = 20000;
constexpr int kAccounts = 8;
constexpr std::int64_t kSpreadMs = 30000;  // due times spread over 30 s
const std::string kPassword = "multi replica password 1";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string target_id(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-9000-%012d", i);
  return buf;
}

std::set<std::string> published_targets(pqxx::connection& db) {
  pqxx::work tx(db);
  std::set<std::string> out;
  for (const auto& r : tx.exec("SELECT DISTINCT target_id FROM send_attempts WHERE outcome = 'published'")) {
    out.insert(r[0].as<std::string>());
  }
  return out;
}

long count_of(pqxx::connection& db, const std::string& sql) {
  pqxx::work tx(db);
  return tx.exec1(sql)[0].as<long>();
}

// Waits until `done()` or the deadline; false at the deadline.
template <class F>
bool wait_until(F done, std::chrono::seconds limit, std::chrono::milliseconds every = 100ms) {
  auto deadline = Steady::now() + limit;
  while (!done()) {
    if (Steady::now() > deadline) return false;
    std::this_thread::sleep_for(every);
  }
  return true;
}

TEST(MultiReplica, ThreeSchedulersThreeWorkersTwoGatewaysSurviveKillNineAndAFreeze) {
  const auto t0 = Steady::now();
  SandboxProcess sandbox(SandboxOptions{22, 86400});
  std::map<std::string, std::string> common = {{"HERALD_PLATFORMS_SANDBOX_FILE", sandbox.port_file()},
                                               {"HERALD_WORKER_LEASE_MS", "2000"},
                                               {"HERALD_SCHEDULER_GOVERNOR_SCALE", "100000"},
                                               {"HERALD_WORKER_THREADS", "3"}};
  HeraldOptions gateway_options;
  gateway_options.env = common;
  gateway_options.env["HERALD_PROCESS_RUN"] = "accounts,publishing,crisis,inbox";
  std::vector<std::unique_ptr<HeraldProcess>> gateways, schedulers, workers;
  gateways.push_back(std::make_unique<HeraldProcess>(gateway_options));
  HeraldProcess& first = *gateways[0];
  auto joining = [&](HeraldOptions o) {
    o.database_url = first.database_url();
    o.admin_email = first.admin_email();
    o.admin_password = first.admin_password();
    o.env["HERALD_SECURITY_MASTER_KEY_FILE"] = (first.dir() / "master.key").string();
    // One Redis key space for all: the first process's prefix (it derives from its database).
    o.env["HERALD_REDIS_KEY_PREFIX"] = "t" + first.database_name();
    return o;
  };
  gateways.push_back(std::make_unique<HeraldProcess>(joining(gateway_options)));
  for (int i = 0; i < 3; ++i) {
    HeraldOptions s;
    s.binary = "herald-scheduler";
    s.env = common;
    schedulers.push_back(std::make_unique<HeraldProcess>(joining(s)));
    HeraldOptions w;
    w.env = common;
    w.env["HERALD_PROCESS_RUN"] = "worker";
    workers.push_back(std::make_unique<HeraldProcess>(joining(w)));
  }
  HeraldProcess& second = *gateways[1];
  std::cout << "[multi] 8 processes ready after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count() << " ms" << std::endl;

  // Everything a person does goes through the second gateway; the first one is killed later.
  Http admin(second);
  ASSERT_EQ(admin.login(first.admin_email(), first.admin_password()).status, 200);
  auto brand_id = json_id(create_brand(admin, unique_slug("multi")));
  std::vector<std::pair<std::string, std::string>> accounts;  // (account id, handle)
  for (int i = 0; i < kAccounts; ++i) {
    auto handle = unique_slug("multi");
    auto id = connect_oauth(admin, second, brand_id, "mastodon", handle);
    ASSERT_FALSE(id.empty());
    accounts.emplace_back(id, handle);
  }
  std::vector<std::string> commanders;
  for (int i = 0; i < 2; ++i) {
    auto email = unique_email("commander");
    auto user = create_user(admin, email, kPassword);
    ASSERT_EQ(admin.put("/api/v1/brands/" + brand_id + "/members/" + json_id(user), {{"role", "crisis_commander"}})
                  .status,
              200);
    commanders.push_back(email);
  }
  pqxx::connection db(first.database_url());
  std::string org_id;
  {
    pqxx::work tx(db);
    org_id = tx.exec1("SELECT org_id FROM accounts LIMIT 1")[0].as<std::string>();
  }

  // The targets, as publishing's outbox relay writes them.
  core::redis::Client redis(core::redis::parse_url(redis_url()));
  contracts::StreamNames streams("t" + first.database_name());
  std::map<std::string, contracts::DispatchJob> jobs;  // by target id
  std::map<std::string, std::int64_t> due;             // by send key
  auto schedule = [&](std::vector<contracts::DispatchJob> batch) {
    std::vector<std::vector<std::string>> argv;
    for (const auto& job : batch) {
      argv.push_back(contracts::xadd_argv(
          streams.scheduler_commands,
          contracts::schedule_set(job, "multi:" + job.target_id + ":" + std::to_string(job.attempt), now_ms())));
    }
    for (std::size_t i = 0; i < argv.size(); i += 1000) {
      std::vector<std::vector<std::string>> part(argv.begin() + static_cast<long>(i),
                                                 argv.begin() + static_cast<long>(std::min(argv.size(), i + 1000)));
      for (const auto& r : redis.pipeline(part)) ASSERT_FALSE(r.is_error()) << r.str();
    }
  };
  const std::int64_t base = now_ms() + 3000;
  std::vector<contracts::DispatchJob> all;
  for (int i = 0; i < kTargets; ++i) {
    const auto& [account_id, handle] = accounts[static_cast<std::size_t>(i) % accounts.size()];
    contracts::DispatchJob job;
    job.target_id = target_id(i);
    job.post_id = job.target_id;
    job.org_id = org_id;
    job.brand_id = brand_id;
    job.account_id = account_id;
    job.platform = "mastodon";
    job.due_at_ms = base + (static_cast<std::int64_t>(i) * kSpreadMs) / kTargets;
    job.content.text = "multi #" + std::to_string(i) + "#";
    job.marker = "hm" + std::to_string(i);
    due[job.send_key()] = job.due_at_ms;
    jobs[job.target_id] = job;
    all.push_back(job);
  }
  const auto run_started = Steady::now();
  schedule(all);

  // kill -9 one scheduler, one worker and the first gateway once a third has gone out.
  auto published = [&] { return static_cast<long>(published_targets(db).size()); };
  ASSERT_TRUE(wait_until([&] { return published() >= kTargets / 3; }, 120s)) << published() << " published";
  ASSERT_LT(published(), kTargets) << "the run ended before the kill";
  EXPECT_EQ(schedulers[0]->stop(SIGKILL), 128 + SIGKILL);
  EXPECT_EQ(workers[0]->stop(SIGKILL), 128 + SIGKILL);
  EXPECT_EQ(first.stop(SIGKILL), 128 + SIGKILL);
  const long at_kill = published();

  // A freeze of everything through the surviving gateway, once half has gone out; lifted ~2 s
  // later by two other people (one asks, the other approves).
  ASSERT_TRUE(wait_until([&] { return published() >= kTargets / 2; }, 120s)) << published() << " published";
  auto set = admin.post("/api/v1/crisis/freezes",
                        {{"scope", {{"kind", "all"}, {"value", ""}}}, {"reason", "multi-replica proof"}});
  ASSERT_EQ(set.status, 201) << set.body;
  const std::int64_t acked_at = *core::parse_instant_ms(set.json["acknowledgement"]["acknowledged_at"].get<std::string>());
  std::set<std::string> in_flight;
  for (const auto& f : set.json["acknowledgement"]["in_flight"]) in_flight.insert(f["send_key"].get<std::string>());
  const std::string freeze_id = set.json["freeze"]["id"];
  const long at_freeze = published();
  std::this_thread::sleep_for(2s);
  Http asker = login_as(second, commanders[0], kPassword);
  Http approver = login_as(second, commanders[1], kPassword);
  auto asked = asker.post("/api/v1/crisis/freezes/" + freeze_id + "/lift-request", {{"reason", "statement out"}});
  ASSERT_EQ(asked.status, 200) << asked.body;
  auto lifted = approver.post("/api/v1/crisis/freezes/" + freeze_id + "/lift", nlohmann::json::object());
  ASSERT_EQ(lifted.status, 200) << lifted.body;
  const std::int64_t lifted_at = *core::parse_instant_ms(lifted.json["lifted"]["at"].get<std::string>());

  // The rest of the run: nothing pending at the schedulers and nothing new going out.
  long last = -1;
  ASSERT_TRUE(wait_until(
      [&] {
        long now = published();
        bool settled =
            now == last && count_of(db, "SELECT count(*) FROM scheduler_jobs WHERE state = 'pending'") == 0;
        last = now;
        return settled;
      },
      240s, 3s))
      << published() << " published";
  // Held by the freeze (at the schedulers, or refused at a worker's gate): rescheduled with the
  // next attempt, as the held lane's reschedule does.
  std::vector<contracts::DispatchJob> again;
  auto done = published_targets(db);
  for (auto& [id, job] : jobs) {
    if (done.count(id) > 0) continue;
    job.attempt += 1;
    job.due_at_ms = now_ms() + 1000;
    again.push_back(job);
  }
  const auto held = static_cast<long>(again.size());
  EXPECT_GT(held, 0) << "the freeze held nothing: it proved nothing";
  schedule(again);
  ASSERT_TRUE(wait_until([&] { return published() == kTargets; }, 180s)) << published() << " published";
  const auto run_s = std::chrono::duration<double>(Steady::now() - run_started).count();

  // The platform's side: each target's status exactly once.
  Http control("127.0.0.1", sandbox.control_port());
  std::map<std::string, int> posts_per_text;
  for (const auto& [id, handle] : accounts) {
    auto state = control.get("/_sandbox/state?platform=mastodon&handle=" + handle);
    ASSERT_EQ(state.status, 200);
    for (const auto& p : state.json["posts"]) {
      auto text = p["text"].get<std::string>();
      auto a = text.find("multi #");
      if (a == std::string::npos) continue;
      ++posts_per_text[text.substr(a, text.find('#', a + 7) - a + 1)];
    }
  }
  int missing = 0, doubled = 0;
  for (int i = 0; i < kTargets; ++i) {
    auto n = posts_per_text["multi #" + std::to_string(i) + "#"];
    if (n == 0) ++missing;
    if (n > 1) ++doubled;
  }
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(doubled, 0);

  // What the sandbox received: nothing before its due time; between the acknowledgement and the
  // lift only what the acknowledgement listed as in flight.
  auto log = control.get("/_sandbox/requests?platform=mastodon");
  ASSERT_EQ(log.status, 200);
  int early = 0, posts = 0, in_window = 0, leaks = 0;
  std::set<std::string> keys;
  for (const auto& r : log.json) {
    if (r["method"] != "POST" || r["path"] != "/api/v1/statuses") continue;
    ++posts;
    ASSERT_TRUE(r["idempotency_key"].is_string()) << r.dump();
    auto key = r["idempotency_key"].get<std::string>();
    keys.insert(key);
    auto it = due.find(key);
    ASSERT_NE(it, due.end()) << key;
    auto received = core::parse_instant_ms(r["received_at"].get<std::string>());
    ASSERT_TRUE(received) << r.dump();
    if (*received < it->second) ++early;
    if (*received >= acked_at && *received < lifted_at) {
      ++in_window;
      if (in_flight.count(key) == 0) ++leaks;
    }
  }
  EXPECT_EQ(early, 0);
  EXPECT_EQ(leaks, 0) << "publish requests after the freeze's acknowledgement that it did not list";
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(kTargets));
  // A repeat is only a send in flight at the kill (taken over after its lease and not found by
  // the read-back), under the same Idempotency-Key: at most one per thread of the killed worker.
  EXPECT_LE(posts - kTargets, 3);

  RecordProperty("published_at_kill", static_cast<int>(at_kill));
  RecordProperty("published_at_freeze", static_cast<int>(at_freeze));
  RecordProperty("held_then_rescheduled", static_cast<int>(held));
  std::cout << "[multi] " << kTargets << " targets on " << kAccounts << " accounts in " << run_s << " s ("
            << static_cast<double>(kTargets) / run_s << " targets/s including the freeze and the reschedule); "
            << at_kill << " published at the kill -9, " << at_freeze << " at the freeze; " << in_flight.size()
            << " in flight at the acknowledgement, " << in_window << " requests inside the freeze window, " << leaks
            << " leaks; " << held << " held and rescheduled; " << posts << " publish requests ("
            << (posts - kTargets) << " repeated under the same Idempotency-Key); freeze held "
            << (lifted_at - acked_at) << " ms" << std::endl;
}

}  // namespace
}  // namespace herald::testing
