#pragma once
// What a handler receives and returns. Handlers are coroutines:
//   boost::asio::awaitable<Response> handler(Request& req);
#include <utility>  // before Asio/Beast with GCC 12 (std::exchange)

#include <boost/beast/http.hpp>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace herald::core::http {

namespace beast_http = boost::beast::http;
using Response = beast_http::response<beast_http::string_body>;
using RawRequest = beast_http::request<beast_http::string_body>;

struct Request {
  RawRequest raw;
  std::string path;                           // without the query string
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> params;  // from the route pattern, e.g. {id}
  std::string trace_id;
  std::string remote_address;

  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  [[nodiscard]] std::optional<std::string> cookie(std::string_view name) const;
  [[nodiscard]] const std::string& param(const std::string& name) const;
  // A route parameter that is a positive database id (bigserial); 400 naming `what` otherwise.
  [[nodiscard]] std::int64_t id_param(const std::string& name, std::string_view what = "id") const;
  [[nodiscard]] std::optional<std::string> query_param(const std::string& name) const;
};

// A JSON response with the given status (and the keep-alive/version of the request).
Response json_response(const Request& req, int status, const nlohmann::json& body);
Response empty_response(const Request& req, int status);
Response problem_response(const Request& req, int status, const std::string& title,
                          const std::string& detail, const nlohmann::json& extra = nullptr);

// Percent-decoding for paths and query strings; throws HttpError 400 on bad escapes.
std::string url_decode(std::string_view s, bool plus_is_space);
std::map<std::string, std::string> parse_query(std::string_view q);

}  // namespace herald::core::http
