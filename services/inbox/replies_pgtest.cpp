// The reply sender against real PostgreSQL and Redis (the send gate), with a scripted adapter in
// place of a platform: a reply goes out once with its idempotency key and is filed as an outbound
// item; a retryable error queues it again; an unknown outcome is never resent; a freeze holds an
// automated reply but not one a person wrote; and without a fence nothing is sent.
#include "services/inbox/replies.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "services/core/redis/options.hpp"
#include "services/inbox/inbox_module.hpp"
#include "tests/support/fake_iam.hpp"
#include "tests/support/service_db.hpp"
#include "tests/support/test_env.hpp"

namespace herald::inbox {
namespace {

using contracts::gate::Fence;
using contracts::gate::FenceKeys;
using herald::testing::kBrand;
using herald::testing::kOrg;
using herald::testing::kX;
using herald::testing::principal;

// Answers reply() from a script and remembers every call.
class ScriptedAdapter final : public adapters::Adapter {
 public:
  struct Call {
    std::string item_id, text, idempotency_key;
  };
  ScriptedAdapter(std::deque<adapters::Result<std::string>>& script, std::vector<Call>& calls)
      : Adapter(adapters::Endpoint{}), script_(script), calls_(calls) {
    caps_.platform = "x";
  }
  [[nodiscard]] const adapters::Capabilities& capabilities() const override { return caps_; }
  [[nodiscard]] std::string authorize_url(const adapters::AuthorizeRequest&) const override { return ""; }
  adapters::Result<adapters::TokenSet> exchange_code(adapters::Transport&, const std::string&, const std::string&,
                                                     const std::string&) override {
    return adapters::unsupported("exchange_code");
  }
  adapters::Result<adapters::AccountProfile> fetch_profile(adapters::Transport&, const adapters::Credentials&) override {
    return adapters::unsupported("fetch_profile");
  }
  adapters::Result<adapters::PublishedPost> publish(adapters::Transport&, const adapters::Credentials&,
                                                    const adapters::PostContent&) override {
    return adapters::unsupported("publish");
  }
  adapters::Result<std::string> reply(adapters::Transport&, const adapters::Credentials&,
                                      const adapters::InboundItem& to, const std::string& text,
                                      const std::string& key) override {
    calls_.push_back({to.platform_item_id, text, key});
    auto r = script_.front();
    script_.pop_front();
    return r;
  }

 private:
  adapters::Capabilities caps_;
  std::deque<adapters::Result<std::string>>& script_;
  std::vector<Call>& calls_;
};

class NoTransport final : public adapters::Transport {
 public:
  adapters::HttpResponse send(const adapters::HttpRequest&) override { throw std::logic_error("no calls here"); }
};

class Accounts final : public contracts::AccountDirectory {
 public:
  std::optional<contracts::AccountRef> account(const std::string& org, const std::string& id) override {
    return fake_.account(org, id);
  }
  std::optional<adapters::Credentials> credentials(const std::string&) override {
    return adapters::Credentials{"token", "pid", {}};
  }
  herald::testing::FakeDirectory fake_;
};

class ReplySenderLive : public ::testing::Test {
 protected:
  ReplySenderLive()
      : db_(InboxModule::schema()),
        redis_(core::redis::parse_url(herald::testing::redis_url()), 2),
        keys_(herald::testing::unique_name("inbox")),
        sender_(db_.pool(), redis_, directory_,
                [this](const std::string&) { return std::make_unique<ScriptedAdapter>(script_, calls_); },
                transport_, inbox_, contracts::gate::SendGate(keys_)) {
    auto l = redis_.lease();
    Fence(keys_).ensure_loaded(*l, 1, 0);
  }
  ~ReplySenderLive() override {
    auto l = redis_.lease();
    Fence(keys_).clear(*l);
  }

  // A thread with one comment, and a queued reply to it; returns the thread id.
  std::int64_t thread_with_reply(const std::string& item, const std::string& text) {
    adapters::InboundItem c;
    c.platform_item_id = item;
    c.platform_post_id = "post-" + item;  // one thread per item
    c.author_id = "fan";
    c.text = "Question?";
    inbox_.ingest(*directory_.account(kOrg, kX), {c});
    auto list = inbox_.list(agent_, {});
    for (const auto& t : list["items"]) {
      auto id = t["id"].get<std::int64_t>();
      auto full = inbox_.get(agent_, id);
      for (const auto& i : full["items"]) {
        if (i["platform_item_id"] == item) {
          inbox_.reply(agent_, id, {text, std::nullopt, false, std::nullopt});
          return id;
        }
      }
    }
    ADD_FAILURE() << "no thread for " << item << ": " << inbox_.list(agent_, {}).dump();
    return 0;
  }
  nlohmann::json reply_of(std::int64_t thread) { return inbox_.get(agent_, thread)["replies"].back(); }
  void make_due() {
    db_.pool().transact([](pqxx::work& tx) { tx.exec("UPDATE inbox_replies SET next_attempt_at = now()"); });
  }

  herald::testing::ServiceDb db_;
  core::redis::Pool redis_;
  FenceKeys keys_;
  herald::testing::FakeIdentity identity_;
  Accounts directory_;
  Inbox inbox_{db_.pool(), identity_};
  NoTransport transport_;
  std::deque<adapters::Result<std::string>> script_;
  std::vector<ScriptedAdapter::Call> calls_;
  ReplySender sender_;
  iam::Principal agent_ = principal("1", "community_manager");
};

TEST_F(ReplySenderLive, AReplyGoesOutOnceAndIsFiledAsAnOutboundItem) {
  auto t = thread_with_reply("c1", "Thanks!");
  script_.push_back(std::string("r-1"));
  EXPECT_EQ(sender_.run_once(1000), 1);
  EXPECT_EQ(sender_.run_once(1000), 0);  // nothing left
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_EQ(calls_[0].item_id, "c1");
  EXPECT_EQ(calls_[0].text, "Thanks!");
  EXPECT_FALSE(calls_[0].idempotency_key.empty());
  auto r = reply_of(t);
  EXPECT_EQ(r["status"], "sent");
  EXPECT_EQ(r["platform_reply_id"], "r-1");
  auto items = inbox_.get(agent_, t)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1]["direction"], "out");
  // Forced back to queued (as a bug or a restore might), the gate still refuses a second send.
  db_.pool().transact([](pqxx::work& tx) { tx.exec("UPDATE inbox_replies SET status = 'queued'"); });
  sender_.run_once(1000);
  EXPECT_EQ(calls_.size(), 1u);
  EXPECT_EQ(reply_of(t)["status"], "unknown");
}

TEST_F(ReplySenderLive, RetryableErrorsQueueAgainAndAnUnknownOutcomeIsNeverResent) {
  auto t = thread_with_reply("c1", "On it");
  script_.push_back(adapters::Error{adapters::ErrorClass::kRetryable, "503", "unavailable", 503, std::nullopt});
  sender_.run_once(1000);
  EXPECT_EQ(reply_of(t)["status"], "queued");
  EXPECT_EQ(reply_of(t)["attempts"], 1);
  EXPECT_EQ(sender_.run_once(1000), 0);  // not due yet: it waits before the next attempt
  make_due();
  script_.push_back(adapters::Error{adapters::ErrorClass::kUnknownOutcome, "timeout", "timed out", 0, std::nullopt});
  sender_.run_once(2000);
  EXPECT_EQ(reply_of(t)["status"], "unknown");
  make_due();
  sender_.run_once(3000);
  EXPECT_EQ(calls_.size(), 2u);  // never a third call
}

TEST_F(ReplySenderLive, AFreezeHoldsAutomatedRepliesButNotPeopleAndNoFenceMeansNoSend) {
  auto person = thread_with_reply("c1", "A person's answer");
  auto bot = thread_with_reply("c2", "An automated answer");
  db_.pool().transact([&](pqxx::work& tx) {
    tx.exec("UPDATE inbox_replies SET automated = true WHERE thread_id = " + std::to_string(bot));
  });
  {
    auto l = redis_.lease();
    Fence(keys_).publish(*l, 2, {"brand:" + kBrand}, 0);
  }
  script_.push_back(std::string("r-person"));
  sender_.run_once(1000);
  EXPECT_EQ(reply_of(person)["status"], "sent");
  EXPECT_EQ(reply_of(bot)["status"], "held");
  EXPECT_EQ(calls_.size(), 1u);

  auto third = thread_with_reply("c3", "Later");
  {
    auto l = redis_.lease();
    Fence(keys_).clear(*l);  // Redis lost the fence: fail closed
  }
  sender_.run_once(1000);
  EXPECT_EQ(calls_.size(), 1u);
  EXPECT_EQ(reply_of(third)["status"], "queued");
}

}  // namespace
}  // namespace herald::inbox
