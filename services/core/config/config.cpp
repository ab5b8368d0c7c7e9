#include "services/core/config/config.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

extern char** environ;

namespace herald::core::config {
namespace {

using Setter = std::function<void(Config&, const std::string& value)>;

struct Key {
  std::string section;
  std::string name;
  bool secret;
  Setter set;
};

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

long long parse_int(const std::string& where, const std::string& v, long long lo, long long hi) {
  try {
    std::size_t pos = 0;
    long long n = std::stoll(v, &pos);
    if (pos != v.size()) throw std::invalid_argument("trailing");
    if (n < lo || n > hi) {
      throw ConfigError(where + ": " + v + " is out of range [" + std::to_string(lo) + ", " +
                        std::to_string(hi) + "]");
    }
    return n;
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception&) {
    throw ConfigError(where + ": expected an integer, got '" + v + "'");
  }
}

bool parse_bool(const std::string& where, const std::string& v) {
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  throw ConfigError(where + ": expected true or false, got '" + v + "'");
}

template <class T>
Setter int_field(T Config::*section, auto member, long long lo, long long hi) {
  return [=](Config& c, const std::string& v) {
    (c.*section).*member = static_cast<std::remove_reference_t<decltype((c.*section).*member)>>(
        parse_int("value", v, lo, hi));
  };
}

template <class T, class Duration>
Setter duration_field(T Config::*section, Duration T::*member, long long lo, long long hi) {
  return [=](Config& c, const std::string& v) {
    (c.*section).*member = Duration{parse_int("value", v, lo, hi)};
  };
}

template <class T>
Setter str_field(T Config::*section, std::string T::*member) {
  return [=](Config& c, const std::string& v) { (c.*section).*member = v; };
}

// "all", "none" or a comma list of background modules, each named once.
void set_process_run(Config& c, const std::string& v) {
  std::set<std::string, std::less<>> run;
  if (v == "all") {
    run.insert(kBackgroundModules.begin(), kBackgroundModules.end());
  } else if (v != "none") {
    std::string known;
    for (auto m : kBackgroundModules) known += (known.empty() ? "" : ", ") + std::string(m);
    std::stringstream in(v);
    std::string name;
    while (std::getline(in, name, ',')) {
      if (std::find(kBackgroundModules.begin(), kBackgroundModules.end(), name) == kBackgroundModules.end()) {
        throw ConfigError("'" + name + "' is not a module (all, none, or a comma list of " + known + ")");
      }
      if (!run.insert(name).second) throw ConfigError("'" + name + "' is named twice");
    }
    if (run.empty()) throw ConfigError("empty: use none for a process that only serves the API");
  }
  c.process.run = std::move(run);
}

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"process", "run", false, set_process_run},
      {"http", "listen_address", false, str_field(&Config::http, &HttpConfig::listen_address)},
      {"http", "port", false, int_field(&Config::http, &HttpConfig::port, 0, 65535)},
      {"http", "port_file", false, str_field(&Config::http, &HttpConfig::port_file)},
      {"http", "io_threads", false, int_field(&Config::http, &HttpConfig::io_threads, 1, 256)},
      {"http", "body_limit_bytes", false,
       int_field(&Config::http, &HttpConfig::body_limit_bytes, 1024, 1LL << 30)},
      {"http", "read_timeout_ms", false,
       duration_field(&Config::http, &HttpConfig::read_timeout, 100, 600000)},
      {"http", "idle_timeout_ms", false,
       duration_field(&Config::http, &HttpConfig::idle_timeout, 100, 3600000)},
      {"http", "drain_timeout_ms", false,
       duration_field(&Config::http, &HttpConfig::drain_timeout, 0, 600000)},
      {"http", "max_connections", false,
       int_field(&Config::http, &HttpConfig::max_connections, 1, 1000000)},
      {"pg", "url", true, str_field(&Config::pg, &PgConfig::url)},
      {"pg", "pool_size", false, int_field(&Config::pg, &PgConfig::pool_size, 1, 512)},
      {"pg", "statement_timeout_ms", false,
       duration_field(&Config::pg, &PgConfig::statement_timeout, 10, 3600000)},
      {"pg", "acquire_timeout_ms", false,
       duration_field(&Config::pg, &PgConfig::acquire_timeout, 10, 600000)},
      {"redis", "url", true, str_field(&Config::redis, &RedisConfig::url)},
      {"redis", "key_prefix", false, str_field(&Config::redis, &RedisConfig::key_prefix)},
      {"redis", "pool_size", false, int_field(&Config::redis, &RedisConfig::pool_size, 1, 512)},
      {"redis", "command_timeout_ms", false,
       duration_field(&Config::redis, &RedisConfig::command_timeout, 10, 600000)},
      {"security", "master_key", true, str_field(&Config::security, &SecurityConfig::master_key)},
      {"security", "master_key_file", false,
       str_field(&Config::security, &SecurityConfig::master_key_file)},
      {"security", "blocking_threads", false,
       int_field(&Config::security, &SecurityConfig::blocking_threads, 1, 512)},
      {"security", "argon2_memory_kib", false,
       int_field(&Config::security, &SecurityConfig::argon2_memory_kib, 8, 4 << 20)},
      {"security", "argon2_iterations", false,
       int_field(&Config::security, &SecurityConfig::argon2_iterations, 1, 64)},
      {"security", "session_ttl_s", false,
       duration_field(&Config::security, &SecurityConfig::session_ttl, 60, 90LL * 24 * 3600)},
      {"security", "cookie_secure", false,
       [](Config& c, const std::string& v) {
         c.security.cookie_secure = parse_bool("value", v);
       }},
      {"bootstrap", "admin_email", false,
       str_field(&Config::bootstrap, &BootstrapConfig::admin_email)},
      {"bootstrap", "credentials_file", false,
       str_field(&Config::bootstrap, &BootstrapConfig::credentials_file)},
      {"log", "level", false, str_field(&Config::log, &LogConfig::level)},
      {"log", "file", false, str_field(&Config::log, &LogConfig::file)},
      {"web", "root", false, str_field(&Config::web, &WebConfig::root)},
      {"platforms", "sandbox_file", false, str_field(&Config::platforms, &PlatformsConfig::sandbox_file)},
      {"platforms", "sandbox_client_secret", true,
       str_field(&Config::platforms, &PlatformsConfig::sandbox_client_secret)},
      {"platforms", "public_url", false, str_field(&Config::platforms, &PlatformsConfig::public_url)},
      {"platforms", "refresh_interval_s", false,
       duration_field(&Config::platforms, &PlatformsConfig::refresh_interval, 1, 86400)},
      {"platforms", "refresh_ahead_s", false,
       duration_field(&Config::platforms, &PlatformsConfig::refresh_ahead, 0, 30LL * 86400)},
      {"publishing", "approval_deadline_s", false,
       duration_field(&Config::publishing, &PublishingConfig::approval_deadline, 0, 30LL * 86400)},
      {"inbox", "first_response_s", false,
       duration_field(&Config::inbox, &InboxConfig::first_response, 60, 7LL * 86400)},
      {"inbox", "sla_sweep_ms", false, duration_field(&Config::inbox, &InboxConfig::sla_sweep, 100, 3600000)},
      {"inbox", "poll_interval_ms", false, duration_field(&Config::inbox, &InboxConfig::poll_interval, 100, 86400000)},
      {"scheduler", "governor_scale", false,
       int_field(&Config::scheduler, &SchedulerConfig::governor_scale, 1, 1000000)},
      {"worker", "threads", false, int_field(&Config::worker, &WorkerConfig::threads, 1, 256)},
      {"worker", "lease_ms", false, duration_field(&Config::worker, &WorkerConfig::lease, 1000, 3600000)},
  };
  return k;
}

const Key* find_key(const std::string& section, const std::string& name) {
  for (const auto& k : keys()) {
    if (k.section == section && k.name == name) return &k;
  }
  return nullptr;
}

bool known_section(const std::string& section) {
  for (const auto& k : keys()) {
    if (k.section == section) return true;
  }
  return false;
}

void apply(Config& c, const Key& key, const std::string& value, const std::string& origin) {
  try {
    key.set(c, value);
  } catch (const ConfigError& e) {
    // Never echo a secret's value back.
    std::string what = key.secret ? std::string("invalid value") : e.what();
    throw ConfigError(origin + " (" + key.section + "." + key.name + "): " + what);
  }
}

std::string json_scalar(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  throw ConfigError("expected a string, integer or boolean");
}

void apply_file(Config& c, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("configuration file " + path + " cannot be read");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError("configuration file " + path + " is not valid JSON: " + e.what());
  }
  if (!doc.is_object()) throw ConfigError("configuration file " + path + ": expected an object");
  for (const auto& [section, body] : doc.items()) {
    if (!known_section(section)) {
      throw ConfigError("configuration file " + path + ": unknown section '" + section + "'");
    }
    if (!body.is_object()) {
      throw ConfigError("configuration file " + path + ": section '" + section +
                        "' must be an object");
    }
    for (const auto& [name, value] : body.items()) {
      const Key* key = find_key(section, name);
      if (key == nullptr) {
        throw ConfigError("configuration file " + path + ": unknown key '" + section + "." +
                          name + "'");
      }
      std::string text;
      try {
        text = json_scalar(value);
      } catch (const ConfigError& e) {
        throw ConfigError("configuration file " + path + " (" + section + "." + name +
                          "): " + e.what());
      }
      apply(c, *key, text, "configuration file " + path);
    }
  }
}

void apply_env(Config& c, const std::map<std::string, std::string>& env) {
  // Every HERALD_<SECTION>_<KEY> whose section is known must name a known key.
  for (const auto& [var, value] : env) {
    if (var.rfind("HERALD_", 0) != 0) continue;
    std::string rest = var.substr(7);
    std::string matched_section;
    for (const auto& k : keys()) {
      std::string prefix = upper(k.section) + "_";
      if (rest.rfind(prefix, 0) == 0 && prefix.size() > matched_section.size()) {
        matched_section = k.section;
      }
    }
    if (matched_section.empty()) continue;  // not configuration (HERALD_CONFIG, HERALD_TEST_...)
    std::string name = rest.substr(matched_section.size() + 1);
    const Key* key = nullptr;
    for (const auto& k : keys()) {
      if (k.section == matched_section && upper(k.name) == name) key = &k;
    }
    if (key == nullptr) {
      throw ConfigError("unknown configuration variable " + var + " (no key '" +
                        matched_section + "." + name + "')");
    }
    apply(c, *key, value, "environment variable " + var);
  }
}

void validate(const Config& c) {
  if (c.pg.url.empty()) {
    throw ConfigError("missing secret pg.url (set HERALD_PG_URL)");
  }
  if (c.redis.url.empty()) {
    throw ConfigError("missing redis.url (set HERALD_REDIS_URL)");
  }
  if (c.security.master_key.empty() && c.security.master_key_file.empty()) {
    throw ConfigError(
        "missing secret security.master_key (set HERALD_SECURITY_MASTER_KEY or "
        "HERALD_SECURITY_MASTER_KEY_FILE)");
  }
  if (!c.security.master_key.empty() && !c.security.master_key_file.empty()) {
    throw ConfigError("set only one of security.master_key and security.master_key_file");
  }
  if (c.log.level != "debug" && c.log.level != "info" && c.log.level != "warn" &&
      c.log.level != "error") {
    throw ConfigError("log.level must be one of debug, info, warn, error (got '" + c.log.level +
                      "')");
  }
}

}  // namespace

std::string Config::master_key_spec() const {
  if (!security.master_key.empty()) return security.master_key;
  std::ifstream in(security.master_key_file);
  if (!in) {
    throw ConfigError("security.master_key_file: " + security.master_key_file +
                      " cannot be read");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.empty()) throw ConfigError("security.master_key_file: " + security.master_key_file + " is empty");
  return s;
}

Config load(const std::map<std::string, std::string>& env, std::optional<std::string> file) {
  Config c;
  if (!file) {
    if (auto it = env.find("HERALD_CONFIG"); it != env.end() && !it->second.empty()) {
      file = it->second;
    }
  }
  if (file) apply_file(c, *file);
  apply_env(c, env);
  validate(c);
  return c;
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    out.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return out;
}

}  // namespace herald::core::config
