#include "adapters/sandbox/oauth.hpp"

#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/crypto/random.hpp"

namespace herald::sandbox {

namespace crypto = core::crypto;

std::string pkce_s256(const std::string& verifier) { return crypto::base64url_encode(crypto::sha256(verifier)); }

bool verify_pkce(const std::string& challenge, const std::string& method, const std::string& verifier) {
  // RFC 7636 section 4.1: 43 to 128 characters of [A-Za-z0-9-._~].
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  for (char c : verifier) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
              c == '_' || c == '~';
    if (!ok) return false;
  }
  auto m = lower(method);
  if (m == "s256") return crypto::constant_time_equal(pkce_s256(verifier), challenge);
  if (m == "plain" || m.empty()) return crypto::constant_time_equal(verifier, challenge);
  return false;
}

OAuthStore::OAuthStore(const core::Clock& clock, std::chrono::seconds token_ttl, std::chrono::seconds code_ttl)
    : clock_(clock), token_ttl_(token_ttl), code_ttl_(code_ttl) {}

std::string OAuthStore::issue_code(const AuthRequest& request) {
  std::lock_guard lock(mutex_);
  std::string code = crypto::random_token(24);
  codes_[code] = Code{request, clock_.steady_now() + code_ttl_, false};
  return code;
}

Token OAuthStore::issue_locked(const std::string& platform, const std::string& account_id, const std::string& client_id,
                               const std::string& scope, bool with_refresh, const std::string& from_code) {
  Token t;
  t.platform = platform;
  t.access_token = crypto::random_token(32);
  if (with_refresh) t.refresh_token = crypto::random_token(32);
  t.account_id = account_id;
  t.client_id = client_id;
  t.scope = scope;
  t.issued_at = clock_.now();
  t.expires_at = t.issued_at + token_ttl_;
  t.from_code = from_code;
  by_access_[t.access_token] = tokens_.size();
  if (with_refresh) by_refresh_[t.refresh_token] = tokens_.size();
  tokens_.push_back(t);
  return t;
}

GrantResult OAuthStore::redeem_code(const std::string& platform, const std::string& code, const std::string& client_id,
                                    const std::string& redirect_uri, const std::string& code_verifier,
                                    bool with_refresh, bool check_redirect_uri) {
  std::lock_guard lock(mutex_);
  GrantResult r;
  auto it = codes_.find(code);
  if (it == codes_.end() || it->second.request.platform != platform) {
    return {GrantError::invalid_grant, "unknown authorization code", {}};
  }
  auto& c = it->second;
  if (c.used) {
    // A replayed code: refuse it and revoke what it produced (RFC 6749 section 4.1.2).
    for (auto& t : tokens_) {
      if (t.from_code == code) t.revoked = true;
    }
    return {GrantError::invalid_grant, "authorization code already used", {}};
  }
  if (clock_.steady_now() >= c.expires) return {GrantError::invalid_grant, "authorization code expired", {}};
  if (c.request.client_id != client_id) return {GrantError::invalid_grant, "code was issued to another client", {}};
  if (check_redirect_uri && c.request.redirect_uri != redirect_uri) {
    return {GrantError::invalid_grant, "redirect_uri does not match the authorization request", {}};
  }
  if (!c.request.code_challenge.empty()) {
    if (code_verifier.empty()) return {GrantError::invalid_request, "code_verifier is required", {}};
    if (!verify_pkce(c.request.code_challenge, c.request.code_challenge_method, code_verifier)) {
      return {GrantError::invalid_grant, "code_verifier does not match the code_challenge", {}};
    }
  }
  c.used = true;
  r.token = issue_locked(platform, c.request.account_id, client_id, c.request.scope, with_refresh, code);
  return r;
}

GrantResult OAuthStore::refresh(const std::string& platform, const std::string& refresh_token,
                                const std::string& client_id, bool rotate) {
  std::lock_guard lock(mutex_);
  auto it = by_refresh_.find(refresh_token);
  if (it == by_refresh_.end()) return {GrantError::invalid_grant, "unknown refresh token", {}};
  auto& old = tokens_[it->second];
  if (old.platform != platform) return {GrantError::invalid_grant, "unknown refresh token", {}};
  if (old.revoked) return {GrantError::invalid_grant, "refresh token revoked", {}};
  if (!client_id.empty() && old.client_id != client_id) {
    return {GrantError::invalid_grant, "refresh token was issued to another client", {}};
  }
  Token copy = old;
  GrantResult r;
  if (rotate) {
    old.revoked = true;  // rotation: the old pair stops working
    r.token = issue_locked(platform, copy.account_id, copy.client_id, copy.scope, true, copy.from_code);
    return r;
  }
  // The same refresh token, now paired with the new access token (the old access token is left to expire).
  r.token = issue_locked(platform, copy.account_id, copy.client_id, copy.scope, false, copy.from_code);
  r.token.refresh_token = copy.refresh_token;
  tokens_.back().refresh_token = copy.refresh_token;
  by_refresh_[copy.refresh_token] = tokens_.size() - 1;
  return r;
}

std::optional<Token> OAuthStore::find_issued(const std::string& platform, const std::string& account_id,
                                             const std::string& client_id) const {
  std::lock_guard lock(mutex_);
  auto now = clock_.now();
  for (auto it = tokens_.rbegin(); it != tokens_.rend(); ++it) {
    if (it->platform == platform && it->account_id == account_id && it->client_id == client_id &&
        it->from_code.empty() && !it->revoked && now < it->expires_at) {
      return *it;
    }
  }
  return std::nullopt;
}

Token OAuthStore::issue(const std::string& platform, const std::string& account_id, const std::string& client_id,
                        const std::string& scope, bool with_refresh) {
  std::lock_guard lock(mutex_);
  return issue_locked(platform, account_id, client_id, scope, with_refresh, "");
}

bool OAuthStore::revoke(const std::string& platform, const std::string& token) {
  std::lock_guard lock(mutex_);
  std::size_t index = 0;
  if (auto a = by_access_.find(token); a != by_access_.end()) {
    index = a->second;
  } else if (auto r = by_refresh_.find(token); r != by_refresh_.end()) {
    index = r->second;
  } else {
    return false;
  }
  auto& t = tokens_[index];
  if (t.platform != platform) return false;
  t.revoked = true;
  return true;
}

int OAuthStore::revoke_account(const std::string& platform, const std::string& account_id) {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (auto& t : tokens_) {
    if (t.platform == platform && t.account_id == account_id && !t.revoked) {
      t.revoked = true;
      ++n;
    }
  }
  return n;
}

TokenCheck OAuthStore::check(const std::string& platform, const std::string& access_token) const {
  std::lock_guard lock(mutex_);
  auto it = by_access_.find(access_token);
  if (it == by_access_.end()) return {};
  const auto& t = tokens_[it->second];
  if (t.platform != platform) return {};
  if (t.revoked) return {TokenState::revoked, t.account_id, t.scope};
  if (clock_.now() >= t.expires_at) return {TokenState::expired, t.account_id, t.scope};
  return {TokenState::valid, t.account_id, t.scope};
}

TokenCheck OAuthStore::check_refresh(const std::string& platform, const std::string& refresh_token) const {
  std::lock_guard lock(mutex_);
  auto it = by_refresh_.find(refresh_token);
  if (it == by_refresh_.end()) return {};
  const auto& t = tokens_[it->second];
  if (t.platform != platform) return {};
  if (t.revoked) return {TokenState::revoked, t.account_id, t.scope};
  return {TokenState::valid, t.account_id, t.scope};
}

}  // namespace herald::sandbox
