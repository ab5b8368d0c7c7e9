#include "services/contracts/iam/handlers.hpp"

#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::iam {

namespace http = core::http;

http::Handler authed(Identity& identity, AuthedHandler handler) {
  return [&identity, handler = std::move(handler)](http::Request& req) -> boost::asio::awaitable<http::Response> {
    Principal p = co_await identity.require(req);
    co_return co_await handler(req, p);
  };
}

http::Handler authed_create(Identity& identity, core::Idempotency& idempotency, AuthedHandler handler) {
  return [&identity, &idempotency, handler = std::move(handler)](
             http::Request& req) -> boost::asio::awaitable<http::Response> {
    Principal p = co_await identity.require(req);
    co_return co_await idempotency.run(req, p.user_id, [&]() { return handler(req, p); });
  };
}

const std::string& uuid_param(const http::Request& req, const std::string& name) {
  const auto& v = req.param(name);
  if (!core::is_uuid(v)) http::bad_request("malformed " + name + ": expected a UUID", {{"field", name}});
  return v;
}

void require_permission(const Principal& p, std::string_view permission, const std::string& brand_id) {
  if (!p.can(permission, brand_id)) {
    http::forbidden("you do not have " + std::string(permission) + " on this brand");
  }
}

void require_account_permission(const Principal& p, std::string_view permission, const std::string& brand_id,
                                const std::string& account_id) {
  if (!p.can_on_account(permission, brand_id, account_id)) {
    http::forbidden("you do not have " + std::string(permission) + " on this account");
  }
}

void require_admin(const Principal& p) {
  if (!p.is_admin) http::forbidden("only organization admins may do this");
}

std::optional<int> if_match_version(const http::Request& req) {
  auto h = req.header("If-Match");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.size() < 2 || v.front() != 'v') http::bad_request("If-Match must be an ETag from this API, like \"v3\"");
  int n = 0;
  for (char c : v.substr(1)) {
    if (c < '0' || c > '9' || n > 100000000) http::bad_request("If-Match must be an ETag from this API, like \"v3\"");
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string etag(int version) { return "\"v" + std::to_string(version) + "\""; }

core::http::Response versioned_response(const core::http::Request& req, int status, const nlohmann::json& doc) {
  auto res = core::http::json_response(req, status, doc);
  res.set("ETag", etag(doc.value("version", 0)));
  return res;
}

}  // namespace herald::iam
