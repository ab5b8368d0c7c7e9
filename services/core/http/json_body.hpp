#pragma once
// Strict reading of a JSON request body: malformed JSON, a non-object, wrong types and unknown
// fields are refused with a problem+json naming the field. Typical use in a handler:
//   JsonBody body(req);
//   auto name = body.required_string("name", 1, 200);
//   auto notes = body.optional_string("notes", 0, 2000);
//   body.finish();  // rejects any field that was not read
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "services/core/http/request.hpp"

namespace herald::core::http {

// The body as a JSON object, for handlers that hand a nested document to domain code (which then
// checks every field itself): 415 without Content-Type: application/json, 400 when malformed or
// not an object.
nlohmann::json json_object_body(const Request& req);

class JsonBody {
 public:
  explicit JsonBody(const Request& req);
  explicit JsonBody(nlohmann::json doc, std::string prefix = "");

  std::string required_string(const std::string& field, std::size_t min_len, std::size_t max_len);
  std::optional<std::string> optional_string(const std::string& field, std::size_t min_len,
                                             std::size_t max_len);
  std::int64_t required_int(const std::string& field, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> optional_int(const std::string& field, std::int64_t min,
                                           std::int64_t max);
  std::optional<bool> optional_bool(const std::string& field);
  // Absent or null -> empty vector / nullopt respectively.
  std::vector<std::string> string_array(const std::string& field, std::size_t max_items,
                                        std::size_t max_len);
  std::optional<std::vector<std::string>> optional_string_array(const std::string& field,
                                                                std::size_t max_items,
                                                                std::size_t max_len);
  // Raw access for nested documents; the field counts as read.
  std::optional<nlohmann::json> optional_raw(const std::string& field);
  [[nodiscard]] bool has(const std::string& field) const;
  void finish();

 private:
  const nlohmann::json* take(const std::string& field);
  [[nodiscard]] std::string name(const std::string& field) const { return prefix_ + field; }

  nlohmann::json doc_;
  std::string prefix_;
  std::set<std::string> read_;
};

}  // namespace herald::core::http
