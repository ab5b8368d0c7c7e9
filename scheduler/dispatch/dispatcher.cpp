#include "scheduler/dispatch/dispatcher.hpp"

#include <algorithm>
#include <limits>

#include "scheduler/events.hpp"
#include "services/core/metrics/buckets.hpp"

namespace herald::scheduler {

using namespace std::chrono_literals;

Dispatcher::Dispatcher(core::redis::Pool& redis, JobStore& store, const core::Clock& clock, core::log::Logger& logger,
                       core::metrics::Registry& metrics, std::string prefix, DispatcherOptions options)
    : redis_(redis),
      store_(store),
      clock_(clock),
      logger_(logger),
      streams_(prefix),
      due_(prefix),
      options_(std::move(options)),
      dispatched_(metrics.counter("herald_scheduler_dispatched_total", "Jobs put on their platform stream")),
      held_(metrics.counter("herald_scheduler_held_total", "Due jobs held by a freeze")),
      failures_(metrics.counter("herald_scheduler_dispatch_failures_total", "Dispatcher passes that failed")),
      lateness_(metrics.histogram("herald_scheduler_dispatch_lateness_seconds",
                                  "From a job's due instant to its claim by the dispatcher",
                                  core::metrics::kLatencySecondsBuckets)) {}

Dispatcher::~Dispatcher() { stop(); }

std::int64_t Dispatcher::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
}

PassReport Dispatcher::dispatch_due() {
  const auto now = now_ms();
  auto lease = redis_.lease();
  auto batch = due_.claim(*lease, now, options_.batch);
  PassReport report;
  report.fence_absent = batch.fence_absent;
  report.next_due_ms = batch.next_due_ms;
  report.more = batch.claimed.size() >= options_.batch;
  if (batch.claimed.empty()) return report;
  emit(*lease, batch.claimed, now);
  for (const auto& c : batch.claimed) {
    (c.held ? report.held : report.dispatched)++;
    lateness_.observe(static_cast<double>(now - c.due_ms) / 1000.0);
  }
  dispatched_.inc(static_cast<double>(report.dispatched));
  held_.inc(static_cast<double>(report.held));
  {
    std::lock_guard lock(marks_mutex_);
    for (auto& c : batch.claimed) {
      marks_.push_back(Settled{std::move(c.target_id), c.content_version, c.attempt, c.held, std::move(c.scope), now});
    }
  }
  marks_ready_.notify_one();
  return report;
}

// The events carry deterministic ids ("dispatched:<job key>"), so a report repeated by the
// reconciler after a crash is de-duplicated by publishing.
void Dispatcher::emit(core::redis::Client& redis, const std::vector<Claimed>& claimed, std::int64_t now) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(claimed.size());
  for (const auto& c : claimed) {
    commands.push_back(event_xadd(
        streams_.publishing_events,
        EventFacts{c.held ? contracts::Outcome::kHeld : contracts::Outcome::kDispatched, c.target_id, c.org_id,
                   c.content_version, c.attempt, now, options_.worker, c.scope}));
  }
  for (const auto& r : redis.pipeline(commands)) {
    if (r.is_error()) throw core::redis::ReplyError("scheduler: XADD event: " + r.str());
  }
}

void Dispatcher::settle(const std::vector<Claimed>& claimed, std::int64_t now) {
  if (claimed.empty()) return;
  {
    auto lease = redis_.lease();
    emit(*lease, claimed, now);
  }
  std::vector<Settled> settled;
  for (const auto& c : claimed) {
    settled.push_back(Settled{c.target_id, c.content_version, c.attempt, c.held, c.scope, now});
  }
  store_.mark_settled(settled, now);
}

std::size_t Dispatcher::flush_marks() {
  std::vector<Settled> batch;
  {
    std::lock_guard lock(marks_mutex_);
    batch.swap(marks_);
  }
  if (batch.empty()) return 0;
  try {
    return store_.mark_settled(batch, now_ms());
  } catch (...) {
    // Put them back (in front) for the next flush; the settled marks in Redis keep the
    // reconciler from re-adding them meanwhile.
    std::lock_guard lock(marks_mutex_);
    marks_.insert(marks_.begin(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
    throw;
  }
}

void Dispatcher::notify(std::int64_t due_ms) {
  std::lock_guard lock(mutex_);
  if (due_ms < next_wake_ms_) {
    poked_ = true;
    wake_.notify_one();
  }
}

void Dispatcher::start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  {
    std::lock_guard lock(marks_mutex_);
    marks_stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
  marks_thread_ = std::thread([this] { run_marks(); });
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(marks_mutex_);
    marks_stopping_ = true;
  }
  marks_ready_.notify_all();
  if (marks_thread_.joinable()) marks_thread_.join();
}

void Dispatcher::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // A command arriving during the pass pokes (any due time is "before" the unknown wake-up),
    // so the wait below returns at once and the next pass sees it.
    poked_ = false;
    next_wake_ms_ = std::numeric_limits<std::int64_t>::max();
    lock.unlock();
    std::chrono::microseconds wait = options_.idle_wait;
    bool again = false;
    try {
      auto report = dispatch_due();
      if (report.more) {
        again = true;
      } else if (report.fence_absent) {
        wait = options_.fence_absent_wait;
      } else if (report.next_due_ms) {
        // Until the earliest due instant, to the microsecond (never before it).
        auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(clock_.now().time_since_epoch());
        auto until = std::chrono::microseconds(*report.next_due_ms * 1000) - now_us;
        wait = std::clamp<std::chrono::microseconds>(until, 0us, options_.idle_wait);
        if (wait == 0us) again = true;
      }
    } catch (const std::exception& e) {
      failures_.inc();
      logger_.warn("scheduler dispatch pass failed", {{"error", std::string(e.what())}});
      wait = options_.error_wait;
    }
    lock.lock();
    if (again) continue;
    next_wake_ms_ = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(wait).count();
    wake_.wait_until(lock, clock_.steady_now() + wait, [this] { return stopping_ || poked_; });
  }
}

void Dispatcher::run_marks() {
  std::unique_lock lock(marks_mutex_);
  while (true) {
    marks_ready_.wait_for(lock, 1s, [this] { return marks_stopping_ || !marks_.empty(); });
    bool last = marks_stopping_;
    lock.unlock();
    try {
      flush_marks();
    } catch (const std::exception& e) {
      failures_.inc();
      logger_.warn("scheduler could not record dispatched jobs", {{"error", std::string(e.what())}});
      std::this_thread::sleep_for(options_.error_wait);
    }
    lock.lock();
    if (last && marks_.empty()) return;
    if (last) return;  // PostgreSQL is failing at shutdown: the reconciler settles them at next start
  }
}

}  // namespace herald::scheduler
