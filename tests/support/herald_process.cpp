#include "tests/support/herald_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <pqxx/pqxx>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/support/test_env.hpp"

extern char** environ;

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string tail(const std::string& s, std::size_t n) { return s.size() <= n ? s : "..." + s.substr(s.size() - n); }

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    auto n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
             static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    auto n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    auto n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string random_bytes(std::size_t n) {
  std::random_device rd;
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rd() & 0xFF);
  return out;
}

// The same server URL with another database: postgresql://user@host:port/<db>?params
std::string with_database(const std::string& url, const std::string& db) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) throw std::runtime_error("HERALD_TEST_PG_URL is not a URL: " + url);
  auto authority_end = url.find_first_of("/?", scheme + 3);
  std::string params;
  if (authority_end != std::string::npos) {
    auto query = url.find('?', authority_end);
    if (query != std::string::npos) params = url.substr(query);
  }
  return url.substr(0, authority_end) + "/" + db + params;
}

// $HERALD_BIN_DIR, else the directory of the running test binary (build/bin holds both).
std::string bin_dir() {
  if (const char* v = std::getenv("HERALD_BIN_DIR"); v != nullptr && *v != '\0') return v;
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("HERALD_BIN_DIR is not set: run the integration tests through scripts/test");
  return self.parent_path().string();
}

bool keep_files() {
  const char* v = std::getenv("HERALD_TEST_KEEP_FILES");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// HeraldProcess

HeraldProcess::HeraldProcess(HeraldOptions options) {
  std::string tmpl = (fs::temp_directory_path() / "herald-it-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  dir_ = tmpl;
  try {
    if (options.database_url.empty()) {
      create_database();
    } else {
      db_url_ = options.database_url;
      db_name_ = db_url_.substr(db_url_.rfind('/') + 1);
    }
    {
      std::ofstream key(dir_ / "master.key");
      key << base64(random_bytes(32)) << "\n";
    }
    fs::permissions(dir_ / "master.key", fs::perms::owner_read | fs::perms::owner_write);
    spawn(options);
    if (!options.args.empty()) return;  // a one-shot command: see wait_exit()
    wait_until_ready(options.start_timeout);
    if (options.database_url.empty()) {
      read_credentials();
    } else {
      admin_email_ = options.admin_email;
      admin_password_ = options.admin_password;
    }
  } catch (...) {
    cleanup();
    throw;
  }
}

HeraldProcess::~HeraldProcess() { cleanup(); }

void HeraldProcess::cleanup() noexcept {
  if (pid_ > 0 && !exit_status_) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
  drop_database();
  if (!dir_.empty()) {
    if (keep_files()) {
      std::fprintf(stderr, "[herald_process] kept %s\n", dir_.c_str());
    } else {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
    dir_.clear();
  }
}

void HeraldProcess::create_database() {
  db_name_ = unique_name("herald_it");
  pqxx::connection c(pg_url());
  pqxx::nontransaction tx(c);
  tx.exec("CREATE DATABASE " + tx.quote_name(db_name_));
  db_created_ = true;
  db_url_ = with_database(pg_url(), db_name_);
}

std::string HeraldProcess::superuser_database_url() const {
  auto scheme = db_url_.find("://");
  auto at = db_url_.find('@', scheme + 3);
  auto authority_end = db_url_.find_first_of("/?", scheme + 3);
  if (scheme == std::string::npos) throw std::runtime_error("no database yet");
  std::string host_part = at != std::string::npos && at < authority_end ? db_url_.substr(at + 1) : db_url_.substr(scheme + 3);
  return db_url_.substr(0, scheme + 3) + "postgres@" + host_part;
}

void HeraldProcess::drop_database() noexcept {
  if (!db_created_) return;
  try {
    pqxx::connection c(pg_url());
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(db_name_) + " WITH (FORCE)");
    db_created_ = false;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "[herald_process] could not drop database %s: %s\n", db_name_.c_str(), e.what());
  }
}

void HeraldProcess::spawn(const HeraldOptions& options) {
  std::string exe = options.binary.find('/') == std::string::npos ? bin_dir() + "/" + options.binary : options.binary;
  if (::access(exe.c_str(), X_OK) != 0) throw std::runtime_error(exe + " is not an executable (build it first)");

  // The parent's environment without any HERALD_* configuration, then ours, then the test's.
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string::npos || kv.rfind("HERALD_", 0) == 0) continue;
    env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  env["HERALD_PG_URL"] = db_url_;
  env["HERALD_REDIS_URL"] = redis_url();
  env["HERALD_REDIS_KEY_PREFIX"] = "t" + db_name_;  // parallel tests share one Redis
  env["HERALD_SECURITY_MASTER_KEY_FILE"] = (dir_ / "master.key").string();
  env["HERALD_HTTP_LISTEN_ADDRESS"] = "127.0.0.1";
  env["HERALD_HTTP_PORT"] = "0";
  env["HERALD_HTTP_PORT_FILE"] = (dir_ / "port").string();
  env["HERALD_BOOTSTRAP_CREDENTIALS_FILE"] = credentials_file().string();
  env["HERALD_LOG_FILE"] = (dir_ / "herald.log").string();
  env["HERALD_SECURITY_ARGON2_MEMORY_KIB"] = "1024";
  env["HERALD_SECURITY_ARGON2_ITERATIONS"] = "1";
  env["HERALD_PG_POOL_SIZE"] = "4";
  for (const auto& [k, v] : options.env) env[k] = v;

  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = options.args;
  std::vector<char*> argv{exe.data()};
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int out = ::open((dir_ / "output.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out < 0 || devnull < 0) throw std::runtime_error("cannot open the output log in " + dir_.string());
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    // If the test runner dies, take the server with it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(devnull, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execve(exe.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(out);
  ::close(devnull);
  if (pid < 0) throw std::runtime_error("fork failed: " + std::string(std::strerror(fork_errno)));
  pid_ = pid;
}

bool HeraldProcess::reap(bool block) {
  if (pid_ <= 0 || exit_status_) return true;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r == pid_) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
    return true;
  }
  return r < 0;  // not our child any more: treat as gone
}

bool HeraldProcess::running() { return pid_ > 0 && !reap(false); }

std::string HeraldProcess::failure_context() const {
  return "\n--- output (" + (dir_ / "output.log").string() + ") ---\n" + tail(output_text(), 4000) +
         "\n--- log ---\n" + tail(log_text(), 4000);
}

void HeraldProcess::wait_until_ready(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto port_file = dir_ / "port";
  while (port_ == 0) {
    if (!running()) {
      throw std::runtime_error("herald exited during start-up with status " + std::to_string(exit_status_.value_or(-1)) +
                               failure_context());
    }
    auto text = read_file(port_file);
    if (!text.empty() && text.back() == '\n') {
      port_ = std::atoi(text.c_str());
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("herald did not write its port file within the start-up timeout" + failure_context());
    }
    std::this_thread::sleep_for(20ms);
  }
  Http probe(host(), port_, std::chrono::seconds(2));
  for (;;) {
    auto r = probe.get("/readyz");
    if (r.status == 200) return;
    if (!running()) {
      throw std::runtime_error("herald exited during start-up with status " + std::to_string(exit_status_.value_or(-1)) +
                               failure_context());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("GET /readyz did not answer 200 within the start-up timeout (last: " +
                               std::to_string(r.status) + " " + r.error + " " + r.body + ")" + failure_context());
    }
    std::this_thread::sleep_for(50ms);
  }
}

void HeraldProcess::read_credentials() {
  std::istringstream in(read_file(credentials_file()));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("email=", 0) == 0) admin_email_ = line.substr(6);
    if (line.rfind("password=", 0) == 0) admin_password_ = line.substr(9);
  }
  if (admin_email_.empty() || admin_password_.empty()) {
    throw std::runtime_error("the credentials file " + credentials_file().string() +
                             " does not hold email= and password=" + failure_context());
  }
}

std::string HeraldProcess::log_text() const { return read_file(dir_ / "herald.log"); }
std::string HeraldProcess::output_text() const { return read_file(dir_ / "output.log"); }

int HeraldProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  if (exit_status_) return *exit_status_;
  ::kill(pid_, signal);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (reap(false)) return exit_status_.value_or(-1);
    std::this_thread::sleep_for(10ms);
  }
  ::kill(pid_, SIGKILL);
  reap(true);
  exit_status_ = -1;
  return -1;
}

int HeraldProcess::wait_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (reap(false)) return exit_status_.value_or(-1);
    std::this_thread::sleep_for(10ms);
  }
  return stop(SIGKILL, 5s);
}

// ---------------------------------------------------------------------------------------------
// Http

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

bool HttpResponse::is_problem() const { return header("Content-Type").rfind("application/problem+json", 0) == 0; }

Http::Http(std::string host, int port, std::chrono::seconds timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {}

Http::Http(const HeraldProcess& herald, std::chrono::seconds timeout) : Http(herald.host(), herald.port(), timeout) {}

std::optional<std::string> Http::cookie(const std::string& name) const {
  auto it = cookies_.find(name);
  if (it == cookies_.end()) return std::nullopt;
  return it->second;
}

void Http::clear_credentials() {
  cookies_.clear();
  csrf_.clear();
  bearer_.clear();
}

void Http::remember_cookies(const httplib::Headers& headers) {
  auto range = headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    const std::string& sc = it->second;
    auto semi = sc.find(';');
    std::string pair = sc.substr(0, semi);
    auto eq = pair.find('=');
    if (eq == std::string::npos) continue;
    std::string name = pair.substr(0, eq);
    std::string value = pair.substr(eq + 1);
    bool expired = sc.find("Max-Age=0") != std::string::npos;
    if (value.empty() || expired) {
      cookies_.erase(name);
    } else {
      cookies_[name] = value;
    }
  }
}

HttpResponse Http::send(const std::string& method, const std::string& path, const std::string& body,
                        const std::string& content_type, const httplib::Headers& extra) {
  httplib::Client client(host_, port_);
  client.set_connection_timeout(timeout_);
  client.set_read_timeout(timeout_);
  client.set_write_timeout(timeout_);
  client.set_keep_alive(false);

  httplib::Request req;
  req.method = method;
  req.path = path;
  if (!bearer_.empty()) {
    req.headers.emplace("Authorization", "Bearer " + bearer_);
  } else if (!cookies_.empty()) {
    std::string header;
    for (const auto& [k, v] : cookies_) header += (header.empty() ? "" : "; ") + k + "=" + v;
    req.headers.emplace("Cookie", header);
    bool safe = method == "GET" || method == "HEAD" || method == "OPTIONS";
    if (!safe && auto_csrf_ && !csrf_.empty()) req.headers.emplace("X-CSRF-Token", csrf_);
  }
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    if (!content_type.empty()) req.headers.emplace("Content-Type", content_type);
    req.body = body;
  }
  for (const auto& [k, v] : extra) {
    req.headers.erase(k);
  }
  for (const auto& [k, v] : extra) req.headers.emplace(k, v);

  HttpResponse out;
  auto result = client.send(req);
  if (!result) {
    out.error = httplib::to_string(result.error());
    return out;
  }
  out.status = result->status;
  out.headers = result->headers;
  out.body = result->body;
  out.json = nlohmann::json::parse(out.body, nullptr, false);
  if (out.json.is_discarded()) out.json = nullptr;
  remember_cookies(out.headers);
  return out;
}

HttpResponse Http::get(const std::string& path, const httplib::Headers& extra) { return send("GET", path, "", "", extra); }
HttpResponse Http::del(const std::string& path, const httplib::Headers& extra) {
  return send("DELETE", path, "", "", extra);
}
HttpResponse Http::post(const std::string& path, const nlohmann::json& body, const httplib::Headers& extra) {
  return send("POST", path, body.dump(), "application/json", extra);
}
HttpResponse Http::put(const std::string& path, const nlohmann::json& body, const httplib::Headers& extra) {
  return send("PUT", path, body.dump(), "application/json", extra);
}
HttpResponse Http::patch(const std::string& path, const nlohmann::json& body, const httplib::Headers& extra) {
  return send("PATCH", path, body.dump(), "application/json", extra);
}

HttpResponse Http::login(const std::string& email, const std::string& password) {
  auto r = post("/api/v1/auth/login", {{"email", email}, {"password", password}});
  if (r.status == 200 && r.json.is_object() && r.json.contains("csrf_token") && r.json["csrf_token"].is_string()) {
    csrf_ = r.json["csrf_token"].get<std::string>();
  }
  return r;
}

HttpResponse Http::logout() {
  auto r = post("/api/v1/auth/logout");
  if (r.status == 204) csrf_.clear();
  return r;
}

}  // namespace herald::testing
