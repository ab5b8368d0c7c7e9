#pragma once
// Maps (method, path pattern) to a handler coroutine. Patterns are literal segments and
// {name} parameters: "/api/v1/brands/{id}/members". A trailing "*" matches any rest (static files).
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "services/core/http/request.hpp"

namespace herald::core::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct Route {
  beast_http::verb method;
  std::string pattern;
  Handler handler;
  std::vector<std::string> segments;
};

class Router {
 public:
  void add(beast_http::verb method, std::string pattern, Handler handler);

  struct Match {
    const Route* route = nullptr;          // null: no route
    bool path_known = false;               // some route matches the path with another method
    std::vector<std::string> allowed;      // methods for that path (405's Allow header)
  };
  // Fills req.params on success.
  Match match(beast_http::verb method, const std::string& path, Request& req) const;

  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace herald::core::http
