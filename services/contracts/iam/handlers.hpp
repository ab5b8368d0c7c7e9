#pragma once
// The handler plumbing every module's api/ shares: authentication wrappers, path parameters,
// permission checks and ETags, so each handler is only its own logic.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "services/contracts/iam/identity.hpp"
#include "services/core/app/idempotency.hpp"
#include "services/core/http/router.hpp"

namespace herald::iam {

using AuthedHandler =
    std::function<boost::asio::awaitable<core::http::Response>(core::http::Request&, const Principal&)>;

// Wraps a handler so it runs only for an authenticated caller (401 otherwise).
core::http::Handler authed(Identity& identity, AuthedHandler handler);
// The same for a creating POST: honours Idempotency-Key per caller.
core::http::Handler authed_create(Identity& identity, core::Idempotency& idempotency, AuthedHandler handler);

// The {name} path parameter, which must be a UUID (400 otherwise).
const std::string& uuid_param(const core::http::Request& req, const std::string& name);
// 403 unless the principal holds `permission` on `brand_id`.
void require_permission(const Principal& p, std::string_view permission, const std::string& brand_id);
// 403 unless the principal holds `permission` on that account of the brand (account scope).
void require_account_permission(const Principal& p, std::string_view permission, const std::string& brand_id,
                                const std::string& account_id);
void require_admin(const Principal& p);
// If-Match: "v<N>" -> N; nullopt when absent; 400 when malformed.
std::optional<int> if_match_version(const core::http::Request& req);
std::string etag(int version);
// A JSON response whose ETag carries the document's "version" member (0 when it has none).
core::http::Response versioned_response(const core::http::Request& req, int status, const nlohmann::json& doc);

}  // namespace herald::iam
