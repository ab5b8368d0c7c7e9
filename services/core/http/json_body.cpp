#include "services/core/http/json_body.hpp"

#include "services/core/http/problem.hpp"

namespace herald::core::http {
namespace {

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

nlohmann::json json_object_body(const Request& req) {
  auto ct = req.header("Content-Type");
  if (!ct || ct->find("application/json") == std::string_view::npos) {
    throw HttpError(415, "Unsupported Media Type", "expected Content-Type: application/json");
  }
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(req.raw.body());
  } catch (const nlohmann::json::parse_error& e) {
    bad_request("malformed JSON at byte " + std::to_string(e.byte));
  }
  if (!doc.is_object()) bad_request("the request body must be a JSON object");
  return doc;
}

JsonBody::JsonBody(const Request& req) : doc_(json_object_body(req)) {}

JsonBody::JsonBody(nlohmann::json doc, std::string prefix)
    : doc_(std::move(doc)), prefix_(std::move(prefix)) {
  if (!doc_.is_object()) bad_request(prefix_ + ": expected a JSON object");
}

const nlohmann::json* JsonBody::take(const std::string& field) {
  read_.insert(field);
  auto it = doc_.find(field);
  if (it == doc_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonBody::has(const std::string& field) const { return doc_.contains(field); }

std::optional<std::string> JsonBody::optional_string(const std::string& field,
                                                     std::size_t min_len, std::size_t max_len) {
  const auto* v = take(field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) bad_request(name(field) + ": expected a string", {{"field", name(field)}});
  auto s = v->get<std::string>();
  // PostgreSQL text cannot hold U+0000, and no field of ours has a use for it.
  if (s.find('\0') != std::string::npos) invalid_field(name(field), "must not contain NUL characters");
  auto len = utf8_length(s);
  if (len < min_len) invalid_field(name(field), "must be at least " + std::to_string(min_len) + " characters");
  if (len > max_len) invalid_field(name(field), "must be at most " + std::to_string(max_len) + " characters");
  return s;
}

std::string JsonBody::required_string(const std::string& field, std::size_t min_len,
                                      std::size_t max_len) {
  auto s = optional_string(field, min_len, max_len);
  if (!s) invalid_field(name(field), "is required");
  return *s;
}

std::optional<std::int64_t> JsonBody::optional_int(const std::string& field, std::int64_t min,
                                                   std::int64_t max) {
  const auto* v = take(field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) bad_request(name(field) + ": expected an integer", {{"field", name(field)}});
  // Above INT64_MAX the value is stored unsigned; read as int64 it would wrap to a negative.
  bool beyond_int64 = v->is_number_unsigned() &&
                      v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX);
  auto n = beyond_int64 ? max : v->get<std::int64_t>();
  if (beyond_int64 || n < min || n > max) {
    invalid_field(name(field), "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

std::int64_t JsonBody::required_int(const std::string& field, std::int64_t min, std::int64_t max) {
  auto n = optional_int(field, min, max);
  if (!n) invalid_field(name(field), "is required");
  return *n;
}

std::optional<bool> JsonBody::optional_bool(const std::string& field) {
  const auto* v = take(field);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) bad_request(name(field) + ": expected true or false", {{"field", name(field)}});
  return v->get<bool>();
}

std::vector<std::string> JsonBody::string_array(const std::string& field, std::size_t max_items,
                                                std::size_t max_len) {
  const auto* v = take(field);
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (!v->is_array()) bad_request(name(field) + ": expected an array of strings", {{"field", name(field)}});
  if (v->size() > max_items) invalid_field(name(field), "at most " + std::to_string(max_items) + " items");
  for (const auto& item : *v) {
    if (!item.is_string()) bad_request(name(field) + ": expected an array of strings", {{"field", name(field)}});
    auto s = item.get<std::string>();
    if (s.find('\0') != std::string::npos) invalid_field(name(field), "items must not contain NUL characters");
    if (utf8_length(s) > max_len) invalid_field(name(field), "items must be at most " + std::to_string(max_len) + " characters");
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<std::vector<std::string>> JsonBody::optional_string_array(const std::string& field,
                                                                       std::size_t max_items,
                                                                       std::size_t max_len) {
  auto it = doc_.find(field);
  if (it == doc_.end() || it->is_null()) {
    read_.insert(field);
    return std::nullopt;
  }
  return string_array(field, max_items, max_len);
}

std::optional<nlohmann::json> JsonBody::optional_raw(const std::string& field) {
  const auto* v = take(field);
  if (v == nullptr) return std::nullopt;
  return *v;
}

void JsonBody::finish() {
  for (const auto& [key, value] : doc_.items()) {
    if (read_.count(key) == 0) {
      bad_request("unknown field: " + name(key), {{"field", name(key)}});
    }
  }
}

}  // namespace herald::core::http
