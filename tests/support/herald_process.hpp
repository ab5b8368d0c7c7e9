#pragma once
// Black-box harness for tests/integration: runs a built Herald binary as a child process against
// its own fresh database, and talks to it over HTTP as a browser or script would.
//
//   HeraldProcess herald;                       // new database, random master key, port 0
//   Http admin(herald);
//   ASSERT_EQ(admin.login(herald.admin_email(), herald.admin_password()).status, 200);
//   auto r = admin.post("/api/v1/brands", {{"name", "Acme"}});   // cookie + X-CSRF-Token sent
//
// Everything lives in a temporary directory (master key, port file, credentials file, logs) that
// is deleted with the object; set HERALD_TEST_KEEP_FILES=1 to keep it for a post-mortem.
#include <httplib.h>
#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace herald::testing {

struct HeraldOptions {
  // Executable name inside $HERALD_BIN_DIR (or an absolute path).
  std::string binary = "herald";
  // Extra environment for the child (HERALD_HTTP_BODY_LIMIT_BYTES, ...); overrides the defaults.
  std::map<std::string, std::string> env;
  // Bound on start-up: port file written and GET /readyz answering 200.
  std::chrono::milliseconds start_timeout{30000};
  // Run against an existing database (another HeraldProcess's database_url()): it is neither
  // created nor dropped here, and the first admin is the one given (no bootstrap happens).
  std::string database_url;
  std::string admin_email, admin_password;
  // Command-line arguments (e.g. {"rotate-keys"}): such a one-shot command is not waited for;
  // call wait_exit().
  std::vector<std::string> args;
};

class HeraldProcess {
 public:
  explicit HeraldProcess(HeraldOptions options = {});
  ~HeraldProcess();
  HeraldProcess(const HeraldProcess&) = delete;
  HeraldProcess& operator=(const HeraldProcess&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string host() const { return "127.0.0.1"; }
  [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The first admin written by the bootstrap to the credentials file (mode 600).
  [[nodiscard]] const std::string& admin_email() const { return admin_email_; }
  [[nodiscard]] const std::string& admin_password() const { return admin_password_; }
  [[nodiscard]] std::filesystem::path credentials_file() const { return dir_ / "credentials"; }
  // The JSON log (HERALD_LOG_FILE) so far.
  [[nodiscard]] std::string log_text() const;
  // The child's stdout and stderr so far (the first-run banner, crash messages).
  [[nodiscard]] std::string output_text() const;
  // A libpqxx/libpq URL of this process's own database (superuser, for tamper tests).
  [[nodiscard]] const std::string& database_url() const { return db_url_; }
  // The same database as the `postgres` superuser (the throwaway test server trusts loopback):
  // for tests that play an attacker with full database rights, such as disabling a trigger.
  [[nodiscard]] std::string superuser_database_url() const;
  [[nodiscard]] const std::string& database_name() const { return db_name_; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] bool running();

  // Sends `signal` and waits up to `timeout` for the exit. Returns the exit code, 128 + the signal
  // number if a signal ended it, or -1 if it was still running at the deadline (it is then
  // killed with SIGKILL). Calling it again after the exit returns the same status.
  int stop(int signal = SIGTERM, std::chrono::milliseconds timeout = std::chrono::milliseconds(20000));
  // Waits for a one-shot command to finish: its exit code, or -1 (killed) at the deadline.
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));

 private:
  void create_database();
  void drop_database() noexcept;
  void spawn(const HeraldOptions& options);
  void wait_until_ready(std::chrono::milliseconds timeout);
  void read_credentials();
  void cleanup() noexcept;
  bool reap(bool block);
  [[nodiscard]] std::string failure_context() const;

  std::filesystem::path dir_;
  std::string db_name_;
  std::string db_url_;
  bool db_created_ = false;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  int port_ = 0;
  std::string admin_email_;
  std::string admin_password_;
};

// One HTTP response, decoded.
struct HttpResponse {
  int status = 0;     // 0 when the request failed below HTTP (see error)
  std::string error;  // transport error (timeout, connection refused, ...)
  httplib::Headers headers;
  nlohmann::json json;  // the parsed body; null when it is not JSON
  std::string body;

  [[nodiscard]] std::string header(const std::string& name) const;
  [[nodiscard]] bool is_problem() const;  // Content-Type application/problem+json
};

// A small client for one user agent: keeps the herald_session cookie (from Set-Cookie), the CSRF
// token from login, and sends X-CSRF-Token on every non-GET request while it has a session.
// Or, after use_bearer(), authenticates with an API token instead of the cookie.
// A value type: copy it to keep an old session around. Every request uses a fresh connection
// with bounded connect/read/write timeouts, so a hung server fails the test instead of hanging.
class Http {
 public:
  Http(std::string host, int port, std::chrono::seconds timeout = std::chrono::seconds(10));
  explicit Http(const HeraldProcess& herald, std::chrono::seconds timeout = std::chrono::seconds(10));

  HttpResponse get(const std::string& path, const httplib::Headers& extra = {});
  HttpResponse del(const std::string& path, const httplib::Headers& extra = {});
  HttpResponse post(const std::string& path, const nlohmann::json& body = nlohmann::json::object(),
                    const httplib::Headers& extra = {});
  HttpResponse put(const std::string& path, const nlohmann::json& body, const httplib::Headers& extra = {});
  HttpResponse patch(const std::string& path, const nlohmann::json& body, const httplib::Headers& extra = {});
  // Any method with a raw body (malformed JSON, huge bodies, other content types).
  HttpResponse send(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& content_type = "application/json", const httplib::Headers& extra = {});

  // POST /api/v1/auth/login; on 200 the session cookie and csrf_token are kept.
  HttpResponse login(const std::string& email, const std::string& password);
  // POST /api/v1/auth/logout (the Set-Cookie that clears the session is applied).
  HttpResponse logout();

  void use_bearer(std::string token) { bearer_ = std::move(token); }
  void clear_bearer() { bearer_.clear(); }
  // Forget cookies, CSRF token and bearer token.
  void clear_credentials();
  // When off, X-CSRF-Token is not added automatically (to test the CSRF check).
  void set_auto_csrf(bool on) { auto_csrf_ = on; }

  void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  [[nodiscard]] std::optional<std::string> cookie(const std::string& name) const;
  [[nodiscard]] const std::string& csrf_token() const { return csrf_; }
  void set_csrf_token(std::string token) { csrf_ = std::move(token); }

 private:
  void remember_cookies(const httplib::Headers& headers);

  std::string host_;
  int port_;
  std::chrono::seconds timeout_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
  std::string bearer_;
  bool auto_csrf_ = true;
};

}  // namespace herald::testing
