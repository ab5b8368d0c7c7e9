#include "services/core/http/request.hpp"

#include "services/core/http/problem.hpp"

namespace herald::core::http {

std::optional<std::string_view> Request::header(std::string_view name) const {
  auto it = raw.find(boost::beast::string_view(name.data(), name.size()));
  if (it == raw.end()) return std::nullopt;
  auto v = it->value();
  return std::string_view(v.data(), v.size());
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto h = header("Cookie");
  if (!h) return std::nullopt;
  std::string_view s = *h;
  while (!s.empty()) {
    auto semi = s.find(';');
    std::string_view part = s.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

const std::string& Request::param(const std::string& name) const {
  auto it = params.find(name);
  if (it == params.end()) throw std::logic_error("route has no parameter " + name);
  return it->second;
}

std::int64_t Request::id_param(const std::string& name, std::string_view what) const {
  const auto& text = param(name);
  auto bad = [&] { bad_request("malformed " + std::string(what) + ": expected a number", {{"field", name}}); };
  if (text.empty() || text.size() > 18) bad();
  std::int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') bad();
    id = id * 10 + (c - '0');
  }
  return id;
}

std::optional<std::string> Request::query_param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Response json_response(const Request& req, int status, const nlohmann::json& body) {
  Response res{static_cast<beast_http::status>(status), req.raw.version()};
  res.set(beast_http::field::content_type, "application/json");
  res.keep_alive(req.raw.keep_alive());
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

Response empty_response(const Request& req, int status) {
  Response res{static_cast<beast_http::status>(status), req.raw.version()};
  res.keep_alive(req.raw.keep_alive());
  res.prepare_payload();
  return res;
}

Response problem_response(const Request& req, int status, const std::string& title,
                          const std::string& detail, const nlohmann::json& extra) {
  auto doc = problem_document(status, title, detail, req.path, extra);
  if (!req.trace_id.empty()) doc["trace_id"] = req.trace_id;
  Response res = json_response(req, status, doc);
  res.set(beast_http::field::content_type, "application/problem+json");
  return res;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) bad_request("malformed percent-escape in URL");
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) bad_request("malformed percent-escape in URL");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view part = q.substr(0, amp);
    if (!part.empty()) {
      auto eq = part.find('=');
      std::string key = url_decode(part.substr(0, eq), true);
      std::string value = eq == std::string_view::npos ? "" : url_decode(part.substr(eq + 1), true);
      out[key] = value;
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace herald::core::http
