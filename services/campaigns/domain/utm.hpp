#pragma once
// Campaign links: validating a link target and adding UTM parameters to it (the five Google Analytics
// campaign parameters utm_source, utm_medium, utm_campaign, utm_term, utm_content). URL syntax follows
// RFC 3986 (scheme, authority, path, query, fragment); query values are percent-encoded as RFC 3986
// query components (everything but the unreserved characters A-Z a-z 0-9 - . _ ~, as UTF-8 bytes).
// Pure; unit-tested in utm_test.cpp.
#include <optional>
#include <string>
#include <string_view>

namespace herald::campaigns::domain {

struct Utm {
  std::string source{}, medium{}, campaign{}, term{}, content{};  // {}: designated initializers may omit fields
};

// The error for a link target, or nullopt when it is fine: http or https only (case-insensitive scheme),
// a host present (a name, IPv4 or bracketed IPv6; an optional numeric port 1-65535), no spaces or control
// characters, at most 2048 bytes, no userinfo ("user:pass@"). Non-ASCII bytes (UTF-8 paths) are accepted.
std::optional<std::string> target_problem(std::string_view url);

// `target` with utm_source/medium/campaign/term/content set. Empty fields are omitted. When any field is
// set, every existing utm_* parameter of the target is removed first (so stale attribution such as an old
// utm_term or utm_id never mixes with the new one); other parameters keep their order and spelling, and
// the #fragment is kept. The UTM parameters follow the others, in the order above. With every field empty
// the target is returned unchanged. Throws invalid_argument on a bad target, when source is empty while
// another field is set, or when a field is not valid UTF-8.
std::string build_utm_url(std::string_view target, const Utm& utm);

// The host of an http(s) URL, lower-cased, without port or userinfo (IPv6 keeps its brackets, as in the
// WHATWG URL `hostname`); "" when there is none or the URL is not http(s). Never throws.
std::string url_host(std::string_view url);

}  // namespace herald::campaigns::domain
