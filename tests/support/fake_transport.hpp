#pragma once
// A Transport for adapter unit tests: records every request and answers from a queue of canned
// responses (or a handler), so a test can assert the exact request an adapter builds and feed it
// the platform's documented responses and errors.
#include <deque>
#include <functional>
#include <stdexcept>
#include <vector>

#include "herald/adapters/http.hpp"

namespace herald::testing {

class FakeTransport final : public adapters::Transport {
 public:
  adapters::HttpResponse send(const adapters::HttpRequest& request) override {
    requests.push_back(request);
    if (handler) return handler(request);
    if (responses.empty()) throw std::logic_error("FakeTransport: no response queued for " + request.url);
    auto r = responses.front();
    responses.pop_front();
    return r;
  }

  // Queues a response with a JSON (or any) body.
  FakeTransport& reply(int status, std::string body, adapters::Headers headers = {}) {
    adapters::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    if (!r.header("content-type")) r.headers.emplace_back("Content-Type", "application/json");
    responses.push_back(std::move(r));
    return *this;
  }
  // Queues a failure with no response (written = the request reached the wire).
  FakeTransport& fail(bool written) {
    adapters::HttpResponse r;
    r.transport_error = true;
    r.request_written = written;
    r.transport_message = written ? "read timeout" : "connection refused";
    responses.push_back(std::move(r));
    return *this;
  }

  std::vector<adapters::HttpRequest> requests;
  std::deque<adapters::HttpResponse> responses;
  std::function<adapters::HttpResponse(const adapters::HttpRequest&)> handler;
};

}  // namespace herald::testing
