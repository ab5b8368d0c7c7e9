#include "adapters/worker/worker_module.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "adapters/worker/sender.hpp"

namespace herald::worker {
namespace {

TEST(WorkerModule, WorkerNamesAreUniquePerThreadAndSafeForTheGate) {
  auto a = worker_name(0);
  auto b = worker_name(1);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find('|'), std::string::npos);
  EXPECT_NE(a.find(":" + std::to_string(getpid()) + ":0"), std::string::npos);
}

TEST(WorkerModule, PostContentCarriesTheJobAsApproved) {
  contracts::DispatchJob j;
  j.target_id = "t1";
  j.content_version = 4;
  j.content.text = "hi";
  j.content.thread = {"two", "three"};
  j.content.first_comment = "fc";
  j.content.link = "https://example.com";
  contracts::MediaRef m;
  m.kind = "video";
  m.url = "https://cdn.example.com/v.mp4";
  m.mime_type = "video/mp4";
  m.duration_s = 12.5;
  j.content.media.push_back(m);
  j.marker = "mk";
  auto c = post_content(j);
  EXPECT_EQ(c.text, "hi");
  EXPECT_EQ(c.thread, (std::vector<std::string>{"two", "three"}));
  EXPECT_EQ(c.first_comment, "fc");
  EXPECT_EQ(c.link, "https://example.com");
  ASSERT_EQ(c.media.size(), 1U);
  EXPECT_EQ(c.media[0].kind, adapters::Media::Kind::kVideo);
  EXPECT_EQ(c.media[0].duration_s, 12.5);
  EXPECT_EQ(c.client_marker, "mk");
  EXPECT_EQ(c.idempotency_key, "t1:4");
}

TEST(WorkerModule, SendScopeIsTheJobsScopeWithTheExemptionLane) {
  contracts::DispatchJob j;
  j.brand_id = "b";
  j.platform = "x";
  j.account_id = "a";
  j.campaign_id = "c";
  j.tags = {"t"};
  j.crisis_statement = true;
  auto s = send_scope(j);
  EXPECT_EQ(contracts::gate::scope_keys(s),
            (std::vector<std::string>{"all", "brand:b", "platform:x", "account:a", "campaign:c", "tag:t"}));
  EXPECT_TRUE(s.exempt);
}

}  // namespace
}  // namespace herald::worker
