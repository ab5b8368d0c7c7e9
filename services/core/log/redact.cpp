#include "services/core/log/redact.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace herald::core::log {
namespace {

constexpr std::size_t npos = std::string_view::npos;
// Longest key considered when looking back from '=' or ':'.
constexpr std::size_t kMaxKeyLength = 64;

constexpr std::string_view kSensitiveNeedles[] = {
    "password", "passwd",  "passphrase", "secret",      "token",      "authorization", "cookie",
    "api_key",  "apikey",  "access_key", "private_key", "master_key", "client_secret", "refresh"};
// Unquoted "key: value" (YAML/prose style) is cut only for these exact keys: "refresh token:
// timeout" is prose, "password: hunter2" is not.
constexpr std::string_view kColonKeys[] = {
    "password",     "passwd",        "secret",        "client_secret", "api_key",  "apikey",
    "access_token", "refresh_token", "id_token",      "private_key",   "master_key"};
// Headers whose whole value (to the end of the line) is a credential.
constexpr std::string_view kHeaderNames[] = {"authorization", "cookie"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_key_char(char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.'; }
bool is_base64url_char(char c) { return is_alnum(c) || c == '-' || c == '_'; }
bool is_bearer_char(char c) {
  return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}
bool ends_authority(char c) {
  return is_space(c) || c == '/' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '`';
}

std::string to_lower_key(std::string_view key) {
  std::string out(key);
  for (char& c : out) c = c == '-' ? '_' : lower(c);
  return out;
}

std::string lower_copy(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

// Builds the output of one rule: copies the untouched stretches and substitutes kRedacted.
class Rewriter {
 public:
  explicit Rewriter(std::string_view text) : text_(text) { out_.reserve(text.size()); }
  // Replaces text[begin, end) (begin >= everything replaced so far).
  void replace(std::size_t begin, std::size_t end) {
    out_.append(text_.substr(copied_, begin - copied_)).append(kRedacted);
    copied_ = end;
  }
  std::string finish() && {
    out_.append(text_.substr(copied_));
    return std::move(out_);
  }

 private:
  std::string_view text_;
  std::string out_;
  std::size_t copied_ = 0;
};

// scheme://user:SECRET@host -> scheme://user:[REDACTED]@host. The authority ends where RFC 3986
// (and libpq) end it, at '/', or at whitespace and quotes; '?' and '#' do not end it, so a
// password containing them is still cut.
std::string redact_url_credentials(std::string_view text) {
  Rewriter out(text);
  std::size_t pos = 0;
  while ((pos = text.find("://", pos)) != npos) {
    const std::size_t start = pos + 3;
    std::size_t end = start;
    while (end < text.size() && !ends_authority(text[end])) ++end;
    const std::string_view authority = text.substr(start, end - start);
    const std::size_t at = authority.rfind('@');
    if (at != npos) {
      const std::size_t colon = authority.find(':');
      if (colon != npos && colon + 1 < at) out.replace(start + colon + 1, start + at);
    }
    pos = std::max(end, start);
  }
  return std::move(out).finish();
}

// Authorization: ... / Cookie: ... / Set-Cookie: ... -> value cut to the end of the line.
std::string redact_headers(std::string_view text) {
  const std::string low = lower_copy(text);
  struct Hit {
    std::size_t begin;
    std::size_t end;
  };
  std::vector<Hit> hits;
  for (const std::string_view name : kHeaderNames) {
    for (std::size_t pos = low.find(name); pos != npos; pos = low.find(name, pos + 1)) {
      std::size_t i = pos + name.size();
      while (i < text.size() && is_blank(text[i])) ++i;
      if (i >= text.size() || text[i] != ':') continue;
      ++i;
      while (i < text.size() && is_blank(text[i])) ++i;
      std::size_t end = i;
      while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
      if (end > i) hits.push_back({i, end});
    }
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.begin < b.begin; });
  Rewriter out(text);
  std::size_t done = 0;
  for (const Hit& hit : hits) {
    if (hit.begin < done) continue;  // inside a stretch already cut
    out.replace(hit.begin, hit.end);
    done = hit.end;
  }
  return std::move(out).finish();
}

// Bearer SECRET -> Bearer [REDACTED]
std::string redact_bearer(std::string_view text) {
  const std::string low = lower_copy(text);
  Rewriter out(text);
  std::size_t pos = 0;
  while ((pos = low.find("bearer", pos)) != npos) {
    std::size_t i = pos + 6;
    if ((pos > 0 && is_alnum(text[pos - 1])) || i >= text.size() || !is_blank(text[i])) {
      pos = i;
      continue;
    }
    while (i < text.size() && is_blank(text[i])) ++i;
    std::size_t end = i;
    while (end < text.size() && is_bearer_char(text[end])) ++end;
    if (end > i) out.replace(i, end);
    pos = std::max(end, i);
  }
  return std::move(out).finish();
}

// Index just past the bracket that closes text[open] ('{' or '['), skipping string contents.
std::size_t skip_brackets(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return text.size();
}

bool ends_value(char c, char separator) {
  if (is_space(c)) return true;
  if (separator == '=') return c == '&' || c == '"' || c == '\'';
  return c == ',' || c == '}' || c == ']';
}

// key=SECRET, key = 'SECRET', "key": "SECRET", 'key': 'SECRET', "key": {...}, password: SECRET
std::string redact_pairs(std::string_view text) {
  Rewriter out(text);
  std::size_t i = 0;
  std::size_t next_free = 0;  // replacements must not overlap
  while (i < text.size()) {
    const char sep = text[i];
    if ((sep != '=' && sep != ':') || i < next_free) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j > 0 && is_blank(text[j - 1])) --j;
    std::string_view key;
    bool quoted = false;
    if (j >= 2 && (text[j - 1] == '"' || text[j - 1] == '\'')) {
      const std::size_t open = text.rfind(text[j - 1], j - 2);
      if (open != npos && j - 2 - open <= kMaxKeyLength) {
        key = text.substr(open + 1, j - 2 - open);
        quoted = true;
      }
    } else {
      std::size_t k = j;
      while (k > 0 && is_key_char(text[k - 1]) && j - k < kMaxKeyLength) --k;
      key = text.substr(k, j - k);
    }
    bool sensitive = !key.empty() && is_sensitive_key(key);
    if (sensitive && sep == ':' && !quoted) {
      const std::string low = to_lower_key(key);
      sensitive = std::find(std::begin(kColonKeys), std::end(kColonKeys), low) != std::end(kColonKeys);
    }
    if (!sensitive) {
      ++i;
      continue;
    }
    std::size_t v = i + 1;
    while (v < text.size() && is_blank(text[v])) ++v;
    std::size_t begin = v;
    std::size_t end = v;
    std::size_t resume = v;
    if (v < text.size() && (text[v] == '"' || text[v] == '\'')) {
      const char q = text[v];
      std::size_t e = v + 1;
      while (e < text.size() && text[e] != q) e += (text[e] == '\\' && e + 1 < text.size()) ? 2 : 1;
      begin = v + 1;
      end = std::min(e, text.size());
      resume = std::min(end + 1, text.size());
    } else if (v < text.size() && (text[v] == '{' || text[v] == '[')) {
      end = skip_brackets(text, v);
      resume = end;
    } else {
      while (end < text.size() && !ends_value(text[end], sep)) ++end;
      resume = end;
    }
    if (end > begin) {
      out.replace(begin, end);
      next_free = end;
    }
    i = std::max(resume, i + 1);
  }
  return std::move(out).finish();
}

// hrld_SECRET -> hrld_[REDACTED]
std::string redact_api_tokens(std::string_view text) {
  Rewriter out(text);
  std::size_t pos = 0;
  while ((pos = text.find("hrld_", pos)) != npos) {
    const std::size_t begin = pos + 5;
    std::size_t end = begin;
    while (end < text.size() && is_base64url_char(text[end])) ++end;
    if (end > begin) out.replace(begin, end);
    pos = std::max(end, begin);
  }
  return std::move(out).finish();
}

void redact_in_place(nlohmann::json& value) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (is_sensitive_key(it.key())) {
        *it = kRedacted;
      } else {
        redact_in_place(*it);
      }
    }
  } else if (value.is_array()) {
    for (auto& element : value) redact_in_place(element);
  } else if (value.is_string()) {
    value = redact_text(value.get_ref<const std::string&>());
  }
}

}  // namespace

bool is_sensitive_key(std::string_view key) {
  const std::string low = to_lower_key(key);
  return std::any_of(std::begin(kSensitiveNeedles), std::end(kSensitiveNeedles),
                     [&low](std::string_view needle) { return low.find(needle) != std::string::npos; });
}

nlohmann::json redact(nlohmann::json value) {
  redact_in_place(value);
  return value;
}

std::string redact_text(std::string_view text) {
  // Cheap exit for the common case: nothing that any rule could match.
  if (text.find_first_of("=:@_") == npos && lower_copy(text).find("bearer") == npos) {
    return std::string(text);
  }
  std::string s = redact_url_credentials(text);
  s = redact_headers(s);
  s = redact_bearer(s);
  s = redact_pairs(s);
  return redact_api_tokens(s);
}

}  // namespace herald::core::log
