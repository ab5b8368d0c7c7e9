#pragma once
// The HTTP seam of every adapter. Adapters are "sans-I/O": they build HttpRequest values and
// parse HttpResponse values, and reach the network only through a Transport. Production uses
// HttplibTransport (adapters/transport); unit tests use a fake that records requests and returns
// canned responses, so request building and response parsing are tested without a socket.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::adapters {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string url;     // absolute: base URL of the platform (real or sandbox) + path + query
  Headers headers;
  std::string body;

  // Case-insensitive header lookup.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

struct HttpResponse {
  int status = 0;  // 0 when there was no HTTP response at all (see transport_error)
  Headers headers;
  std::string body;

  // No response: the connection failed, timed out or was reset.
  bool transport_error = false;
  // Whether the request may have reached the platform before the failure. A failure to connect
  // is false (safe to retry); a timeout or reset after writing is true (the outcome is unknown).
  bool request_written = false;
  std::string transport_message;

  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Blocking; call it from the blocking pool, never from an I/O thread.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

// Percent-encoding for query strings and form bodies (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view s);
// "a=1&b=2" from pairs, each side percent-encoded (application/x-www-form-urlencoded).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace herald::adapters
