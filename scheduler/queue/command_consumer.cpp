#include "scheduler/queue/command_consumer.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace herald::scheduler {

struct CommandConsumer::Command {
  std::string entry_id;
  contracts::Envelope envelope;
  bool set = true;  // schedule.set; false: schedule.cancel
  contracts::DispatchJob job;
  std::string payload;
  std::string target_id;
  std::int64_t content_version = 0;
  // Outcome of the PostgreSQL step.
  bool done = false;  // durable: acknowledge
  std::optional<DueEntry> add;
  std::optional<Versions> cancelled;
};

namespace {

bool safe_id(const std::string& s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

DueEntry entry_of(const contracts::DispatchJob& job, std::string payload) {
  return DueEntry{job.target_id, job.content_version, job.attempt, job.platform, job.org_id, job.due_at_ms,
                  std::move(payload)};
}

}  // namespace

CommandConsumer::CommandConsumer(core::pg::Pool& pg, core::redis::Pool& redis, const core::Clock& clock,
                                 core::log::Logger& logger, core::metrics::Registry& metrics, std::string prefix,
                                 std::function<void(std::int64_t)> on_due, ConsumerOptions options)
    : pg_(pg),
      redis_(redis),
      clock_(clock),
      logger_(logger),
      streams_(prefix),
      due_(prefix),
      on_due_(std::move(on_due)),
      options_(std::move(options)),
      applied_(metrics.counter("herald_scheduler_commands_total", "Scheduler commands applied")),
      malformed_(metrics.counter("herald_scheduler_commands_malformed_total", "Scheduler commands refused")) {}

CommandConsumer::~CommandConsumer() { stop(); }

std::int64_t CommandConsumer::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
}

void CommandConsumer::ensure_group() {
  auto lease = redis_.lease();
  core::redis::ensure_group(*lease, streams_.scheduler_commands, options_.group, "0");
}

ApplyReport CommandConsumer::poll_once(std::chrono::milliseconds block) {
  std::vector<core::redis::StreamEntry> entries;
  {
    auto lease = redis_.lease();
    entries = core::redis::read_group(*lease, options_.group, options_.consumer, {streams_.scheduler_commands},
                                      options_.batch, block);
  }
  return apply(entries);
}

ApplyReport CommandConsumer::reclaim_once() {
  std::vector<core::redis::StreamEntry> entries;
  {
    auto lease = redis_.lease();
    auto r = core::redis::reclaim(*lease, streams_.scheduler_commands, options_.group, options_.consumer,
                                  options_.reclaim_idle, options_.batch, options_.max_deliveries);
    for (const auto& d : r.dead_lettered) {
      logger_.error("scheduler command moved to the dead-letter stream",
                    {{"entry", d.id}, {"deliveries", d.deliveries}});
    }
    entries = std::move(r.claimed);
  }
  return apply(entries);
}

ApplyReport CommandConsumer::apply(const std::vector<core::redis::StreamEntry>& entries) {
  ApplyReport report;
  if (entries.empty()) return report;
  std::vector<std::string> acks;
  std::vector<Command> commands;
  for (const auto& e : entries) {
    Command c;
    c.entry_id = e.id;
    try {
      const auto* payload = e.field(contracts::kPayloadField);
      if (payload == nullptr) throw std::invalid_argument("no payload field");
      c.envelope = contracts::envelope_from_payload(*payload);
      if (c.envelope.type == contracts::kScheduleSet) {
        c.job = contracts::dispatch_job_from_json(c.envelope.data);
        if (!safe_id(c.job.target_id) || !safe_id(c.job.platform) || !safe_id(c.job.org_id)) {
          throw std::invalid_argument("target_id, platform and org_id must be [A-Za-z0-9._-]+");
        }
        if (c.job.content_version < 0 || c.job.attempt < 0) throw std::invalid_argument("negative version");
        c.payload = contracts::to_json(c.job).dump();
        c.target_id = c.job.target_id;
      } else if (c.envelope.type == contracts::kScheduleCancel) {
        c.set = false;
        const auto& d = c.envelope.data;
        if (!d.contains("target_id") || !d["target_id"].is_string()) throw std::invalid_argument("no target_id");
        c.target_id = d["target_id"].get<std::string>();
        if (!safe_id(c.target_id)) throw std::invalid_argument("target_id must be [A-Za-z0-9._-]+");
        if (d.contains("content_version") && d["content_version"].is_number_integer()) {
          c.content_version = d["content_version"].get<std::int64_t>();
        }
      } else {
        throw std::invalid_argument("unknown command type '" + c.envelope.type + "'");
      }
      commands.push_back(std::move(c));
    } catch (const std::exception& ex) {
      ++report.malformed;
      malformed_.inc();
      logger_.warn("scheduler command refused", {{"entry", e.id}, {"error", std::string(ex.what())}});
      acks.push_back(e.id);
    }
  }

  if (!commands.empty()) {
    try {
      apply_batch(commands, report);
    } catch (const std::exception& ex) {
      logger_.warn("scheduler command batch failed, applying one by one", {{"error", std::string(ex.what())}});
      ApplyReport single;
      for (auto& c : commands) {
        c.done = false;
        c.add.reset();
        c.cancelled.reset();
        std::vector<Command> one;
        one.push_back(std::move(c));
        try {
          apply_batch(one, single);
        } catch (const std::exception& ex1) {
          ++single.failed;
          logger_.warn("scheduler command failed", {{"entry", one[0].entry_id}, {"error", std::string(ex1.what())}});
        }
        c = std::move(one[0]);
      }
      single.malformed = report.malformed;
      report = single;
    }
  }

  for (const auto& c : commands) {
    if (c.done) acks.push_back(c.entry_id);
  }
  auto lease = redis_.lease();
  core::redis::ack(*lease, streams_.scheduler_commands, options_.group, acks);
  applied_.inc(static_cast<double>(report.applied));
  return report;
}

void CommandConsumer::apply_batch(std::vector<Command>& commands, ApplyReport& report) {
  ApplyReport r;
  // The fast path (the usual batch: new schedule.set commands for distinct targets) takes two
  // statements for the whole batch; anything else goes command by command, in stream order.
  std::set<std::string> targets;
  std::set<std::string> ids;
  bool batchable = commands.size() > 1;
  for (const auto& c : commands) {
    if (!batchable) break;
    batchable = c.set && targets.insert(c.target_id).second && ids.insert(c.envelope.id).second;
  }
  pg_.transact([&](pqxx::work& tx) {
    if (batchable) {
      std::vector<std::string> all(ids.begin(), ids.end());
      auto fresh = JobStore::mark_seen_many(tx, all);
      std::vector<std::pair<const contracts::DispatchJob*, const std::string*>> jobs;
      for (const auto& c : commands) {
        if (fresh.count(c.envelope.id) != 0) jobs.emplace_back(&c.job, &c.payload);
      }
      auto applied = JobStore::upsert_many(tx, jobs);
      for (auto& c : commands) {
        if (fresh.count(c.envelope.id) == 0) {
          ++r.duplicates;
          auto stored = JobStore::find(tx, c.target_id);
          if (stored && stored->state == "pending" && stored->content_version == c.job.content_version &&
              stored->attempt == c.job.attempt) {
            c.add = entry_of(c.job, c.payload);
          }
        } else if (applied.count(c.target_id) != 0) {
          c.add = entry_of(c.job, c.payload);
          ++r.applied;
        } else {
          ++r.ignored;
        }
      }
      return;
    }
    for (auto& c : commands) {
      if (!JobStore::mark_seen(tx, c.envelope.id)) {
        ++r.duplicates;
        // A redelivery after a crash between PostgreSQL and Redis: mirror the stored job again.
        if (c.set) {
          auto stored = JobStore::find(tx, c.target_id);
          if (stored && stored->state == "pending" && stored->content_version == c.job.content_version &&
              stored->attempt == c.job.attempt) {
            c.add = entry_of(c.job, c.payload);
          }
        }
        continue;
      }
      if (c.set) {
        if (JobStore::upsert(tx, c.job, c.payload)) {
          c.add = entry_of(c.job, c.payload);
          ++r.applied;
        } else {
          ++r.ignored;
        }
      } else {
        c.cancelled = JobStore::cancel(tx, c.target_id, c.content_version);
        (c.cancelled ? r.applied : r.ignored)++;
      }
    }
  });
  // Durable: now Redis. A failure here leaves the entries unacknowledged; their redelivery finds
  // the ids seen and mirrors the stored jobs (and the reconciler would anyway).
  std::vector<DueEntry> adds;
  std::int64_t earliest = std::numeric_limits<std::int64_t>::max();
  for (const auto& c : commands) {
    if (c.add) {
      adds.push_back(*c.add);
      earliest = std::min(earliest, c.add->due_ms);
    }
  }
  {
    auto lease = redis_.lease();
    due_.add_many(*lease, adds);
    const auto now = now_ms();
    for (const auto& c : commands) {
      if (c.cancelled) due_.cancel(*lease, c.target_id, c.cancelled->content_version, c.cancelled->attempt, now);
    }
  }
  for (auto& c : commands) c.done = true;
  if (!adds.empty() && on_due_) on_due_(earliest);
  report.applied += r.applied;
  report.ignored += r.ignored;
  report.duplicates += r.duplicates;
}

void CommandConsumer::start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void CommandConsumer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CommandConsumer::run() {
  bool grouped = false;
  auto last_reclaim = clock_.steady_now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    bool failed = false;
    try {
      if (!grouped) {
        ensure_group();
        grouped = true;
        reclaim_once();  // what a previous incarnation of this process left behind
      }
      poll_once(options_.block);
      if (clock_.steady_now() - last_reclaim >= options_.reclaim_idle) {
        last_reclaim = clock_.steady_now();
        reclaim_once();
      }
    } catch (const std::exception& e) {
      failed = true;
      logger_.warn("scheduler command consumer failed", {{"error", std::string(e.what())}});
    }
    lock.lock();
    if (failed) wake_.wait_for(lock, options_.error_wait, [this] { return stopping_; });
  }
}

}  // namespace herald::scheduler
