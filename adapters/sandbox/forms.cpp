#include "adapters/sandbox/forms.hpp"

#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {

namespace http = core::http;

std::vector<std::pair<std::string, std::string>> parse_urlencoded(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    auto amp = body.find('&');
    auto part = body.substr(0, amp);
    if (!part.empty()) {
      auto eq = part.find('=');
      auto key = http::url_decode(part.substr(0, eq), true);
      auto value = eq == std::string_view::npos ? std::string() : http::url_decode(part.substr(eq + 1), true);
      out.emplace_back(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

namespace {

std::string header_param(std::string_view header, std::string_view name) {
  // name="value" or name=value inside a header such as Content-Disposition / Content-Type.
  std::string h = lower(header);
  std::string key = lower(name) + "=";
  std::size_t pos = 0;
  while ((pos = h.find(key, pos)) != std::string::npos) {
    bool boundary_ok = pos == 0 || h[pos - 1] == ';' || h[pos - 1] == ' ';
    if (!boundary_ok) {
      ++pos;
      continue;
    }
    std::size_t start = pos + key.size();
    if (start < header.size() && header[start] == '"') {
      auto end = header.find('"', start + 1);
      if (end == std::string_view::npos) return {};
      return std::string(header.substr(start + 1, end - start - 1));
    }
    auto end = header.find(';', start);
    auto v = header.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return std::string(v);
  }
  return {};
}

std::string strip_array_suffix(const std::string& key) {
  if (key.size() >= 2 && key.compare(key.size() - 2, 2, "[]") == 0) return key.substr(0, key.size() - 2);
  auto open = key.rfind('[');
  if (open != std::string::npos && key.back() == ']') {
    std::uint64_t n = 0;
    if (parse_u64(std::string_view(key).substr(open + 1, key.size() - open - 2), n)) return key.substr(0, open);
  }
  return key;
}

}  // namespace

std::vector<FormPart> parse_multipart(std::string_view body, std::string_view content_type) {
  std::string boundary = header_param(content_type, "boundary");
  if (boundary.empty()) http::bad_request("multipart/form-data without a boundary");
  std::string delim = "--" + boundary;
  std::vector<FormPart> parts;
  auto pos = body.find(delim);
  if (pos == std::string_view::npos) http::bad_request("multipart body without its boundary");
  pos += delim.size();
  for (;;) {
    if (body.substr(pos, 2) == "--") break;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") http::bad_request("malformed multipart delimiter");
    pos += 2;
    auto header_end = body.find("\r\n\r\n", pos);
    if (header_end == std::string_view::npos) http::bad_request("malformed multipart part headers");
    FormPart part;
    auto headers = body.substr(pos, header_end - pos);
    while (!headers.empty()) {
      auto eol = headers.find("\r\n");
      auto line = headers.substr(0, eol);
      auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        auto name = lower(line.substr(0, colon));
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (name == "content-disposition") {
          part.name = header_param(value, "name");
          part.filename = header_param(value, "filename");
        } else if (name == "content-type") {
          part.content_type = std::string(value);
        }
      }
      if (eol == std::string_view::npos) break;
      headers.remove_prefix(eol + 2);
    }
    auto data_start = header_end + 4;
    auto next = body.find("\r\n" + delim, data_start);
    if (next == std::string_view::npos) http::bad_request("multipart part without a closing boundary");
    part.data = std::string(body.substr(data_start, next - data_start));
    parts.push_back(std::move(part));
    pos = next + 2 + delim.size();
  }
  return parts;
}

void Params::add(const std::string& key, std::string value) {
  values_.emplace(strip_array_suffix(key), std::move(value));
}

void Params::add_json(const std::string& key, const nlohmann::json& value) {
  if (value.is_null()) return;
  if (value.is_array()) {
    for (const auto& v : value) add_json(key, v);
  } else if (value.is_string()) {
    add(key, value.get<std::string>());
  } else if (value.is_object()) {
    for (const auto& [k, v] : value.items()) add_json(key + "[" + k + "]", v);
  } else {
    add(key, value.dump());
  }
}

Params Params::from_json(const nlohmann::json& object) {
  Params p;
  p.json_ = object;
  if (object.is_object()) {
    for (const auto& [k, v] : object.items()) p.add_json(k, v);
  }
  return p;
}

Params Params::from_request(const http::Request& req) {
  Params p;
  std::string ct = lower(req.header("Content-Type").value_or(""));
  const std::string& body = req.raw.body();
  if (!body.empty()) {
    if (starts_with(ct, "application/json")) {
      try {
        p = from_json(nlohmann::json::parse(body));
      } catch (const nlohmann::json::exception&) {
        http::bad_request("request body is not valid JSON");
      }
    } else if (starts_with(ct, "multipart/form-data")) {
      for (auto& part : parse_multipart(body, req.header("Content-Type").value_or(""))) {
        if (part.filename.empty() && part.content_type.empty()) {
          p.add(part.name, part.data);
        } else {
          p.files_.push_back(std::move(part));
        }
      }
    } else {
      for (auto& [k, v] : parse_urlencoded(body)) p.add(k, std::move(v));
    }
  }
  for (const auto& [k, v] : req.query) {
    auto key = strip_array_suffix(k);
    if (p.values_.find(key) == p.values_.end()) p.add(k, v);
  }
  return p;
}

std::optional<std::string> Params::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Params::get_or(const std::string& name, std::string fallback) const {
  auto v = get(name);
  return v ? *v : std::move(fallback);
}

std::vector<std::string> Params::list(const std::string& name) const {
  std::vector<std::string> out;
  auto [a, b] = values_.equal_range(name);
  for (auto it = a; it != b; ++it) out.push_back(it->second);
  return out;
}

bool Params::has(const std::string& name) const { return values_.count(name) > 0 || file(name) != nullptr; }

std::optional<bool> Params::get_bool(const std::string& name) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  auto l = lower(*v);
  return l == "true" || l == "1" || l == "on" || l == "yes";
}

const FormPart* Params::file(const std::string& name) const {
  for (const auto& f : files_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::optional<std::string> bearer_token(const http::Request& req) {
  auto h = req.header("Authorization");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  if (v.size() < 7 || lower(v.substr(0, 7)) != "bearer ") return std::nullopt;
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (v.empty()) return std::nullopt;
  return std::string(v);
}

std::optional<std::pair<std::string, std::string>> basic_auth(const http::Request& req) {
  auto h = req.header("Authorization");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  if (v.size() < 6 || lower(v.substr(0, 6)) != "basic ") return std::nullopt;
  v.remove_prefix(6);
  std::string decoded;
  try {
    decoded = core::crypto::base64_decode(v);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  auto colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  // RFC 6749 section 2.3.1: client id and secret are form-encoded before Basic encoding.
  return std::make_pair(http::url_decode(decoded.substr(0, colon), true),
                        http::url_decode(decoded.substr(colon + 1), true));
}

}  // namespace herald::sandbox
