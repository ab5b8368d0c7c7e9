#include "services/core/http/problem.hpp"

namespace herald::core::http {

void bad_request(std::string detail, nlohmann::json extra) {
  throw HttpError(400, "Bad Request", std::move(detail), std::move(extra));
}
void invalid_field(const std::string& field, std::string detail) {
  throw HttpError(422, "Unprocessable Content", field + ": " + detail,
                  nlohmann::json{{"field", field}});
}
void unauthorized(std::string detail) { throw HttpError(401, "Unauthorized", std::move(detail)); }
void forbidden(std::string detail) { throw HttpError(403, "Forbidden", std::move(detail)); }
void not_found(std::string detail) { throw HttpError(404, "Not Found", std::move(detail)); }
void conflict(std::string detail) { throw HttpError(409, "Conflict", std::move(detail)); }
void precondition_failed(std::string detail) {
  throw HttpError(412, "Precondition Failed", std::move(detail));
}

nlohmann::json problem_document(int status, const std::string& title, const std::string& detail,
                                const std::string& instance, const nlohmann::json& extra) {
  nlohmann::json doc{{"type", "about:blank"}, {"title", title}, {"status", status},
                     {"detail", detail}, {"instance", instance}};
  if (extra.is_object()) {
    for (const auto& [k, v] : extra.items()) doc[k] = v;
  }
  return doc;
}

}  // namespace herald::core::http
