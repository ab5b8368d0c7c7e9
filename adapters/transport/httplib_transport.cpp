#include "adapters/transport/httplib_transport.hpp"

#include <httplib.h>
#include <strings.h>

namespace herald::adapters {
namespace {

struct SplitUrl {
  std::string origin;  // scheme://host[:port]
  std::string target;  // /path?query
};

std::optional<SplitUrl> split(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  auto path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) return SplitUrl{url, "/"};
  return SplitUrl{url.substr(0, path_start), url.substr(path_start)};
}

}  // namespace

HttpResponse HttplibTransport::send(const HttpRequest& request) {
  HttpResponse out;
  auto parts = split(request.url);
  if (!parts) {
    out.transport_error = true;
    out.transport_message = "malformed URL";
    return out;
  }
  httplib::Client client(parts->origin);
  client.set_connection_timeout(options_.connect_timeout);
  client.set_read_timeout(options_.read_timeout);
  client.set_write_timeout(options_.write_timeout);
  client.set_tcp_nodelay(true);
  client.set_keep_alive(false);
  client.set_follow_location(false);

  httplib::Headers headers;
  std::string content_type;
  for (const auto& [k, v] : request.headers) {
    if (strcasecmp(k.c_str(), "Content-Type") == 0) {
      content_type = v;
    } else {
      headers.emplace(k, v);
    }
  }
  httplib::Request req;
  req.method = request.method;
  req.path = parts->target;
  req.headers = std::move(headers);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    req.body = request.body;
    req.set_header("Content-Type", content_type.empty() ? "application/octet-stream" : content_type);
  }
  std::size_t received = 0;
  bool too_large = false;
  req.content_receiver = [&](const char* data, std::size_t len, std::uint64_t, std::uint64_t) {
    received += len;
    if (received > options_.max_response_bytes) {
      too_large = true;
      return false;
    }
    out.body.append(data, len);
    return true;
  };
  httplib::Response res;
  httplib::Error err = httplib::Error::Success;
  bool ok = client.send(req, res, err);
  if (!ok || err != httplib::Error::Success) {
    out.transport_error = true;
    // Connecting failed: nothing reached the platform. Anything later (write, read, timeout
    // while waiting for the answer) may have been applied.
    out.request_written = !(err == httplib::Error::Connection || err == httplib::Error::ConnectionTimeout ||
                            err == httplib::Error::SSLConnection || err == httplib::Error::BindIPAddress);
    out.transport_message = too_large ? "response larger than the limit" : httplib::to_string(err);
    out.body.clear();
    return out;
  }
  out.status = res.status;
  for (const auto& [k, v] : res.headers) out.headers.emplace_back(k, v);
  if (out.body.empty()) out.body = res.body;
  return out;
}

}  // namespace herald::adapters
