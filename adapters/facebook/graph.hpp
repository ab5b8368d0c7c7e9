#pragma once
// Meta Graph API pieces shared by the Facebook Pages and Instagram adapters: the API version, the
// request shape (Bearer token + appsecret_proof), the error mapping, Facebook Login's code exchange
// and the webhook handshake and X-Hub-Signature-256 check.
//   Errors:        https://developers.facebook.com/docs/graph-api/guides/error-handling
//   Rate limits:   https://developers.facebook.com/docs/graph-api/overview/rate-limiting
//   Login:         https://developers.facebook.com/documentation/facebook-login/guides/advanced/manual-flow
//   Long-lived:    https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
//   Securing:      https://developers.facebook.com/docs/graph-api/securing-requests (appsecret_proof)
//   Webhooks:      https://developers.facebook.com/docs/graph-api/webhooks/getting-started
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "herald/adapters/http.hpp"
#include "herald/adapters/result.hpp"
#include "herald/adapters/types.hpp"

namespace herald::adapters::graph {

// Every Graph path is /<version>/...; bump it here only.
inline constexpr const char* kVersion = "v19.0";

using Fields = std::vector<std::pair<std::string, std::string>>;

class Client {
 public:
  explicit Client(const Endpoint& endpoint) : endpoint_(endpoint) {}

  // base_url + "/v19.0" + path, with appsecret_proof in the query when the app secret is known.
  [[nodiscard]] std::string url(const std::string& path, const std::string& token, Fields query = {}) const;
  [[nodiscard]] HttpRequest get(const std::string& path, const std::string& token, Fields query = {}) const;
  [[nodiscard]] HttpRequest post_form(const std::string& path, const std::string& token, const Fields& form) const;
  [[nodiscard]] HttpRequest post_json(const std::string& path, const std::string& token,
                                      const nlohmann::json& body) const;
  [[nodiscard]] HttpRequest del(const std::string& path, const std::string& token) const;

  // The dialog at auth_base_url + /v19.0/dialog/oauth (scopes comma-separated).
  [[nodiscard]] std::string dialog_url(const AuthorizeRequest& r, const std::vector<std::string>& default_scopes) const;
  // code -> short-lived user token -> long-lived user token (GET /oauth/access_token twice).
  Result<TokenSet> long_lived_user_token(Transport& t, const std::string& code, const std::string& redirect_uri,
                                         std::int64_t now) const;

  const std::string& app_secret() const { return endpoint_.client_secret; }

 private:
  const Endpoint& endpoint_;
};

// A 2xx body as JSON, or the classified error (the Graph error body refines classify_http):
// code 190 (and 102) -> kAuthExpired; 4, 17, 32, 341, 613, 80001-80014 and Instagram's 9 ->
// kRateLimited with retry_after from X-Business-Use-Case-Usage (estimated_time_to_regain_access,
// minutes), X-Ad-Account-Usage (reset_time_duration) or 10 minutes; 1, 2 or is_transient ->
// kRetryable (kUnknownOutcome for a mutating call whose transport failed after writing); other
// codes (100, 200-299, 368, ...) -> kRejected. Error::code is "<code>" or "<code>/<subcode>".
Result<nlohmann::json> parse(const HttpResponse& r, bool mutating, std::int64_t now);
Error error_of(const HttpResponse& r, bool mutating, std::int64_t now);
// Whether the error is Graph's "object does not exist" (code 100, subcode 33) or a 404.
bool is_missing(const Error& e);

// Verifies a webhook: the GET subscription handshake (hub.mode=subscribe, hub.verify_token must
// equal `verify_token`) answers hub.challenge; a POST must carry X-Hub-Signature-256 =
// "sha256=" + hex HMAC-SHA256(app_secret, raw body), compared in constant time. Returns the
// challenge for a handshake, nullopt for a verified POST, or kRejected "bad_signature" /
// "bad_verify_token".
Result<std::optional<std::string>> verify_webhook(const WebhookRequest& w, const std::string& app_secret,
                                                  const std::string& verify_token);

// The decimal amount Meta reports ("12.34" in the account currency) in minor units (1234), by the
// currency's ISO 4217 exponent (JPY 0, KWD 3, most 2); rounds half up past the exponent.
std::int64_t to_minor_units(const std::string& decimal, const std::string& currency);
// A Marketing API budget field (daily_budget: 1/100 of the currency, whole units for Meta's
// "offset 1" currencies such as JPY and HUF) in ISO 4217 minor units.
std::int64_t budget_to_minor(std::int64_t meta_value, const std::string& currency);

}  // namespace herald::adapters::graph
