#pragma once
// The production Transport: cpp-httplib as a blocking client (run on the blocking pool), one
// short-lived connection per call, with connect/read/write timeouts. Never logs bodies or
// headers (they carry tokens).
#include <chrono>

#include "herald/adapters/http.hpp"

namespace herald::adapters {

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds write_timeout{15000};
  std::size_t max_response_bytes = 32 * 1024 * 1024;
};

class HttplibTransport final : public Transport {
 public:
  explicit HttplibTransport(TransportOptions options = {}) : options_(options) {}
  HttpResponse send(const HttpRequest& request) override;

 private:
  TransportOptions options_;
};

}  // namespace herald::adapters
