#include "services/campaigns/domain/utm.hpp"

#include <array>
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

namespace herald::campaigns::domain {
namespace {

constexpr std::size_t kMaxUrlBytes = 2048;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_high(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// RFC 3986 section 3: scheme "://" authority, then path, query and fragment (`rest`).
struct Split {
  std::string scheme;  // lower-cased
  std::string_view authority;
  std::string_view rest;
  std::size_t rest_at = 0;  // offset of `rest` in the URL
};

std::optional<Split> split_http(std::string_view url) {
  auto colon = url.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  Split s;
  s.scheme = lowered(url.substr(0, colon));
  if (s.scheme != "http" && s.scheme != "https") return std::nullopt;
  if (url.substr(colon + 1, 2) != "//") return std::nullopt;
  auto after = url.substr(colon + 3);
  auto end = after.find_first_of("/?#");
  s.authority = after.substr(0, end);
  s.rest = end == std::string_view::npos ? std::string_view{} : after.substr(end);
  s.rest_at = url.size() - s.rest.size();
  return s;
}

// host[:port] without userinfo: the host (brackets kept for IPv6) or the problem with it.
struct HostPort {
  std::string_view host;
  std::string_view port;
  bool has_port = false;
};

std::optional<std::string> parse_host_port(std::string_view hp, HostPort& out) {
  std::string_view after;
  if (!hp.empty() && hp.front() == '[') {
    auto close = hp.find(']');
    if (close == std::string_view::npos) return "the IPv6 address in the link has no closing ']'";
    out.host = hp.substr(0, close + 1);
    auto inside = hp.substr(1, close - 1);
    if (inside.find(':') == std::string_view::npos) return "the link's host is not a valid IPv6 address";
    for (char c : inside) {
      if (!is_hex(c) && c != ':' && c != '.') return "the link's host is not a valid IPv6 address";
    }
    after = hp.substr(close + 1);
    if (!after.empty() && after.front() != ':') return "the link's host is followed by unexpected characters";
  } else {
    auto colon = hp.find(':');
    out.host = hp.substr(0, colon);
    after = colon == std::string_view::npos ? std::string_view{} : hp.substr(colon);
    bool meaningful = false;
    for (char c : out.host) {
      if (is_alnum(c) || is_high(c)) {
        meaningful = true;
      } else if (c != '-' && c != '.' && c != '_' && c != '~') {
        return std::string("the link's host contains the character '") + c + "'";
      }
    }
    if (!meaningful) return "the link has no host (expected http://host/...)";
  }
  if (!after.empty()) {  // ":port"; an empty port is allowed by RFC 3986 and means the default
    out.has_port = true;
    out.port = after.substr(1);
    if (out.port.size() > 5) return "the link's port is not a number from 1 to 65535";
    long value = 0;
    for (char c : out.port) {
      if (c < '0' || c > '9') return "the link's port is not a number from 1 to 65535";
      value = value * 10 + (c - '0');
    }
    if (!out.port.empty() && (value < 1 || value > 65535)) return "the link's port is not a number from 1 to 65535";
  }
  return std::nullopt;
}

void append_encoded(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return lower(c) - 'a' + 10;
}

// The parameter name as a form decoder sees it ("+" is a space, %XX a byte), lower-cased.
std::string decoded_key(std::string_view param) {
  auto key = param.substr(0, param.find('='));
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] == '+') {
      out += ' ';
    } else if (key[i] == '%' && i + 2 < key.size() && is_hex(key[i + 1]) && is_hex(key[i + 2])) {
      out += static_cast<char>(hex_value(key[i + 1]) * 16 + hex_value(key[i + 2]));
      i += 2;
    } else {
      out += key[i];
    }
  }
  return lowered(out);
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t j = 1; j < len; ++j) {
      auto cb = static_cast<unsigned char>(s[i + j]);
      if ((cb & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cb & 0x3F);
    }
    static constexpr std::array<char32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace

std::optional<std::string> target_problem(std::string_view url) {
  if (url.empty()) return "the link is empty";
  if (url.size() > kMaxUrlBytes) {
    return "the link is " + std::to_string(url.size()) + " bytes long; at most " + std::to_string(kMaxUrlBytes) +
           " are allowed";
  }
  for (std::size_t i = 0; i < url.size(); ++i) {
    auto b = static_cast<unsigned char>(url[i]);
    if (b <= 0x20 || b == 0x7F) {
      return std::string(b == ' ' ? "the link contains a space" : "the link contains a control character") +
             " at position " + std::to_string(i + 1) + " (encode spaces as %20)";
    }
  }
  auto colon = url.find(':');
  auto scheme = colon == std::string_view::npos ? std::string{} : lowered(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") {
    if (colon == std::string_view::npos || url.substr(0, colon).find_first_of("/?#.") != std::string_view::npos) {
      return "the link must start with http:// or https://";
    }
    return "the link must use http or https, not \"" + scheme + "\"";
  }
  auto s = split_http(url);
  if (!s) return "the link must start with http:// or https://";
  if (s->authority.find('@') != std::string_view::npos) {
    return "the link must not contain a user name or password (\"user:pass@\")";
  }
  if (s->authority.empty()) return "the link has no host (expected http://host/...)";
  HostPort hp;
  return parse_host_port(s->authority, hp);
}

std::string build_utm_url(std::string_view target, const Utm& utm) {
  if (auto problem = target_problem(target)) throw std::invalid_argument("link target: " + *problem);
  const std::array<std::pair<const char*, const std::string*>, 5> fields = {{
      {"utm_source", &utm.source},
      {"utm_medium", &utm.medium},
      {"utm_campaign", &utm.campaign},
      {"utm_term", &utm.term},
      {"utm_content", &utm.content},
  }};
  bool any = false;
  for (const auto& [name, value] : fields) {
    if (value->empty()) continue;
    any = true;
    if (!valid_utf8(*value)) throw std::invalid_argument(std::string(name) + ": not valid UTF-8 text");
  }
  if (!any) return std::string(target);
  if (utm.source.empty()) {
    throw std::invalid_argument("utm_source: required when any other UTM parameter is set");
  }

  auto s = *split_http(target);
  auto base_end = s.rest_at;
  auto rest = s.rest;
  auto hash = rest.find('#');
  auto fragment = hash == std::string_view::npos ? std::string_view{} : rest.substr(hash);
  auto before_fragment = rest.substr(0, hash);
  auto question = before_fragment.find('?');
  auto path = before_fragment.substr(0, question);
  auto query = question == std::string_view::npos ? std::string_view{} : before_fragment.substr(question + 1);

  std::vector<std::string_view> kept;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto param = query.substr(0, amp);
    if (!param.empty() && decoded_key(param).rfind("utm_", 0) != 0) kept.push_back(param);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }

  std::string out(target.substr(0, base_end));
  out += path.empty() ? std::string_view{"/"} : path;  // "https://x.com" -> "https://x.com/?utm_..."
  char sep = '?';
  for (auto param : kept) {
    out += sep;
    out += param;
    sep = '&';
  }
  for (const auto& [name, value] : fields) {
    if (value->empty()) continue;
    out += sep;
    out += name;
    out += '=';
    append_encoded(out, *value);
    sep = '&';
  }
  out += fragment;
  if (out.size() > kMaxUrlBytes) {
    throw std::invalid_argument("the link with its UTM parameters would be " + std::to_string(out.size()) +
                                " bytes long; at most " + std::to_string(kMaxUrlBytes) + " are allowed");
  }
  return out;
}

std::string url_host(std::string_view url) {
  auto s = split_http(url);
  if (!s) return {};
  auto authority = s->authority;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string_view host;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return {};
    host = authority.substr(0, close + 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  return lowered(host);
}

}  // namespace herald::campaigns::domain
