#include "scheduler/scheduler_module.hpp"

#include <unistd.h>

#include "services/contracts/gate/send_gate.hpp"

namespace herald::scheduler {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

namespace {

std::string default_consumer_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return "scheduler-" + std::string(host[0] != '\0' ? host : "host") + "-" + std::to_string(getpid());
}

}  // namespace

core::DatabaseSchema SchedulerModule::schema() {
  return core::schema_from_embedded("scheduler", embedded::embedded_files());
}

SchedulerModule::SchedulerModule(core::Process& process, const core::Clock& clock, SchedulerOptions options)
    : process_(process), clock_(clock), options_(std::move(options)) {
  const auto& prefix = process.config().redis.key_prefix;
  if (options_.consumer.consumer.empty() || options_.consumer.consumer == "scheduler") {
    options_.consumer.consumer = default_consumer_name();
  }
  store_ = std::make_unique<JobStore>(process.pg());
  governor_ = std::make_unique<Governor>(prefix, options_.governor);
  dispatcher_ = std::make_unique<Dispatcher>(process.redis(), *store_, clock_, process.logger(), process.metrics(),
                                             prefix, options_.dispatcher);
  consumer_ = std::make_unique<CommandConsumer>(process.pg(), process.redis(), clock_, process.logger(),
                                                process.metrics(), prefix,
                                                [d = dispatcher_.get()](std::int64_t due) { d->notify(due); },
                                                options_.consumer);
  reconciler_ = std::make_unique<Reconciler>(*store_, process.redis(), *dispatcher_, clock_, process.logger(),
                                             process.metrics(), prefix, options_.reconciler);
}

SchedulerModule::~SchedulerModule() { stop(); }

void SchedulerModule::start_background() {
  const auto& prefix = process_.config().redis.key_prefix;
  process_.server().on_shutdown([this] { stop(); });
  consumer_->start();
  dispatcher_->start();
  reconciler_->start();  // its first pass runs now: the rebuild after a Redis loss
  started_ = true;
  process_.logger().info("scheduler started", {{"prefix", prefix}});
}

void SchedulerModule::stop() {
  if (consumer_) consumer_->stop();
  if (reconciler_) reconciler_->stop();
  if (dispatcher_) dispatcher_->stop();
}

}  // namespace herald::scheduler
