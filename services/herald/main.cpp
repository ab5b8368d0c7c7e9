// herald: every module in one process — the embedded default a new user runs. Modules still
// talk through Redis streams, so one machine exercises the same paths as a cluster.
// Composition root only: config -> process -> modules -> run.
//
//   herald              serve: the whole HTTP API, and the background work of the modules named
//                       by HERALD_PROCESS_RUN (all by default; see core/config ProcessConfig)
//   herald migrate      apply every module's migrations, then exit (a deployment's migration job)
//   herald rotate-keys  re-encrypt every stored platform token under the current master key
//                       version (HERALD_SECURITY_MASTER_KEY="1:OLD,2:NEW"), then exit
#include <algorithm>
#include <cstring>
#include <iostream>
#include <string>

#include "adapters/worker/worker_module.hpp"
#include "herald/adapters/platforms.hpp"
#include "scheduler/scheduler_module.hpp"
#include "services/accounts/accounts_module.hpp"
#include "services/ads/ads_module.hpp"
#include "services/campaigns/campaigns_module.hpp"
#include "services/core/app/process.hpp"
#include "services/crisis/crisis_module.hpp"
#include "services/gateway/gateway_module.hpp"
#include "services/inbox/inbox_module.hpp"
#include "services/publishing/publishing_module.hpp"

int main(int argc, char** argv) {
  using namespace herald;  // NOLINT: composition root
  bool rotate = argc > 1 && std::strcmp(argv[1], "rotate-keys") == 0;
  bool migrate = argc > 1 && std::strcmp(argv[1], "migrate") == 0;
  if (argc > 2 || (argc > 1 && !rotate && !migrate)) {
    std::cerr << "usage: herald [migrate | rotate-keys]" << std::endl;
    return 2;
  }
  try {
    auto config = core::config::load(core::config::process_environment());
    core::Process process("herald", config,
                          {gateway::GatewayModule::schema(), accounts::AccountsModule::schema(),
                           publishing::PublishingModule::schema(), crisis::CrisisModule::schema(),
                           inbox::InboxModule::schema(), campaigns::CampaignsModule::schema(),
                           ads::AdsModule::schema(),
                           scheduler::SchedulerModule::schema(), worker::WorkerModule::schema()});
    if (migrate) {  // the Process applied them, under the advisory lock
      std::cout << "migrate: every module's schema is up to date" << std::endl;
      return 0;
    }
    gateway::GatewayModule gateway(process);
    accounts::AccountsModule accounts(process, gateway.identity());
    publishing::PublishingOptions publishing_options;
    publishing_options.policy.deadline_before_slot = config.publishing.approval_deadline;
    publishing::PublishingModule publishing(process, gateway.identity(), accounts.directory(), process.clock(),
                                            publishing_options);
    crisis::CrisisModule crisis(process, gateway.identity(), accounts.directory(), publishing.freeze_preview());
    scheduler::SchedulerOptions scheduler_options;
    scheduler_options.governor.scale = static_cast<double>(config.scheduler.governor_scale);
    scheduler::SchedulerModule scheduler(process, process.clock(), scheduler_options);
    adapters::Platforms platforms(
        adapters::PlatformsOptions{config.platforms.sandbox_file, config.platforms.sandbox_client_secret});
    worker::WorkerOptions worker_options;
    worker_options.threads = config.worker.threads;
    worker_options.sender.lease = config.worker.lease;
    worker_options.consumer.reclaim_idle = config.worker.lease + std::chrono::seconds(5);
    worker_options.consumer.reclaim_every = std::min<std::chrono::milliseconds>(config.worker.lease / 4,
                                                                                std::chrono::seconds(5));
    // Every platform call takes its tokens from the scheduler's rate/quota governor first.
    worker_options.governor = [&process, &governor = scheduler.governor()](const contracts::DispatchJob& job,
                                                                           std::int64_t now_ms) {
      auto redis = process.redis().lease();
      auto grant = governor.take(*redis, job.platform, job.account_id, "publish", now_ms);
      return worker::GovernorVerdict{grant.ok, grant.ok ? 0 : now_ms + grant.wait_ms};
    };
    worker::WorkerModule worker(process, accounts.directory(), platforms, process.clock(), worker_options);
    inbox::InboxModuleOptions inbox_options;
    inbox_options.inbox.first_response = config.inbox.first_response;
    inbox_options.sla_sweep = config.inbox.sla_sweep;
    inbox_options.poll.interval = config.inbox.poll_interval;
    inbox::InboxModule inbox(process, gateway.identity(), accounts.directory(), platforms, inbox_options);
    campaigns::CampaignsModule campaigns(process, gateway.identity(), accounts.directory(), crisis.freeze_control());
    ads::AdsModule ads(process, gateway.identity(), accounts.directory(), platforms);
    if (rotate) {
      auto r = accounts.rotate_keys();
      std::cout << "rotate-keys: " << r.resealed << " re-encrypted, " << r.already_current
                << " already under the current key, " << r.failed << " could not be opened" << std::endl;
      return r.failed == 0 ? 0 : 1;
    }
    gateway.bootstrap_first_admin();
    const auto& run = config.process;
    if (run.runs("accounts")) accounts.start_background();
    if (run.runs("crisis")) crisis.start_background();  // the fence first: nothing sends without one
    if (run.runs("publishing")) publishing.start_background();
    if (run.runs("scheduler")) scheduler.start_background();
    if (run.runs("worker")) worker.start_background();
    if (run.runs("inbox")) inbox.start_background();
    // Work a request leaves behind stays in the process that took it: the short-link click
    // buffer, an ad account asked to sync. Every process serves the API, so every one runs them.
    campaigns.start_background();
    ads.start_background(run.runs("ads"));  // the periodic re-reads only where "ads" runs
    std::string background;
    for (const auto& m : run.run) background += (background.empty() ? "" : ",") + m;
    process.logger().info("background work", {{"modules", background.empty() ? "none" : background}});
    return process.run();
  } catch (const core::config::ConfigError& e) {
    std::cerr << "herald: configuration error: " << e.what() << std::endl;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "herald: cannot start: " << e.what() << std::endl;
    return 1;
  }
}
