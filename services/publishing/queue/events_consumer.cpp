#include "services/publishing/queue/events_consumer.hpp"

#include "services/contracts/publishing/messages.hpp"

namespace herald::publishing {

EventsConsumer::EventsConsumer(Posts& posts, core::redis::Options redis, std::string stream,
                               const core::log::Logger& log, ConsumerOptions options)
    : posts_(posts), client_(std::move(redis)), stream_(std::move(stream)), log_(log), options_(std::move(options)) {}

void EventsConsumer::ensure_group() { core::redis::ensure_group(client_, stream_, options_.group, "0"); }

ConsumerStats EventsConsumer::poll_once() {
  ConsumerStats stats;
  auto entries =
      core::redis::read_group(client_, options_.group, options_.consumer, {stream_}, options_.batch, options_.block);
  for (const auto& e : entries) handle(e, stats);
  return stats;
}

ConsumerStats EventsConsumer::reclaim_once() {
  ConsumerStats stats;
  auto result = core::redis::reclaim(client_, stream_, options_.group, options_.consumer, options_.reclaim_idle,
                                     options_.batch, options_.max_deliveries);
  for (const auto& d : result.dead_lettered) {
    log_.error("publishing event dead-lettered", {{"stream", stream_}, {"entry", d.id}, {"deliveries", d.deliveries}});
  }
  for (const auto& e : result.claimed) handle(e, stats);
  return stats;
}

void EventsConsumer::handle(const core::redis::StreamEntry& entry, ConsumerStats& stats) {
  contracts::Envelope envelope;
  try {
    const auto* payload = entry.field(contracts::kPayloadField);
    if (payload == nullptr) throw std::invalid_argument("no payload field");
    envelope = contracts::envelope_from_payload(*payload);
    contracts::target_event_from(envelope);  // validate before touching PostgreSQL
  } catch (const std::exception& e) {
    log_.warn("malformed publishing event acknowledged", {{"entry", entry.id}, {"error", std::string(e.what())}});
    core::redis::ack(client_, stream_, options_.group, {entry.id});
    ++stats.skipped;
    return;
  }
  try {
    auto r = posts_.apply_event(envelope);
    if (r.outcome == ApplyOutcome::kApplied) {
      ++stats.applied;
    } else {
      ++stats.skipped;
      log_.info("publishing event not applied",
                {{"event_id", envelope.id}, {"type", envelope.type}, {"reason", r.reason}});
    }
  } catch (const std::exception& e) {
    // Not acknowledged: delivered again after reclaim_idle (and dead-lettered after max_deliveries).
    ++stats.failed;
    log_.warn("publishing event failed; left pending",
              {{"event_id", envelope.id}, {"type", envelope.type}, {"error", std::string(e.what())}});
    return;
  }
  core::redis::ack(client_, stream_, options_.group, {entry.id});
}

}  // namespace herald::publishing
