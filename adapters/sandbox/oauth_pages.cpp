#include "adapters/sandbox/oauth_pages.hpp"

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/util.hpp"

namespace herald::sandbox {

namespace http = core::http;

bool valid_handle(const std::string& handle) {
  if (handle.empty() || handle.size() > 64) return false;
  for (char c : handle) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

http::Response html(const http::Request& req, int status, const std::string& body) {
  http::Response res{static_cast<http::beast_http::status>(status), req.raw.version()};
  res.set(http::beast_http::field::content_type, "text/html; charset=utf-8");
  res.set(http::beast_http::field::cache_control, "no-store");
  res.keep_alive(req.raw.keep_alive());
  res.body() = body;
  res.prepare_payload();
  return res;
}

std::string page(const AuthorizeSpec& spec, const std::string& inner) {
  std::string banner = "Herald sandbox: simulated " + spec.display_name + ", not the real service";
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html_escape(banner) +
         "</title><style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto}"
         ".banner{background:#fff3cd;border:1px solid #e0c060;padding:.75rem}</style></head><body>\n"
         "<p class=\"banner\"><strong>" +
         html_escape(banner) + "</strong></p>\n" + inner + "</body></html>\n";
}

http::Response error_page(const http::Request& req, const AuthorizeSpec& spec, const std::string& message) {
  return html(req, 400, page(spec, "<h1>Authorization error</h1>\n<p>" + html_escape(message) + "</p>\n"));
}

std::string redirect_with(const std::string& redirect_uri, const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string url = redirect_uri;
  for (const auto& [k, v] : kv) append_query(url, k, v);
  return url;
}

http::Response found(const http::Request& req, const std::string& location) {
  auto res = http::empty_response(req, 302);
  res.set(http::beast_http::field::location, location);
  res.set(http::beast_http::field::cache_control, "no-store");
  return res;
}

}  // namespace

http::Response handle_authorize(const http::Request& req, const AuthorizeSpec& spec, OAuthStore& oauth,
                                const AccountForHandle& account_for_handle) {
  auto params = Params::from_request(req);
  std::string client_id = params.get_or(spec.client_id_param, "");
  std::string redirect_uri = params.get_or("redirect_uri", "");
  std::string state = params.get_or("state", "");
  if (client_id != spec.client_id) {
    return error_page(req, spec,
                      "Unknown " + spec.client_id_param + ". The sandbox app is \"" + spec.client_id + "\".");
  }
  // Any absolute URI (http(s), a custom app scheme, Mastodon's out-of-band URN), never javascript:.
  if (redirect_uri.find(':') == std::string::npos || starts_with(lower(redirect_uri), "javascript:")) {
    return error_page(req, spec, "redirect_uri is missing or is not an absolute URI.");
  }
  auto fail = [&](const std::string& error, const std::string& description) {
    return found(req,
                 redirect_with(redirect_uri, {{"error", error}, {"error_description", description}, {"state", state}}));
  };
  // Facebook's dialog (and Weibo's authorize) default response_type to "code"; the others require it.
  bool optional_type = spec.response_type_optional || spec.platform == "facebook";
  std::string response_type = params.get_or("response_type", optional_type ? "code" : "");
  if (response_type != "code") return fail("unsupported_response_type", "response_type must be code");
  std::string challenge = params.get_or("code_challenge", "");
  std::string method = params.get_or("code_challenge_method", challenge.empty() ? "" : "plain");
  if (spec.pkce_required && challenge.empty()) return fail("invalid_request", "code_challenge is required");
  if (!challenge.empty() && lower(method) != "s256" && lower(method) != "plain") {
    return fail("invalid_request", "code_challenge_method must be S256 or plain");
  }

  if (req.raw.method() == http::beast_http::verb::get) {
    std::string action = req.path;
    std::string hidden;
    std::string target(req.raw.target());
    if (auto q = target.find('?'); q != std::string::npos) action += target.substr(q);
    for (const auto& [k, v] : req.query) {
      if (k == "handle" || k == "decision") continue;
      hidden += "<input type=\"hidden\" name=\"" + html_escape(k) + "\" value=\"" + html_escape(v) + "\">\n";
    }
    std::string scope = params.get_or("scope", "");
    std::string inner =
        "<h1>Authorize " + html_escape(client_id) + "</h1>\n<p>The app <code>" + html_escape(client_id) +
        "</code> asks for access to your simulated " + html_escape(spec.display_name) + " account" +
        (scope.empty() ? std::string() : " (scope: <code>" + html_escape(scope) + "</code>)") +
        ".</p>\n<form method=\"post\" action=\"" + html_escape(action) + "\">\n" + hidden +
        "<label>Handle <input type=\"text\" name=\"handle\" value=\"demo_" + html_escape(spec.platform) +
        "\"></label>\n"
        "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\n"
        "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n</form>\n";
    return html(req, 200, page(spec, inner));
  }

  std::string decision = params.get_or("decision", "");
  if (decision == "deny") {
    if (spec.platform == "facebook") {
      return found(req, redirect_with(redirect_uri, {{"error", "access_denied"},
                                                     {"error_code", "200"},
                                                     {"error_description", "Permissions error"},
                                                     {"error_reason", "user_denied"},
                                                     {"state", state}}));
    }
    return found(req, redirect_with(redirect_uri, {{"error", "access_denied"}, {"state", state}}));
  }
  if (decision != "approve") return error_page(req, spec, "decision must be approve or deny.");
  std::string handle = params.get_or("handle", "");
  if (!valid_handle(handle)) return error_page(req, spec, "handle must be 1-64 letters, digits, '_', '.' or '-'.");
  Account account = account_for_handle(handle);
  AuthRequest ar{spec.platform, client_id, redirect_uri, params.get_or("scope", ""), challenge, method, account.id};
  std::string code = oauth.issue_code(ar);
  if (redirect_uri == "urn:ietf:wg:oauth:2.0:oob") {  // out of band: show the code (Mastodon/Doorkeeper)
    return html(req, 200,
                page(spec, "<h1>Authorization code</h1>\n<p><code id=\"code\">" + html_escape(code) + "</code></p>\n"));
  }
  std::vector<std::pair<std::string, std::string>> kv{{"code", code}};
  if (!state.empty() || params.has("state")) kv.emplace_back("state", state);
  return found(req, redirect_with(redirect_uri, kv));
}

}  // namespace herald::sandbox
