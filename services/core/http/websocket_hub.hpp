#pragma once
// Fan-out of live updates to every connected WebSocket client (/api/v1/stream). Each client
// has a Subscriber (who it is, what it may see); publish() delivers a text frame to every client
// whose filter accepts the topic. Sessions are owned by the server; the hub only holds weak refs.
#include <utility>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace herald::core::http {

struct Subscriber {
  std::string user_id;
  // Returns whether this client may receive an event about `scope` (e.g. a brand id; "" = global).
  std::function<bool(const std::string& scope)> may_see;
};

class WebSocketClient {
 public:
  virtual ~WebSocketClient() = default;
  virtual void send(std::shared_ptr<const std::string> text) = 0;  // thread-safe, non-blocking
  virtual void close() = 0;
  [[nodiscard]] virtual const Subscriber& subscriber() const = 0;
};

class WebSocketHub {
 public:
  void join(const std::shared_ptr<WebSocketClient>& client);
  void leave(const WebSocketClient* client);
  // Delivers `text` to every client that may see `scope`. Returns how many received it.
  std::size_t publish(const std::string& scope, std::string text);
  void close_all();
  [[nodiscard]] std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<WebSocketClient>> clients_;
};

}  // namespace herald::core::http
