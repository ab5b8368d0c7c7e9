#pragma once
// Request parameters the way platform APIs accept them: a JSON object, an
// application/x-www-form-urlencoded body, multipart/form-data (uploads), or the query string.
// Rails-style arrays ("media_ids[]=1&media_ids[]=2", "media_ids[0]=1") and JSON arrays read alike.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/core/http/request.hpp"

namespace herald::sandbox {

struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string data;
};

// Pairs in order; keys and values percent-decoded ('+' is a space).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_urlencoded(std::string_view body);
// Throws core::http::HttpError 400 on a malformed body or a missing boundary.
[[nodiscard]] std::vector<FormPart> parse_multipart(std::string_view body, std::string_view content_type);

class Params {
 public:
  // Reads the body by its Content-Type (JSON, form, multipart) and then the query string; body
  // fields win over query fields of the same name. A malformed body throws HttpError 400.
  static Params from_request(const core::http::Request& req);
  static Params from_json(const nlohmann::json& object);

  [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
  [[nodiscard]] std::string get_or(const std::string& name, std::string fallback) const;
  [[nodiscard]] std::vector<std::string> list(const std::string& name) const;
  [[nodiscard]] bool has(const std::string& name) const;
  [[nodiscard]] std::optional<bool> get_bool(const std::string& name) const;
  [[nodiscard]] const FormPart* file(const std::string& name) const;
  // The JSON body when the request had one (null otherwise), for nested fields.
  [[nodiscard]] const nlohmann::json& json() const { return json_; }

 private:
  void add(const std::string& key, std::string value);
  void add_json(const std::string& key, const nlohmann::json& value);

  std::multimap<std::string, std::string> values_;  // array keys stored without "[]"/"[n]"
  std::vector<FormPart> files_;
  nlohmann::json json_;
};

// "Authorization: Bearer <token>" -> token.
[[nodiscard]] std::optional<std::string> bearer_token(const core::http::Request& req);
// "Authorization: Basic base64(id:secret)" -> (id, secret); nullopt when absent or malformed.
[[nodiscard]] std::optional<std::pair<std::string, std::string>> basic_auth(const core::http::Request& req);

}  // namespace herald::sandbox
