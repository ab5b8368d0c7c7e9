#pragma once
// The OAuth 2.0 authorization endpoint every emulated platform serves at its own path.
// GET shows a small HTML page (plainly "Herald sandbox: simulated <Platform>, not the real
// service") with a handle field prefilled "demo_<platform>" and Approve / Deny buttons. The form
// POSTs to the same path with the original query parameters plus `handle` and
// `decision=approve|deny`; the answer is a 302 to redirect_uri with `code` and `state`, or with
// `error=access_denied` and `state`. A wrong client_id or a missing/invalid redirect_uri is
// shown as an error page (never redirected, RFC 6749 section 4.1.2.1).
#include <functional>
#include <string>

#include "adapters/sandbox/oauth.hpp"
#include "adapters/sandbox/state_store.hpp"
#include "services/core/http/request.hpp"

namespace herald::sandbox {

struct AuthorizeSpec {
  std::string platform;
  std::string display_name;
  std::string client_id;
  bool pkce_required = false;
  // The query parameter that names the app (Douyin: "client_key").
  std::string client_id_param = "client_id";
  // Where response_type may be left out and means "code" (Facebook, Weibo).
  bool response_type_optional = false;
};

using AccountForHandle = std::function<Account(const std::string& handle)>;

[[nodiscard]] core::http::Response handle_authorize(const core::http::Request& req, const AuthorizeSpec& spec,
                                                    OAuthStore& oauth, const AccountForHandle& account_for_handle);

// True for 1-64 characters of [A-Za-z0-9_.-] (what the page accepts as a handle).
[[nodiscard]] bool valid_handle(const std::string& handle);

}  // namespace herald::sandbox
