#pragma once
// Secret redaction, applied by the Logger to every record (and reusable for error messages and
// API responses). Two layers:
//  - structure: a JSON object member whose key looks sensitive (is_sensitive_key), at any depth,
//    has its whole value replaced by "[REDACTED]";
//  - text: every string value, and the log message, goes through redact_text, which cuts
//      URL credentials          scheme://user:SECRET@host        -> scheme://user:[REDACTED]@host
//      key=value pairs          password=SECRET, access_token=SECRET (libpq DSNs, query strings;
//                               quoted values 'a b' included)
//      quoted-key members       "client_secret": "SECRET" (JSON bodies embedded in text)
//      HTTP headers             Authorization: ..., Cookie: ... (to the end of the line)
//      bearer tokens            Bearer SECRET
//      Herald API tokens        hrld_SECRET -> hrld_[REDACTED]
// Redaction errs on the side of cutting too much.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace herald::core::log {

inline constexpr std::string_view kRedacted = "[REDACTED]";

// True if a field/parameter named `key` holds a secret: case-insensitive, '-' treated as '_',
// containing password, passwd, passphrase, secret, token, authorization, cookie, api_key, apikey,
// access_key, private_key, master_key, client_secret or refresh.
[[nodiscard]] bool is_sensitive_key(std::string_view key);

// A copy of `value` with sensitive members replaced and every string passed through redact_text.
[[nodiscard]] nlohmann::json redact(nlohmann::json value);

// `text` with the secrets listed above replaced by [REDACTED].
[[nodiscard]] std::string redact_text(std::string_view text);

}  // namespace herald::core::log
