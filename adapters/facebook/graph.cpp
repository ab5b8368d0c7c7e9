#include "adapters/facebook/graph.hpp"

#include <algorithm>
#include <cctype>

#include "herald/adapters/classify.hpp"
#include "herald/adapters/support.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"

namespace herald::adapters::graph {
namespace {

using nlohmann::json;

bool is_rate_code(std::int64_t code) {
  return code == 4 || code == 9 || code == 17 || code == 32 || code == 341 || code == 613 ||
         (code >= 80000 && code <= 80014);
}

// The longest wait any usage header announces, in seconds.
std::optional<std::int64_t> usage_wait(const HttpResponse& r) {
  std::optional<std::int64_t> wait;
  auto take = [&](std::int64_t s) { wait = std::max(wait.value_or(0), s); };
  if (auto buc = r.header("x-business-use-case-usage")) {
    if (auto j = parse_json(*buc); j && j->is_object()) {
      for (const auto& [id, entries] : j->items()) {
        for (const auto& e : entries) {
          if (auto m = json_int(e, "estimated_time_to_regain_access"); m && *m > 0) take(*m * 60);
        }
      }
    }
  }
  if (auto ad = r.header("x-ad-account-usage")) {
    if (auto j = parse_json(*ad); j) {
      if (auto s = json_int(*j, "reset_time_duration"); s && *s > 0) take(*s);
    }
  }
  return wait;
}

// ISO 4217 minor-unit exponent.
int currency_exponent(const std::string& currency) {
  static const char* kZero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
  static const char* kThree[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  for (const char* c : kZero) {
    if (currency == c) return 0;
  }
  for (const char* c : kThree) {
    if (currency == c) return 3;
  }
  return 2;
}

// Meta's budget fields count in 1/100 of the currency, except its "offset 1" currencies, which
// count in whole units (https://developers.facebook.com/docs/marketing-api/currencies).
bool meta_offset_one(const std::string& currency) {
  static const char* kOffsetOne[] = {"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"};
  for (const char* c : kOffsetOne) {
    if (currency == c) return true;
  }
  return false;
}

}  // namespace

std::string Client::url(const std::string& path, const std::string& token, Fields query) const {
  if (!endpoint_.client_secret.empty() && !token.empty()) {
    query.emplace_back("appsecret_proof",
                       core::crypto::hex_encode(core::crypto::hmac_sha256(endpoint_.client_secret, token)));
  }
  std::string u = endpoint_.base_url + "/" + kVersion + path;
  if (!query.empty()) u += (path.find('?') == std::string::npos ? "?" : "&") + form_encode(query);
  return u;
}

HttpRequest Client::get(const std::string& path, const std::string& token, Fields query) const {
  HttpRequest r{"GET", url(path, token, std::move(query)), {}, {}};
  if (!token.empty()) r.headers.emplace_back("Authorization", bearer(token));
  return r;
}

HttpRequest Client::post_form(const std::string& path, const std::string& token, const Fields& form) const {
  HttpRequest r{"POST", url(path, token), {{"Content-Type", "application/x-www-form-urlencoded"}}, form_encode(form)};
  r.headers.emplace_back("Authorization", bearer(token));
  return r;
}

HttpRequest Client::post_json(const std::string& path, const std::string& token, const json& body) const {
  HttpRequest r{"POST", url(path, token), {{"Content-Type", "application/json"}}, body.dump()};
  r.headers.emplace_back("Authorization", bearer(token));
  return r;
}

HttpRequest Client::del(const std::string& path, const std::string& token) const {
  HttpRequest r = get(path, token);
  r.method = "DELETE";
  return r;
}

std::string Client::dialog_url(const AuthorizeRequest& r, const std::vector<std::string>& default_scopes) const {
  std::string scopes;
  for (const auto& s : r.scopes.empty() ? default_scopes : r.scopes) scopes += (scopes.empty() ? "" : ",") + s;
  const std::string& base = endpoint_.auth_base_url.empty() ? endpoint_.base_url : endpoint_.auth_base_url;
  return base + "/" + kVersion + "/dialog/oauth?" +
         form_encode({{"client_id", endpoint_.client_id},
                      {"redirect_uri", r.redirect_uri},
                      {"state", r.state},
                      {"scope", scopes},
                      {"response_type", "code"}});
}

Result<TokenSet> Client::long_lived_user_token(Transport& t, const std::string& code, const std::string& redirect_uri,
                                               std::int64_t now) const {
  auto token_call = [&](const Fields& q) -> Result<json> {
    HttpRequest req{"GET", endpoint_.base_url + "/" + kVersion + "/oauth/access_token?" + form_encode(q), {}, {}};
    return parse(t.send(req), false, now);
  };
  auto short_lived = token_call({{"client_id", endpoint_.client_id},
                                 {"redirect_uri", redirect_uri},
                                 {"client_secret", endpoint_.client_secret},
                                 {"code", code}});
  if (!short_lived) return short_lived.error();
  auto long_lived = token_call({{"grant_type", "fb_exchange_token"},
                                {"client_id", endpoint_.client_id},
                                {"client_secret", endpoint_.client_secret},
                                {"fb_exchange_token", json_string(*short_lived, "access_token")}});
  if (!long_lived) return long_lived.error();
  TokenSet ts;
  ts.access_token = json_string(*long_lived, "access_token");
  if (auto in = json_int(*long_lived, "expires_in")) ts.expires_at = now + *in;
  if (ts.access_token.empty()) return Error{ErrorClass::kRejected, "malformed", "no access_token", 0, std::nullopt};
  return ts;
}

Error error_of(const HttpResponse& r, bool mutating, std::int64_t now) {
  std::string code, message;
  std::int64_t num = 0;
  bool transient = false;
  if (auto j = parse_json(r.body); j && j->is_object()) {
    const auto& e = json_at(*j, "error");
    num = json_int(e, "code").value_or(0);
    auto sub = json_string(e, "error_subcode");
    if (num != 0) code = std::to_string(num) + (sub.empty() ? "" : "/" + sub);
    message = json_string(e, "error_user_msg");
    if (message.empty()) message = json_string(e, "message");
    transient = json_bool(e, "is_transient");
  }
  Error err = classify_http(r, mutating, code, message, nullptr, now);
  if (r.transport_error || num == 0) return err;
  if (num == 190 || num == 102) {
    err.cls = ErrorClass::kAuthExpired;
  } else if (is_rate_code(num)) {
    err.cls = ErrorClass::kRateLimited;
    if (!err.retry_after) err.retry_after = std::chrono::seconds(usage_wait(r).value_or(600));
  } else if (num == 1 || num == 2 || transient) {
    err.cls = ErrorClass::kRetryable;
  } else {
    err.cls = ErrorClass::kRejected;
  }
  return err;
}

Result<json> parse(const HttpResponse& r, bool mutating, std::int64_t now) {
  if (r.transport_error || r.status < 200 || r.status >= 300) return error_of(r, mutating, now);
  if (r.body.empty()) return json::object();
  auto j = parse_json(r.body);
  if (!j)
    return Error{ErrorClass::kRetryable, "malformed", "the Graph API answered with a body that is not JSON", r.status,
                 std::nullopt};
  return *j;
}

bool is_missing(const Error& e) { return e.code == "100/33" || e.http_status == 404; }

Result<std::optional<std::string>> verify_webhook(const WebhookRequest& w, const std::string& app_secret,
                                                  const std::string& verify_token) {
  if (w.method == "GET") {
    auto get = [&](const char* k) {
      auto it = w.query.find(k);
      return it == w.query.end() ? std::string() : it->second;
    };
    if (get("hub.mode") != "subscribe" || verify_token.empty() ||
        !core::crypto::constant_time_equal(get("hub.verify_token"), verify_token)) {
      return Error{ErrorClass::kRejected, "bad_verify_token", "hub.verify_token does not match", 403, std::nullopt};
    }
    return std::optional<std::string>{get("hub.challenge")};
  }
  auto sig = w.headers.find("x-hub-signature-256");
  std::string expected = "sha256=" + core::crypto::hex_encode(core::crypto::hmac_sha256(app_secret, w.body));
  if (sig == w.headers.end() || app_secret.empty() || !core::crypto::constant_time_equal(sig->second, expected)) {
    return Error{ErrorClass::kRejected, "bad_signature", "X-Hub-Signature-256 does not match", 401, std::nullopt};
  }
  return std::optional<std::string>{};
}

std::int64_t to_minor_units(const std::string& decimal, const std::string& currency) {
  int exp = currency_exponent(currency);
  bool negative = !decimal.empty() && decimal[0] == '-';
  std::int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool round_up = false;
  bool in_frac = false;
  for (std::size_t i = negative ? 1 : 0; i < decimal.size(); ++i) {
    char ch = decimal[i];
    if (ch == '.') {
      in_frac = true;
    } else if (std::isdigit(static_cast<unsigned char>(ch)) != 0) {
      if (!in_frac) {
        whole = whole * 10 + (ch - '0');
      } else if (frac_digits < exp) {
        frac = frac * 10 + (ch - '0');
        ++frac_digits;
      } else if (frac_digits == exp) {
        round_up = ch >= '5';
        ++frac_digits;  // only the first extra digit decides
      }
    }
  }
  for (; frac_digits < exp; ++frac_digits) frac *= 10;
  std::int64_t scale = 1;
  for (int i = 0; i < exp; ++i) scale *= 10;
  std::int64_t v = whole * scale + frac + (round_up ? 1 : 0);
  return negative ? -v : v;
}

std::int64_t budget_to_minor(std::int64_t meta_value, const std::string& currency) {
  int shift = currency_exponent(currency) - (meta_offset_one(currency) ? 0 : 2);
  for (; shift > 0; --shift) meta_value *= 10;
  for (; shift < 0; ++shift) meta_value /= 10;
  return meta_value;
}

}  // namespace herald::adapters::graph
