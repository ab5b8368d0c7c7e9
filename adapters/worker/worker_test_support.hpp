#pragma once
#include <algorithm>
// Shared by the worker's tests: a Sender wired to real Redis (unique key prefix), a FakeTransport,
// the real Mastodon adapter, a ManualClock, an in-memory ledger and a fixed directory.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/worker/sender.hpp"
#include "services/core/redis/options.hpp"
#include "services/core/redis/streams.hpp"
#include "tests/support/fake_transport.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/test_env.hpp"

namespace herald::worker::testing {

class MemoryLedger final : public AttemptLedger {
 public:
  void record(const AttemptRow& row) override {
    std::lock_guard lock(mutex);
    rows.push_back(row);
  }
  std::int64_t publish_calls(const std::string& target_id, std::int64_t content_version) override {
    std::lock_guard lock(mutex);
    return std::count_if(rows.begin(), rows.end(), [&](const AttemptRow& r) {
      return r.target_id == target_id && r.content_version == content_version && r.kind == "publish";
    });
  }
  std::mutex mutex;
  std::vector<AttemptRow> rows;
};

class FixedDirectory final : public contracts::AccountDirectory {
 public:
  std::optional<contracts::AccountRef> account(const std::string&, const std::string&) override { return {}; }
  std::optional<adapters::Credentials> credentials(const std::string& account_id) override {
    ++calls;
    auto it = accounts.find(account_id);
    if (it == accounts.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::string, adapters::Credentials> accounts;
  int calls = 0;
};

inline constexpr const char* kMastodonBase = "https://mastodon.test";

inline contracts::DispatchJob sample_job(const std::string& target = "t1") {
  contracts::DispatchJob j;
  j.target_id = target;
  j.post_id = "p1";
  j.org_id = "o1";
  j.brand_id = "b1";
  j.account_id = "a1";
  j.platform = "mastodon";
  j.campaign_id = "c1";
  j.tags = {"launch"};
  j.content_version = 3;
  j.due_at_ms = 1'800'000'000'000;
  j.attempt = 1;
  j.content.text = "Hello from Herald";
  j.marker = "hm-" + target;
  return j;
}

inline std::string status_json(const std::string& id, const std::string& text = "hi") {
  return nlohmann::json{{"id", id},
                        {"url", std::string(kMastodonBase) + "/@demo/" + id},
                        {"content", "<p>" + text + "</p>"},
                        {"created_at", "2027-01-15T08:00:00.000Z"}}
      .dump();
}

class WorkerRedis : public ::testing::Test {
 protected:
  WorkerRedis()
      : prefix_(herald::testing::unique_name("wk")),
        streams_(prefix_),
        keys_(prefix_),
        gate_(keys_),
        fence_(keys_),
        logger_("worker-test", [](std::string_view) {}) {
    directory_.accounts["a1"] = adapters::Credentials{"tok-secret-a1", "109", {}};
    fence_.ensure_loaded(redis_, 1, 0);
  }
  ~WorkerRedis() override {
    try {
      fence_.clear(redis_);
      std::vector<std::string> del{"DEL", streams_.publishing_events};
      for (const auto& p : adapters::platforms()) del.push_back(streams_.dispatch(p));
      redis_.command(del);
    } catch (...) {
    }
  }

  std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
  }

  Sender::Deps deps(core::redis::Client& redis, adapters::Transport& transport) {
    return Sender::Deps{redis,
                        transport,
                        clock_,
                        gate_,
                        directory_,
                        [](const std::string& p) {
                          adapters::Endpoint e;
                          e.base_url = kMastodonBase;
                          e.client_id = "cid";
                          e.client_secret = "cs";
                          return adapters::make_adapter(p, e);
                        },
                        ledger_,
                        logger_,
                        streams_,
                        governor_,
                        [this](const std::string& account_id) { forgotten_.push_back(account_id); }};
  }

  std::vector<std::string> forgotten_;  // accounts whose cached credentials the sender dropped

  Sender make_sender(const std::string& worker = "w1", SenderOptions o = {}) {
    if (!o.random01) o.random01 = [] { return 0.5; };
    return Sender(deps(redis_, transport_), worker, o);
  }

  struct Event {
    std::string id;
    contracts::TargetEvent event;
  };
  std::vector<Event> events() {
    std::vector<Event> out;
    auto r = redis_.checked({"XRANGE", streams_.publishing_events, "-", "+"});
    for (const auto& entry : r.elements()) {
      const auto& kv = entry.elements()[1].elements();
      for (std::size_t i = 0; i + 1 < kv.size(); i += 2) {
        if (kv[i].as_string() != contracts::kPayloadField) continue;
        auto env = contracts::envelope_from_payload(kv[i + 1].as_string());
        out.push_back({env.id, contracts::target_event_from(env)});
      }
    }
    return out;
  }
  std::vector<std::string> outcomes() {
    std::vector<std::string> out;
    for (const auto& e : events()) out.emplace_back(contracts::to_string(e.event.outcome));
    return out;
  }
  std::size_t posts() const {
    std::size_t n = 0;
    for (const auto& r : transport_.requests) n += r.method == "POST" ? 1 : 0;
    return n;
  }

  core::redis::Client redis_{core::redis::parse_url(herald::testing::redis_url())};
  std::string prefix_;
  contracts::StreamNames streams_;
  contracts::gate::FenceKeys keys_;
  contracts::gate::SendGate gate_;
  contracts::gate::Fence fence_;
  herald::testing::ManualClock clock_;
  herald::testing::FakeTransport transport_;
  FixedDirectory directory_;
  MemoryLedger ledger_;
  core::log::Logger logger_;
  Governor governor_;
};

}  // namespace herald::worker::testing
