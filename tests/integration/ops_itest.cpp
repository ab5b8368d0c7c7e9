// What an operator and an orchestrator see: health, readiness, metrics, and a graceful stop.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "tests/integration/iam_helpers.hpp"

namespace herald::testing {
namespace {

class Ops : public HeraldSuite<Ops> {};

TEST_F(Ops, HealthReadinessAndMetrics) {
  Http anon(herald());
  auto health = anon.get("/healthz");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json["status"], "ok");

  auto ready = anon.get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json["status"], "ready");
  for (const char* check : {"postgresql", "redis", "migrations"}) {
    EXPECT_EQ(ready.json["checks"][check], "ok") << check << ": " << ready.body;
  }

  expect_problem(anon.get("/api/v1/me"), 401);  // something to count in a 4xx class
  auto metrics = anon.get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("Content-Type").rfind("text/plain", 0), 0u) << metrics.header("Content-Type");
  EXPECT_NE(metrics.body.find("# TYPE herald_http_requests_total counter"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("herald_http_requests_total{"), std::string::npos);
  EXPECT_NE(metrics.body.find("route=\"/healthz\""), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("status=\"4xx\""), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("herald_http_request_duration_seconds"), std::string::npos);
  // Request paths with ids must not become label values (unbounded cardinality).
  Http admin = admin_client(herald());
  auto brand = create_brand(admin, unique_slug("metrics"));
  ASSERT_EQ(admin.get("/api/v1/brands/" + json_id(brand)).status, 200);
  metrics = anon.get("/metrics");
  EXPECT_EQ(metrics.body.find(json_id(brand)), std::string::npos) << "a brand id became a metric label";
  EXPECT_NE(metrics.body.find("route=\"/api/v1/brands/{id}\""), std::string::npos) << metrics.body;
}

TEST_F(Ops, OpenApiIsServed) {
  auto r = Http(herald()).get("/api/v1/openapi.yaml");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("openapi: 3.1"), std::string::npos) << r.body.substr(0, 200);
  EXPECT_NE(r.body.find("/api/v1/brands"), std::string::npos);
}

TEST(GracefulStop, SigtermExitsZeroWithinTheDrainTimeout) {
  HeraldOptions options;
  options.env["HERALD_HTTP_DRAIN_TIMEOUT_MS"] = "3000";
  HeraldProcess herald(options);
  Http admin = admin_client(herald);
  ASSERT_EQ(admin.get("/api/v1/brands").status, 200);

  auto started = std::chrono::steady_clock::now();
  int status = herald.stop(SIGTERM, std::chrono::milliseconds(3000 + 2000));
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  EXPECT_EQ(status, 0) << "exit status after SIGTERM (-1 = still running at the deadline)\n" << herald.output_text();
  EXPECT_LT(took.count(), 3000 + 1000) << "an idle server should stop well within the drain timeout";
  auto log = herald.log_text();
  EXPECT_NE(log.find("draining"), std::string::npos) << log;
  EXPECT_NE(log.find("stopped"), std::string::npos) << log;
  auto after = Http(herald.host(), herald.port(), std::chrono::seconds(2)).get("/healthz");
  EXPECT_EQ(after.status, 0) << "still answering after exit: " << after.body;
}

TEST(GracefulStop, AnInFlightRequestIsAnsweredBeforeTheExit) {
  HeraldOptions options;
  options.env["HERALD_HTTP_DRAIN_TIMEOUT_MS"] = "8000";
  // A deliberately slow password hash keeps a login in flight for a while.
  options.env["HERALD_SECURITY_ARGON2_MEMORY_KIB"] = "65536";
  options.env["HERALD_SECURITY_ARGON2_ITERATIONS"] = "12";
  HeraldProcess herald(options);

  auto login_started = std::chrono::steady_clock::now();
  auto in_flight = std::async(std::launch::async, [&] {
    Http c(herald);
    return c.login(herald.admin_email(), herald.admin_password());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_EQ(in_flight.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
      << "the login finished too fast to be in flight during the stop";
  ::kill(herald.pid(), SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto late = Http(herald.host(), herald.port(), std::chrono::seconds(2)).get("/healthz");
  EXPECT_EQ(late.status, 0) << "a new connection was accepted after SIGTERM";

  auto r = in_flight.get();
  auto login_took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - login_started);
  EXPECT_EQ(r.status, 200) << "the in-flight login was cut off: " << r.error << " " << r.body;
  EXPECT_EQ(herald.stop(SIGTERM, std::chrono::milliseconds(8000 + 2000)), 0) << herald.output_text();
  RecordProperty("login_ms", static_cast<int>(login_took.count()));
}

TEST(GracefulStop, SigintAlsoStopsCleanly) {
  HeraldProcess herald;
  EXPECT_EQ(herald.stop(SIGINT, std::chrono::milliseconds(15000)), 0) << herald.output_text();
}

}  // namespace
}  // namespace herald::testing
