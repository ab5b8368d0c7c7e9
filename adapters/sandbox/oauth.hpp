#pragma once
// OAuth 2.0 authorization codes and tokens for every emulated platform (RFC 6749, RFC 7636 PKCE,
// RFC 7009 revocation). Platforms call this from their own endpoints and render the results in
// their own error shapes. Codes are single-use, expire after code_ttl (60 s), and are bound to
// the client id, redirect URI and PKCE challenge; a second use of a code also revokes the tokens
// issued from it (RFC 6749 section 4.1.2). Access tokens expire after token_ttl; refresh tokens
// rotate on use, or stay the same where the platform keeps them (LinkedIn, Douyin).
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "services/core/util/clock.hpp"

namespace herald::sandbox {

// RFC 7636 section 4.6: S256 (case-insensitive, as twitter-api-v2 sends "s256") or plain.
[[nodiscard]] bool verify_pkce(const std::string& challenge, const std::string& method, const std::string& verifier);
// base64url(SHA-256(verifier)), unpadded.
[[nodiscard]] std::string pkce_s256(const std::string& verifier);

struct AuthRequest {
  std::string platform;
  std::string client_id;
  std::string redirect_uri;
  std::string scope;
  std::string code_challenge;         // empty: no PKCE
  std::string code_challenge_method;  // "S256" or "plain"
  std::string account_id;             // the account that approved
};

struct Token {
  std::string platform;
  std::string access_token;
  std::string refresh_token;  // empty: none issued
  std::string account_id;
  std::string client_id;
  std::string scope;
  std::chrono::system_clock::time_point issued_at{};
  std::chrono::system_clock::time_point expires_at{};
  bool revoked = false;
  std::string from_code;  // the authorization code it came from
};

enum class GrantError { none, invalid_request, invalid_client, invalid_grant, unsupported_grant_type };

struct GrantResult {
  GrantError error = GrantError::none;
  std::string description;  // never contains a token or secret
  Token token;
};

enum class TokenState { valid, unknown, expired, revoked };

struct TokenCheck {
  TokenState state = TokenState::unknown;
  std::string account_id;
  std::string scope;
};

class OAuthStore {
 public:
  OAuthStore(const core::Clock& clock, std::chrono::seconds token_ttl,
             std::chrono::seconds code_ttl = std::chrono::seconds(60));

  [[nodiscard]] std::chrono::seconds token_ttl() const { return token_ttl_; }

  std::string issue_code(const AuthRequest& request);
  // The authorization_code grant. `with_refresh` says whether to issue a refresh token. Platforms whose token
  // endpoint takes no redirect_uri (Douyin) pass check_redirect_uri = false.
  GrantResult redeem_code(const std::string& platform, const std::string& code, const std::string& client_id,
                          const std::string& redirect_uri, const std::string& code_verifier, bool with_refresh,
                          bool check_redirect_uri = true);
  // The refresh_token grant: a new access token. With `rotate`, a new refresh token too and the old pair is
  // revoked; without (LinkedIn, Douyin keep the refresh token), the refresh token stays the same and the old
  // access token lives on until it expires.
  GrantResult refresh(const std::string& platform, const std::string& refresh_token, const std::string& client_id,
                      bool rotate = true);
  // Tokens without a code (Bluesky sessions, client credentials).
  Token issue(const std::string& platform, const std::string& account_id, const std::string& client_id,
              const std::string& scope, bool with_refresh);
  // The newest valid (unexpired, unrevoked) token issued to the account without a code by `client_id`, if
  // any: WeChat's stable_token answers the same token while it is valid.
  [[nodiscard]] std::optional<Token> find_issued(const std::string& platform, const std::string& account_id,
                                                 const std::string& client_id) const;
  // Revokes the token (access or refresh) and its pair; false if unknown.
  bool revoke(const std::string& platform, const std::string& token);
  // Revokes every token of the account; returns how many pairs.
  int revoke_account(const std::string& platform, const std::string& account_id);

  [[nodiscard]] TokenCheck check(const std::string& platform, const std::string& access_token) const;
  // A valid (unexpired, unrevoked) refresh token's owner.
  [[nodiscard]] TokenCheck check_refresh(const std::string& platform, const std::string& refresh_token) const;

 private:
  struct Code {
    AuthRequest request;
    std::chrono::steady_clock::time_point expires{};
    bool used = false;
  };
  Token issue_locked(const std::string& platform, const std::string& account_id, const std::string& client_id,
                     const std::string& scope, bool with_refresh, const std::string& from_code);

  const core::Clock& clock_;
  std::chrono::seconds token_ttl_;
  std::chrono::seconds code_ttl_;
  mutable std::mutex mutex_;
  std::map<std::string, Code> codes_;
  std::vector<Token> tokens_;
  std::map<std::string, std::size_t> by_access_;
  std::map<std::string, std::size_t> by_refresh_;
};

}  // namespace herald::sandbox
