#pragma once
// Request-fatal errors. Handlers throw HttpError (or a helper below); the server maps it to an
// RFC 7807 application/problem+json response in one place (Server::dispatch). Anything else that
// escapes a handler becomes a 500 whose body carries only the trace id.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace herald::core::http {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string title, std::string detail, nlohmann::json extra = nullptr)
      : std::runtime_error(detail), status_(status), title_(std::move(title)),
        detail_(std::move(detail)), extra_(std::move(extra)) {}
  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] const std::string& title() const { return title_; }
  [[nodiscard]] const std::string& detail() const { return detail_; }
  [[nodiscard]] const nlohmann::json& extra() const { return extra_; }

 private:
  int status_;
  std::string title_;
  std::string detail_;
  nlohmann::json extra_;
};

// 400: the request cannot be parsed (malformed JSON, wrong type, unknown field).
[[noreturn]] void bad_request(std::string detail, nlohmann::json extra = nullptr);
// 422: well-formed but invalid (a field fails validation). `field` names it.
[[noreturn]] void invalid_field(const std::string& field, std::string detail);
[[noreturn]] void unauthorized(std::string detail);
[[noreturn]] void forbidden(std::string detail);
[[noreturn]] void not_found(std::string detail);
[[noreturn]] void conflict(std::string detail);
[[noreturn]] void precondition_failed(std::string detail);

// The problem+json document for a status (type is about:blank unless given).
nlohmann::json problem_document(int status, const std::string& title, const std::string& detail,
                                const std::string& instance, const nlohmann::json& extra);

}  // namespace herald::core::http
