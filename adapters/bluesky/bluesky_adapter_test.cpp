#include "adapters/bluesky/bluesky_adapter.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fake_transport.hpp"

namespace herald::adapters {
namespace {

using nlohmann::json;
using testing::FakeTransport;

constexpr std::int64_t kNow = 1714564800;  // 2024-05-01T12:00:00Z
constexpr const char* kAccessJwt =
    "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.eyJzY29wZSI6ImNvbS5hdHByb3RvLmFwcFBhc3MiLCJzdWIiOiJkaWQ6cGxjOmJyYW5k"
    "IiwiaWF0IjoxNzE0NTY0ODAwLCJleHAiOjE3MTQ1NzIwMDAsImF1ZCI6ImRpZDp3ZWI6YnNreS5zb2NpYWwifQ.c2ln";  // exp 1714572000
constexpr const char* kDid = "did:plc:brand";

class BlueskyAdapterTest : public ::testing::Test {
 protected:
  BlueskyAdapterTest() {
    Endpoint e;
    e.base_url = "http://pds.test";
    adapter = make_bluesky_adapter(e, Clock{[] { return kNow; }, [](std::chrono::milliseconds) {}});
    creds.access_token = "ACCESS";
    creds.platform_account_id = kDid;
  }
  static std::string created(const std::string& rkey) {
    return R"({"uri":"at://did:plc:brand/app.bsky.feed.post/)" + rkey + R"(","cid":"bafy)" + rkey +
           R"(","commit":{"cid":"bafc","rev":"3k"},"validationStatus":"valid"})";
  }
  std::unique_ptr<Adapter> adapter;
  Credentials creds;
  FakeTransport t;
};

TEST_F(BlueskyAdapterTest, AppPasswordSessionInsteadOfARedirect) {
  EXPECT_EQ(adapter->authorize_url({"https://herald.local/cb", "s", "c", {}}), "");
  t.reply(200, json{{"did", kDid},
                    {"handle", "brand.bsky.social"},
                    {"accessJwt", kAccessJwt},
                    {"refreshJwt", "REFRESH"},
                    {"active", true}}
                   .dump());
  auto ts = adapter->exchange_code(t, "abcd-efgh-ijkl-mnop", "brand.bsky.social", "");
  ASSERT_TRUE(ts) << ts.error().message;
  EXPECT_EQ(t.requests[0].method, "POST");
  EXPECT_EQ(t.requests[0].url, "http://pds.test/xrpc/com.atproto.server.createSession");
  EXPECT_FALSE(t.requests[0].header("Authorization"));
  EXPECT_EQ(json::parse(t.requests[0].body),
            (json{{"identifier", "brand.bsky.social"}, {"password", "abcd-efgh-ijkl-mnop"}}));
  EXPECT_EQ(ts->access_token, kAccessJwt);
  EXPECT_EQ(ts->refresh_token, "REFRESH");
  EXPECT_EQ(ts->platform_account_id, kDid);
  EXPECT_EQ(ts->expires_at, 1714572000);  // the JWT's exp claim

  t.reply(401, R"({"error":"AuthenticationRequired","message":"Invalid identifier or password"})");
  auto wrong = adapter->exchange_code(t, "nope", "brand.bsky.social", "");
  EXPECT_EQ(wrong.error().cls, ErrorClass::kRejected);
  EXPECT_EQ(wrong.error().message, "Invalid identifier or password");
}

TEST_F(BlueskyAdapterTest, RefreshSendsTheRefreshJwtAndExpiredMeansReconnect) {
  t.reply(200, json{{"did", kDid}, {"accessJwt", "not-a-jwt"}, {"refreshJwt", "R2"}}.dump())
      .reply(400, R"({"error":"ExpiredToken","message":"Token has expired"})");
  TokenSet cur{"A", "R1", kNow, {}, kDid};
  auto ok = adapter->refresh(t, cur);
  ASSERT_TRUE(ok);
  EXPECT_EQ(t.requests[0].url, "http://pds.test/xrpc/com.atproto.server.refreshSession");
  EXPECT_EQ(t.requests[0].header("Authorization"), "Bearer R1");
  EXPECT_EQ(t.requests[0].body, "");
  EXPECT_EQ(ok->refresh_token, "R2");
  EXPECT_EQ(ok->expires_at, kNow + 7200);  // unreadable JWT: the documented ~2 h lifetime
  EXPECT_EQ(adapter->refresh(t, cur).error().cls, ErrorClass::kAuthExpired);
}

TEST_F(BlueskyAdapterTest, PostRecordCarriesFacetsMarkerAndCreatedAt) {
  t.reply(200, created("3kmain"));
  PostContent c;
  c.text = "Read: https://brand.example/a. Thanks";
  c.client_marker = "tgt_4";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->platform_post_id, "at://did:plc:brand/app.bsky.feed.post/3kmain");
  EXPECT_EQ(p->url, "https://bsky.app/profile/did:plc:brand/post/3kmain");
  const auto& req = t.requests[0];
  EXPECT_EQ(req.url, "http://pds.test/xrpc/com.atproto.repo.createRecord");
  EXPECT_EQ(req.header("Authorization"), "Bearer ACCESS");
  auto body = json::parse(req.body);
  EXPECT_EQ(body["repo"], kDid);
  EXPECT_EQ(body["collection"], "app.bsky.feed.post");
  const auto& rec = body["record"];
  EXPECT_EQ(rec["$type"], "app.bsky.feed.post");
  EXPECT_EQ(rec["text"], c.text);
  EXPECT_EQ(rec["createdAt"], "2024-05-01T12:00:00.000Z");
  EXPECT_EQ(rec["heraldMarker"], "tgt_4");
  ASSERT_EQ(rec["facets"].size(), 1U);
  EXPECT_EQ(rec["facets"][0]["index"], (json{{"byteStart", 6}, {"byteEnd", 29}}));  // the trailing '.' is not part
  EXPECT_EQ(rec["facets"][0]["features"][0]["uri"], "https://brand.example/a");
}

TEST_F(BlueskyAdapterTest, ImagesAreUploadedAsBlobsAndEmbedded) {
  t.reply(200, "JPEGBYTES", {{"Content-Type", "image/jpeg"}})
      .reply(200, R"({"blob":{"$type":"blob","ref":{"$link":"bafkrei"},"mimeType":"image/jpeg","size":9}})")
      .reply(200, created("3kimg"));
  PostContent c;
  c.text = "pic";
  c.media.push_back({Media::Kind::kImage, "http://media.test/a.jpg", "image/jpeg", 9, 1200, 800, 0, "a cat"});
  ASSERT_TRUE(adapter->publish(t, creds, c));
  EXPECT_EQ(t.requests[1].url, "http://pds.test/xrpc/com.atproto.repo.uploadBlob");
  EXPECT_EQ(t.requests[1].header("Content-Type"), "image/jpeg");
  EXPECT_EQ(t.requests[1].body, "JPEGBYTES");
  auto embed = json::parse(t.requests[2].body)["record"]["embed"];
  EXPECT_EQ(embed["$type"], "app.bsky.embed.images");
  EXPECT_EQ(embed["images"][0]["alt"], "a cat");
  EXPECT_EQ(embed["images"][0]["image"]["ref"]["$link"], "bafkrei");
  EXPECT_EQ(embed["images"][0]["aspectRatio"], (json{{"width", 1200}, {"height", 800}}));
}

TEST_F(BlueskyAdapterTest, ThreadAndFirstCommentCarryReplyRefs) {
  t.reply(200, created("a")).reply(200, created("b")).reply(200, created("c"));
  PostContent c;
  c.text = "1/2";
  c.thread = {"2/2"};
  c.first_comment = "source";
  auto p = adapter->publish(t, creds, c);
  ASSERT_TRUE(p);
  json root{{"uri", "at://did:plc:brand/app.bsky.feed.post/a"}, {"cid", "bafya"}};
  auto part = json::parse(t.requests[1].body)["record"]["reply"];
  EXPECT_EQ(part["root"], root);
  EXPECT_EQ(part["parent"], root);
  auto comment = json::parse(t.requests[2].body)["record"]["reply"];
  EXPECT_EQ(comment["root"], root);
  EXPECT_EQ(comment["parent"], root);
  EXPECT_EQ(p->thread_ids, (std::vector<std::string>{"at://did:plc:brand/app.bsky.feed.post/b"}));
  EXPECT_EQ(p->first_comment_id, "at://did:plc:brand/app.bsky.feed.post/c");
}

TEST_F(BlueskyAdapterTest, ErrorsMapToClasses) {
  t.reply(400, R"({"error":"ExpiredToken","message":"Token has expired"})")
      .reply(429, R"({"error":"RateLimitExceeded","message":"Rate Limit Exceeded"})",
             {{"ratelimit-limit", "5000"},
              {"ratelimit-remaining", "0"},
              {"ratelimit-reset", "1714566600"},
              {"ratelimit-policy", "5000;w=3600"}})
      .reply(400, R"({"error":"InvalidRequest","message":"Record/text must not be longer than 300 graphemes"})")
      .fail(true);
  PostContent c;
  c.text = "x";
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kAuthExpired);
  auto limited = adapter->publish(t, creds, c).error();
  EXPECT_EQ(limited.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(limited.retry_after, std::chrono::seconds(1800));
  auto invalid = adapter->publish(t, creds, c).error();
  EXPECT_EQ(invalid.cls, ErrorClass::kRejected);
  EXPECT_EQ(invalid.code, "InvalidRequest");
  EXPECT_EQ(adapter->publish(t, creds, c).error().cls, ErrorClass::kUnknownOutcome);
}

TEST_F(BlueskyAdapterTest, ReadDeleteAndFindByMarker) {
  t.reply(400, R"({"error":"RecordNotFound","message":"Could not locate record"})")
      .reply(200, R"({"commit":{"cid":"x","rev":"y"}})")
      .reply(200, R"({"records":[{"uri":"at://did:plc:brand/app.bsky.feed.post/z1","cid":"c1",
                     "value":{"$type":"app.bsky.feed.post","text":"other","createdAt":"2024-05-01T11:00:00.000Z"}},
                    {"uri":"at://did:plc:brand/app.bsky.feed.post/z2","cid":"c2",
                     "value":{"$type":"app.bsky.feed.post","text":"ours","createdAt":"2024-05-01T12:00:00.000Z",
                     "heraldMarker":"tgt_9"}}],"cursor":"z1"})");
  auto missing = adapter->read_post(t, creds, "at://did:plc:brand/app.bsky.feed.post/gone");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(t.requests[0].url,
            "http://pds.test/xrpc/com.atproto.repo.getRecord?repo=did%3Aplc%3Abrand"
            "&collection=app.bsky.feed.post&rkey=gone");
  ASSERT_TRUE(adapter->delete_post(t, creds, "at://did:plc:brand/app.bsky.feed.post/z0"));
  EXPECT_EQ(json::parse(t.requests[1].body),
            (json{{"repo", kDid}, {"collection", "app.bsky.feed.post"}, {"rkey", "z0"}}));
  auto found = adapter->find_by_marker(t, creds, "tgt_9");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->platform_post_id, "at://did:plc:brand/app.bsky.feed.post/z2");
  EXPECT_EQ((*found)->created_at, kNow);
  EXPECT_NE(t.requests[2].url.find("com.atproto.repo.listRecords?repo="), std::string::npos);
}

TEST_F(BlueskyAdapterTest, RepliesFromNotificationsAndReplyingToThem) {
  json notes{{"notifications",
              {{{"uri", "at://did:plc:ann/app.bsky.feed.post/r1"},
                {"cid", "cr1"},
                {"reason", "reply"},
                {"indexedAt", "2024-05-01T12:00:01.000Z"},
                {"isRead", false},
                {"author", {{"did", "did:plc:ann"}, {"handle", "ann.bsky.social"}, {"displayName", "Ann"}}},
                {"record",
                 {{"$type", "app.bsky.feed.post"},
                  {"text", "congrats!"},
                  {"createdAt", "2024-05-01T12:00:00.000Z"},
                  {"reply",
                   {{"root", {{"uri", "at://did:plc:brand/app.bsky.feed.post/a"}, {"cid", "ca"}}},
                    {"parent", {{"uri", "at://did:plc:brand/app.bsky.feed.post/a"}, {"cid", "ca"}}}}}}}},
               {{"uri", "at://did:plc:bob/app.bsky.feed.post/r0"},
                {"reason", "reply"},
                {"indexedAt", "2024-05-01T11:00:00.000Z"},
                {"record", {{"text", "seen already"}}}}}},
             {"cursor", "2024-05-01T11:00:00.000Z"}};
  t.reply(200, notes.dump());
  auto page = adapter->fetch_inbound(t, creds, InboundKind::kComment, "2024-05-01T11:00:00.000Z");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(t.requests[0].url, "http://pds.test/xrpc/app.bsky.notification.listNotifications?limit=50&reasons=reply");
  ASSERT_EQ(page->items.size(), 1U);
  const auto& item = page->items[0];
  EXPECT_EQ(item.platform_item_id, "at://did:plc:ann/app.bsky.feed.post/r1");
  EXPECT_EQ(item.platform_post_id, "at://did:plc:brand/app.bsky.feed.post/a");
  EXPECT_EQ(item.parent_id, "");
  EXPECT_EQ(item.author_handle, "ann.bsky.social");
  EXPECT_EQ(item.created_at, kNow);
  EXPECT_EQ(page->next_cursor, "2024-05-01T12:00:01.000Z");

  t.reply(200, R"({"posts":[{"uri":"at://did:plc:ann/app.bsky.feed.post/r1","cid":"cr1",
                  "record":{"text":"congrats!","reply":{"root":{"uri":"at://did:plc:brand/app.bsky.feed.post/a",
                  "cid":"ca"},"parent":{"uri":"at://did:plc:brand/app.bsky.feed.post/a","cid":"ca"}}}}]})")
      .reply(200, created("ans"));
  auto id = adapter->reply(t, creds, item, "thank you!", "k");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "at://did:plc:brand/app.bsky.feed.post/ans");
  auto reply = json::parse(t.requests[2].body)["record"]["reply"];
  EXPECT_EQ(reply["root"], (json{{"uri", "at://did:plc:brand/app.bsky.feed.post/a"}, {"cid", "ca"}}));
  EXPECT_EQ(reply["parent"], (json{{"uri", "at://did:plc:ann/app.bsky.feed.post/r1"}, {"cid", "cr1"}}));
  EXPECT_EQ(adapter->fetch_inbound(t, creds, InboundKind::kDirectMessage, "").error().code, "unsupported");
}

TEST_F(BlueskyAdapterTest, MetricsAndProfile) {
  t.reply(200, R"({"posts":[{"uri":"at://x/app.bsky.feed.post/a","likeCount":12,"replyCount":3,
                  "repostCount":4,"quoteCount":1}]})")
      .reply(200, R"({"did":"did:plc:brand","handle":"brand.bsky.social","displayName":"Brand",
                     "description":"We make things","followersCount":1500})");
  auto m = adapter->fetch_post_metrics(t, creds, "at://x/app.bsky.feed.post/a");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->likes, 12);
  EXPECT_EQ(m->comments, 3);
  EXPECT_EQ(m->shares, 5);
  auto p = adapter->fetch_profile(t, creds);
  ASSERT_TRUE(p);
  EXPECT_EQ(t.requests[1].url, "http://pds.test/xrpc/app.bsky.actor.getProfile?actor=did%3Aplc%3Abrand");
  EXPECT_EQ(p->handle, "brand.bsky.social");
  EXPECT_EQ(p->followers, 1500);
}

}  // namespace
}  // namespace herald::adapters
