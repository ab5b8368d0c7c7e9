#include "services/core/log/logger.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/manual_clock.hpp"

namespace herald::core::log {
namespace {

using nlohmann::json;
constexpr std::string_view kSecret = "S3cr3tValue";

// Collects lines; the clock starts at 2027-01-15T08:00:00Z.
struct Capture {
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<herald::testing::ManualClock> clock = std::make_shared<herald::testing::ManualClock>();

  Logger logger(Level min = Level::debug) const {
    return Logger("herald-test", [lines = lines](std::string_view line) { lines->emplace_back(line); }, min,
                  clock);
  }
  [[nodiscard]] json record(std::size_t i) const { return json::parse(lines->at(i)); }
};

TEST(Logger, WritesOneJsonObjectPerLineWithStandardKeys) {
  Capture cap;
  cap.clock->advance(std::chrono::milliseconds(123));
  cap.logger().info("post published", {{"post_id", 42}, {"trace_id", "t-1"}, {"ok", true}});
  ASSERT_EQ(cap.lines->size(), 1U);
  const std::string& line = cap.lines->front();
  EXPECT_EQ(line.find('\n'), std::string::npos);
  // Standard keys first, in a fixed order, then the fields.
  EXPECT_EQ(line.rfind(R"({"ts":"2027-01-15T08:00:00.123Z","level":"info","msg":"post published",)"
                       R"("service":"herald-test",)",
                       0),
            0U)
      << line;
  const json rec = json::parse(line);
  EXPECT_EQ(rec.size(), 7U);
  EXPECT_EQ(rec["post_id"], 42);  // numbers stay numbers
  EXPECT_EQ(rec["trace_id"], "t-1");
  EXPECT_EQ(rec["ok"], true);
}

TEST(Logger, TimestampIsUtcWithMilliseconds) {
  Capture cap;
  cap.clock->advance(std::chrono::hours(24 * 17) + std::chrono::minutes(61) + std::chrono::microseconds(7999));
  cap.logger().warn("x");
  EXPECT_EQ(cap.record(0)["ts"], "2027-02-01T09:01:00.007Z");
  EXPECT_EQ(cap.record(0)["level"], "warn");
}

TEST(Logger, LevelFiltering) {
  Capture cap;
  Logger logger = cap.logger(Level::warn);
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  ASSERT_EQ(cap.lines->size(), 2U);
  EXPECT_EQ(cap.record(0)["level"], "warn");
  EXPECT_EQ(cap.record(1)["level"], "error");
  EXPECT_FALSE(logger.enabled(Level::info));
  logger.set_level(Level::debug);
  logger.debug("d2");
  ASSERT_EQ(cap.lines->size(), 3U);
  EXPECT_EQ(cap.record(2)["msg"], "d2");
  EXPECT_EQ(cap.record(2)["level"], "debug");
}

TEST(Logger, ChildCarriesFieldsAndSharesSinkAndLevel) {
  Capture cap;
  Logger root = cap.logger(Level::info);
  const Logger child = root.with({{"trace_id", "abc"}, {"account_id", 7}});
  const Logger grandchild = child.with({{"post_id", 9}, {"account_id", 8}});
  child.info("from child", {{"extra", 1}});
  grandchild.info("from grandchild", {{"trace_id", "override"}});
  root.info("from root");
  ASSERT_EQ(cap.lines->size(), 3U);
  EXPECT_EQ(cap.record(0)["trace_id"], "abc");
  EXPECT_EQ(cap.record(0)["account_id"], 7);
  EXPECT_EQ(cap.record(0)["extra"], 1);
  EXPECT_EQ(cap.record(1)["trace_id"], "override");
  EXPECT_EQ(cap.record(1)["account_id"], 8);
  EXPECT_EQ(cap.record(1)["post_id"], 9);
  EXPECT_FALSE(cap.record(2).contains("trace_id"));
  // The level is shared: raising it on the root silences the child.
  root.set_level(Level::error);
  child.warn("dropped");
  EXPECT_EQ(cap.lines->size(), 3U);
}

TEST(Logger, ReservedKeysCannotBeForged) {
  Capture cap;
  cap.logger().info("real", {{"level", "error"}, {"msg", "fake"}, {"service", "other"}});
  const json rec = cap.record(0);
  EXPECT_EQ(rec["level"], "info");
  EXPECT_EQ(rec["msg"], "real");
  EXPECT_EQ(rec["service"], "herald-test");
  EXPECT_EQ(rec["field_level"], "error");
  EXPECT_EQ(rec["field_msg"], "fake");
}

TEST(Logger, RedactsFieldsNestedObjectsAndMessage) {
  Capture cap;
  const Logger child = cap.logger().with({{"api_key", "S3cr3tValue"}});
  child.error("connect postgresql://herald:S3cr3tValue@db/herald failed; used hrld_S3cr3tValue",
              {{"password", "S3cr3tValue"},
               {"request", {{"headers", {{"Authorization", "Bearer S3cr3tValue"}}}, {"path", "/x"}}},
               {"dsn", "host=db password=S3cr3tValue"},
               {"tokens", json::array({"hrld_S3cr3tValue"})},
               {"body", R"({"access_token":"S3cr3tValue"})"}});
  ASSERT_EQ(cap.lines->size(), 1U);
  const std::string& line = cap.lines->front();
  EXPECT_EQ(line.find(kSecret), std::string::npos) << line;
  const json rec = json::parse(line);
  EXPECT_EQ(rec["msg"], "connect postgresql://herald:[REDACTED]@db/herald failed; used hrld_[REDACTED]");
  EXPECT_EQ(rec["password"], "[REDACTED]");
  EXPECT_EQ(rec["api_key"], "[REDACTED]");
  EXPECT_EQ(rec["request"]["headers"]["Authorization"], "[REDACTED]");
  EXPECT_EQ(rec["request"]["path"], "/x");
  EXPECT_EQ(rec["dsn"], "host=db password=[REDACTED]");
}

TEST(Logger, InvalidUtf8AndThrowingSinkNeverThrow) {
  Capture cap;
  cap.logger().info(std::string("bad \xff\xfe utf8"), {{"v", std::string("\xc3")}});
  ASSERT_EQ(cap.lines->size(), 1U);
  EXPECT_TRUE(json::accept(cap.lines->front())) << cap.lines->front();
  const Logger throwing("svc", [](std::string_view) { throw std::runtime_error("disk full"); });
  EXPECT_NO_THROW(throwing.error("x"));
}

TEST(Logger, ConcurrentLoggingKeepsLinesWhole) {
  std::mutex mutex;
  std::vector<std::string> lines;
  const Logger logger("svc", [&](std::string_view line) {
    const std::lock_guard lock(mutex);
    lines.emplace_back(line);
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&logger, t] {
      const Logger child = logger.with({{"thread", t}});
      for (int i = 0; i < 500; ++i) child.info("tick", {{"i", i}});
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(lines.size(), 2000U);
  for (const auto& line : lines) EXPECT_EQ(json::parse(line)["msg"], "tick");
}

TEST(Logger, FileSinkWritesOneRedactedLinePerRecord) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("herald_logger_test_" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(path);
  {
    const Logger logger = Logger::to_file("herald-file", path.string(), Level::info);
    logger.debug("hidden");
    logger.info("first", {{"token", "S3cr3tValue"}});
    logger.with({{"trace_id", "t"}}).error("second");
  }
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::filesystem::remove(path);
  ASSERT_EQ(lines.size(), 2U);
  const json first = json::parse(lines[0]);
  EXPECT_EQ(first["msg"], "first");
  EXPECT_EQ(first["service"], "herald-file");
  EXPECT_EQ(first["token"], "[REDACTED]");
  EXPECT_EQ(json::parse(lines[1])["trace_id"], "t");
  EXPECT_EQ(lines[0].find(kSecret), std::string::npos);
}

TEST(Logger, StderrSinkWritesJsonLines) {
  ::testing::internal::CaptureStderr();
  Logger::to_stderr("herald-err", Level::info).warn("to stderr", {{"n", 1}});
  const std::string out = ::testing::internal::GetCapturedStderr();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1);
  const json rec = json::parse(out);
  EXPECT_EQ(rec["msg"], "to stderr");
  EXPECT_EQ(rec["service"], "herald-err");
  EXPECT_EQ(rec["n"], 1);
}

TEST(Level, NamesAndParsing) {
  EXPECT_EQ(level_name(Level::warn), "warn");
  EXPECT_EQ(parse_level("DEBUG"), Level::debug);
  EXPECT_EQ(parse_level("info"), Level::info);
  EXPECT_EQ(parse_level("warning"), Level::warn);
  EXPECT_EQ(parse_level("error"), Level::error);
  EXPECT_THROW((void)parse_level("verbose"), std::invalid_argument);
}

}  // namespace
}  // namespace herald::core::log
