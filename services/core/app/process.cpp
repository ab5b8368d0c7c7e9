#include "services/core/app/process.hpp"

#include <thread>

#include "services/core/http/problem.hpp"
#include "services/core/log/level.hpp"
#include "services/core/redis/options.hpp"

namespace herald::core {

namespace embedded {
const std::map<std::string_view, std::string_view>& embedded_files();
}

namespace {

std::unique_ptr<log::Logger> make_logger(const std::string& name, const config::LogConfig& c) {
  auto level = log::parse_level(c.level);
  if (c.file.empty()) return std::make_unique<log::Logger>(log::Logger::to_stderr(name, level));
  return std::make_unique<log::Logger>(log::Logger::to_file(name, c.file, level));
}

}  // namespace

DatabaseSchema schema_from_embedded(std::string service,
                                    const std::map<std::string_view, std::string_view>& files) {
  DatabaseSchema s;
  s.service = std::move(service);
  s.migrations = pg::migrations_from_files(files);
  for (const auto& [name, text] : files) {
    if (name.rfind("store/", 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".sql") {
      s.query_files.emplace_back(std::string(name), std::string(text));
    }
  }
  return s;
}

Process::Process(std::string name, config::Config config, std::vector<DatabaseSchema> schemas)
    : name_(std::move(name)), config_(std::move(config)) {
  schemas.insert(schemas.begin(), schema_from_embedded("core", embedded::embedded_files()));
  logger_ = make_logger(name_, config_.log);
  blocking_ = std::make_unique<BlockingPool>(static_cast<std::size_t>(config_.security.blocking_threads));
  keyring_ = std::make_unique<crypto::KeyRing>(crypto::KeyRing::from_base64_keys(config_.master_key_spec()));

  pg::QueryCatalog catalog;
  for (const auto& s : schemas) {
    for (const auto& [file, text] : s.query_files) catalog.add(s.service + "/" + file, text);
  }
  pg::PoolOptions pg_options{config_.pg.url, config_.pg.pool_size, config_.pg.statement_timeout,
                             config_.pg.acquire_timeout, ""};
  // Migrations run on their own connection, before any named query is prepared.
  {
    pg::PoolOptions migrate_options = pg_options;
    migrate_options.size = 1;
    pg::Pool migrate_pool(migrate_options);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (int attempt = 1;; ++attempt) {
      if (migrate_pool.ping()) break;
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("PostgreSQL at " + pg::redact_dsn(config_.pg.url) +
                                 " is not reachable (gave up after 30 s)");
      }
      logger_->warn("waiting for PostgreSQL", {{"dsn", pg::redact_dsn(config_.pg.url)}, {"attempt", attempt}});
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    for (auto& s : schemas) {
      auto report = pg::migrate(migrate_pool, s.service, s.migrations);
      expected_versions_.emplace_back(s.service, report.current_version);
      logger_->info("migrations applied", {{"module", s.service}, {"applied", report.applied},
                                           {"version", report.current_version}});
    }
  }
  pg_ = std::make_unique<pg::Pool>(pg_options, std::move(catalog));

  auto redis_options = redis::parse_url(config_.redis.url);
  redis_options.command_timeout = config_.redis.command_timeout;
  redis_ = std::make_unique<redis::Pool>(redis_options, static_cast<std::size_t>(config_.redis.pool_size));
  live_ = std::make_unique<LiveStream>(LiveStreamOptions{redis_options, config_.redis.key_prefix}, hub_, *logger_,
                                       metrics_);

  server_ = std::make_unique<http::Server>(config_.http, router_, *logger_, metrics_);
  idempotency_ = std::make_unique<Idempotency>(*pg_, *blocking_, *keyring_);
  add_readiness_check("postgresql", [this] { return pg_->ping(); });
  add_readiness_check("redis", [this] { return redis_->ping(); });
  add_readiness_check("migrations", [this] {
    for (const auto& [service, version] : expected_versions_) {
      if (pg::applied_version(*pg_, service) < version) return false;
    }
    return true;
  });
  add_system_routes();
}

Process::~Process() {
  if (live_) live_->stop();
  if (blocking_) blocking_->stop();
}

void Process::add_readiness_check(std::string name, std::function<bool()> check) {
  readiness_.emplace_back(std::move(name), std::move(check));
}

void Process::add_system_routes() {
  using verb = boost::beast::http::verb;
  router_.add(verb::get, "/healthz", [](http::Request& req) -> boost::asio::awaitable<http::Response> {
    co_return http::json_response(req, 200, {{"status", "ok"}});
  });
  router_.add(verb::get, "/readyz", [this](http::Request& req) -> boost::asio::awaitable<http::Response> {
    auto results = co_await blocking_->run([this] {
      nlohmann::json checks = nlohmann::json::object();
      bool ok = true;
      for (const auto& [name, check] : readiness_) {
        bool passed = false;
        try {
          passed = check();
        } catch (...) {
          passed = false;
        }
        checks[name] = passed ? "ok" : "failing";
        ok = ok && passed;
      }
      return std::make_pair(ok, checks);
    });
    co_return http::json_response(req, results.first ? 200 : 503,
                                  {{"status", results.first ? "ready" : "not ready"}, {"checks", results.second}});
  });
  router_.add(verb::get, "/metrics", [this](http::Request& req) -> boost::asio::awaitable<http::Response> {
    http::Response res{boost::beast::http::status::ok, req.raw.version()};
    res.set(boost::beast::http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.keep_alive(req.raw.keep_alive());
    res.body() = metrics_.render();
    res.prepare_payload();
    co_return res;
  });
}

int Process::run() {
  live_->start();
  server_->start();
  logger_->info("ready to serve", {{"service", name_}, {"port", server_->port()}});
  server_->run(true);
  live_->stop();
  logger_->info("stopped");
  return 0;
}

}  // namespace herald::core
