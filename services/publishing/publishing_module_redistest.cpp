// PublishingModule wired into a real core::Process (PostgreSQL in its own schema, Redis under its
// own key prefix): the background relay delivers what an approval wrote to the scheduler's
// command stream without being asked, and the events consumer applies the pipeline's results.
#include <gtest/gtest.h>

#include "services/core/crypto/encoding.hpp"
#include "services/core/http/test_server_fixture.hpp"
#include "services/core/redis/streams.hpp"
#include "services/publishing/publishing_module.hpp"
#include "services/publishing/testing/fixture.hpp"

namespace herald::publishing {
namespace {

using namespace testing;  // NOLINT: the fixture's constants and fakes

TEST(PublishingModule, RelaysApprovedWorkAndAppliesEventsInTheBackground) {
  herald::testing::PgSchema schema;
  core::config::Config cfg;
  cfg.pg.url = herald::testing::pg_url() + "?options=-csearch_path%3D" + schema.name();
  cfg.redis.url = herald::testing::redis_url();
  cfg.redis.key_prefix = herald::testing::unique_name("pubmod");
  cfg.security.master_key = core::crypto::base64_encode(std::string(32, 'k'));
  cfg.security.blocking_threads = 2;
  cfg.http.port = 0;
  core::Process process("publishing-test", cfg, {PublishingModule::schema()});
  FakeIdentity identity;
  FakeDirectory directory;
  herald::testing::ManualClock clock;
  PublishingOptions options;
  options.consumer.block = std::chrono::milliseconds(50);
  auto module = std::make_unique<PublishingModule>(process, identity, directory, clock, options);
  module->start_background();

  auto author = principal("1", "content_planner");
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
  PostInput in;
  in.brand_id = kBrand;
  Variant v;
  v.account_id = kMastodon;
  v.text = "hello";
  in.variants = {v};
  in.slot = Slot{now_ms + 3'600'000, "UTC"};
  auto& posts = module->posts();
  auto post = posts.create(author, in);
  posts.submit(author, post.post.id);
  posts.decide(principal("2", "social_media_manager"), post.post.id, Verdict::kApprove, "", std::nullopt);
  auto done = posts.decide(principal("3", "legal_reviewer"), post.post.id, Verdict::kApprove, "", std::nullopt);
  ASSERT_EQ(done.targets.at(0).state, State::kScheduled);

  contracts::StreamNames streams(cfg.redis.key_prefix);
  core::redis::Client client(core::redis::parse_url(cfg.redis.url));
  core::redis::ensure_group(client, streams.scheduler_commands, "reader", "0");
  std::vector<core::redis::StreamEntry> got;
  EXPECT_TRUE(core::http::testing::eventually([&] {
    for (auto& e : core::redis::read_group(client, "reader", "r", {streams.scheduler_commands}, 0,
                                           std::chrono::milliseconds(0))) {
      got.push_back(std::move(e));
    }
    return !got.empty();
  }));
  ASSERT_EQ(got.size(), 1U);
  auto job = contracts::dispatch_job_from_json(
      contracts::envelope_from_payload(*got[0].field(contracts::kPayloadField)).data);
  EXPECT_EQ(job.target_id, done.targets[0].id);

  contracts::TargetEvent e;
  e.outcome = contracts::Outcome::kPublished;
  e.target_id = job.target_id;
  e.org_id = job.org_id;
  e.platform_post_id = "42";
  core::redis::xadd(client, streams.publishing_events, contracts::to_fields(contracts::to_envelope(e, "ev-1", 1)));
  EXPECT_TRUE(core::http::testing::eventually(
      [&] { return posts.get(author, post.post.id).targets.at(0).state == State::kPublished; },
      std::chrono::milliseconds(5000)));
  module.reset();  // stops and joins the background threads
}

}  // namespace
}  // namespace herald::publishing
