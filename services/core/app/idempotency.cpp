#include "services/core/app/idempotency.hpp"

#include <nlohmann/json.hpp>
#include <optional>

#include "services/core/crypto/hash.hpp"
#include "services/core/http/problem.hpp"

namespace herald::core {

namespace {

struct Stored {
  std::string request_hash;
  int status = 0;
  std::string sealed;
};

constexpr std::array<boost::beast::http::field, 3> kReplayedHeaders = {
    boost::beast::http::field::location, boost::beast::http::field::etag,
    boost::beast::http::field::content_type};

}  // namespace

boost::asio::awaitable<http::Response> Idempotency::run(
    http::Request& req, const std::string& scope,
    const std::function<boost::asio::awaitable<http::Response>()>& handler) {
  auto header = req.header("Idempotency-Key");
  if (!header) co_return co_await handler();
  std::string key(*header);
  if (key.empty() || key.size() > 255) {
    http::bad_request("Idempotency-Key must be 1 to 255 characters", {{"field", "Idempotency-Key"}});
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) http::bad_request("Idempotency-Key must be printable ASCII", {{"field", "Idempotency-Key"}});
  }
  std::string request_hash = crypto::sha256_hex(std::string(req.raw.method_string()) + " " + req.path + "\n" + req.raw.body());
  std::string aad = "idempotency:" + scope + ":" + key;

  // Reserve the key, or find what an earlier request left.
  auto existing = co_await blocking_.run([&]() -> std::optional<Stored> {
    return pool_.transact([&](pqxx::work& tx) -> std::optional<Stored> {
      tx.exec("DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'");
      auto inserted = tx.exec_params(
          "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) "
          "ON CONFLICT (scope, key) DO NOTHING RETURNING 1",
          scope, key, request_hash);
      if (!inserted.empty()) return std::nullopt;
      auto r = tx.exec_params1("SELECT request_hash, status, response FROM idempotency_keys WHERE scope = $1 AND key = $2",
                               scope, key);
      Stored s{r[0].as<std::string>(), r[1].as<int>(), ""};
      if (!r[2].is_null()) s.sealed = pqxx::binarystring(r[2]).str();
      return s;
    });
  });
  if (existing) {
    if (existing->request_hash != request_hash) {
      http::invalid_field("Idempotency-Key", "was already used for a different request");
    }
    if (existing->status == 0) http::conflict("a request with this Idempotency-Key is still being processed");
    auto doc = nlohmann::json::parse(keyring_.open(existing->sealed, aad));
    http::Response res{static_cast<boost::beast::http::status>(existing->status), req.raw.version()};
    res.keep_alive(req.raw.keep_alive());
    for (const auto& [name, value] : doc["headers"].items()) res.set(name, value.get<std::string>());
    res.set("Idempotent-Replayed", "true");
    res.body() = doc["body"].get<std::string>();
    res.prepare_payload();
    co_return res;
  }

  std::optional<http::Response> response;
  std::exception_ptr error;
  try {
    response = co_await handler();
  } catch (...) {
    error = std::current_exception();
  }
  if (!response || response->result_int() >= 400) {
    // Release the key: the request had no effect, so a corrected retry may reuse it.
    co_await blocking_.run([&] {
      pool_.transact([&](pqxx::work& tx) {
        tx.exec_params("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2", scope, key);
      });
    });
    if (error) std::rethrow_exception(error);
    co_return std::move(*response);
  }
  nlohmann::json headers = nlohmann::json::object();
  for (auto f : kReplayedHeaders) {
    auto it = response->find(f);
    if (it != response->end()) headers[std::string(boost::beast::http::to_string(f))] = std::string(it->value());
  }
  std::string sealed = keyring_.seal(nlohmann::json{{"body", response->body()}, {"headers", headers}}.dump(), aad);
  int status = response->result_int();
  co_await blocking_.run([&] {
    pool_.transact([&](pqxx::work& tx) {
      tx.exec_params("UPDATE idempotency_keys SET status = $3, response = $4 WHERE scope = $1 AND key = $2", scope,
                     key, status, pqxx::binarystring(sealed));
    });
  });
  co_return std::move(*response);
}

}  // namespace herald::core
