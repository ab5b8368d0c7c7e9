#pragma once
// Typed configuration for every Herald process: defaults, then an optional JSON file
// (HERALD_CONFIG), then environment variables HERALD_<SECTION>_<KEY>. Validated once at start-up;
// an unknown key or a missing secret throws ConfigError naming it. Business code receives these
// structs, never raw JSON or environment.
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace herald::core::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HttpConfig {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8080;        // 0 = any free port (tests)
  std::string port_file;            // if set, the bound port is written here once listening
  int io_threads = 2;
  std::size_t body_limit_bytes = 1 << 20;
  std::chrono::milliseconds read_timeout{15000};   // whole request (headers + body)
  std::chrono::milliseconds idle_timeout{60000};   // keep-alive between requests
  std::chrono::milliseconds drain_timeout{10000};  // SIGTERM: finish in-flight work within this
  std::size_t max_connections = 10000;
};

struct PgConfig {
  std::string url;  // secret-bearing: never logged unredacted
  int pool_size = 8;
  std::chrono::milliseconds statement_timeout{5000};
  std::chrono::milliseconds acquire_timeout{3000};
};

struct RedisConfig {
  std::string url = "redis://127.0.0.1:6379/0";  // may carry a password
  int pool_size = 8;
  std::chrono::milliseconds command_timeout{2000};
  // Every stream and key Herald's pipeline uses starts with this (one Redis can host several
  // installations, or the tests' parallel processes).
  std::string key_prefix = "herald";
};

struct SecurityConfig {
  std::string master_key;       // "1:BASE64,2:BASE64" or one BASE64 key; or:
  std::string master_key_file;  // a file holding the same
  int blocking_threads = 8;
  std::uint32_t argon2_memory_kib = 65536;
  std::uint32_t argon2_iterations = 3;
  std::chrono::seconds session_ttl{12 * 3600};
  bool cookie_secure = false;   // set true behind TLS
};

struct BootstrapConfig {
  std::string admin_email = "admin@herald.local";
  std::string credentials_file;  // first run writes the first admin's credentials here (mode 600)
};

struct LogConfig {
  std::string level = "info";
  std::string file;  // empty: stderr
};

struct WebConfig {
  std::string root;  // static files served at / (the browser app); empty: none
};

// How Herald reaches the social platforms (the accounts service and the adapters).
struct PlatformsConfig {
  // The port file herald-sandbox writes ({"platforms": {"x": "http://127.0.0.1:P", ...}}): when
  // set, every platform is reached at its sandbox address with the sandbox's demo app.
  std::string sandbox_file;
  std::string sandbox_client_secret = "sandbox-secret";  // the sandbox apps' secret (not a real one)
  // Herald's own address as the platforms' browsers see it, for OAuth redirect URIs; empty:
  // http://<listen_address>:<port>.
  std::string public_url;
  std::chrono::seconds refresh_interval{30};  // how often tokens near expiry are looked for
  std::chrono::seconds refresh_ahead{600};    // refresh tokens that expire within this
};

struct PublishingConfig {
  // Reviews must be complete this long before the slot (otherwise the target EXPIRES, never
  // publishes). The default approval policy's 30 minutes; one value for every brand until
  // per-brand approval settings exist.
  std::chrono::seconds approval_deadline{30 * 60};
};

struct InboxConfig {
  // The first-response target of a brand without an SLA policy (around the clock).
  std::chrono::seconds first_response{3600};
  // How often each process looks for SLA clocks that went past due (each is reported once).
  std::chrono::milliseconds sla_sweep{15'000};
  // How often each connected account's comments, mentions and DMs are read (the polling path).
  std::chrono::milliseconds poll_interval{60'000};
};

struct SchedulerConfig {
  // Multiplies every documented platform rate limit the governor enforces (1: as documented).
  // Only for load tests against the sandbox, which does not enforce them.
  long long governor_scale = 1;
};

struct WorkerConfig {
  int threads = 4;  // adapter worker threads in this process, each with its own Redis connection
  // How long a send holds its in-flight lease: after a worker dies mid-send, its job is taken
  // over (read back first) once the lease has run out. Longer than any platform call.
  std::chrono::milliseconds lease{60'000};
};

// Which modules' background work this process runs (HERALD_PROCESS_RUN): "all" (the default),
// "none" (serve the HTTP API only), or a comma list of the names in kBackgroundModules. Every
// process serves the whole HTTP API (the state is in PostgreSQL and Redis); a deployment gives
// each module's background work a process of its own and sends outside traffic to the gateways.
// (The campaigns module has none: its click buffer is part of serving, in every process.)
inline constexpr std::array<std::string_view, 7> kBackgroundModules = {
    "accounts", "publishing", "crisis", "scheduler", "worker", "inbox", "ads"};
struct ProcessConfig {
  std::set<std::string, std::less<>> run{kBackgroundModules.begin(), kBackgroundModules.end()};
  [[nodiscard]] bool runs(std::string_view module) const { return run.contains(module); }
};

struct Config {
  ProcessConfig process;
  HttpConfig http;
  PgConfig pg;
  RedisConfig redis;
  SecurityConfig security;
  BootstrapConfig bootstrap;
  LogConfig log;
  WebConfig web;
  PlatformsConfig platforms;
  PublishingConfig publishing;
  InboxConfig inbox;
  SchedulerConfig scheduler;
  WorkerConfig worker;

  // The master key material: master_key, or the contents of master_key_file.
  [[nodiscard]] std::string master_key_spec() const;
};

// Loads defaults <- file (if given) <- environment. `env` maps variable names to values
// (pass the process environment from main; tests pass their own).
Config load(const std::map<std::string, std::string>& env, std::optional<std::string> file = {});

// The process environment as a map, for main().
std::map<std::string, std::string> process_environment();

}  // namespace herald::core::config
