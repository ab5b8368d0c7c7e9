#include "services/core/config/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>

#include <fstream>

namespace herald::core::config {
namespace {

std::map<std::string, std::string> minimal_env() {
  return {{"HERALD_PG_URL", "postgresql://herald:pw@127.0.0.1:5432/herald"},
          {"HERALD_SECURITY_MASTER_KEY", "dGVzdA=="}};
}

std::string error_of(const std::map<std::string, std::string>& env,
                     std::optional<std::string> file = {}) {
  try {
    load(env, file);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, DefaultsAndEnvironmentOverrides) {
  auto env = minimal_env();
  env["HERALD_HTTP_PORT"] = "9090";
  env["HERALD_HTTP_READ_TIMEOUT_MS"] = "2500";
  env["HERALD_SECURITY_COOKIE_SECURE"] = "true";
  env["HERALD_TEST_PG_URL"] = "ignored: not a configuration section";
  Config c = load(env);
  EXPECT_EQ(c.http.port, 9090);
  EXPECT_EQ(c.http.read_timeout, std::chrono::milliseconds(2500));
  EXPECT_TRUE(c.security.cookie_secure);
  EXPECT_EQ(c.http.listen_address, "127.0.0.1");
  EXPECT_EQ(c.pg.url, "postgresql://herald:pw@127.0.0.1:5432/herald");
}

TEST(Config, UnknownEnvironmentKeyIsNamed) {
  auto env = minimal_env();
  env["HERALD_HTTP_PROT"] = "80";
  EXPECT_NE(error_of(env).find("HERALD_HTTP_PROT"), std::string::npos);
}

TEST(Config, MissingSecretsAreNamed) {
  EXPECT_NE(error_of({{"HERALD_SECURITY_MASTER_KEY", "x"}}).find("pg.url"), std::string::npos);
  EXPECT_NE(error_of({{"HERALD_PG_URL", "postgresql://x"}}).find("security.master_key"),
            std::string::npos);
}

TEST(Config, BadValuesAreRejectedWithoutEchoingSecrets) {
  auto env = minimal_env();
  env["HERALD_HTTP_PORT"] = "70000";
  EXPECT_NE(error_of(env).find("http.port"), std::string::npos);
  env = minimal_env();
  env["HERALD_HTTP_IO_THREADS"] = "two";
  EXPECT_NE(error_of(env).find("expected an integer"), std::string::npos);
  env = minimal_env();
  env["HERALD_LOG_LEVEL"] = "loud";
  EXPECT_NE(error_of(env).find("log.level"), std::string::npos);
}

TEST(Config, ProcessRunNamesTheBackgroundModules) {
  auto env = minimal_env();
  EXPECT_TRUE(load(env).process.runs("scheduler"));
  EXPECT_TRUE(load(env).process.runs("ads"));
  env["HERALD_PROCESS_RUN"] = "none";
  EXPECT_TRUE(load(env).process.run.empty());
  env["HERALD_PROCESS_RUN"] = "worker,crisis";
  Config c = load(env);
  EXPECT_TRUE(c.process.runs("worker"));
  EXPECT_TRUE(c.process.runs("crisis"));
  EXPECT_FALSE(c.process.runs("scheduler"));
  EXPECT_EQ(c.process.run.size(), 2U);
  env["HERALD_PROCESS_RUN"] = "worker,shceduler";
  EXPECT_NE(error_of(env).find("'shceduler' is not a module"), std::string::npos) << error_of(env);
  env["HERALD_PROCESS_RUN"] = "worker,worker";
  EXPECT_NE(error_of(env).find("named twice"), std::string::npos);
  env["HERALD_PROCESS_RUN"] = "";
  EXPECT_NE(error_of(env).find("process.run"), std::string::npos);
}

class ConfigFile : public ::testing::Test {
 protected:
  // One file per test and process: ctest runs the tests of this fixture in parallel.
  std::string path_ = ::testing::TempDir() + "herald_config_test_" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                      std::to_string(::getpid()) + ".json";
  void write(const std::string& text) { std::ofstream(path_) << text; }
  void TearDown() override { std::remove(path_.c_str()); }
};

TEST_F(ConfigFile, FileThenEnvironment) {
  write(R"({"http": {"port": 7000, "io_threads": 4}, "log": {"level": "debug"}})");
  auto env = minimal_env();
  env["HERALD_HTTP_PORT"] = "7001";
  Config c = load(env, path_);
  EXPECT_EQ(c.http.port, 7001);  // environment wins
  EXPECT_EQ(c.http.io_threads, 4);
  EXPECT_EQ(c.log.level, "debug");
}

TEST_F(ConfigFile, UnknownKeyAndSectionAreNamed) {
  write(R"({"http": {"portt": 7000}})");
  EXPECT_NE(error_of(minimal_env(), path_).find("http.portt"), std::string::npos);
  write(R"({"htp": {}})");
  EXPECT_NE(error_of(minimal_env(), path_).find("'htp'"), std::string::npos);
  write(R"({"http": )");
  EXPECT_NE(error_of(minimal_env(), path_).find("not valid JSON"), std::string::npos);
}

TEST_F(ConfigFile, MasterKeyFromFile) {
  write("MTIz\n");
  auto env = minimal_env();
  env.erase("HERALD_SECURITY_MASTER_KEY");
  env["HERALD_SECURITY_MASTER_KEY_FILE"] = path_;
  EXPECT_EQ(load(env).master_key_spec(), "MTIz");
}

}  // namespace
}  // namespace herald::core::config
