// The posts API over HTTP (a real Server on loopback, real PostgreSQL): status codes, problem
// documents naming the field and the account, ETag / If-Match, and the refusals that keep
// unapproved work away from the scheduler.
#include <gtest/gtest.h>

#include "services/core/app/idempotency.hpp"
#include "services/core/crypto/keyring.hpp"
#include "services/core/http/blocking_pool.hpp"
#include "services/core/http/test_server_fixture.hpp"
#include "services/publishing/api/context.hpp"
#include "services/publishing/testing/fixture.hpp"

namespace herald::publishing {
namespace {

namespace ht = core::http::testing;
using verb = boost::beast::http::verb;
using testing::kBrand;
using testing::kMastodon;
using testing::kX;

class PostsApi : public testing::PublishingTest {
 protected:
  core::crypto::KeyRing keyring_{{{1, std::string(32, 'k')}}, 1};
  core::BlockingPool blocking_{2};
  core::Idempotency idempotency_{*pool_, blocking_, keyring_};
  PublishingContext ctx_{posts_, blocking_, identity_, idempotency_};
  ht::TestServer server_;

  void SetUp() override {
    for (const auto* p : {&author_, &manager_, &legal_, &viewer_}) identity_.add_user(*p);
    register_post_routes(server_.router, ctx_);
    server_.start();
  }

  core::http::Response call(verb method, const std::string& target, const iam::Principal& who,
                            const nlohmann::json& body = nullptr, ht::Headers headers = {}) {
    ht::HttpClient client(server_.port());
    headers.emplace_back("X-Test-User", who.user_id);
    std::string text;
    if (!body.is_null()) {
      headers.emplace_back("Content-Type", "application/json");
      text = body.dump();
    }
    return client.request(method, target, headers, text);
  }

  static nlohmann::json json_of(const core::http::Response& r) { return nlohmann::json::parse(r.body()); }

  nlohmann::json create_body(std::optional<std::string> scheduled_at = std::nullopt) {
    nlohmann::json b = {{"brand_id", kBrand},
                        {"title", "Spring"},
                        {"content_type", "news"},
                        {"form", "image_text"},
                        {"tags", {"launch"}},
                        {"variants",
                         {{{"account_id", kMastodon}, {"text", "Hello spring"}, {"hashtags", {"spring"}}},
                          {{"account_id", kX}, {"text", "Hello"}}}}};
    if (scheduled_at) {
      b["scheduled_at"] = *scheduled_at;
      b["zone"] = "Asia/Shanghai";
    }
    return b;
  }
};

// The manual clock starts at 1'800'000'000 s = 2027-01-15T08:00:00Z.
constexpr const char* kTwoHoursLater = "2027-01-15T10:00:00Z";

TEST_F(PostsApi, CreateRefusesVariantsThatDoNotFitTheirPlatformNamingTheAccount) {
  auto body = create_body();
  body["variants"][1]["text"] = std::string(281, 'x');
  auto r = call(verb::post, "/api/v1/posts", author_, body);
  ASSERT_EQ(r.result_int(), 422) << r.body();
  EXPECT_EQ(r[boost::beast::http::field::content_type], "application/problem+json");
  auto doc = json_of(r);
  ASSERT_EQ(doc["errors"].size(), 1U);
  EXPECT_EQ(doc["errors"][0]["field"], "variants[1].text");
  EXPECT_EQ(doc["errors"][0]["account_id"], kX);
  EXPECT_NE(doc["detail"].get<std::string>().find("@herald"), std::string::npos) << doc["detail"];
}

TEST_F(PostsApi, BadInputIsAClearProblem) {
  auto body = create_body();
  body["scheduled_at"] = "tomorrow at nine";
  body["zone"] = "UTC";
  auto r = call(verb::post, "/api/v1/posts", author_, body);
  EXPECT_EQ(r.result_int(), 422);
  EXPECT_EQ(json_of(r)["field"], "scheduled_at");
  body = create_body();
  body["colour"] = "red";
  EXPECT_EQ(call(verb::post, "/api/v1/posts", author_, body).result_int(), 400);
  body = create_body();
  body["content_type"] = "rumour";
  EXPECT_EQ(json_of(call(verb::post, "/api/v1/posts", author_, body))["field"], "content_type");
  body = create_body(kTwoHoursLater);
  body.erase("zone");
  EXPECT_EQ(json_of(call(verb::post, "/api/v1/posts", author_, body))["field"], "zone");
  EXPECT_EQ(call(verb::get, "/api/v1/posts/not-a-uuid", author_).result_int(), 400);
  EXPECT_EQ(call(verb::get, "/api/v1/posts?status=ALMOST", author_).result_int(), 400);
  EXPECT_EQ(call(verb::get, "/api/v1/posts?cursor=zzz", author_).result_int(), 400);
  EXPECT_EQ(call(verb::get, "/api/v1/posts/00000000-0000-4000-8000-000000000999", author_).result_int(), 404);
  EXPECT_EQ(call(verb::post, "/api/v1/posts", viewer_, create_body()).result_int(), 403);
}

TEST_F(PostsApi, TheReviewFlowOverHttp) {
  auto created = call(verb::post, "/api/v1/posts", author_, create_body(kTwoHoursLater));
  ASSERT_EQ(created.result_int(), 201) << created.body();
  EXPECT_EQ(created[boost::beast::http::field::etag], "\"v1\"");
  auto post = json_of(created);
  const std::string id = post["id"];
  EXPECT_EQ(created[boost::beast::http::field::location], "/api/v1/posts/" + id);
  EXPECT_EQ(post["status"], "DRAFT");
  EXPECT_EQ(post["local_time"], "2027-01-15T18:00:00");
  EXPECT_EQ(post["scheduled_at"], "2027-01-15T10:00:00.000Z");
  const std::string base = "/api/v1/posts/" + id;

  // Schedule before approval: 409 with the reason per target; nothing reaches the outbox.
  auto early = call(verb::post, base + "/schedule", author_, {{"scheduled_at", kTwoHoursLater}, {"zone", "UTC"}});
  EXPECT_EQ(early.result_int(), 403);  // the author lacks post.publish
  early = call(verb::post, base + "/schedule", manager_, {{"scheduled_at", kTwoHoursLater}, {"zone", "UTC"}});
  ASSERT_EQ(early.result_int(), 409) << early.body();
  EXPECT_EQ(json_of(early)["targets"][0]["state"], "DRAFT");

  EXPECT_EQ(call(verb::post, base + "/decisions", manager_, {{"verdict", "approve"}}).result_int(), 409);
  ASSERT_EQ(call(verb::post, base + "/submit", author_).result_int(), 200);
  EXPECT_EQ(call(verb::post, base + "/decisions", manager_, {{"verdict", "reject"}}).result_int(), 422);
  EXPECT_EQ(call(verb::post, base + "/decisions", manager_, {{"verdict", "maybe"}}).result_int(), 422);
  EXPECT_EQ(call(verb::post, base + "/decisions", manager_, {{"verdict", "approve"}, {"stage", "legal"}}).result_int(),
            409);
  auto d1 = call(verb::post, base + "/decisions", manager_, {{"verdict", "approve"}});
  ASSERT_EQ(d1.result_int(), 200) << d1.body();
  EXPECT_EQ(json_of(d1)["review"]["current_stage"], "legal");
  auto d2 = call(verb::post, base + "/decisions", legal_, {{"verdict", "approve"}});
  ASSERT_EQ(d2.result_int(), 200) << d2.body();
  auto approved = json_of(d2);
  EXPECT_EQ(approved["status"], "SCHEDULED");
  EXPECT_TRUE(approved["review"]["complete"]);
  EXPECT_EQ(outbox().size(), 2U);

  // Edit with a stale ETag: 412; with the current one the approval lapses.
  auto got = call(verb::get, base, author_);
  const std::string etag(got[boost::beast::http::field::etag]);
  auto stale = call(verb::patch, base, author_, {{"title", "New"}}, {{"If-Match", "\"v1\""}});
  EXPECT_EQ(stale.result_int(), 412);
  auto edited = call(verb::patch, base, author_, {{"title", "New"}}, {{"If-Match", etag}});
  ASSERT_EQ(edited.result_int(), 200) << edited.body();
  EXPECT_EQ(json_of(edited)["status"], "IN_REVIEW");
  EXPECT_NE(edited[boost::beast::http::field::etag], etag);
  auto again = call(verb::post, base + "/schedule", manager_, {{"scheduled_at", kTwoHoursLater}, {"zone", "UTC"}});
  EXPECT_EQ(again.result_int(), 409);

  auto history = call(verb::get, base + "/history", viewer_);
  ASSERT_EQ(history.result_int(), 200);
  auto h = json_of(history);
  EXPECT_EQ(h["decisions"].size(), 2U);
  EXPECT_EQ(h["versions"].size(), 2U);  // a snapshot at the creation and at each edit
  EXPECT_FALSE(h["transitions"].empty());

  auto list = call(verb::get, "/api/v1/posts?brand_id=" + kBrand + "&status=IN_REVIEW&limit=1", viewer_);
  ASSERT_EQ(list.result_int(), 200) << list.body();
  EXPECT_EQ(json_of(list)["items"].size(), 1U);
  EXPECT_TRUE(json_of(list)["next_cursor"].is_null());

  auto cancelled = call(verb::post, base + "/cancel", manager_);
  ASSERT_EQ(cancelled.result_int(), 200);
  EXPECT_EQ(json_of(cancelled)["status"], "CANCELLED");
}

}  // namespace
}  // namespace herald::publishing
