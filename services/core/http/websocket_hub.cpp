#include "services/core/http/websocket_hub.hpp"

#include <algorithm>

namespace herald::core::http {

void WebSocketHub::join(const std::shared_ptr<WebSocketClient>& client) {
  std::lock_guard lock(mutex_);
  clients_.push_back(client);
}

void WebSocketHub::leave(const WebSocketClient* client) {
  std::lock_guard lock(mutex_);
  std::erase_if(clients_, [client](const std::weak_ptr<WebSocketClient>& w) {
    auto p = w.lock();
    return !p || p.get() == client;
  });
}

std::size_t WebSocketHub::publish(const std::string& scope, std::string text) {
  auto shared = std::make_shared<const std::string>(std::move(text));
  std::vector<std::shared_ptr<WebSocketClient>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& w : clients_) {
      if (auto p = w.lock()) targets.push_back(std::move(p));
    }
  }
  std::size_t n = 0;
  for (const auto& c : targets) {
    const auto& sub = c->subscriber();
    if (!sub.may_see || sub.may_see(scope)) {
      c->send(shared);
      ++n;
    }
  }
  return n;
}

void WebSocketHub::close_all() {
  std::vector<std::shared_ptr<WebSocketClient>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& w : clients_) {
      if (auto p = w.lock()) targets.push_back(std::move(p));
    }
  }
  for (const auto& c : targets) c->close();
}

std::size_t WebSocketHub::size() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      clients_.begin(), clients_.end(), [](const auto& w) { return !w.expired(); }));
}

}  // namespace herald::core::http
