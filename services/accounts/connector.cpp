#include "services/accounts/connector.hpp"

#include "services/core/crypto/decrypt_error.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/crypto/random.hpp"
#include "services/core/http/problem.hpp"

namespace herald::accounts {

namespace http = core::http;
using adapters::ErrorClass;

namespace {

std::string state_hash(const std::string& state) { return AccountStore::hash_state(state); }

// What an adapter's error means for the person connecting, as a 4xx/5xx problem.
[[noreturn]] void platform_refused(const adapters::Error& e, const std::string& what) {
  int status = e.cls == ErrorClass::kRejected || e.cls == ErrorClass::kAuthExpired ? 400 : 502;
  throw http::HttpError(status, "The platform refused", what + ": " + e.message,
                        {{"error_class", std::string(adapters::to_string(e.cls))}, {"platform_code", e.code}});
}

}  // namespace

Connector::Connector(AccountStore& store, const Vault& vault, Platforms& platforms, adapters::Transport& transport,
                     const core::Clock& clock, core::log::Logger& log, std::function<std::string()> redirect_uri)
    : store_(store), vault_(vault), platforms_(platforms), transport_(transport), clock_(clock), log_(log),
      redirect_uri_(std::move(redirect_uri)) {}

std::int64_t Connector::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
}

std::unique_ptr<adapters::Adapter> Connector::adapter_or_throw(const std::string& platform) {
  if (!adapters::is_platform(platform)) http::invalid_field("platform", "unknown platform '" + platform + "'");
  auto a = platforms_.adapter(platform);
  if (!a) http::conflict("platform '" + platform + "' is not configured on this server");
  return a;
}

ConnectStart Connector::start(const iam::Principal& p, const std::string& brand_id, const std::string& platform) {
  auto adapter = adapter_or_throw(platform);
  ConnectStart out;
  out.state = core::crypto::random_token(32);
  std::string verifier = core::crypto::random_token(48);  // 64 base64url characters (RFC 7636: 43-128)
  adapters::AuthorizeRequest req;
  req.redirect_uri = redirect_uri_();
  req.state = out.state;
  req.code_challenge = core::crypto::base64url_encode(core::crypto::sha256(verifier));
  out.authorize_url = adapter->authorize_url(req);
  if (out.authorize_url.empty()) {
    out.mode = "credentials";
    out.state.clear();
    out.fields = adapter->capabilities().mode == adapters::PublishMode::kAssisted
                     ? std::vector<std::string>{"identifier"}
                     : std::vector<std::string>{"identifier", "secret"};
    return out;
  }
  out.mode = "oauth";
  store_.save_flow(state_hash(out.state), OAuthFlow{p.org_id, brand_id, p.user_id, p.email, platform,
                                                    vault_.seal_text("pkce", verifier), req.redirect_uri});
  return out;
}

std::string Connector::complete(const std::string& state, const std::string& code) {
  if (state.empty() || code.empty()) http::bad_request("the callback needs both state and code");
  auto flow = store_.take_flow(state_hash(state));
  if (!flow) http::bad_request("unknown or expired state: start connecting the account again");
  std::string verifier;
  try {
    verifier = vault_.open_text("pkce", flow->sealed_verifier);
  } catch (const core::crypto::DecryptError&) {
    http::bad_request("this connection attempt can no longer be completed: start again");
  }
  auto adapter = adapter_or_throw(flow->platform);
  auto tokens = adapter->exchange_code(transport_, code, verifier, flow->redirect_uri);
  if (!tokens) platform_refused(tokens.error(), "exchanging the authorization code");
  return finish(iam::Actor{flow->user_id, flow->org_id, flow->user_label}, flow->org_id, flow->brand_id, flow->platform,
                *adapter, *tokens);
}

std::string Connector::connect_with_credentials(const iam::Principal& p, const std::string& brand_id,
                                                const std::string& platform, const std::string& identifier,
                                                const std::string& secret) {
  auto adapter = adapter_or_throw(platform);
  bool assisted = adapter->capabilities().mode == adapters::PublishMode::kAssisted;
  if (!adapter->authorize_url({redirect_uri_(), "probe", "", {}}).empty()) {
    http::invalid_field("platform", "'" + platform + "' connects through its OAuth screen, not with credentials");
  }
  if (!assisted && secret.empty()) http::invalid_field("secret", "required for " + platform);
  // The adapters' convention: the secret travels as the code, the identifier as the verifier;
  // assisted platforms only register a handle.
  auto tokens = assisted ? adapter->exchange_code(transport_, identifier, "", "")
                         : adapter->exchange_code(transport_, secret, identifier, "");
  if (!tokens) platform_refused(tokens.error(), "signing in with those credentials");
  return finish(iam::Actor::of(p), p.org_id, brand_id, platform, *adapter, *tokens);
}

std::string Connector::finish(const iam::Actor& actor, const std::string& org_id, const std::string& brand_id,
                              const std::string& platform, adapters::Adapter& adapter,
                              const adapters::TokenSet& tokens) {
  const auto& caps = adapter.capabilities();
  bool assisted = caps.mode == adapters::PublishMode::kAssisted;
  ConnectedAccount a;
  a.org_id = org_id;
  a.brand_id = brand_id;
  a.platform = platform;
  a.sandbox = platforms_.sandbox() && !assisted;
  a.status = assisted ? "assisted" : "connected";
  a.token_expires_at = tokens.expires_at;
  a.granted_scopes = tokens.scopes;
  a.required_scopes = caps.required_scopes;
  a.refreshable = caps.supports_refresh && !tokens.refresh_token.empty();
  a.platform_account_id = tokens.platform_account_id;
  if (!assisted) {
    adapters::Credentials c{tokens.access_token, tokens.platform_account_id, {}};
    auto profile = adapter.fetch_profile(transport_, c);
    if (!profile) platform_refused(profile.error(), "reading the account's profile");
    if (!profile->platform_account_id.empty()) a.platform_account_id = profile->platform_account_id;
    // Some platforms have no handle (LinkedIn members): the name stands in, so lists never show blanks.
    a.handle = profile->handle.empty() ? profile->display_name : profile->handle;
    a.display_name = profile->display_name;
    a.avatar_url = profile->avatar_url;
    a.bio = profile->bio;
    a.verified = profile->verified;
    a.followers = profile->followers;
  } else {
    a.handle = tokens.platform_account_id;
    a.display_name = tokens.platform_account_id;
  }
  if (a.platform_account_id.empty()) http::bad_request("the platform did not say which account this is");
  auto stored = tokens;
  stored.platform_account_id = a.platform_account_id;
  auto id = store_.save_connected(actor, a, [&](const std::string& account_id) -> std::pair<std::string, int> {
    if (assisted) return {"", 0};
    return {vault_.seal(account_id, platform, stored), static_cast<int>(vault_.current_version())};
  });
  log_.info("account connected", {{"account_id", id}, {"platform", platform}, {"brand_id", brand_id}});
  return id;
}

void Connector::record_failure(const std::string& account_id, const std::string& kind, const adapters::Error& e) {
  std::string cls(adapters::to_string(e.cls));
  std::string message = e.message.empty() ? e.code : e.message;
  if (!e.code.empty() && e.code != message) message = e.code + ": " + message;
  store_.mark_error(account_id, message, cls);
  store_.add_event(account_id, kind, cls + ": " + message);
  log_.warn("account health", {{"account_id", account_id}, {"event", kind}, {"error_class", cls}});
}

bool Connector::refresh(const std::string& org_id, const std::string& account_id) {
  auto account = store_.get(org_id, account_id);
  if (!account) http::not_found("no such account");
  if (account->status != "connected") http::conflict("the account is " + account->status);
  auto adapter = adapter_or_throw(account->platform);
  adapters::TokenSet current = open_tokens(*account);
  auto next = adapter->refresh(transport_, current);
  if (!next) {
    record_failure(account_id, "refresh_failed", next.error());
    return false;
  }
  adapters::TokenSet merged = *next;
  if (merged.refresh_token.empty()) merged.refresh_token = current.refresh_token;  // not rotated
  if (merged.platform_account_id.empty()) merged.platform_account_id = current.platform_account_id;
  if (merged.scopes.empty()) merged.scopes = current.scopes;
  store_.put_token(account_id, vault_.seal(account_id, account->platform, merged),
                   static_cast<int>(vault_.current_version()));
  store_.mark_refreshed(account_id, merged.expires_at, merged.scopes);
  return true;
}

bool Connector::check(const std::string& org_id, const std::string& account_id) {
  auto account = store_.get(org_id, account_id);
  if (!account) http::not_found("no such account");
  if (account->status != "connected") http::conflict("the account is " + account->status);
  auto adapter = adapter_or_throw(account->platform);
  auto tokens = open_tokens(*account);
  auto profile = adapter->fetch_profile(transport_, {tokens.access_token, tokens.platform_account_id, {}});
  if (!profile) {
    record_failure(account_id, "check_failed", profile.error());
    return false;
  }
  store_.mark_profile(account_id, profile->handle, profile->display_name, profile->avatar_url, profile->bio,
                      profile->verified, profile->followers);
  store_.add_event(account_id, "checked", "");
  return true;
}

adapters::TokenSet Connector::open_tokens(const AccountRecord& account) {
  auto sealed = store_.sealed_token(account.id);
  if (!sealed) http::conflict("the account holds no token: connect it again");
  try {
    return vault_.open(account.id, account.platform, *sealed);
  } catch (const core::crypto::DecryptError&) {
    std::string why = "the stored token cannot be decrypted with the configured master keys";
    store_.mark_error(account.id, why, "auth_expired");
    store_.add_event(account.id, "vault_error", why);
    throw http::HttpError(409, "Token unavailable", why + ": restore the old key or reconnect the account");
  }
}

void Connector::disconnect(const iam::Principal& p, const std::string& account_id) {
  auto account = store_.get(p.org_id, account_id);
  if (!account) http::not_found("no such account");
  std::string reason = "disconnected by " + p.email;
  if (auto sealed = store_.sealed_token(account_id)) {
    if (auto adapter = platforms_.adapter(account->platform); adapter && adapter->capabilities().supports_revoke) {
      try {
        auto r = adapter->revoke(transport_, vault_.open(account_id, account->platform, *sealed));
        reason += r ? "; token revoked at the platform"
                    : "; the platform did not confirm the revocation (" + r.error().message + ")";
      } catch (const core::crypto::DecryptError&) {
        reason += "; the token could not be decrypted, so it was not revoked at the platform";
      }
    }
  }
  if (!store_.disconnect(iam::Actor::of(p), p.org_id, account_id, reason)) http::conflict("already disconnected");
}

int Connector::refresh_due(std::int64_t ahead_s) {
  int ok = 0;
  for (const auto& [account_id, org_id] : store_.due_for_refresh(now() + ahead_s)) {
    try {
      if (refresh(org_id, account_id)) ++ok;
    } catch (const std::exception& e) {
      // One account's trouble must not stop the others; the health event says what happened.
      store_.mark_error(account_id, "refresh could not run", "retryable");
      log_.warn("token refresh failed", {{"account_id", account_id}, {"error", std::string(e.what())}});
    }
  }
  return ok;
}

RotationReport Connector::rotate_keys() {
  RotationReport report;
  std::string after = "00000000-0000-0000-0000-000000000000";
  while (true) {
    auto page = store_.tokens_after(after);
    if (page.empty()) break;
    for (const auto& t : page) {
      after = t.account_id;
      try {
        if (vault_.version_of(t.sealed) == vault_.current_version()) {
          ++report.already_current;
          continue;
        }
        auto tokens = vault_.open(t.account_id, t.platform, t.sealed);
        store_.put_token(t.account_id, vault_.seal(t.account_id, t.platform, tokens),
                         static_cast<int>(vault_.current_version()));
        ++report.resealed;
      } catch (const core::crypto::DecryptError&) {
        ++report.failed;
      }
    }
  }
  return report;
}

}  // namespace herald::accounts
