#include "adapters/worker/worker_module.hpp"

#include <unistd.h>

#include <algorithm>
#include <utility>

namespace herald::worker {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

core::DatabaseSchema WorkerModule::schema() { return core::schema_from_embedded("worker", embedded::embedded_files()); }

std::string worker_name(int index) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::string h(host);
  std::replace(h.begin(), h.end(), '|', '_');
  if (h.empty()) h = "worker";
  return h + ":" + std::to_string(getpid()) + ":" + std::to_string(index);
}

WorkerModule::WorkerModule(core::Process& process, contracts::AccountDirectory& directory,
                           adapters::Platforms& platforms, const core::Clock& clock, WorkerOptions options)
    : process_(process),
      platforms_(platforms),
      clock_(clock),
      options_(std::move(options)),
      streams_(process.config().redis.key_prefix),
      gate_(contracts::gate::FenceKeys(process.config().redis.key_prefix)),
      credentials_(std::make_unique<CredentialCache>(directory, clock, options_.credentials_ttl)),
      ledger_(std::make_unique<PgAttemptLedger>(process.pg())) {
  options_.threads = std::max(options_.threads, 1);
}

WorkerModule::~WorkerModule() { stop(); }

void WorkerModule::start_background() {
  process_.server().on_shutdown([this] { stopping_ = true; });
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this, i] { run_thread(i); });
  process_.logger().info("adapter workers started", {{"threads", options_.threads}});
}

void WorkerModule::stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerModule::run_thread(int index) {
  const std::string name = worker_name(index);
  core::redis::Client redis(process_.redis().options());
  adapters::HttplibTransport transport(options_.transport);
  auto logger = process_.logger().with({{"worker", name}});
  Sender sender(Sender::Deps{redis, transport, clock_, gate_, *credentials_,
                             [this](const std::string& p) { return platforms_.adapter(p); }, *ledger_, logger,
                             streams_, options_.governor,
                             [this](const std::string& account_id) { credentials_->forget(account_id); }},
                name, options_.sender);
  std::vector<std::string> streams;
  for (const auto& p : adapters::platforms()) streams.push_back(streams_.dispatch(p));
  Consumer consumer(redis, sender, std::move(streams), name, clock_, logger, options_.consumer);
  consumer.run(stopping_);
}

}  // namespace herald::worker
