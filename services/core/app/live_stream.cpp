#include "services/core/app/live_stream.hpp"

#include "services/core/crypto/random.hpp"
#include "services/core/redis/client.hpp"
#include "services/core/redis/error.hpp"
#include "services/core/redis/streams.hpp"

namespace herald::core {

namespace {
constexpr std::size_t kReadCount = 256;
constexpr std::size_t kWriteBatch = 256;
}  // namespace

LiveStream::LiveStream(LiveStreamOptions options, http::WebSocketHub& hub, log::Logger& logger,
                       metrics::Registry& metrics)
    : options_(std::move(options)),
      hub_(hub),
      logger_(logger),
      stream_(options_.key_prefix + ":live"),
      origin_(crypto::random_token(8)),
      relayed_in_(metrics.counter("herald_live_relayed_in_total",
                                  "Live updates from other processes handed to this process's WebSocket clients")),
      relayed_out_(metrics.counter("herald_live_relayed_out_total",
                                   "Live updates of this process written to the shared live stream")),
      dropped_(metrics.counter("herald_live_dropped_total",
                               "Live updates not written to the shared live stream (Redis unreachable, queue full)")) {}

LiveStream::~LiveStream() { stop(); }

void LiveStream::publish(const std::string& scope, std::string text) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kMaxQueued) {
      queue_.pop_front();
      dropped_.inc();
    }
    queue_.emplace_back(scope, text);
  }
  wake_.notify_all();
  hub_.publish(scope, std::move(text));
}

void LiveStream::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  reader_ = std::thread([this] { read_loop(); });
  writer_ = std::thread([this] { write_loop(); });
}

void LiveStream::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (reader_.joinable()) reader_.join();  // returns within one XREAD BLOCK
}

bool LiveStream::reading() const {
  std::lock_guard lock(mutex_);
  return reading_;
}

bool LiveStream::sleep_unless_stopping(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, d, [this] { return stopping_; });
}

void LiveStream::read_loop() {
  redis::Client client(options_.redis);
  std::string after;  // the last entry seen; empty until the start point is known
  bool failing = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      if (after.empty()) {
        after = redis::last_id(client, stream_);
        std::lock_guard lock(mutex_);
        reading_ = true;
      }
      auto entries = redis::read_after(client, stream_, after, kReadCount, options_.block);
      if (failing) {
        logger_.info("live stream: reading again", {{"stream", stream_}});
        failing = false;
      }
      for (auto& e : entries) {
        after = e.id;
        const std::string* origin = e.field("origin");
        const std::string* scope = e.field("scope");
        const std::string* text = e.field("text");
        if (origin == nullptr || scope == nullptr || text == nullptr || *origin == origin_) continue;
        hub_.publish(*scope, *text);
        relayed_in_.inc();
      }
    } catch (const std::exception& ex) {
      if (!failing) {
        logger_.warn("live stream: cannot read; other processes' updates wait until Redis answers",
                     {{"stream", stream_}, {"error", ex.what()}});
        failing = true;
      }
      if (!sleep_unless_stopping(options_.retry)) return;
    }
  }
}

void LiveStream::write_loop() {
  redis::Client client(options_.redis);
  bool failing = false;
  for (;;) {
    std::vector<std::pair<std::string, std::string>> batch;
    bool last_round = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      last_round = stopping_;
      while (!queue_.empty() && batch.size() < kWriteBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (last_round && batch.empty()) return;
    }
    std::vector<std::vector<std::string>> commands;
    commands.reserve(batch.size());
    const std::string maxlen = std::to_string(options_.max_length);
    for (auto& [scope, text] : batch) {
      commands.push_back({"XADD", stream_, "MAXLEN", "~", maxlen, "*", "origin", origin_, "scope", std::move(scope),
                          "text", std::move(text)});
    }
    try {
      auto replies = client.pipeline(commands);
      std::size_t written = 0;
      for (const auto& r : replies) {
        if (!r.is_error()) ++written;
      }
      relayed_out_.inc(static_cast<double>(written));
      if (written < replies.size()) dropped_.inc(static_cast<double>(replies.size() - written));
      if (failing) {
        logger_.info("live stream: writing again", {{"stream", stream_}});
        failing = false;
      }
    } catch (const std::exception& ex) {
      // Not retried: a pipeline cut halfway may have written part of it, and a live update is
      // only a hint (clients refetch on reconnect); other processes miss these.
      dropped_.inc(static_cast<double>(commands.size()));
      if (!failing) {
        logger_.warn("live stream: cannot write; other processes' clients miss updates until Redis answers",
                     {{"stream", stream_}, {"error", ex.what()}});
        failing = true;
      }
      if (!last_round && !sleep_unless_stopping(options_.retry)) return;
    }
    if (last_round) {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) return;
    }
  }
}

}  // namespace herald::core
