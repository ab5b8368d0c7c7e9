#include "services/core/redis/options.hpp"

#include <charconv>
#include <stdexcept>
#include <system_error>

namespace herald::core::redis {
namespace {

constexpr std::string_view kScheme = "redis://";
constexpr std::string_view kTlsScheme = "rediss://";

[[noreturn]] void invalid(std::string_view why) {
  throw std::invalid_argument("invalid redis URL: " + std::string(why));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// Parses an unsigned decimal in [min, max]; false if it is not one.
bool parse_int(std::string_view text, int min, int max, int& out) {
  if (text.empty() || text.size() > 10) {
    return false;
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = static_cast<int>(value);
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Percent-decodes a password. The error names the problem, never the text.
std::string percent_decode_password(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      invalid("truncated percent-encoding in the password");
    }
    const int hi = hex_value(text[i + 1]);
    const int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) {
      invalid("bad percent-encoding in the password");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

Options parse_url(std::string_view url) {
  Options options;
  if (url.size() >= kTlsScheme.size() && iequals(url.substr(0, kTlsScheme.size()), kTlsScheme)) {
    invalid("rediss:// (TLS) is not supported");
  }
  if (url.size() < kScheme.size() || !iequals(url.substr(0, kScheme.size()), kScheme)) {
    invalid("it must start with redis://");
  }
  std::string_view rest = url.substr(kScheme.size());

  // userinfo: up to the LAST '@', so an unencoded '@' in the password still parses.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      invalid("credentials must be written :password@ (user names other than 'default' are not supported)");
    }
    const std::string_view user = userinfo.substr(0, colon);
    if (!user.empty() && user != "default") {
      invalid("ACL user names other than 'default' are not supported");
    }
    options.password = percent_decode_password(userinfo.substr(colon + 1));
  }

  if (rest.find_first_of("?#") != std::string_view::npos) {
    invalid("query parameters and fragments are not supported");
  }

  std::string_view authority = rest;
  std::string_view path;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }

  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      invalid("unterminated IPv6 address");
    }
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        invalid("unexpected text after the IPv6 address");
      }
      port = after.substr(1);
      if (port.empty()) {
        invalid("empty port");
      }
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) {
      invalid("empty port");
    }
  }
  if (host.empty()) {
    invalid("missing host");
  }
  if (host.find_first_of(":@/ ") != std::string_view::npos && authority.front() != '[') {
    invalid("bad host");
  }
  options.host = std::string(host);
  if (!port.empty() && !parse_int(port, 1, 65535, options.port)) {
    invalid("port must be a number between 1 and 65535");
  }
  if (!path.empty() && !parse_int(path, 0, 1'000'000, options.db)) {
    invalid("database must be a non-negative number");
  }
  return options;
}

std::string endpoint(const Options& options) {
  const bool ipv6 = options.host.find(':') != std::string::npos;
  std::string out = ipv6 ? "[" + options.host + "]" : options.host;
  out += ":" + std::to_string(options.port);
  return out;
}

std::string redacted_url(const Options& options) {
  std::string out(kScheme);
  if (!options.password.empty()) {
    out += ":***@";
  }
  out += endpoint(options);
  out += "/" + std::to_string(options.db);
  return out;
}

}  // namespace herald::core::redis
