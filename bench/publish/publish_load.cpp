// bench_publish_load: the load generator and meter of bench/run_publish.sh (F3 figures a and b).
// Not a test. It plays the publishing service's side of the pipeline: N approved targets as
// schedule.set commands on the scheduler's stream (exactly what publishing's outbox relay
// writes), due all in one second (burst) or spread at a steady rate, then waits until the
// adapter workers' attempt ledger (PostgreSQL, send_attempts) shows every one published, and
// reads the ledger for the figures:
//   - burst: from the due second to the last request leaving, and targets/s;
//   - lateness: each publish call's start (the ledger's started_at, taken just before the
//     platform request) minus its due instant: p50 / p99 / p99.9 / max, and how many were early;
//   - duplicates: targets with more than one published row (and the sandbox's count of posts).
//
// Usage: bench_publish_load --redis URL --pg URL --prefix P --accounts FILE --count N
//                           [--rate PER_S (0 = burst)] [--lead-ms MS] [--timeout-s S]
// FILE: JSON array of {"account_id","org_id","brand_id","platform"} (connected accounts).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "services/contracts/publishing/commands.hpp"
#include "services/core/redis/client.hpp"
#include "services/core/redis/options.hpp"

namespace {

using namespace herald;  // NOLINT: a tool's main file
using Clock = std::chrono::system_clock;

struct Args {
  std::string redis, pg, prefix = "herald", accounts;
  long count = 1000;
  double rate = 0;
  long lead_ms = 10000;
  long timeout_s = 600;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--redis") a.redis = v;
    else if (k == "--pg") a.pg = v;
    else if (k == "--prefix") a.prefix = v;
    else if (k == "--accounts") a.accounts = v;
    else if (k == "--count") a.count = std::stol(v);
    else if (k == "--rate") a.rate = std::stod(v);
    else if (k == "--lead-ms") a.lead_ms = std::stol(v);
    else if (k == "--timeout-s") a.timeout_s = std::stol(v);
    else throw std::invalid_argument("unknown option " + k);
  }
  if (a.redis.empty() || a.pg.empty() || a.accounts.empty()) throw std::invalid_argument("--redis, --pg, --accounts");
  return a;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

std::string target_id(long i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012ld", i % 1000000000000L);
  return buf;
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto args = parse(argc, argv);
    std::ifstream in(args.accounts);
    auto accounts = nlohmann::json::parse(in);
    if (!accounts.is_array() || accounts.empty()) throw std::invalid_argument("no accounts in " + args.accounts);

    core::redis::Client redis(core::redis::parse_url(args.redis));
    contracts::StreamNames streams(args.prefix);
    const std::int64_t base = (now_ms() / 1000 + 1) * 1000 + args.lead_ms;  // a whole second, lead ahead
    std::map<std::string, std::int64_t> due;
    std::vector<std::vector<std::string>> batch;
    auto flush = [&] {
      if (batch.empty()) return;
      for (const auto& r : redis.pipeline(batch)) {
        if (r.is_error()) throw std::runtime_error("XADD: " + r.str());
      }
      batch.clear();
    };
    auto t_enqueue = Clock::now();
    for (long i = 0; i < args.count; ++i) {
      const auto& a = accounts[static_cast<std::size_t>(i) % accounts.size()];
      contracts::DispatchJob job;
      job.target_id = target_id(i);
      job.post_id = job.target_id;
      job.org_id = a["org_id"];
      job.brand_id = a["brand_id"];
      job.account_id = a["account_id"];
      job.platform = a["platform"];
      job.content_version = 1;
      job.due_at_ms = args.rate > 0 ? base + static_cast<std::int64_t>(static_cast<double>(i) * 1000.0 / args.rate)
                                    : base + (i * 1000) / std::max<long>(args.count, 1);  // within one second
      job.content.text = "bench " + std::to_string(i);
      job.marker = "hb" + std::to_string(i);
      due[job.target_id] = job.due_at_ms;
      batch.push_back(contracts::xadd_argv(streams.scheduler_commands,
                                           contracts::schedule_set(job, "bench:" + job.target_id, now_ms())));
      if (batch.size() == 1000) flush();
    }
    flush();
    auto enqueue_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t_enqueue).count();
    std::cerr << "enqueued " << args.count << " schedule.set commands in " << enqueue_ms << " ms; first due in "
              << (base - now_ms()) << " ms" << std::endl;
    if (base - now_ms() < 0) std::cerr << "WARNING: enqueueing took longer than the lead time" << std::endl;

    pqxx::connection db(args.pg);
    auto deadline = Clock::now() + std::chrono::seconds(args.timeout_s);
    // Settled: published, or failed for good (which the figures then report). Polled once a
    // second so that watching costs the system under test little.
    long settled = 0;
    while (Clock::now() < deadline) {
      pqxx::work tx(db);
      settled = tx.exec1("SELECT count(DISTINCT target_id) FROM send_attempts "
                         "WHERE outcome IN ('published', 'failed')")[0]
                    .as<long>();
      tx.commit();
      if (settled >= args.count) break;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    pqxx::work tx(db);
    std::vector<double> lateness;
    long early = 0, rows = 0;
    std::int64_t last_start = 0, last_finish = 0;
    std::map<std::string, int> per_target;
    for (const auto& r : tx.exec(
             "SELECT target_id, (extract(epoch FROM started_at) * 1000000)::bigint, "
             "(extract(epoch FROM finished_at) * 1000000)::bigint FROM send_attempts "
             "WHERE outcome = 'published' AND kind = 'publish'")) {
      auto id = r[0].as<std::string>();
      auto it = due.find(id);
      if (it == due.end()) continue;
      ++rows;
      ++per_target[id];
      auto started_us = r[1].as<std::int64_t>();
      last_start = std::max(last_start, started_us);
      last_finish = std::max(last_finish, r[2].as<std::int64_t>());
      double late_ms = static_cast<double>(started_us - it->second * 1000) / 1000.0;
      if (late_ms < 0) ++early;
      lateness.push_back(late_ms);
    }
    auto call = tx.exec1(
        "SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), 0), "
        "coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms), 0) FROM send_attempts "
        "WHERE kind = 'publish'");
    auto other = tx.exec1("SELECT count(*) FROM send_attempts WHERE outcome <> 'published'")[0].as<long>();
    long duplicates = 0;
    for (const auto& [id, n] : per_target) duplicates += n > 1 ? n - 1 : 0;
    auto sorted = lateness;
    nlohmann::json out{{"count", args.count},
                       {"published", static_cast<long>(per_target.size())},
                       {"published_rows", rows},
                       {"duplicate_rows", duplicates},
                       {"other_ledger_rows", other},
                       {"enqueue_ms", enqueue_ms},
                       {"early", early},
                       {"platform_call_ms", {{"p50", call[0].as<double>()}, {"p99", call[1].as<double>()}}}};
    if (!lateness.empty()) {
      out["lateness_ms"] = {{"p50", percentile(sorted, 0.50)},
                            {"p99", percentile(sorted, 0.99)},
                            {"p999", percentile(sorted, 0.999)},
                            {"max", *std::max_element(lateness.begin(), lateness.end())}};
      const std::int64_t first_due_us = base * 1000;
      double span_s = static_cast<double>(last_start - first_due_us) / 1e6;
      out["first_due_to_last_request_s"] = span_s;
      out["first_due_to_last_response_s"] = static_cast<double>(last_finish - first_due_us) / 1e6;
      if (args.rate <= 0 && span_s > 0) out["targets_per_s"] = static_cast<double>(per_target.size()) / span_s;
    }
    std::cout << out.dump(2) << std::endl;
    return per_target.size() == static_cast<std::size_t>(args.count) && duplicates == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "bench_publish_load: " << e.what() << std::endl;
    return 2;
  }
}
