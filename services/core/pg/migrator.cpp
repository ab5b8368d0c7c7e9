#include "services/core/pg/migrator.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>

namespace herald::core::pg {
namespace {

std::string sha256_hex(std::string_view s) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), digest);
  std::string out;
  char buf[3];
  for (unsigned char c : digest) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

constexpr const char* kBookkeeping = R"sql(
CREATE TABLE IF NOT EXISTS herald_migrations (
  service    text        NOT NULL,
  version    integer     NOT NULL,
  name       text        NOT NULL,
  checksum   text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service, version)
))sql";

// One lock id for all Herald migrations: services migrate one after another.
constexpr long long kAdvisoryLock = 0x4845524c44; // "HERLD"

}  // namespace

std::vector<Migration> migrations_from_files(
    const std::map<std::string_view, std::string_view>& files) {
  std::vector<Migration> out;
  for (const auto& [path, text] : files) {
    std::string_view p = path;
    auto slash = p.rfind('/');
    std::string_view dir = slash == std::string_view::npos ? "" : p.substr(0, slash);
    std::string_view file = slash == std::string_view::npos ? p : p.substr(slash + 1);
    if (dir.size() < 10 || dir.substr(dir.size() - 10) != "migrations") continue;
    if (file.size() < 8 || file.substr(file.size() - 4) != ".sql") continue;
    auto underscore = file.find('_');
    if (underscore == std::string_view::npos) {
      throw MigrationError(std::string(path) + ": expected NNN_description.sql");
    }
    int version = 0;
    for (char c : file.substr(0, underscore)) {
      if (c < '0' || c > '9') throw MigrationError(std::string(path) + ": expected NNN_description.sql");
      version = version * 10 + (c - '0');
    }
    out.push_back({version, std::string(file.substr(underscore + 1, file.size() - underscore - 5)),
                   std::string(text), sha256_hex(text)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      throw MigrationError("two migrations numbered " + std::to_string(out[i].version));
    }
  }
  return out;
}

MigrationReport migrate(Pool& pool, const std::string& service, std::vector<Migration> migrations) {
  MigrationReport report;
  auto lease = pool.acquire();
  pqxx::connection& conn = *lease;
  {
    pqxx::nontransaction nt(conn);
    nt.exec("SET statement_timeout = 0");  // migrations may rewrite tables
    nt.exec("SELECT pg_advisory_lock(" + std::to_string(kAdvisoryLock) + ")");
  }
  struct Unlock {
    pqxx::connection& c;
    Pool::Lease& l;
    ~Unlock() {
      try {
        pqxx::nontransaction nt(c);
        nt.exec("SELECT pg_advisory_unlock(" + std::to_string(kAdvisoryLock) + ")");
      } catch (...) {
        l.discard();  // closing the session releases the lock
      }
    }
  } unlock{conn, lease};

  std::map<int, std::string> applied;
  {
    pqxx::work tx(conn);
    tx.exec(kBookkeeping);
    for (const auto& row : tx.exec_params(
             "SELECT version, checksum FROM herald_migrations WHERE service = $1", service)) {
      applied[row[0].as<int>()] = row[1].as<std::string>();
    }
    tx.commit();
  }
  for (const auto& m : migrations) {
    if (auto it = applied.find(m.version); it != applied.end()) {
      if (it->second != m.checksum) {
        throw MigrationError("migration " + service + "/" + std::to_string(m.version) + "_" +
                             m.name + " was changed after it was applied; add a new migration instead");
      }
      report.current_version = m.version;
      continue;
    }
    try {
      pqxx::work tx(conn);
      tx.exec(m.sql);
      tx.exec_params("INSERT INTO herald_migrations (service, version, name, checksum) VALUES ($1, $2, $3, $4)",
                     service, m.version, m.name, m.checksum);
      tx.commit();
    } catch (const pqxx::sql_error& e) {
      throw MigrationError("migration " + service + "/" + std::to_string(m.version) + "_" + m.name +
                           " failed: " + e.what());
    }
    ++report.applied;
    report.current_version = m.version;
  }
  lease.discard();  // its session settings were changed for the migration: start afresh
  return report;
}

int applied_version(Pool& pool, const std::string& service) {
  return pool.transact([&](pqxx::work& tx) {
    auto exists = tx.exec1("SELECT to_regclass('herald_migrations') IS NOT NULL")[0].as<bool>();
    if (!exists) return 0;
    return tx.exec_params1("SELECT coalesce(max(version), 0) FROM herald_migrations WHERE service = $1",
                           service)[0].as<int>();
  });
}

}  // namespace herald::core::pg
