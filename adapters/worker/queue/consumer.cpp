#include "adapters/worker/queue/consumer.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace herald::worker {

Consumer::Consumer(core::redis::Client& redis, Sender& sender, std::vector<std::string> streams, std::string name,
                   const core::Clock& clock, const core::log::Logger& logger, ConsumerOptions options)
    : redis_(redis),
      sender_(sender),
      streams_(std::move(streams)),
      name_(std::move(name)),
      clock_(clock),
      logger_(logger),
      options_(options) {}

void Consumer::ensure_groups() {
  for (const auto& s : streams_) core::redis::ensure_group(redis_, s, kWorkersGroup, "0");
}

void Consumer::dead_letter(const core::redis::StreamEntry& entry, const std::string& why) {
  auto fields = entry.fields;
  fields.emplace_back(std::string(core::redis::kDeadFromIdField), entry.id);
  fields.emplace_back(std::string(core::redis::kDeadDeliveriesField), std::to_string(entry.deliveries));
  fields.emplace_back("dead_reason", why);
  core::redis::xadd(redis_, core::redis::dead_letter_stream(entry.stream), fields);
  core::redis::ack(redis_, entry.stream, kWorkersGroup, {entry.id});
  ++stats_.dead;
}

void Consumer::apply(const std::string& stream, const std::string& id, const contracts::DispatchJob& job,
                     int tries) {
  ++stats_.handled;
  Handling h;
  try {
    h = sender_.handle(job);
  } catch (const std::exception& e) {
    // Redis or the account directory failed mid-way: nothing is acknowledged; the gate's lease
    // (if taken) keeps the key from being sent twice. Try again shortly.
    ++stats_.errors;
    logger_.warn("send failed before it settled", {{"target_id", job.target_id}, {"error", std::string(e.what())}});
    h.disposition = Disposition::kRetrySoon;
  }
  switch (h.disposition) {
    case Disposition::kAck:
      core::redis::ack(redis_, stream, kWorkersGroup, {id});
      ++stats_.acked;
      break;
    case Disposition::kRetrySoon:
      // Doubling, so a key another worker holds for a whole lease is not asked about every 0.5 s.
      parked_.push_back(Parked{stream, id, job, clock_.steady_now() + options_.retry_soon * (1 << std::min(tries, 5)),
                               tries + 1});
      ++stats_.parked;
      break;
    case Disposition::kLeave: ++stats_.left; break;
  }
}

void Consumer::process(const core::redis::StreamEntry& entry) {
  // A parked copy of an entry that was reclaimed is superseded by this delivery.
  std::erase_if(parked_, [&](const Parked& p) { return p.id == entry.id && p.stream == entry.stream; });
  const auto* payload = entry.field(contracts::kPayloadField);
  contracts::DispatchJob job;
  try {
    if (payload == nullptr) throw std::invalid_argument("no payload field");
    auto env = contracts::envelope_from_payload(*payload);
    job = contracts::dispatch_job_from_json(env.data);
  } catch (const std::exception& e) {
    ++stats_.malformed;
    logger_.error("malformed dispatch entry moved to the dead-letter stream",
                  {{"stream", entry.stream}, {"id", entry.id}, {"error", std::string(e.what())}});
    dead_letter(entry, std::string("malformed: ") + e.what());
    return;
  }
  apply(entry.stream, entry.id, job);
}

std::size_t Consumer::reclaim_now(std::chrono::milliseconds min_idle) {
  std::size_t n = 0;
  for (const auto& stream : streams_) {
    std::string cursor = "0-0";
    do {
      auto r = core::redis::reclaim(redis_, stream, kWorkersGroup, name_, min_idle, options_.batch,
                                    options_.max_deliveries, cursor);
      for (const auto& d : r.dead_lettered) {
        ++stats_.dead;
        logger_.error("dispatch entry delivered too often: moved to the dead-letter stream",
                      {{"stream", stream}, {"id", d.id}, {"deliveries", d.deliveries}});
      }
      for (const auto& e : r.claimed) {
        ++stats_.reclaimed;
        process(e);
        ++n;
      }
      cursor = r.next_cursor;
    } while (cursor != "0-0" && !cursor.empty());
  }
  return n;
}

std::size_t Consumer::poll_once() {
  std::size_t n = 0;
  auto now = clock_.steady_now();
  if (!parked_.empty()) {
    std::vector<Parked> due;
    auto split = std::stable_partition(parked_.begin(), parked_.end(), [&](const Parked& p) { return p.due > now; });
    due.assign(std::make_move_iterator(split), std::make_move_iterator(parked_.end()));
    parked_.erase(split, parked_.end());
    for (const auto& p : due) {
      apply(p.stream, p.id, p.job, p.tries);
      ++n;
    }
  }
  if (now >= next_reclaim_) {
    next_reclaim_ = now + options_.reclaim_every;
    n += reclaim_now(options_.reclaim_idle);
  }
  auto block = options_.block;
  if (!parked_.empty() && block.count() > 0) {
    auto soonest = std::min_element(parked_.begin(), parked_.end(),
                                    [](const Parked& a, const Parked& b) { return a.due < b.due; })->due;
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - clock_.steady_now());
    block = std::clamp(wait, std::chrono::milliseconds{1}, block);
  }
  auto entries = core::redis::read_group(redis_, kWorkersGroup, name_, streams_, options_.batch, block);
  for (const auto& e : entries) {
    process(e);
    ++n;
  }
  return n;
}

void Consumer::run(const std::atomic<bool>& stopping) {
  bool grouped = false;
  while (!stopping.load()) {
    try {
      if (!grouped) {
        ensure_groups();
        grouped = true;
      }
      poll_once();
    } catch (const std::exception& e) {
      ++stats_.errors;
      logger_.warn("worker round failed; retrying", {{"consumer", name_}, {"error", std::string(e.what())}});
      for (int i = 0; i < 10 && !stopping.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
  }
}

}  // namespace herald::worker
