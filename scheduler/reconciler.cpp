#include "scheduler/reconciler.hpp"

#include <algorithm>
#include <limits>

#include "scheduler/events.hpp"

namespace herald::scheduler {

Reconciler::Reconciler(JobStore& store, core::redis::Pool& redis, Dispatcher& dispatcher, const core::Clock& clock,
                       core::log::Logger& logger, core::metrics::Registry& metrics, std::string prefix,
                       ReconcilerOptions options)
    : store_(store),
      redis_(redis),
      dispatcher_(dispatcher),
      clock_(clock),
      logger_(logger),
      streams_(prefix),
      due_(prefix),
      options_(std::move(options)),
      missed_(metrics.counter("herald_scheduler_missed_total",
                              "Pending jobs overdue by more than the missed-post threshold")),
      restored_(metrics.counter("herald_scheduler_restored_total",
                                "Pending jobs the reconciler put back into the Redis due set")) {}

Reconciler::~Reconciler() { stop(); }

std::int64_t Reconciler::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
}

ReconcileReport Reconciler::rebuild() {
  ReconcileReport report;
  std::string after;
  std::int64_t earliest = std::numeric_limits<std::int64_t>::max();
  while (true) {
    auto page = store_.pending_page(after, options_.page);
    if (page.empty()) break;
    after = page.back().target_id;
    report.pending += page.size();
    std::vector<DueEntry> entries;
    entries.reserve(page.size());
    for (auto& j : page) {
      entries.push_back(DueEntry{j.target_id, j.content_version, j.attempt, j.platform, j.org_id, j.due_ms,
                                 std::move(j.payload)});
    }
    std::vector<AddResult> results;
    {
      auto lease = redis_.lease();
      results = due_.add_missing(*lease, entries);
    }
    std::vector<Claimed> settled;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto& e = entries[i];
      if (results[i] == AddResult::kAdded) {
        ++report.restored;
        earliest = std::min(earliest, e.due_ms);
      } else if (results[i] == AddResult::kDispatched || results[i] == AddResult::kHeld) {
        settled.push_back(Claimed{e.target_id, e.content_version, e.attempt, e.org_id, e.platform,
                                  results[i] == AddResult::kHeld, "", e.due_ms});
      }
    }
    if (!settled.empty()) {
      dispatcher_.settle(settled, now_ms());
      report.recovered += settled.size();
    }
    if (static_cast<int>(page.size()) < options_.page) break;
  }
  if (report.restored > 0) {
    restored_.inc(static_cast<double>(report.restored));
    logger_.warn("scheduler restored jobs missing from Redis", {{"count", report.restored}});
    dispatcher_.notify(earliest);
  }
  const auto now = now_ms();
  {
    auto lease = redis_.lease();
    due_.trim_marks(*lease, now - options_.mark_retention.count());
  }
  store_.trim_seen(now - options_.seen_retention.count());
  return report;
}

std::size_t Reconciler::detect_missed() {
  const auto now = now_ms();
  std::size_t total = 0;
  while (true) {
    auto missed = store_.claim_missed(now - options_.missed_after.count(), 1000);
    if (missed.empty()) break;
    std::vector<std::vector<std::string>> commands;
    for (const auto& j : missed) {
      logger_.warn("scheduled post missed its time", {{"target_id", j.target_id},
                                                      {"platform", j.platform},
                                                      {"due_ms", j.due_ms},
                                                      {"overdue_ms", now - j.due_ms}});
      commands.push_back(event_xadd(streams_.publishing_events,
                                    EventFacts{contracts::Outcome::kMissed, j.target_id, j.org_id, j.content_version,
                                               j.attempt, now, options_.worker, ""}));
    }
    {
      auto lease = redis_.lease();
      for (const auto& r : lease->pipeline(commands)) {
        if (r.is_error()) throw core::redis::ReplyError("scheduler: XADD missed event: " + r.str());
      }
    }
    missed_.inc(static_cast<double>(missed.size()));
    total += missed.size();
    if (missed.size() < 1000) break;
  }
  return total;
}

ReconcileReport Reconciler::run_once() {
  auto report = rebuild();
  report.missed = detect_missed();
  return report;
}

void Reconciler::start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void Reconciler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Reconciler::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      run_once();
    } catch (const std::exception& e) {
      logger_.warn("scheduler reconcile pass failed", {{"error", std::string(e.what())}});
    }
    lock.lock();
    wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

}  // namespace herald::scheduler
