// bench_freeze_trials: the F4 freeze figures of bench/run_freeze.sh. Not a test.
//
// While approved work flows at a steady rate (publishing's schedule.set commands on the
// scheduler's stream, one Mastodon account, each target with one of four tags and one of three
// campaigns), it runs N freeze trials through the real API, one after another: a random scope
// (all, brand, platform, account, a tag or a campaign), POST /api/v1/crisis/freezes as one user,
// hold 100-400 ms, then lift-request as a second user and lift as a third. It reads the sandbox's
// request log all along and, at the end, counts the leaks: Mastodon publish requests (matched to
// their target by the Idempotency-Key, "<target>:<version>") for a target in a trial's scope,
// received between that trial's acknowledgement and its lift, and not in the acknowledgement's
// list of sends already in flight. Prints one JSON document.
//
// Usage: bench_freeze_trials --redis URL --prefix P --herald URL --sandbox-control URL
//          --account FILE --setter TOKEN --requester TOKEN --approver TOKEN [--trials N] [--rate R]
// FILE: {"account_id","org_id","brand_id"} of the connected Mastodon account.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "services/contracts/publishing/commands.hpp"
#include "services/core/redis/client.hpp"
#include "services/core/redis/options.hpp"
#include "services/core/util/instant.hpp"

namespace {

using namespace herald;  // NOLINT: a tool's main file
using Clock = std::chrono::system_clock;

const char* const kCampaigns[] = {"00000000-0000-4000-8000-00000000ca01", "00000000-0000-4000-8000-00000000ca02",
                                  "00000000-0000-4000-8000-00000000ca03"};

struct Args {
  std::string redis, prefix = "herald", herald, control, account, setter, requester, approver;
  int trials = 1000;
  double rate = 200;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--redis") a.redis = v;
    else if (k == "--prefix") a.prefix = v;
    else if (k == "--herald") a.herald = v;
    else if (k == "--sandbox-control") a.control = v;
    else if (k == "--account") a.account = v;
    else if (k == "--setter") a.setter = v;
    else if (k == "--requester") a.requester = v;
    else if (k == "--approver") a.approver = v;
    else if (k == "--trials") a.trials = std::stoi(v);
    else if (k == "--rate") a.rate = std::stod(v);
    else throw std::invalid_argument("unknown option " + k);
  }
  if (a.redis.empty() || a.herald.empty() || a.control.empty() || a.account.empty() || a.setter.empty() ||
      a.requester.empty() || a.approver.empty()) {
    throw std::invalid_argument("--redis, --herald, --sandbox-control, --account, --setter, --requester, --approver");
  }
  return a;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

struct Target {
  int tag = 0, campaign = 0;
};

struct Scope {
  std::string kind, value;
  int tag = -1, campaign = -1;  // for tag and campaign scopes
  [[nodiscard]] bool covers(const Target& t) const {
    if (kind == "tag") return t.tag == tag;
    if (kind == "campaign") return t.campaign == campaign;
    return true;  // all, brand, platform and account: the one account carries every target
  }
};

struct Trial {
  Scope scope;
  std::int64_t acked_at = 0, lifted_at = 0;
  std::set<std::string> in_flight;
  double ack_ms = 0, client_ms = 0;
  long in_scope_after = 0;  // in-scope requests in the window that were in flight (allowed)
};

struct Sent {
  std::string key;
  std::int64_t received_ms = 0;
};

httplib::Client client_for(const std::string& url) {
  httplib::Client c(url);
  c.set_connection_timeout(5);
  c.set_read_timeout(30);
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);  // no Nagle wait between the request's header and body writes
  return c;
}

nlohmann::json call(httplib::Client& c, const std::string& token, const std::string& path, const nlohmann::json& body,
                    int want) {
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  auto r = c.Post(path, h, body.dump(), "application/json");
  if (!r) throw std::runtime_error("POST " + path + ": no answer");
  if (r->status != want) throw std::runtime_error("POST " + path + ": " + std::to_string(r->status) + " " + r->body);
  return nlohmann::json::parse(r->body);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto args = parse(argc, argv);
    std::ifstream in(args.account);
    auto account = nlohmann::json::parse(in);

    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::map<std::string, Target> targets;  // target id -> its tag and campaign
    std::vector<Sent> sent;

    // Load: approved targets due 2 s after they are enqueued, at `rate` per second.
    std::thread load([&] {
      core::redis::Client redis(core::redis::parse_url(args.redis));
      contracts::StreamNames streams(args.prefix);
      long i = 0;
      auto next = Clock::now();
      while (!stop) {
        next += std::chrono::milliseconds(100);
        const long n = static_cast<long>(args.rate / 10.0);
        std::vector<std::vector<std::string>> batch;
        for (long k = 0; k < n; ++k, ++i) {
          char id[64];
          std::snprintf(id, sizeof id, "00000000-0000-4000-9000-%012ld", i);
          contracts::DispatchJob job;
          job.target_id = id;
          job.post_id = id;
          job.org_id = account["org_id"];
          job.brand_id = account["brand_id"];
          job.account_id = account["account_id"];
          job.platform = "mastodon";
          job.content_version = 1;
          job.due_at_ms = now_ms() + 2000;
          Target t{static_cast<int>(i % 4), static_cast<int>(i % 3)};
          job.tags = {"t" + std::to_string(t.tag)};
          job.campaign_id = kCampaigns[t.campaign];
          job.content.text = "freeze bench " + std::to_string(i);
          job.marker = "fb" + std::to_string(i);
          {
            std::lock_guard lock(mutex);
            targets[job.target_id] = t;
          }
          batch.push_back(contracts::xadd_argv(streams.scheduler_commands,
                                               contracts::schedule_set(job, "fbench:" + job.target_id, now_ms())));
        }
        for (const auto& r : redis.pipeline(batch)) {
          if (r.is_error()) throw std::runtime_error("XADD: " + r.str());
        }
        std::this_thread::sleep_until(next);
      }
    });

    // The sandbox's record of every Mastodon publish request, read as it grows.
    auto control = client_for(args.control);
    std::int64_t since = 0;
    auto collect = [&] {
      auto r = control.Get("/_sandbox/requests?platform=mastodon&since_seq=" + std::to_string(since));
      if (!r || r->status != 200) throw std::runtime_error("sandbox request log: no answer");
      for (const auto& e : nlohmann::json::parse(r->body)) {
        since = std::max<std::int64_t>(since, e["seq"].get<std::int64_t>());
        if (e["method"] != "POST" || e["path"] != "/api/v1/statuses" || !e["idempotency_key"].is_string()) continue;
        auto ms = core::parse_instant_ms(e["received_at"].get<std::string>());
        std::lock_guard lock(mutex);
        sent.push_back({e["idempotency_key"].get<std::string>(), ms.value_or(0)});
      }
    };
    std::thread collector([&] {
      while (!stop) {
        try {
          collect();
        } catch (const std::exception& e) {
          std::cerr << "collector: " << e.what() << std::endl;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });

    std::this_thread::sleep_for(std::chrono::seconds(4));  // the flow reaches the platform first
    auto api = client_for(args.herald);
    std::mt19937 rng(20261201);
    std::vector<Trial> trials;
    for (int n = 0; n < args.trials; ++n) {
      Trial t;
      switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
        case 0: t.scope = {"all", ""}; break;
        case 1: t.scope = {"brand", account["brand_id"]}; break;
        case 2: t.scope = {"platform", "mastodon"}; break;
        case 3: t.scope = {"account", account["account_id"]}; break;
        case 4: {
          int k = std::uniform_int_distribution<int>(0, 3)(rng);
          t.scope = {"tag", "t" + std::to_string(k), k, -1};
          break;
        }
        default: {
          int k = std::uniform_int_distribution<int>(0, 2)(rng);
          t.scope = {"campaign", kCampaigns[k], -1, k};
        }
      }
      nlohmann::json body = {{"scope", {{"kind", t.scope.kind}, {"value", t.scope.value}}},
                             {"reason", "bench trial " + std::to_string(n)}};
      auto c0 = std::chrono::steady_clock::now();
      auto set = call(api, args.setter, "/api/v1/crisis/freezes", body, 201);
      t.client_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c0).count();
      t.ack_ms = set["acknowledgement"]["ack_ms"].get<double>();
      t.acked_at = *core::parse_instant_ms(set["acknowledgement"]["acknowledged_at"].get<std::string>());
      for (const auto& f : set["acknowledgement"]["in_flight"]) t.in_flight.insert(f["send_key"].get<std::string>());
      const std::string id = set["freeze"]["id"];
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(100, 400)(rng)));
      call(api, args.requester, "/api/v1/crisis/freezes/" + id + "/lift-request", {{"reason", "trial over"}}, 200);
      auto lifted = call(api, args.approver, "/api/v1/crisis/freezes/" + id + "/lift", nlohmann::json::object(), 200);
      t.lifted_at = *core::parse_instant_ms(lifted["lifted"]["at"].get<std::string>());
      trials.push_back(std::move(t));
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 200)(rng)));
      if ((n + 1) % 100 == 0) std::cerr << "trials: " << (n + 1) << "/" << args.trials << std::endl;
    }
    std::this_thread::sleep_for(std::chrono::seconds(3));
    stop = true;
    load.join();
    collector.join();
    collect();

    // Leaks: in scope, received inside a trial's window, not in flight at its acknowledgement.
    long leaks = 0, in_flight_allowed = 0, window_requests = 0;
    nlohmann::json leak_samples = nlohmann::json::array();
    std::lock_guard lock(mutex);
    for (const auto& s : sent) {
      auto target = s.key.substr(0, s.key.find(':'));
      auto it = targets.find(target);
      if (it == targets.end()) continue;
      auto trial = std::upper_bound(trials.begin(), trials.end(), s.received_ms,
                                    [](std::int64_t ms, const Trial& t) { return ms < t.acked_at; });
      if (trial == trials.begin()) continue;
      --trial;
      if (s.received_ms >= trial->lifted_at) continue;
      ++window_requests;
      if (!trial->scope.covers(it->second)) continue;
      if (trial->in_flight.count(s.key) > 0) {
        ++in_flight_allowed;
        continue;
      }
      ++leaks;
      if (leak_samples.size() < 10) {
        leak_samples.push_back({{"send_key", s.key}, {"received_ms", s.received_ms}, {"acked_at", trial->acked_at},
                                {"scope", trial->scope.kind + ":" + trial->scope.value}});
      }
    }
    std::vector<double> ack, client;
    std::map<std::string, int> kinds;
    for (const auto& t : trials) {
      ack.push_back(t.ack_ms);
      client.push_back(t.client_ms);
      ++kinds[t.scope.kind];
    }
    nlohmann::json out{{"trials", trials.size()},
                       {"scopes", kinds},
                       {"rate_per_s", args.rate},
                       {"targets_enqueued", targets.size()},
                       {"publish_requests_seen", sent.size()},
                       {"requests_inside_freeze_windows", window_requests},
                       {"in_scope_in_flight_at_ack", in_flight_allowed},
                       {"leaks", leaks},
                       {"leak_samples", leak_samples},
                       {"ack_ms", {{"p50", percentile(ack, 0.5)}, {"p99", percentile(ack, 0.99)},
                                   {"max", percentile(ack, 1.0)}}},
                       {"client_round_trip_ms", {{"p50", percentile(client, 0.5)}, {"p99", percentile(client, 0.99)},
                                                 {"max", percentile(client, 1.0)}}}};
    std::cout << out.dump(2) << std::endl;
    return leaks == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "bench_freeze_trials: " << e.what() << std::endl;
    return 2;
  }
}
